"""Letter templates in the admin: administrators edit the wording; a template that does not
compile is refused by the model's clean()."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "platform", "kind", "issuing_unit", "updated_at"]
    list_filter = ["platform", "kind"]
    # The list shows each template's platform: one join, not one query per row.
    list_select_related = ["platform"]
    fields = ["name", "platform", "kind", "issuing_unit", "subject", "body", "closing"]
