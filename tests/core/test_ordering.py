import pytest

from accounts.models import FlaggedAccount
from core.ordering import Ordering
from tests.factories import AccountFactory

ORDER = Ordering({"handle": "handle_normalized", "checked": "last_checked_at"}, default="handle")


def test_unknown_key_falls_back_to_the_default():
    assert ORDER.key("password") == "handle"
    assert ORDER.key(None) == "handle"
    assert ORDER.key("-checked") == "-checked"


def test_a_default_outside_the_fields_is_refused():
    with pytest.raises(ValueError):
        Ordering({"handle": "handle_normalized"}, default="seen")


@pytest.mark.django_db
def test_empty_values_sort_last_in_both_directions():
    from django.utils import timezone

    never = AccountFactory(handle="never", last_checked_at=None)
    once = AccountFactory(handle="once", last_checked_at=timezone.now())
    rows = FlaggedAccount.objects.all()
    assert list(ORDER.apply(rows, "checked")) == [once, never]
    assert list(ORDER.apply(rows, "-checked")) == [once, never]
