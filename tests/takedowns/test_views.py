from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from takedowns import services
from takedowns.choices import ItemOutcome, RequestStatus
from takedowns.models import DisclosureAccess, TakedownRequest
from tests.factories import AccountFactory, TakedownFactory

S = RequestStatus
pytestmark = pytest.mark.django_db


def action_url(takedown, action):
    return reverse("takedowns:action", args=[takedown.pk, action])


def buttons(response) -> list[str]:
    """The actions the page offers, in order."""
    return [action for action, _form in response.context["action_forms"]]


@pytest.fixture
def pending(analyst, platforms):
    takedown = services.takedown_create(
        user=analyst,
        platform=platforms["telegram"],
        accounts=[AccountFactory(platform=platforms["telegram"], handle=f"h{i}") for i in range(2)],
    )
    return services.takedown_request_approval(takedown=takedown, user=analyst)


@pytest.fixture
def submitted(pending, supervisor):
    approved = services.takedown_approve(takedown=pending, user=supervisor)
    return services.takedown_submit(takedown=approved, user=supervisor)


# ------------------------------------------------------------------------------------------
# Drafting from accounts
# ------------------------------------------------------------------------------------------


def test_new_request_page_groups_chosen_accounts_by_platform(client, analyst, platforms):
    x = AccountFactory(platform=platforms["x"], handle="on_x")
    t1 = AccountFactory(platform=platforms["telegram"], handle="b_one")
    t2 = AccountFactory(platform=platforms["telegram"], handle="a_two")
    client.force_login(analyst)
    response = client.post(reverse("takedowns:new"), {"ids": [x.pk, t1.pk, t2.pk]})
    assert response.status_code == 200
    grouped = {
        name: [a.handle for a in accounts]
        for name, accounts in response.context["by_platform"].items()
    }
    assert grouped == {"Telegram": ["a_two", "b_one"], "X": ["on_x"]}
    assert "2 requests will be created" in response.content.decode()
    assert TakedownRequest.objects.count() == 0


def test_confirming_creates_one_request_per_platform_sent_for_approval(client, analyst, platforms):
    x = AccountFactory(platform=platforms["x"])
    t1 = AccountFactory(platform=platforms["telegram"])
    t2 = AccountFactory(platform=platforms["telegram"])
    client.force_login(analyst)
    response = client.post(
        reverse("takedowns:new"),
        {
            "confirm": "1",
            "ids": [x.pk, t1.pk, t2.pk],
            "kind": "removal",
            "priority": "emergency",
            "legal_basis": "PECA 2016 s.37",
            "request_approval": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('takedowns:list')}?created_by=analyst"
    made = {t.platform.slug: t for t in TakedownRequest.objects.all()}
    assert set(made) == {"x", "telegram"}
    assert sorted(made["telegram"].items.values_list("account_id", flat=True)) == sorted(
        [t1.pk, t2.pk]
    )
    assert {(t.status, t.priority, t.legal_basis, t.created_by) for t in made.values()} == {
        (S.PENDING_APPROVAL, "emergency", "PECA 2016 s.37", analyst)
    }


def test_confirming_one_platform_goes_straight_to_the_request(client, analyst, platforms):
    account = AccountFactory(platform=platforms["x"])
    client.force_login(analyst)
    response = client.post(
        reverse("takedowns:new"),
        {
            "confirm": "1",
            "ids": [account.pk],
            "kind": "removal",
            "priority": "normal",
            "legal_basis": "PECA",
        },
    )
    takedown = TakedownRequest.objects.get()
    assert response["Location"] == reverse("takedowns:detail", args=[takedown.pk])
    assert takedown.status == S.DRAFT  # not ticked: stays a draft


def test_confirming_without_accounts_creates_nothing(client, analyst, platforms):
    client.force_login(analyst)
    response = client.post(
        reverse("takedowns:new"),
        {"confirm": "1", "kind": "removal", "priority": "normal", "legal_basis": "PECA"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ids"] == ["Choose at least one account first."]
    assert TakedownRequest.objects.count() == 0


# ------------------------------------------------------------------------------------------
# List
# ------------------------------------------------------------------------------------------


def test_takedown_list_queries_do_not_grow_with_rows(
    client, analyst, platforms, django_assert_max_num_queries
):
    for i in range(30):
        TakedownFactory(
            platform=platforms["x"],
            created_by=analyst,
            accounts=[
                AccountFactory(platform=platforms["x"], handle=f"a{i}_{j}") for j in range(2)
            ],
        )
    client.force_login(analyst)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("takedowns:list"))
    assert len(response.context["page"].object_list) == 30
    assert {t.item_count for t in response.context["page"].object_list} == {2}


def test_takedown_list_colours_rows_by_deadline(client, supervisor, platforms):
    now = timezone.now()
    overdue = TakedownFactory(platform=platforms["x"], status=S.SUBMITTED)
    soon = TakedownFactory(platform=platforms["x"], status=S.SUBMITTED)
    paused = TakedownFactory(platform=platforms["x"], status=S.ACKNOWLEDGED)
    TakedownRequest.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(hours=2))
    TakedownRequest.objects.filter(pk=soon.pk).update(
        due_at=now + timedelta(hours=3), reminder_at=now - timedelta(hours=1)
    )
    TakedownRequest.objects.filter(pk=paused.pk).update(
        due_at=now + timedelta(hours=30), paused_at=now - timedelta(hours=1)
    )
    client.force_login(supervisor)
    html = client.get(reverse("takedowns:list")).content.decode()
    assert (
        f'<tr class="row-overdue">\n          <td><a class="ref" href="/takedowns/{overdue.pk}/"'
        in html
    )
    assert (
        f'<tr class="row-soon">\n          <td><a class="ref" href="/takedowns/{soon.pk}/"' in html
    )
    assert (
        f'<tr class="row-paused">\n          <td><a class="ref" href="/takedowns/{paused.pk}/"'
        in html
    )
    assert "overdue by 2 h 0 min" in html or "overdue by 1 h 59 min" in html
    assert "paused, 1 d 7 h left" in html


def test_takedown_list_tab_filters_overdue(client, supervisor, platforms):
    overdue = TakedownFactory(platform=platforms["x"], status=S.SUBMITTED)
    TakedownRequest.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=1))
    TakedownFactory(platform=platforms["x"], status=S.DRAFT)
    client.force_login(supervisor)
    response = client.get(reverse("takedowns:list"), {"overdue": "true"})
    assert [t.pk for t in response.context["page"].object_list] == [overdue.pk]
    current = [key for key, _label, _q, is_current in response.context["tabs"] if is_current]
    assert current == ["overdue"]


