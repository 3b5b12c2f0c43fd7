"""Administrators edit letter templates in the admin; a broken template is refused there."""

import pytest
from django.urls import reverse

from takedowns.letters.models import LetterTemplate

pytestmark = pytest.mark.django_db


def _form(template, **changes):
    data = {
        "name": template.name,
        "platform": "",
        "kind": "",
        "issuing_unit": template.issuing_unit,
        "subject": template.subject,
        "body": template.body,
        "closing": template.closing,
    }
    return {**data, **changes}


def test_administrator_edits_the_default_template(admin_client, default_template):
    client = admin_client
    url = reverse("admin:takedowns_lettertemplate_change", args=[default_template.pk])

    response = client.post(url, _form(default_template, issuing_unit="CTD Punjab"))

    assert response.status_code == 302
    default_template.refresh_from_db()
    assert default_template.issuing_unit == "CTD Punjab"
    assert default_template.history.count() >= 1


def test_a_template_that_does_not_compile_is_refused(admin_client, default_template):
    client = admin_client
    url = reverse("admin:takedowns_lettertemplate_change", args=[default_template.pk])

    response = client.post(url, _form(default_template, body="{% for x in %}"))

    assert response.status_code == 200
    assert "Not a valid template" in response.content.decode()
    assert LetterTemplate.objects.get(pk=default_template.pk).body == default_template.body


def test_supervisor_cannot_reach_the_templates(client, supervisor, default_template):
    client.force_login(supervisor)
    response = client.get(reverse("admin:takedowns_lettertemplate_changelist"))
    assert response.status_code in (302, 403)
