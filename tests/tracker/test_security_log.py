"""The security log: what it records, from where, append-only, read and exported by admins."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import need
from tests.factories import PASSWORD
from tracker.models import SecurityEvent
from tracker.security_log import client_address, security_record

pytestmark = pytest.mark.django_db


def kinds():
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


def test_sign_in_failure_and_sign_out_are_recorded_with_the_address(analyst):
    client = Client(REMOTE_ADDR="10.3.3.3")
    client.post(reverse("login"), {"username": "analyst", "password": "nope"})
    client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})
    client.post(reverse("logout"))
    assert kinds() == ["login_failed", "login", "logout"]
    assert set(SecurityEvent.objects.values_list("address", "user_id").distinct()) == {
        ("10.3.3.3", analyst.pk)
    }


def test_a_403_is_recorded_as_a_permission_denial(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("dashboard")).status_code == 403
    event = SecurityEvent.objects.get(kind="permission_denied")
    assert (event.user, event.detail) == (analyst, "GET /dashboard/")


def test_an_export_is_recorded(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("accounts:export"))
    b"".join(response.streaming_content)
    assert SecurityEvent.objects.filter(kind="export", user=analyst, detail="accounts.csv").exists()


def test_a_disclosure_read_is_recorded_with_user_address_and_object(world, client, supervisor):
    client.force_login(supervisor)
    url = reverse("takedowns:disclosure_show", args=[world.takedown.pk, world.disclosure.pk])
    assert client.post(url, REMOTE_ADDR="10.4.4.4").status_code == 200
    event = SecurityEvent.objects.get(kind="disclosure_read")
    assert (event.user, event.address, event.object_type, event.object_id, event.detail) == (
        supervisor,
        "10.4.4.4",
        "takedowns.disclosure",
        str(world.disclosure.pk),
        "web",
    )


def test_the_log_refuses_update_and_delete_even_from_sql(analyst):
    need(connection.vendor == "postgresql", "PostgreSQL")
    event = security_record("login", user=analyst)
    for sql in (
        "UPDATE tracker_securityevent SET username = 'x' WHERE id = %s",
        "DELETE FROM tracker_securityevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="cannot be changed"):  # noqa: SIM117
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert SecurityEvent.objects.get().username == "analyst"


def test_administrators_read_and_export_but_never_add_change_or_delete(admin_client, analyst):
    event = security_record("login", user=analyst, detail="=HYPERLINK()")
    changelist = reverse("admin:tracker_securityevent_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(reverse("admin:tracker_securityevent_add")).status_code == 403
    page = admin_client.get(reverse("admin:tracker_securityevent_change", args=[event.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    delete = reverse("admin:tracker_securityevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403

    response = admin_client.post(
        changelist, {"action": "export_csv", "_selected_action": [event.pk]}
    )
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "at,kind,user_id,username,address,object_type,object_id,detail"
    assert lines[1].split(",")[1:4] == ["login", str(analyst.pk), "analyst"]
    assert lines[1].endswith(",'=HYPERLINK()")  # no formula for the spreadsheet
    assert SecurityEvent.objects.filter(kind="export", detail="security-log.csv").exists()


def test_supervisors_cannot_see_the_log(client, supervisor):
    supervisor.is_staff = True
    supervisor.save()
    client.force_login(supervisor)
    response = client.get(reverse("admin:tracker_securityevent_changelist"))
    assert response.status_code == 403


def test_the_client_address_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.1")
    settings.TRACKER_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.2"  # a forged header is ignored by default
    settings.TRACKER_TRUSTED_PROXIES = 2
    assert client_address(request) == "1.2.3.4"
