"""The second factor: enforced for supervisors and administrators, its pages and its codes."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, UserFactory
from tests.second_factor import totp_code, totp_device_for
from tracker.models import SecurityEvent
from tracker.roles import ADMINISTRATOR, ANALYST, SUPERVISOR
from tracker.two_factor import services

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/dashboard/",
    "/accounts/",
    "/accounts/new/",
    "/takedowns/",
    "/preferences/",
    "/notifications/bell/",
    "/admin/",
    "/api/docs/",
]


def password_only(user, address="10.1.1.1") -> Client:
    """A client that signed in with the password through the login page, nothing more."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", [SUPERVISOR, ADMINISTRATOR])
def test_an_unverified_supervisor_or_admin_is_sent_to_the_second_step_from_every_page(role):
    user = UserFactory(username="boss", role=role)
    totp_device_for(user)
    client = password_only(user)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("otp_verify") + "?next="), path


def test_without_a_device_the_second_step_is_enrolment(supervisor):
    client = password_only(supervisor)
    assert client.get("/takedowns/")["Location"] == f"{reverse('otp_setup')}?next=/takedowns/"


def test_an_unverified_session_is_no_api_credential(supervisor):
    totp_device_for(supervisor)
    client = password_only(supervisor)
    assert client.get("/api/v1/takedowns/").status_code in (401, 403)
    assert client.get("/api/schema/").status_code in (401, 403)
    # TAXII answers its clients as the API does, never with the second-factor page.
    assert client.get("/taxii2/").status_code in (401, 403)


def test_an_htmx_request_is_told_to_go_to_the_second_step(supervisor):
    totp_device_for(supervisor)
    client = password_only(supervisor)
    response = client.get("/notifications/bell/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("otp_verify"))


def test_a_verified_supervisor_reaches_every_page(supervisor):
    device = totp_device_for(supervisor)
    client = password_only(supervisor)
    response = client.post(
        reverse("otp_verify"), {"code": totp_code(device), "next": "/takedowns/"}
    )
    assert response["Location"] == "/takedowns/"
    for path in PAGES[:-2]:
        assert client.get(path).status_code in (200, 302), path
        if client.get(path).status_code == 302:
            assert not client.get(path)["Location"].startswith("/auth/"), path
    assert SecurityEvent.objects.filter(kind="otp_verified", user=supervisor).exists()


def test_a_wrong_code_is_refused_and_counts_towards_the_lockout(supervisor, settings):
    device = totp_device_for(supervisor)
    client = password_only(supervisor)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("otp_verify"), {"code": "000000"})
        assert response.status_code == 200
        assert "That code is not valid" in response.content.decode()
    response = client.post(reverse("otp_verify"), {"code": "000000"})
    assert response.status_code == 429  # locked out, and signed out
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind="otp_failed", user=supervisor).count() == 5
    # The password no longer gets in either, from anywhere, until an administrator unlocks.
    again = Client(REMOTE_ADDR="10.2.2.2")
    response = again.post(reverse("login"), {"username": "supervisor", "password": PASSWORD})
    assert response.status_code == 429
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()  # the device is kept


def test_a_backup_code_works_once(supervisor):
    totp_device_for(supervisor)
    code = services.backup_codes_replace(user=supervisor)[0]
    client = password_only(supervisor)
    assert client.post(reverse("otp_verify"), {"code": code.upper()}).status_code == 302
    assert client.get("/takedowns/").status_code == 200
    assert SecurityEvent.objects.filter(kind="backup_code_used", user=supervisor).exists()

    second = password_only(supervisor, address="10.1.1.2")
    response = second.post(reverse("otp_verify"), {"code": code})
    assert response.status_code == 200 and "That code is not valid" in response.content.decode()
    assert StaticToken.objects.filter(token=code).count() == 0


