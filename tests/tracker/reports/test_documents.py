"""The report PDF draws its charts and reads back; a PNG of its first page for a look."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import need
from tracker.reports.documents import report_pdf
from tracker.reports.figures import compliance_figures

from .conftest import NOVEMBER, NOW

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / os.environ.get("TRACKER_SCREENSHOT_DIR", "var/screenshots")


def test_report_pdf_holds_figures_and_chart_labels(november, tmp_path):
    start, end = NOVEMBER
    pdf = report_pdf(compliance_figures(start=start, end=end, now=NOW))
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())

    assert "Compliance report, all platforms, 2026-11-01 to 2026-11-30" in text
    assert "Requests by kind and outcome" in text
    assert "Time to action of actioned requests" in text
    assert "40.0% (2 / 5)" in text  # within the deadline
    assert "66.7% (4 / 6)" in text  # removal rate

    need(shutil.which("pdftoppm") is not None, "pdftoppm (Debian's poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            path,
            SCREENSHOTS / "compliance-report",
        ],
        check=True,
    )
