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


def _refused(client, template, field, source):
    url = reverse("admin:takedowns_lettertemplate_change", args=[template.pk])
    before = LetterTemplate.objects.get(pk=template.pk)
    history = template.history.count()

    response = client.post(url, _form(template, **{field: source}))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    after = LetterTemplate.objects.get(pk=template.pk)
    assert (after.subject, after.body, after.closing, after.updated_at) == (
        before.subject,
        before.body,
        before.closing,
        before.updated_at,
    )
    assert template.history.count() == history
    return " ".join(errors[field])


def test_a_template_with_an_unknown_variable_is_refused(admin_client, default_template):
    error = _refused(admin_client, default_template, "body", "Dear {{ platfrom }},")

    assert "Unknown variable “platfrom”" in error
    assert "reference, platform," in error


def test_an_unknown_variable_in_a_condition_is_refused(admin_client, default_template):
    error = _refused(admin_client, default_template, "closing", "{% if signed %}x{% endif %}")

    assert "Unknown variable “signed”" in error


@pytest.mark.parametrize(
    "source", ["{{ platform._meta }}", "{{ reference.__class__ }}", "{{ date.__init__ }}"]
)
def test_a_template_reaching_for_private_attributes_is_refused(
    admin_client, default_template, source
):
    error = _refused(admin_client, default_template, "body", source)

    assert "may not use names starting with an underscore" in error


@pytest.mark.parametrize("source", ["{{ reference.upper }}", "{{ kind.lower }}", "{{ a.b }}"])
def test_a_template_calling_methods_is_refused(admin_client, default_template, source):
    error = _refused(admin_client, default_template, "subject", source)

    assert "reaches into an attribute" in error


@pytest.mark.parametrize(
    "source",
    ["{% debug %}", "{% load static %}", "{% lorem 100000 w %}", '{{ kind|ljust:"9999999" }}'],
)
def test_tags_and_filters_outside_the_letter_set_are_refused(
    admin_client, default_template, source
):
    error = _refused(admin_client, default_template, "body", source)

    assert "Not a valid template" in error


def test_nested_loops_past_the_budget_are_refused(admin_client, default_template):
    many = "x" * 40
    source = f'{{% for a in "{many}" %}}{{% for b in "{many}" %}}.{{% endfor %}}{{% endfor %}}'

    error = _refused(admin_client, default_template, "body", source)

    assert "cannot be rendered within a letter's limits" in error
    assert "500 loop iterations" in error


def test_a_template_rendering_past_its_field_length_is_refused(admin_client, default_template):
    error = _refused(admin_client, default_template, "subject", "{{ legal_basis }} " * 6)

    assert "the most a subject may be is 300" in error


def test_the_checks_know_every_variable_a_letter_is_given(package_request):
    from django.utils import timezone

    from takedowns.letters.checks import LETTER_SAMPLE
    from takedowns.letters.letter import letter_context
    from takedowns.letters.selectors import letter_template_for

    template = letter_template_for(takedown=package_request)
    context = letter_context(
        takedown=package_request, template=template, now=timezone.now(), item_count=3
    )

    assert set(context) == set(LETTER_SAMPLE)
