"""Reading list files from disk or a URL (a local server, never the network), and the
configuration of scheduled refreshes (accounts/importers/sources.py)."""

import shutil

import pytest

from accounts.importers.base import DesignationFileError
from accounts.importers.sources import fetch_url, parse_source_config, read_list_file
from accounts.models import Designation, DesignationImport
from accounts.services.designation_imports import designation_import
from core.errors import DomainError
from tests.accounts.designation_files import sample


def test_fetch_returns_the_body(list_server):
    folder, base = list_server
    (folder / "list.xml").write_bytes(b"<x/>")

    assert fetch_url(f"{base}/list.xml", timeout=5) == b"<x/>"


def test_fetch_refuses_a_body_over_the_limit(list_server):
    folder, base = list_server
    (folder / "big.xml").write_bytes(b"x" * 2000)

    with pytest.raises(DesignationFileError) as exc:
        fetch_url(f"{base}/big.xml", timeout=5, max_bytes=1000)
    assert exc.value.code == "too_large"


def test_fetch_of_a_missing_file_is_unreadable_or_none_when_allowed(list_server):
    _, base = list_server

    with pytest.raises(DesignationFileError) as exc:
        fetch_url(f"{base}/gone.xml", timeout=5)
    assert exc.value.code == "unreadable"
    assert "404" in exc.value.message
    assert fetch_url(f"{base}/gone.xml", timeout=5, missing_ok=True) is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/list.xml"])
def test_fetch_refuses_other_schemes(url):
    with pytest.raises(DesignationFileError) as exc:
        fetch_url(url, timeout=5)
    assert exc.value.code == "unreadable"
    assert "not an http or https address" in exc.value.message


def test_fetch_reports_a_refused_connection(list_server):
    _, base = list_server
    port = int(base.rsplit(":", 1)[1])
    closed = f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}/list.xml"

    with pytest.raises(DesignationFileError) as exc:
        fetch_url(closed, timeout=2)
    assert exc.value.code == "unreadable"
    assert "could not be downloaded (ConnectionError" in exc.value.message


def test_ofac_csv_url_takes_the_alt_file_beside_it(list_server):
    folder, base = list_server
    shutil.copy(sample("ofac_sdn_sample.csv"), folder / "SDN.CSV")
    shutil.copy(sample("ofac_alt_sample.csv"), folder / "ALT.CSV")
    said = []

    read = read_list_file("ofac", f"{base}/SDN.CSV", timeout=5, notify=said.append)

    assert read.alt_name == f"{base}/ALT.CSV"
    assert read.alt_data == sample("ofac_alt_sample.csv").read_bytes()
    assert said == [f"Reading the aliases of the SDN list from {base}/ALT.CSV."]


def test_ofac_csv_url_without_alt_file_says_so(list_server):
    folder, base = list_server
    shutil.copy(sample("ofac_sdn_sample.csv"), folder / "sdn.csv")
    said = []

    read = read_list_file("ofac", f"{base}/sdn.csv", timeout=5, notify=said.append)

    assert (read.alt_name, read.alt_data) == ("", None)
    assert said == [
        f"No alt.csv found beside {base}/sdn.csv: aliases come only from the remarks of sdn.csv."
    ]


@pytest.mark.django_db
def test_import_from_a_url(list_server):
    folder, base = list_server
    shutil.copy(sample("un_sample.xml"), folder / "consolidated.xml")

    run = designation_import(source="un", path_or_url=f"{base}/consolidated.xml")

    assert (run.status, run.file_name, run.created_count) == (
        "succeeded",
        f"{base}/consolidated.xml",
        4,
    )


@pytest.mark.django_db
def test_import_from_a_url_that_fails_records_the_failed_run(list_server):
    _, base = list_server

    with pytest.raises(DomainError) as exc:
        designation_import(source="un", path_or_url=f"{base}/consolidated.xml")

    run = DesignationImport.objects.get()
    assert (run.status, run.errors[0]["code"]) == ("failed", "unreadable")
    assert exc.value.extra["import_id"] == run.pk
    assert Designation.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("  ", []),
        ("un=https://a.example/un.xml", [("un", "https://a.example/un.xml")]),
        (
            "un=https://a/un.xml, nacta=https://b/nacta.csv,nacta=https://b/fto.csv",
            [("un", "https://a/un.xml"), ("nacta", "https://b/nacta.csv"), ("nacta", "https://b/fto.csv")],
        ),
        (
            '{"ofac": "https://c/SDN.CSV", "nacta": ["https://b/1.csv", "https://b/2.csv"]}',
            [("ofac", "https://c/SDN.CSV"), ("nacta", "https://b/1.csv"), ("nacta", "https://b/2.csv")],
        ),
    ],
)  # fmt: skip
def test_source_configuration(value, expected):
    assert parse_source_config(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("interpol=https://x", "unknown source 'interpol'"),
        ("https://x/un.xml", "is not source=url"),
        ("un=", "no URL for un"),
        ('{"un": ', "not valid JSON"),
    ],
)
def test_wrong_source_configuration_is_refused(value, message):
    with pytest.raises(ValueError, match=message):
        parse_source_config(value)
