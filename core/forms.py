"""Form helpers shared by the staff UI of every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .datetimes import OUT_OF_RANGE_MESSAGE, DateTimeOutOfRange, storable_utc
from .errors import DomainError


class DomainErrorsMixin:
    """Shows a service's DomainError on the form field it names (or above the form)."""

    # The service's name of a field -> this form's name of it, where they differ.
    domain_fields: dict[str, str] = {}
    # The last refusal shown, for a view that shows more of it (a duplicate's record).
    domain_error: DomainError | None = None

    def add_domain_error(self, error: DomainError) -> None:
        """Show the refusal; one that gathers several (`errors`, one per field) shows each."""
        self.domain_error = error
        for each in getattr(error, "errors", None) or [error]:
            field = self.domain_fields.get(each.field, each.field)
            self.add_error(field if field in self.fields else None, each.message)


class StorableDateTimeField(forms.DateTimeField):
    """A form's date-time, refused (not a database error) when the database cannot hold it;
    cleaned to UTC. The base of every date-time field of the pages and of the filters."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE_MESSAGE}

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return storable_utc(moment)
        except DateTimeOutOfRange:
            raise ValidationError(
                self.error_messages["out_of_range"], code="out_of_range"
            ) from None


def filter_widgets(form: forms.Form) -> forms.Form:
    """Give a FilterSet's form the widgets of a list page's filter panel: ticks for multiple
    choices, date pickers for dates."""
    for field in form.fields.values():
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
        elif isinstance(field, forms.DateTimeField):
            field.widget = forms.DateInput(attrs={"type": "date"})
        elif isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(
                choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
            )
        elif hasattr(field, "empty_label"):  # model choices, and django-filter's choices
            field.empty_label = _("Any")
            field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField):
            field.choices = [("", _("Any")), *((v, label) for v, label in field.choices if v != "")]
    return form
