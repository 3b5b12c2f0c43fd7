from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.errors import DomainError
from takedowns.models import Notification
from tracker.user_services import notifications_mark_read, user_preferences_update

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


def test_mark_read_touches_only_the_users_unread_notifications(analyst, analyst2):
    earlier = timezone.now() - timedelta(days=1)
    a = Notification.objects.create(user=analyst, kind="k", title="a", dedupe_key="a")
    b = Notification.objects.create(user=analyst, kind="k", title="b", dedupe_key="b")
    old = Notification.objects.create(
        user=analyst, kind="k", title="old", dedupe_key="old", read_at=earlier
    )
    other = Notification.objects.create(user=analyst2, kind="k", title="c", dedupe_key="c")
    assert notifications_mark_read(user=analyst, pk=a.pk) == 1
    assert notifications_mark_read(user=analyst2, pk=b.pk) == 0
    assert notifications_mark_read(user=analyst) == 1
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.read_at == earlier and other.read_at is None
