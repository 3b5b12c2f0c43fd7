"""Forms of the user's own pages."""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def _zone_choices():
    return [(z, z.replace("_", " ")) for z in sorted(zoneinfo.available_timezones())]


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_zone_choices,
        help_text=_("Dates and deadlines are shown in this zone; they are stored in UTC."),
    )
    email_notifications = forms.BooleanField(
        label=_("E-mail me reminders, overdue and escalation notices"), required=False
    )
