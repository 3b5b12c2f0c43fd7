"""Forms of the staff UI for accounts: quick entry, evidence, status changes, bulk actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DomainErrorsMixin

from .choices import AccountStatus
from .models import FlaggedAccount, Platform, ProscribedGroup
from .services.rows import ROW_TEXT_LIMITS


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple>; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class EvidenceFieldsMixin(forms.Form):
    """Evidence attached in the same step: files, a URL, captured text, a note."""

    evidence_files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("Screenshots, saved pages, videos. Each file's SHA-256 is recorded."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence URL"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://…", "dir": "ltr"}),
    )
    evidence_note = forms.CharField(label=_("Evidence note"), required=False, max_length=500)

    def evidence_given(self) -> bool:
        return bool(
            self.cleaned_data.get("evidence_files") or self.cleaned_data.get("evidence_url")
        )


class QuickEntryForm(DomainErrorsMixin, EvidenceFieldsMixin):
    """One account from a pasted handle or URL, its groups and evidence."""

    domain_fields = {"handle": "value", "file": "evidence_files", "url": "evidence_url"}

    value = forms.CharField(
        label=_("Handle or profile URL"),
        max_length=ROW_TEXT_LIMITS["handle"],
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "spellcheck": "false",
                "dir": "auto",
                "placeholder": _("Paste a profile URL, or type @handle"),
            }
        ),
    )
    platform = forms.ModelChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("Detect from the URL"),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        required=False,
        max_length=ROW_TEXT_LIMITS["display_name"],
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Linked groups"),
        queryset=ProscribedGroup.objects.all(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("The profile picture (JPEG, PNG, WebP or GIF): it helps to find mirrors."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate with commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def selected_groups(self):
        """The groups to show as chosen (bound data, else initial), in name order."""
        ids = self["groups"].value() or []
        ids = [i for i in ids if str(i).isdigit()]
        return ProscribedGroup.objects.filter(pk__in=ids).order_by("name") if ids else []

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class EvidenceForm(DomainErrorsMixin, EvidenceFieldsMixin):
    """Evidence added later from the account page; text captured from the page is allowed too."""

    domain_fields = {"file": "evidence_files", "url": "evidence_url", "text": "evidence_text"}

    evidence_text = forms.CharField(
        label=_("Captured text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not (self.evidence_given() or cleaned.get("evidence_text")):
            raise forms.ValidationError(_("Attach a file, a URL or captured text."))
        return cleaned


class AccountStatusForm(DomainErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AccountStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class BulkAccountsForm(forms.Form):
    """Accounts ticked in the list, and the status to give them."""

    ids = forms.ModelMultipleChoiceField(
        queryset=FlaggedAccount.objects.all(),
        error_messages={"required": _("Tick at least one account first.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Set status…")), *AccountStatus.choices], required=False
    )

    def clean(self):
        cleaned = super().clean()
        if self.data.get("action") == "status" and not cleaned.get("status"):
            self.add_error("status", _("Choose the status to set."))
        return cleaned
