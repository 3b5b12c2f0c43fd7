"""The letter PDF: every account and hash readable back from the PDF, Urdu shaped, and the
template that applies chosen from the most specific."""

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from takedowns.choices import RequestKind
from takedowns.letters.letter import letter_pdf
from takedowns.letters.models import LetterTemplate
from takedowns.letters.selectors import letter_template_for, package_items
from tests.conftest import need

from .conftest import URDU_NAME

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
# var/screenshots by default (the checkout stays as it was); TRACKER_SCREENSHOT_DIR=docs/screenshots
# refreshes the committed picture.
SCREENSHOTS = ROOT / os.environ.get("TRACKER_SCREENSHOT_DIR", "var/screenshots")


def _letter(takedown) -> bytes:
    return letter_pdf(
        takedown=takedown,
        template=letter_template_for(takedown=takedown),
        items=package_items(takedown=takedown),
        now=timezone.now(),
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_letter_holds_every_account_its_url_id_and_every_evidence_hash(package_request):
    text = _text(_letter(package_request))
    flat = re.sub(r"\s+", "", text)

    for account in package_request.accounts_in_order:
        assert account.handle in text
        assert account.profile_url in flat
        if account.platform_account_id:
            assert account.platform_account_id in text
    for evidence in package_request.evidence:
        assert evidence.sha256 in text
    assert package_request.reference in text
    assert "Section37,PreventionofElectronicCrimesAct2016" in flat
    assert "Emergency" in text
    assert "within 12 hours of receipt" in re.sub(r"\s+", " ", text)


def test_letter_draws_urdu_with_the_arabic_script_face(package_request):
    reader = PdfReader(io.BytesIO(_letter(package_request)))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("NotoNaskhArabic" in name for name in fonts), fonts
    # Shaped glyphs map back to the letters they stand for (an extractor sees a few joining
    # pieces as control characters), words in visual order: right to left, so reversed.
    text = re.sub(r"[\x00-\x1f]", "", _text(_letter(package_request)))
    assert " ".join(reversed(URDU_NAME.split())) in text


def test_letter_page_renders_to_png_for_a_look(package_request, tmp_path):
    need(shutil.which("pdftoppm") is not None, "pdftoppm (Debian's poppler-utils)")
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(_letter(package_request))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "120",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf,
            SCREENSHOTS / "request-letter",
        ],
        check=True,
    )
    assert (SCREENSHOTS / "request-letter.png").stat().st_size > 10_000


def test_the_most_specific_template_applies(package_request, platforms, default_template):
    x = package_request.platform
    by_kind = LetterTemplate.objects.create(
        name="Removal", kind=RequestKind.REMOVAL, issuing_unit="CTC", subject="s", body="b"
    )
    assert letter_template_for(takedown=package_request) == by_kind
    for_platform = LetterTemplate.objects.create(
        name="X", platform=x, issuing_unit="CTC", subject="s", body="b"
    )
    assert letter_template_for(takedown=package_request) == for_platform
    exact = LetterTemplate.objects.create(
        name="X removal",
        platform=x,
        kind=RequestKind.REMOVAL,
        issuing_unit="CTC",
        subject="s",
        body="b",
    )
    assert letter_template_for(takedown=package_request) == exact
    LetterTemplate.objects.create(
        name="Telegram", platform=platforms["telegram"], issuing_unit="CTC", subject="s", body="b"
    )
    assert letter_template_for(takedown=package_request) == exact


def test_an_edited_template_renders_into_the_letter(package_request, default_template):
    default_template.body = (
        "Dear {{ platform }} team, {{ account_count }} accounts, ref {{ reference }}."
    )
    default_template.save()
    text = re.sub(r"\s+", " ", _text(_letter(package_request)))
    assert f"Dear X team, 3 accounts, ref {package_request.reference}." in text


@pytest.mark.parametrize(
    "body", ["{% if %}", "{% include 'base.html' %}", "{% debug %}", "{% load static %}"]
)
def test_a_template_reaching_outside_its_context_is_refused(default_template, body):
    default_template.body = body
    with pytest.raises(ValidationError) as refused:
        default_template.full_clean()
    assert "body" in refused.value.message_dict
