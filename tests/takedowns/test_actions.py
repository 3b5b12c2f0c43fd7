"""The takedown actions are declared once (takedowns/actions.py): every declared action has its
legality row, an API route with its permission and schema summary, a page form and a button
on the request page, all derived from the declaration."""

import pytest
from django.urls import resolve, reverse

from takedowns.actions import ACTIONS
from takedowns.api.views.takedowns import TakedownViewSet
from takedowns.forms import ActionForm
from takedowns.models import TakedownRequest
from takedowns.transitions import TRANSITIONS
from tests.factories import TakedownFactory

ACTION_NAMES = sorted(ACTIONS)


def test_every_action_has_a_transition_and_every_transition_an_action():
    assert set(ACTIONS) == set(TRANSITIONS)


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_every_action_has_an_api_route_with_its_permission(name):
    action = ACTIONS[name]
    url = reverse(f"api:takedown-{action.url_path}", args=[1])
    match = resolve(url)
    assert url.endswith(f"/takedowns/1/{action.url_path}/")
    assert match.func.actions == {"post": name}
    assert TakedownViewSet.required_permissions[name] == (action.transition.permission,)
    assert name in TakedownViewSet.error_statuses


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_every_action_has_a_summary_a_form_and_a_button(name):
    action = ACTIONS[name]
    assert action.summary
    assert issubclass(action.form, ActionForm)
    assert str(action.button.label)
    assert action.button.panel in ("inline", "details")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ACTION_NAMES)
def test_request_page_shows_each_actions_button_when_it_is_available(
    name, client, admin_user, platforms
):
    action = ACTIONS[name]
    takedown = TakedownFactory(platform=platforms["x"], status=action.transition.sources[0])
    if name == "resume":
        TakedownRequest.objects.filter(pk=takedown.pk).update(paused_at=takedown.created_at)
    client.force_login(admin_user)

    page = client.get(reverse("takedowns:detail", args=[takedown.pk]))

    html = page.content.decode()
    assert name in [n for n, _form in page.context["action_forms"]]
    assert reverse("takedowns:action", args=[takedown.pk, name]) in html
    assert str(action.button.label) % {"p": platforms["x"].name} in html
    if action.button.submit:
        assert str(action.button.submit) in html
