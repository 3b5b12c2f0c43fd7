"""The Urdu catalogue: every UI string translated, and the committed .mo matches the .po."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def po_entries(path: Path = PO) -> dict[str, list[str]]:
    """msgid -> its translations (one, or one per plural form), from the .po text."""
    entries: dict[str, list[str]] = {}
    field = None
    values: dict[str, str] = {}

    def flush():
        if values.get("msgid"):
            entries[values["msgid"]] = [v for k, v in values.items() if k.startswith("msgstr")]

    for line in path.read_text(encoding="utf-8").splitlines():
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


def test_the_catalogue_holds_every_translatable_string_of_the_code(tmp_path, settings, monkeypatch):
    """makemessages, run on a copy of the code and the catalogue, adds nothing: no string
    escaped translation."""
    import shutil

    from django.core.management import call_command

    from tests.conftest import need

    need(shutil.which("xgettext") and shutil.which("msgmerge"), "GNU gettext (xgettext)")
    root = Path(settings.BASE_DIR)
    for folder in ("accounts", "takedowns", "tracker", "templates"):
        shutil.copytree(
            root / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    copy = tmp_path / "locale" / "ur" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(PO, copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["ur"], no_location=True, verbosity=0)

    assert sorted(set(po_entries(copy)) - set(po_entries())) == []
