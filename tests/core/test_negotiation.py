"""Downloads answer their errors as JSON text whichever file type the client asked for, through
one renderer in core."""

import json

import pytest

from core.negotiation import FileRenderer
from takedowns.api.views.packages import ZipRenderer
from takedowns.letters.models import LetterTemplate
from tests.factories import TakedownFactory
from tracker.reports.api import CsvRenderer, PdfRenderer


def test_a_file_renderer_writes_an_error_as_json_and_nothing_as_nothing():
    renderer = type("Any", (FileRenderer,), {"media_type": "application/x-any"})()

    assert json.loads(renderer.render({"detail": "Gone."})) == {"detail": "Gone."}
    assert renderer.render(None) == b""
    assert renderer.charset is None


@pytest.mark.parametrize(
    ("renderer", "media_type"),
    [(ZipRenderer, "application/zip"), (PdfRenderer, "application/pdf"), (CsvRenderer, "text/csv")],
)
def test_every_download_renders_its_errors_through_the_one_file_renderer(renderer, media_type):
    assert issubclass(renderer, FileRenderer)
    assert renderer.media_type == media_type


@pytest.mark.django_db
def test_a_package_asked_for_as_zip_answers_its_conflict_as_json(
    platforms, analyst, supervisor_api
):
    LetterTemplate.objects.all().delete()
    takedown = TakedownFactory(platform=platforms["x"], created_by=analyst)

    response = supervisor_api.get(
        f"/api/v1/takedowns/{takedown.pk}/package/", HTTP_ACCEPT="application/zip"
    )

    assert response.status_code == 409
    assert response["Content-Type"] == "application/zip"
    assert json.loads(response.content)["error"]["code"] == "no_letter_template"


@pytest.mark.django_db
def test_a_missing_report_asked_for_as_pdf_answers_json(supervisor_api):
    response = supervisor_api.get(
        "/api/v1/reports/999999/file/", {"kind": "pdf"}, HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 404
    assert json.loads(response.content)["error"]["code"] == "not_found"
