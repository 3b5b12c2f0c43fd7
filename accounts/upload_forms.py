"""Forms of the account-list upload page: the file, the column mapping, the import mode."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .imports.files import MAX_FILE_BYTES

# What each column of a list may be, as the mapping's choices show it.
FIELD_LABELS = {
    "handle": _("Handle or profile URL"),
    "platform": _("Platform"),
    "groups": _("Linked groups"),
    "tags": _("Tags"),
    "display_name": _("Display name"),
    "bio": _("Bio"),
    "notes": _("Notes"),
    "status": _("Status"),
    "first_seen_at": _("First seen"),
    "removed_at": _("Removed at"),
    "platform_account_id": _("Platform account id"),
    "reason": _("Reason (for the history)"),
    "profile_url": _("Profile URL (checked: the same account)"),
    "flagged_by": _("Flagged by (not imported)"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "The first row names the columns. CSV in UTF-8, UTF-16 or Windows-1256 (Urdu); "
            "XLSX without macros. At most %(mb)d MB."
        )
        % {"mb": MAX_FILE_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


class MappingForm(forms.Form):
    """One choice per column of the file: the field it holds, or not read."""

    def __init__(self, *args, headings: list, columns: list, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not read —")), *FIELD_LABELS.items()]
        self.headings = headings
        for index, heading in enumerate(headings):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=heading or _("(blank heading)"),
                choices=choices,
                required=False,
                initial=columns[index] if index < len(columns) else "",
            )

    def columns(self) -> list:
        return [self.cleaned_data[f"col_{i}"] or None for i in range(len(self.headings))]

    def rows(self):
        """(heading, bound field) per column, for the template."""
        return [(h, self[f"col_{i}"]) for i, h in enumerate(self.headings)]


class ImportForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Import"),
        choices=[
            ("all", _("All or nothing: import only if every row is good")),
            ("partial", _("Only the good rows (download the bad ones to fix)")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
