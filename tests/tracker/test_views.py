from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from takedowns import services
from takedowns.choices import RequestStatus
from takedowns.models import Notification, TakedownRequest
from tests.factories import AccountFactory, TakedownFactory
from tests.second_factor import totp_code, totp_device_for

S = RequestStatus
pytestmark = pytest.mark.django_db


def test_supervisor_lands_on_the_dashboard_and_analyst_on_quick_entry(client, supervisor, analyst):
    client.force_login(supervisor)
    assert client.get(reverse("home"))["Location"] == reverse("dashboard")
    client.force_login(analyst)
    assert client.get(reverse("home"))["Location"] == reverse("accounts:entry")


def test_user_without_a_role_is_told_so(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("norole", password="x"))
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "Your user has no role yet." in response.content.decode()


def test_login_page_signs_in_and_lands_by_role(client, supervisor):
    device = totp_device_for(supervisor)
    response = client.post(
        reverse("login"), {"username": "supervisor", "password": "correct-horse-battery-staple"}
    )
    assert response["Location"] == reverse("home")
    # A supervisor passes the second factor before landing anywhere.
    client.post(reverse("otp_verify"), {"code": totp_code(device)})
    assert client.get(reverse("home"))["Location"] == reverse("dashboard")


@pytest.mark.parametrize(
    "name", ["home", "dashboard", "preferences", "notification_bell", "takedowns:list"]
)
def test_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"/auth/login/?next={reverse(name)}"


def test_analyst_gets_the_403_page_for_the_dashboard(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role does not allow this" in html and "The dashboard is for supervisors." in html


def test_dashboard_shows_figures_queue_overdue_and_next_deadlines(
    client, supervisor, analyst, platforms, django_assert_max_num_queries
):
    now = timezone.now()
    for i in range(6):
        TakedownFactory(platform=platforms["x"], created_by=analyst, status=S.PENDING_APPROVAL)
        late = TakedownFactory(platform=platforms["telegram"], status=S.SUBMITTED)
        TakedownRequest.objects.filter(pk=late.pk).update(
            submitted_at=now - timedelta(hours=60), due_at=now - timedelta(hours=12 + i)
        )
        due = TakedownFactory(platform=platforms["youtube"], status=S.ACKNOWLEDGED)
        TakedownRequest.objects.filter(pk=due.pk).update(
            submitted_at=now, due_at=now + timedelta(hours=10 + i)
        )
    client.force_login(supervisor)
    with django_assert_max_num_queries(24):
        response = client.get(reverse("dashboard"))
    context = response.context
    assert context["totals"]["open"] == 18 and context["totals"]["overdue"] == 6
    assert context["queue_count"] == 6 and len(context["queue"]) == 6
    assert all(t.can_approve for t in context["queue"])
    assert [t.due_at for t in context["overdue"]] == sorted(t.due_at for t in context["overdue"])
    assert {t.platform.slug for t in context["due_next"]} == {"youtube"}
    assert context["chart"]["labels"] == [w["week"] for w in context["stats"]["weekly"]]
    html = response.content.decode()
    assert 'id="weekly-data"' in html and "vendor/chartjs/chart.umd.min.js" in html
    assert "overdue by 17 h" in html  # the oldest overdue request, 12 + 5 hours late


def test_dashboard_queue_does_not_offer_approval_of_own_draft(client, supervisor, platforms):
    TakedownFactory(platform=platforms["x"], created_by=supervisor, status=S.PENDING_APPROVAL)
    client.force_login(supervisor)
    queue = client.get(reverse("dashboard")).context["queue"]
    assert [t.can_approve for t in queue] == [False]


def test_preferences_change_language_zone_and_email(client, analyst):
    client.force_login(analyst)
    response = client.post(
        reverse("preferences"),
        {"language": "ur", "time_zone": "Europe/London", "email_notifications": ""},
    )
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert (analyst.language, analyst.time_zone, analyst.email_notifications) == (
        "ur",
        "Europe/London",
        False,
    )
    page = client.get(reverse("preferences"))
    assert '<html lang="ur" dir="rtl">' in page.content.decode()
    assert "ترجیحات محفوظ ہو گئیں" in page.content.decode()


def test_preferences_refuse_an_unknown_zone_and_change_nothing(client, analyst):
    client.force_login(analyst)
    response = client.post(reverse("preferences"), {"language": "ur", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "time_zone" in response.context["form"].errors
    analyst.refresh_from_db()
    assert (analyst.language, analyst.time_zone) == ("en", "Asia/Karachi")


def test_language_switch_keeps_the_page(client, analyst):
    client.force_login(analyst)
    response = client.post(
        reverse("language_switch"), {"language": "ur", "next": "/accounts/?page=2"}
    )
    assert response["Location"] == "/accounts/?page=2"
    analyst.refresh_from_db()
    assert analyst.language == "ur" and analyst.time_zone == "Asia/Karachi"


def _notify(user, n, **extra):
    return Notification.objects.create(
        user=user, kind="reminder", title=f"Notice {n}", dedupe_key=f"k{n}", **extra
    )


def test_bell_shows_the_unread_count_of_the_user_only(client, analyst, analyst2):
    for n in range(3):
        _notify(analyst, n)
    _notify(analyst, 9, read_at=timezone.now())
    _notify(analyst2, 10)
    client.force_login(analyst)
    response = client.get(reverse("notification_bell"))
    assert response.context["unread"] == 3
    assert [n.title for n in response.context["notifications"]] == [
        "Notice 9",
        "Notice 2",
        "Notice 1",
        "Notice 0",
    ]
    assert 'data-testid="bell-count">3<' in response.content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_its_request(
    client, analyst, analyst2, platforms
):
    takedown = TakedownFactory(platform=platforms["x"])
    mine = _notify(analyst, 1, request=takedown)
    theirs = _notify(analyst2, 2)
    client.force_login(analyst)
    response = client.post(reverse("notification_open", args=[mine.pk]))
    assert response["Location"] == reverse("takedowns:detail", args=[takedown.pk])
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("notification_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_with_htmx_returns_the_bell(client, analyst):
    for n in range(2):
        _notify(analyst, n)
    client.force_login(analyst)
    response = client.post(reverse("notifications_read_all"), HTTP_HX_REQUEST="true")
    assert response.context["unread"] == 0
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_request_page_and_nav_render_for_every_role(
    client, analyst, supervisor, administrator, platforms
):
    takedown = services.takedown_create(
        user=analyst, platform=platforms["x"], accounts=[AccountFactory(platform=platforms["x"])]
    )
    for user, sees_dashboard in ((analyst, False), (supervisor, True), (administrator, True)):
        client.force_login(user)
        html = client.get(reverse("takedowns:detail", args=[takedown.pk])).content.decode()
        assert (f'href="{reverse("dashboard")}"' in html) is sees_dashboard