# ------------------------------------------------------------------------------------------
# Detail: exactly the available actions
# ------------------------------------------------------------------------------------------


def test_author_of_a_draft_can_ask_for_approval_or_withdraw(client, analyst, platforms):
    draft = TakedownFactory(platform=platforms["x"], created_by=analyst)
    client.force_login(analyst)
    response = client.get(reverse("takedowns:detail", args=[draft.pk]))
    assert buttons(response) == ["request_approval", "withdraw"]


def test_supervisor_sees_approve_on_another_authors_request(client, supervisor, pending):
    client.force_login(supervisor)
    response = client.get(reverse("takedowns:detail", args=[pending.pk]))
    assert buttons(response) == ["approve", "withdraw"]
    assert "Approve" in response.content.decode()


def test_the_analyst_who_drafted_a_request_waits_for_a_supervisor(client, analyst, platforms):
    own = TakedownFactory(platform=platforms["x"], created_by=analyst, status=S.PENDING_APPROVAL)
    client.force_login(analyst)

    response = client.get(reverse("takedowns:detail", args=[own.pk]))

    # Approving is not the analyst's role at all: the four-eyes rule is not the reason.
    assert response.context["approval_wait"] == "permission_denied"
    assert "Waiting for a supervisor" in response.content.decode()
    assert "four-eyes rule" not in response.content.decode()


def test_supervisor_who_drafted_the_request_cannot_approve_it(client, supervisor, platforms):
    own = TakedownFactory(platform=platforms["x"], created_by=supervisor, status=S.PENDING_APPROVAL)
    client.force_login(supervisor)
    response = client.get(reverse("takedowns:detail", args=[own.pk]))
    assert buttons(response) == ["withdraw"]
    assert "four-eyes rule" in response.content.decode()
    assert response.context["approval_wait"] == "four_eyes"
    refused = client.post(action_url(own, "approve"), {"approve-version": own.version})
    assert refused.status_code == 403
    own.refresh_from_db()
    assert own.status == S.PENDING_APPROVAL


def test_analyst_gets_403_for_approve(client, analyst2, pending):
    client.force_login(analyst2)
    response = client.post(action_url(pending, "approve"), {"approve-version": pending.version})
    assert response.status_code == 403
    assert "Your role does not allow you to approve this request." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == S.PENDING_APPROVAL