def test_enrolment_shows_a_qr_code_inline_and_the_backup_codes_once(supervisor):
    client = password_only(supervisor)
    page = client.get(reverse("otp_setup")).content.decode()
    assert 'src="data:image/svg+xml' in page
    device = services.totp_device_pending(user=supervisor)
    assert services.totp_secret(device) in page

    response = client.post(reverse("otp_setup"), {"code": totp_code(device), "next": "/"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="backup-codes"' in html
    codes = list(
        StaticToken.objects.filter(device__user=supervisor).values_list("token", flat=True)
    )
    assert len(codes) == 10 and all(code in html for code in codes)
    assert client.get("/takedowns/").status_code == 200
    assert SecurityEvent.objects.filter(kind="otp_enrolled", user=supervisor).exists()
    # Later sign-ins verify with the device; the enrolment page is not offered again.
    later = password_only(supervisor, address="10.1.1.3")
    assert later.get(reverse("otp_setup"))["Location"].startswith(reverse("otp_verify"))


def test_a_wrong_enrolment_code_confirms_nothing(supervisor):
    client = password_only(supervisor)
    client.get(reverse("otp_setup"))
    response = client.post(reverse("otp_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert not services.totp_device_pending(user=supervisor).confirmed
    assert client.get("/takedowns/").status_code == 302


def test_analysts_need_no_second_factor_unless_the_policy_says_so(settings):
    user = UserFactory(username="ana", role=ANALYST)
    assert password_only(user).get("/accounts/").status_code == 200
    settings.OTP_REQUIRED_FOR_ANALYSTS = True
    response = password_only(user, address="10.1.1.4").get("/accounts/")
    assert response["Location"].startswith(reverse("otp_setup"))


def test_an_analyst_who_enrolled_is_asked_for_the_code(analyst):
    totp_device_for(analyst)
    assert password_only(analyst).get("/accounts/")["Location"].startswith(reverse("otp_verify"))


def test_api_tokens_are_not_affected(supervisor_api):
    assert supervisor_api.get("/api/v1/takedowns/").status_code == 200


def test_an_administrator_resetting_the_device_ends_the_sessions_verified_with_it(supervisor):
    device = totp_device_for(supervisor)
    client = password_only(supervisor)
    client.post(reverse("otp_verify"), {"code": totp_code(device)})
    assert client.get("/takedowns/").status_code == 200

    device.delete()

    assert client.get("/takedowns/")["Location"].startswith("/auth/login/")
    # Signing in again leads to a fresh enrolment.
    again = password_only(supervisor, address="10.1.1.5")
    assert again.get("/takedowns/")["Location"].startswith(reverse("otp_setup"))


def test_a_verified_page_needs_no_query_for_the_second_factor(client, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(supervisor)
    client.get("/preferences/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/preferences/").status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "otp_" in q["sql"]] == []


def test_an_analyst_made_supervisor_loses_the_session_without_a_second_factor(analyst):
    from django.contrib.auth.models import Group

    session = password_only(analyst)
    assert session.get("/accounts/").status_code == 200  # an analyst needs no second factor

    analyst.groups.add(Group.objects.get(name=SUPERVISOR))

    response = session.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")
    event = SecurityEvent.objects.get(kind="sessions_ended")
    assert (event.object_id, event.detail) == (
        str(analyst.pk),
        "1 session(s) without a second factor ended: one is now required",
    )
    # Signing in again asks for the factor (enrolment: the new supervisor has no device yet).
    again = password_only(analyst)
    assert again.get("/dashboard/")["Location"].startswith(reverse("otp_setup"))


def test_the_same_through_the_group_side_and_the_staff_flag(analyst, analyst2):
    from django.contrib.auth.models import Group

    first, second = password_only(analyst), password_only(analyst2, "10.1.1.2")
    Group.objects.get(name=ADMINISTRATOR).user_set.add(analyst)
    analyst2.is_staff = True
    analyst2.save()

    for client in (first, second):
        assert client.get("/accounts/")["Location"].startswith("/auth/login/")


def test_a_save_that_leaves_the_staff_flags_as_they_were_reads_no_session(analyst):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    analyst.is_staff = True
    analyst.save()
    session = password_only(analyst, "10.1.1.3")  # signed in as staff, factor not yet passed
    analyst.refresh_from_db()
    analyst.first_name = "Renamed"
    with CaptureQueriesContext(connection) as queries:
        analyst.save()  # a full save: the flags are saved again, unchanged
    assert [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]] == []
    assert not SecurityEvent.objects.filter(kind="sessions_ended").exists()
    assert session.get("/accounts/")["Location"].startswith(reverse("otp_setup"))


def test_a_session_that_passed_the_second_factor_survives_a_new_role(client, supervisor):
    from django.contrib.auth.models import Group

    client.force_login(supervisor)  # verified (tests/second_factor.py)
    supervisor.groups.add(Group.objects.get(name=ADMINISTRATOR))
    assert client.get("/dashboard/").status_code == 200
    assert not SecurityEvent.objects.filter(kind="sessions_ended").exists()


def test_a_role_that_needs_no_second_factor_ends_nothing(analyst):
    from django.contrib.auth.models import Group

    session = password_only(analyst)
    analyst.groups.add(Group.objects.get(name=ANALYST))
    assert session.get("/accounts/").status_code == 200
