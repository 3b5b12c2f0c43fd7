"""The Urdu catalogue: every UI string translated, and the committed .mo matches the .po."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def po_entries() -> dict[str, list[str]]:
    """msgid -> its translations (one, or one per plural form), from the .po text."""
    entries: dict[str, list[str]] = {}
    field = None
    values: dict[str, str] = {}

    def flush():
        if values.get("msgid"):
            entries[values["msgid"]] = [v for k, v in values.items() if k.startswith("msgstr")]

    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            flush()
            values = {}
        if line.startswith(("msgid", "msgstr")):
            field, _, literal = line.partition(" ")
            values[field] = ast.literal_eval(literal)
        elif line.startswith('"') and field:
            values[field] += ast.literal_eval(line)
    flush()
    return entries


def test_every_ui_string_has_an_urdu_translation():
    entries = po_entries()
    assert len(entries) > 500
    untranslated = [msgid for msgid, translations in entries.items() if not all(translations)]
    assert untranslated == []


def test_compiled_catalogue_is_up_to_date():
    with open(PO.with_suffix(".mo"), "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = []
    for msgid, translations in po_entries().items():
        if len(translations) == 1 and catalogue.gettext(msgid) != translations[0]:
            stale.append(msgid)
    assert stale == []
    assert catalogue.gettext("Log accounts") == "اکاؤنٹس درج کریں"