def test_supervisor_approves_then_submits_and_the_clock_starts(client, supervisor, pending):
    client.force_login(supervisor)
    response = client.post(
        action_url(pending, "approve"), {"approve-version": pending.version, "approve-note": "ok"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.approved_by) == (S.APPROVED, supervisor)
    client.post(action_url(pending, "submit"), {"submit-version": pending.version})
    pending.refresh_from_db()
    assert pending.status == S.SUBMITTED
    assert pending.due_at - pending.submitted_at == timedelta(hours=48)
    page = client.get(reverse("takedowns:detail", args=[pending.pk])).content.decode()
    assert "1 d 23 h left" in page or "2 d 0 h left" in page


def test_acknowledge_needs_the_ticket(client, supervisor, submitted):
    client.force_login(supervisor)
    response = client.post(
        action_url(submitted, "acknowledge"), {"acknowledge-version": submitted.version}
    )
    assert response.status_code == 400
    assert response.context["open_action"] == "acknowledge"
    assert "This field is required." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    client.post(
        action_url(submitted, "acknowledge"),
        {"acknowledge-version": submitted.version, "acknowledge-ticket": "CASE-77"},
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.platform_ticket) == (S.ACKNOWLEDGED, "CASE-77")


def test_pause_needs_a_reason_and_resume_moves_the_deadline(client, supervisor, submitted):
    client.force_login(supervisor)
    refused = client.post(action_url(submitted, "pause"), {"pause-version": submitted.version})
    assert refused.status_code == 400
    client.post(
        action_url(submitted, "pause"),
        {"pause-version": submitted.version, "pause-reason": "platform asked for the URLs"},
    )
    submitted.refresh_from_db()
    assert submitted.paused_reason == "platform asked for the URLs"
    page = client.get(reverse("takedowns:detail", args=[submitted.pk]))
    assert buttons(page) == ["acknowledge", "resume", "resolve", "withdraw"]
    due_before = submitted.due_at
    client.post(action_url(submitted, "resume"), {"resume-version": submitted.version})
    submitted.refresh_from_db()
    assert submitted.paused_at is None and submitted.due_at >= due_before


def test_resolve_with_an_outcome_per_account(client, supervisor, submitted):
    first, second = submitted.items.order_by("id")
    client.force_login(supervisor)
    response = client.post(
        action_url(submitted, "resolve"),
        {
            "resolve-version": submitted.version,
            f"resolve-outcome_{first.account_id}": ItemOutcome.REMOVED,
            f"resolve-outcome_{second.account_id}": ItemOutcome.NOT_ACTIONED,
            "resolve-note": "one left up",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.PARTIALLY_ACTIONED
    first.refresh_from_db()
    first.account.refresh_from_db()
    assert (first.outcome, first.account.status) == (ItemOutcome.REMOVED, "removed")


def test_resolve_without_every_outcome_is_refused(client, supervisor, submitted):
    first = submitted.items.order_by("id").first()
    client.force_login(supervisor)
    response = client.post(
        action_url(submitted, "resolve"),
        {"resolve-version": submitted.version, f"resolve-outcome_{first.account_id}": "removed"},
    )
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert set(submitted.items.values_list("outcome", flat=True)) == {ItemOutcome.PENDING}


def test_stale_click_is_refused_with_a_message(client, supervisor, supervisor2, pending):
    client.force_login(supervisor)
    stale_version = pending.version
    services.takedown_approve(takedown=pending, user=supervisor2)
    response = client.post(
        action_url(pending, "withdraw"), {"withdraw-version": stale_version}, follow=True
    )
    assert "was changed by someone else" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == S.APPROVED


def test_action_not_possible_in_this_state_says_so(client, supervisor, submitted):
    client.force_login(supervisor)
    response = client.post(
        action_url(submitted, "approve"), {"approve-version": submitted.version}, follow=True
    )
    assert "Cannot approve a request that is submitted." in response.content.decode()


def test_unknown_action_is_404(client, supervisor, pending):
    client.force_login(supervisor)
    assert client.post(action_url(pending, "explode"), {}).status_code == 404


def test_detail_queries_do_not_grow_with_items_and_events(
    client, supervisor, platforms, analyst, django_assert_max_num_queries
):
    takedown = services.takedown_create(
        user=analyst,
        platform=platforms["x"],
        accounts=[AccountFactory(platform=platforms["x"], handle=f"k{i}") for i in range(25)],
    )
    takedown = services.takedown_request_approval(takedown=takedown, user=analyst)
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("takedowns:detail", args=[takedown.pk]))
    assert len(response.context["items"]) == 25


def test_sorting_by_deadline_puts_requests_without_one_last(client, supervisor, platforms):
    now = timezone.now()
    draft = TakedownFactory(platform=platforms["x"])
    later, sooner = (TakedownFactory(platform=platforms["x"], status=S.SUBMITTED) for _ in "ab")
    TakedownRequest.objects.filter(pk=later.pk).update(due_at=now + timedelta(hours=40))
    TakedownRequest.objects.filter(pk=sooner.pk).update(due_at=now + timedelta(hours=4))
    client.force_login(supervisor)
    for sort, expected in (("due", [sooner, later, draft]), ("-due", [later, sooner, draft])):
        response = client.get(reverse("takedowns:list"), {"sort": sort})
        assert [t.pk for t in response.context["page"].object_list] == [t.pk for t in expected]


# ------------------------------------------------------------------------------------------
# Disclosures
# ------------------------------------------------------------------------------------------


@pytest.fixture
def asked(analyst, supervisor, supervisor2, platforms):
    """A disclosure request sent to Telegram, for one account."""
    takedown = services.takedown_create(
        user=analyst,
        platform=platforms["telegram"],
        accounts=[AccountFactory(platform=platforms["telegram"], handle="sada_e_haq")],
        kind="disclosure",
    )
    takedown = services.takedown_request_approval(takedown=takedown, user=analyst)
    takedown = services.takedown_approve(takedown=takedown, user=supervisor2)
    return services.takedown_submit(takedown=takedown, user=supervisor)


def record(client, takedown, **fields):
    data = {
        "disclosure-account": takedown.items.first().account_id,
        "disclosure-data": "Phone: +92 321 7654321\nEmail: admin@example.pk",
        **{f"disclosure-{k}": v for k, v in fields.items()},
    }
    return client.post(reverse("takedowns:disclosure_add", args=[takedown.pk]), data)


def test_supervisor_records_disclosed_data_and_the_page_hides_it_until_shown(
    client, supervisor, asked
):
    client.force_login(supervisor)

    response = record(client, asked)

    assert response.status_code == 302
    disclosure = asked.disclosures.get()
    assert disclosure.data == {"Phone": "+92 321 7654321", "Email": "admin@example.pk"}
    page = client.get(reverse("takedowns:detail", args=[asked.pk])).content.decode()
    assert "sada_e_haq" in page and "+92 321 7654321" not in page
    assert DisclosureAccess.objects.count() == 0


def test_showing_disclosed_data_logs_the_read_and_keeps_no_copy(client, supervisor, asked):
    client.force_login(supervisor)
    record(client, asked, data="Phone: +92 321 7654321\nitems: 3 channels")
    disclosure = asked.disclosures.get()

    response = client.post(reverse("takedowns:disclosure_show", args=[asked.pk, disclosure.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "+92 321 7654321" in html and "3 channels" in html
    assert "no-store" in response["Cache-Control"]
    read = DisclosureAccess.objects.get()
    assert (read.disclosure, read.user, read.channel) == (disclosure, supervisor, "web")


def test_analysts_neither_see_nor_record_disclosures(client, analyst, supervisor, asked):
    services.disclosure_record(
        takedown=asked, account=asked.items.get().account, data={"Phone": "1"}, user=supervisor
    )
    client.force_login(analyst)

    page = client.get(reverse("takedowns:detail", args=[asked.pk]))
    recorded = record(client, asked)
    shown = client.post(
        reverse("takedowns:disclosure_show", args=[asked.pk, asked.disclosures.get().pk])
    )

    assert "disclosures" not in page.context
    assert (recorded.status_code, shown.status_code) == (403, 403)
    assert asked.disclosures.count() == 1
    assert DisclosureAccess.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Phone +92 300", "Line 1: write it as"),
        ("Phone: 1\n\nPhone: 2", "Line 3 repeats"),
        ("", "This field is required"),
    ],
)
def test_unreadable_disclosed_data_is_refused_and_nothing_recorded(
    client, supervisor, asked, data, message
):
    client.force_login(supervisor)

    response = record(client, asked, data=data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert asked.disclosures.count() == 0


def test_a_removal_request_has_no_disclosure_section(client, supervisor, submitted):
    client.force_login(supervisor)

    page = client.get(reverse("takedowns:detail", args=[submitted.pk]))
    recorded = record(client, submitted)

    assert "disclosures" not in page.context
    assert recorded.status_code == 302
    message = str(next(iter(recorded.wsgi_request._messages)))
    assert "only disclosure requests receive data" in message
    assert submitted.disclosures.count() == 0
