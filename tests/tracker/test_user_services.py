import pytest

from core.errors import DomainError
from tracker.user_services import user_preferences_update

pytestmark = pytest.mark.django_db


def test_preferences_update_stores_the_choices(analyst):
    user_preferences_update(
        user=analyst, language="ur", time_zone="Asia/Dubai", email_notifications=False
    )
    analyst.refresh_from_db()
    assert (analyst.language, analyst.time_zone, analyst.email_notifications) == (
        "ur",
        "Asia/Dubai",
        False,
    )


@pytest.mark.parametrize(
    ("language", "zone", "field"),
    [("fr", "Asia/Dubai", "language"), ("ur", "Asia/Nope", "time_zone")],
)
def test_preferences_update_refuses_unknown_values(analyst, language, zone, field):
    with pytest.raises(DomainError) as exc:
        user_preferences_update(
            user=analyst, language=language, time_zone=zone, email_notifications=True
        )
    assert exc.value.field == field
    analyst.refresh_from_db()
    assert (analyst.language, analyst.time_zone) == ("en", "Asia/Karachi")
