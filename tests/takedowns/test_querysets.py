"""The deadline rule in one place (takedowns/querysets.py): the queryset, the model, the list
page, its row colours and the API agree on which requests are overdue."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from takedowns.choices import RequestStatus
from takedowns.models import TakedownRequest
from takedowns.querysets import OK, OVERDUE, PAUSED, SOON, deadline_of
from tests.factories import TakedownFactory

S = RequestStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def clocks(platforms):
    """Requests on every side of the rule, by name."""
    now = timezone.now()
    shapes = {
        "overdue": (S.SUBMITTED, -2, None),
        "overdue_acknowledged": (S.ACKNOWLEDGED, -30, None),
        "paused_past_due": (S.SUBMITTED, -2, now - timedelta(hours=5)),
        "closed_past_due": (S.ACTIONED, -2, None),
        "due_soon": (S.SUBMITTED, 1, None),
        "on_time": (S.SUBMITTED, 40, None),
        "draft": (S.DRAFT, None, None),
    }
    made = {}
    for name, (status, hours, paused_at) in shapes.items():
        takedown = TakedownFactory(platform=platforms["x"], status=status)
        due = now + timedelta(hours=hours) if hours is not None else None
        TakedownRequest.objects.filter(pk=takedown.pk).update(
            due_at=due,
            reminder_at=due - timedelta(hours=4) if due else None,
            paused_at=paused_at,
        )
        made[name] = TakedownRequest.objects.get(pk=takedown.pk)
    return made


def test_queryset_and_model_agree(clocks):
    now = timezone.now()
    by_query = set(TakedownRequest.objects.overdue(now).values_list("pk", flat=True))
    by_model = {t.pk for t in clocks.values() if t.deadline(now).state == OVERDUE}
    assert by_query == by_model == {clocks["overdue"].pk, clocks["overdue_acknowledged"].pk}
    assert set(TakedownRequest.objects.not_overdue(now).values_list("pk", flat=True)) == (
        {t.pk for t in clocks.values()} - by_query
    )


def test_pages_and_api_give_the_same_overdue_set(clocks, client, supervisor, supervisor_api):
    client.force_login(supervisor)
    expected = set(TakedownRequest.objects.overdue().values_list("pk", flat=True))

    page = client.get(reverse("takedowns:list"), {"overdue": "true"})
    api = supervisor_api.get("/api/v1/takedowns/?overdue=true&page_size=100").json()
    everything = supervisor_api.get("/api/v1/takedowns/?page_size=100").json()
    full_page = client.get(reverse("takedowns:list")).content.decode()

    assert {t.pk for t in page.context["page"].object_list} == expected
    assert {row["id"] for row in api["results"]} == expected
    assert {row["id"] for row in everything["results"] if row["is_overdue"]} == expected
    # The rows the page colours as overdue are those same requests.
    coloured = re.findall(
        r'<tr class="row-overdue">\s*<td><a class="ref" href="[^"]*?(\d+)/"', full_page
    )
    assert {int(pk) for pk in coloured} == expected


def test_deadline_states_and_what_the_countdown_is_told(clocks):
    now = timezone.now()

    on_time = deadline_of(clocks["on_time"], now)
    soon = deadline_of(clocks["due_soon"], now)

    assert on_time.state == OK
    assert [state for state, _after in on_time.changes] == [SOON, OVERDUE]
    assert on_time.changes[0][1] == clocks["on_time"].reminder_at - now
    assert soon.state == SOON and [s for s, _ in soon.changes] == [OVERDUE]
    assert deadline_of(clocks["paused_past_due"], now).state == PAUSED
    assert deadline_of(clocks["overdue"], now).changes == ()


def test_met_deadline_keeps_requests_resolved_by_their_due_time(platforms):
    now = timezone.now()
    shapes = {
        "early": (now - timedelta(hours=1), now),
        "on_the_minute": (now, now),
        "late": (now + timedelta(hours=1), now),
        "open": (None, now),
        "no_deadline": (now, None),
    }
    ids = {}
    for name, (resolved_at, due_at) in shapes.items():
        takedown = TakedownFactory(platform=platforms["x"], status=S.ACTIONED)
        TakedownRequest.objects.filter(pk=takedown.pk).update(
            resolved_at=resolved_at, due_at=due_at
        )
        ids[takedown.pk] = name

    met = TakedownRequest.objects.filter(pk__in=ids).met_deadline()

    assert sorted(ids[pk] for pk in met.values_list("pk", flat=True)) == ["early", "on_the_minute"]
