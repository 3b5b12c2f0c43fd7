"""Forms of the staff UI for takedown requests: drafting from accounts, and each action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import FlaggedAccount
from core.forms import DomainErrorsMixin, StorableDateTimeField

from .choices import ItemOutcome, Priority, RequestKind

DEFAULT_LEGAL_BASIS = (
    "Section 37, Prevention of Electronic Crimes Act 2016; Removal and Blocking of Unlawful "
    "Online Content (Procedure, Oversight and Safeguards) Rules 2021"
)
FINAL_OUTCOMES = [(v, label) for v, label in ItemOutcome.choices if v != ItemOutcome.PENDING]


class TakedownCreateForm(DomainErrorsMixin, forms.Form):
    """Accounts chosen in a list become one draft request per platform."""

    domain_fields = {"accounts": "ids"}

    ids = forms.ModelMultipleChoiceField(
        queryset=FlaggedAccount.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Choose at least one account first.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=RequestKind.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        initial=DEFAULT_LEGAL_BASIS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"})
    )
    request_approval = forms.BooleanField(
        label=_("Send for approval straight away"), required=False, initial=True
    )


class ActionForm(DomainErrorsMixin, forms.Form):
    """An action on a request, carrying the version the user saw (to refuse stale clicks).

    Its other fields are the keyword arguments of the action's service (service_arguments)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items=(), **kwargs):
        # Every action form takes the request's items; the resolve form asks one per item.
        super().__init__(*args, **kwargs)

    def service_arguments(self) -> dict:
        """What the service takes from this form, besides the request, user and version."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    def outcome_fields(self) -> list:
        """(item, bound field) pairs of a per-account table; none but in the resolve form."""
        return []


class ApproveForm(ActionForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class AcknowledgeForm(ActionForm):
    ticket = forms.CharField(
        label=_("Platform's ticket reference"),
        max_length=128,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )


class PauseForm(ActionForm):
    reason = forms.CharField(
        label=_("Why is the clock paused?"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("The platform asked for a clarification")}),
    )


class WithdrawForm(ActionForm):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)


class ResolveForm(ActionForm):
    """The platform's outcome for every account in the request."""

    domain_fields = {"outcomes": None}

    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"outcome_{item.account_id}"] = forms.ChoiceField(
                label=_("Outcome for %(account)s") % {"account": item.account.handle},
                choices=[("", "—"), *FINAL_OUTCOMES],
                initial=item.outcome if item.outcome != ItemOutcome.PENDING else "",
            )

    def outcome_fields(self):
        """(item, bound field) pairs, for the per-account table of the form."""
        return [(item, self[f"outcome_{item.account_id}"]) for item in self.items]

    def outcomes(self) -> dict[int, str]:
        return {
            item.account_id: self.cleaned_data[f"outcome_{item.account_id}"] for item in self.items
        }

    def service_arguments(self) -> dict:
        return {"outcomes": self.outcomes(), "note": self.cleaned_data["note"]}

    def visible_fields(self):
        # The per-account outcomes are shown as their own table (outcome_fields).
        return [f for f in super().visible_fields() if not f.name.startswith("outcome_")]


class DisclosureForm(DomainErrorsMixin, forms.Form):
    """What a platform disclosed about one account of the request, one "field: value" a line."""

    account = forms.ModelChoiceField(queryset=FlaggedAccount.objects.none(), label=_("Account"))
    data = forms.CharField(
        label=_("Disclosed data"),
        help_text=_("One “field: value” a line, e.g. “Phone: +92 300 1234567”."),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        max_length=20000,
    )
    received_at = StorableDateTimeField(
        label=_("Received (optional, default now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        field.queryset = FlaggedAccount.objects.filter(
            pk__in=[item.account_id for item in items]
        ).order_by("handle")
        field.label_from_instance = lambda account: account.handle
        if len(items) == 1:
            field.initial = items[0].account_id

    def clean_data(self) -> dict:
        disclosed = {}
        for number, line in enumerate(self.cleaned_data["data"].splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            if not colon or not name.strip() or not value.strip():
                raise forms.ValidationError(
                    _("Line %d: write it as “field: value”.") % number, code="invalid"
                )
            if name.strip() in disclosed:
                raise forms.ValidationError(
                    _("Line %(n)d repeats “%(name)s”: give each field once.")
                    % {"n": number, "name": name.strip()},
                    code="invalid",
                )
            disclosed[name.strip()] = value.strip()
        return disclosed
