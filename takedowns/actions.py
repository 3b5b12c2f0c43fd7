"""The takedown actions, declared once: each action's service, page form, button and API body,
bound to its legality in takedowns/transitions.py. The API's action routes, permissions and
schema, and the request page's buttons and forms, all read this declaration; adding an action
is adding one entry here (with its row in TRANSITIONS and its service).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import services
from .api.serializers import (
    AcknowledgeSerializer,
    NoteSerializer,
    ReasonSerializer,
    ResolveSerializer,
)
from .forms import (
    AcknowledgeForm,
    ActionForm,
    ApproveForm,
    PauseForm,
    ResolveForm,
    WithdrawForm,
)
from .transitions import TRANSITIONS, Transition, action_path


@dataclass(frozen=True)
class Button:
    """How the request page offers an action: a button that acts at once (`inline`), or, with a
    `submit` label, a panel that opens the action's form first.

    `label` may name the platform as %(p)s; `style` is a btn-* class; `note` a template shown
    under the button."""

    label: str | Promise
    style: str = ""
    icon: str = ""
    submit: str | Promise = ""
    submit_style: str = "primary"
    note: str = ""

    @property
    def panel(self) -> str:
        return "details" if self.submit else "inline"


@dataclass(frozen=True)
class Action:
    """One action on a request: the service that takes it, the page's form and button, and the
    API's summary, body serializer and example body."""

    name: str
    service: Callable
    form: type[ActionForm]
    button: Button
    summary: str
    body: type[serializers.Serializer] | None = None
    example: dict | None = None

    @property
    def transition(self) -> Transition:
        return TRANSITIONS[self.name]

    @property
    def url_path(self) -> str:
        return action_path(self.name)


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "request_approval",
            services.takedown_request_approval,
            ActionForm,
            Button(_("Send for approval"), style="primary"),
            summary="Ask for approval (draft -> pending_approval)",
        ),
        Action(
            "approve",
            services.takedown_approve,
            ApproveForm,
            Button(_("Approve"), style="success", icon="check"),
            summary="Approve (pending_approval -> approved; never by the request's author)",
            body=NoteSerializer,
            example={"note": "Checked the evidence."},
        ),
        Action(
            "submit",
            services.takedown_submit,
            ActionForm,
            Button(
                _("Mark as sent to %(p)s"),
                style="primary",
                icon="send",
                note="partials/takedown_submit_note.html",
            ),
            summary="Submit to the platform (approved -> submitted; sets due_at)",
        ),
        Action(
            "acknowledge",
            services.takedown_acknowledge,
            AcknowledgeForm,
            Button(_("Record acknowledgement"), submit=_("Save acknowledgement")),
            summary="Record the platform's acknowledgement and ticket",
            body=AcknowledgeSerializer,
            example={"ticket": "TG-88412"},
        ),
        Action(
            "pause",
            services.takedown_pause,
            PauseForm,
            Button(_("Pause the clock"), submit=_("Pause")),
            summary="Pause the deadline clock",
            body=ReasonSerializer,
            example={"reason": "Platform asked for context"},
        ),
        Action(
            "resume",
            services.takedown_resume,
            ActionForm,
            Button(_("Resume the clock")),
            summary="Resume the deadline clock (due_at moves by the paused time)",
        ),
        Action(
            "resolve",
            services.takedown_resolve,
            ResolveForm,
            Button(_("Record outcomes"), style="primary", submit=_("Save outcomes and close")),
            summary="Record the outcome per account (-> actioned / partially_actioned / rejected)",
            body=ResolveSerializer,
            example={
                "outcomes": [{"account": 1042, "outcome": "removed"}],
                "note": "Removed on 3 Feb",
            },
        ),
        Action(
            "withdraw",
            services.takedown_withdraw,
            WithdrawForm,
            Button(
                _("Withdraw the request"),
                style="danger",
                submit=_("Withdraw"),
                submit_style="danger",
            ),
            summary="Withdraw an open request",
            body=ReasonSerializer,
            example={"reason": "Account already gone"},
        ),
    )
}

if set(ACTIONS) != set(TRANSITIONS):  # a declaration error: refuse to start
    raise ImproperlyConfigured(
        f"takedown actions and transitions differ: {sorted(set(ACTIONS) ^ set(TRANSITIONS))}"
    )
