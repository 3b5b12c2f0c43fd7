"""The report page's form: a period (first and last day) and one platform or all."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Platform

from .services import previous_month


class ReportForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    platform = forms.ModelChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.order_by("name"),
        required=False,
        empty_label=_("All platforms"),
    )

    @staticmethod
    def last_month_initial() -> dict:
        start, end = previous_month(timezone.localdate())
        return {"start": start, "last_day": end - timedelta(days=1)}

    def service_kwargs(self) -> dict:
        """The service's arguments; the period's end is exclusive there."""
        data = self.cleaned_data
        return {
            "start": data["start"],
            "end": data["last_day"] + timedelta(days=1),
            "platform": data["platform"],
        }
