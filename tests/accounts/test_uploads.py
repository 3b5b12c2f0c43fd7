"""The account-list upload (accounts/imports/services.py and the upload pages): the file kept
server-side, the mapping, a preview of every row with every kind of error, all-or-nothing and
good-rows-only imports, the bad rows as CSV, and big lists through a real Celery worker."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.imports import services as uploads
from accounts.imports.files import unguard
from accounts.models import AccountUpload, FlaggedAccount
from core.errors import DomainError
from tests.accounts.list_files import GROUPS, csv_bytes, many_rows, xlsx_bytes
from tests.factories import AccountFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db

# One row for each kind of refusal, beside good rows (line numbers count the heading as 1).
BAD_LIST = [
    "handle,platform,groups,first_seen_at,display_name",
    "@good_one,x,Lashkar-e-Tayyiba,2026-01-15,",  # 2 created
    "@bad_platform,myspace,,,",  # 3 unknown platform
    "https://,x,,,",  # 4 bad URL
    "https://www.facebook.com/some.page,x,,,",  # 5 URL of another platform
    "@good_two,x,No Such Group,,",  # 6 unknown group
    "@good_one,x,,,",  # 7 duplicate in the file (of line 2)
    "https://t.me/already_here,,,,",  # 8 already in the tracker
    "@bad_date,x,,15/01/2026,",  # 9 bad date
    ",x,,,",  # 10 empty required field
    "@long_name,x,,," + "n" * 300,  # 11 over-long cell
    "@good_three,telegram,,,",  # 12 created
]
EXPECTED = {
    3: ("error", "platform", "unknown_platform"),
    4: ("error", "handle", "invalid_url"),
    5: ("error", "handle", "wrong_platform"),
    6: ("error", "groups", "unknown_group"),
    7: ("duplicate_in_file", "handle", "duplicate_in_file"),
    8: ("in_tracker", "handle", "duplicate_account"),
    9: ("error", "first_seen_at", "invalid_date"),
    10: ("error", "handle", "required"),
    11: ("error", "display_name", "max_length"),
}


@pytest.fixture
def groups(db):
    return [GroupFactory(name=name) for name in GROUPS]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _checked(user, data: bytes, name: str = "list.csv") -> AccountUpload:
    upload = uploads.account_upload_create(user=user, name=name, data=data)
    return uploads.account_upload_map(upload=upload, user=user, columns=upload.columns)


def test_a_481_row_list_is_previewed_and_imported_all_or_nothing(analyst, platforms, groups, media):
    upload = _checked(analyst, xlsx_bytes(many_rows(481)), "first batch.xlsx")

    assert upload.state == "checked"
    assert upload.summary["create"] == 481 and upload.summary["bad"] == 0
    assert [e["line"] for e in upload.preview[:2]] == [2, 3]

    done = uploads.account_upload_import(upload=upload, user=analyst, partial=False)

    assert (done.state, done.result["created"]) == ("done", 481)
    assert FlaggedAccount.objects.filter(flagged_by=analyst).count() == 481
    account = FlaggedAccount.objects.get(handle="listacct00001")
    assert [g.name for g in account.groups.all()] == [GROUPS[1]]
    assert sorted(account.tags.values_list("name", flat=True)) == ["batch-one", "urdu"]
    assert account.history.first().history_change_reason == "list upload first batch.xlsx"


def test_the_preview_names_every_error_by_row_column_and_reason(analyst, platforms, groups, media):
    existing = AccountFactory(platform=platforms["telegram"], handle="already_here")

    upload = _checked(analyst, csv_bytes(BAD_LIST))

    by_line = {e["line"]: e for e in upload.preview}
    found = {
        line: (e["kind"], e["errors"][0]["field"], e["errors"][0]["code"])
        for line, e in by_line.items()
        if e["errors"]
    }
    assert found == EXPECTED
    assert by_line[7]["first_line"] == 2
    assert by_line[8]["existing"] == {"id": existing.pk, "handle": "already_here"}
    assert by_line[9]["errors"][0]["column"] == "first_seen_at"
    assert "15/01/2026" in by_line[9]["errors"][0]["message"]
    assert [by_line[n]["kind"] for n in (2, 12)] == ["create", "create"]
    assert upload.summary == {"create": 2, "mirror": 0, "duplicate_in_file": 1, "in_tracker": 1,
                              "error": 7, "good": 2, "bad": 9}  # fmt: skip


def test_all_or_nothing_refuses_a_list_with_bad_rows_and_writes_nothing(
    analyst, platforms, groups, media
):
    upload = _checked(analyst, csv_bytes(BAD_LIST))

    with pytest.raises(DomainError, match="8 rows have errors"):
        uploads.account_upload_import(upload=upload, user=analyst, partial=False)

    upload.refresh_from_db()
    assert upload.state == "checked"
    assert not FlaggedAccount.objects.filter(flagged_by=analyst).exists()


def test_good_rows_only_records_them_and_the_bad_rows_come_back_as_csv(
    analyst, platforms, groups, media
):
    AccountFactory(platform=platforms["telegram"], handle="already_here")
    upload = _checked(analyst, csv_bytes(BAD_LIST))

    done = uploads.account_upload_import(upload=upload, user=analyst, partial=True)

    assert done.result["created"] == 2
    assert [e["line"] for e in done.result["errors"]] == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert sorted(FlaggedAccount.objects.filter(flagged_by=analyst).values_list(
        "handle", flat=True)) == ["good_one", "good_three"]  # fmt: skip
    text = uploads.bad_rows_csv(done).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [*BAD_LIST[0].split(","), "error"]
    # Cells a spreadsheet would run carry the export's guard, which the importer takes off.
    assert [unguard(r[0]) for r in rows[1:]] == [
        "@bad_platform", "https://", "https://www.facebook.com/some.page", "@good_two",
        "@good_one", "https://t.me/already_here", "@bad_date", "", "@long_name",
    ]  # fmt: skip
    assert rows[1][0] == "'@bad_platform"
    assert rows[4][-1].startswith("groups: Unknown group “No Such Group”")


def test_a_likely_mirror_of_a_removed_account_is_flagged_in_the_preview(
    analyst, platforms, groups, media
):
    removed = FlaggedAccount.objects.get(pk=_removed(analyst, platforms).pk)

    upload = _checked(analyst, csv_bytes(["handle,platform", "@sada_e_haq_2,x"]))

    [entry] = upload.preview
    assert entry["kind"] == "mirror"
    assert entry["mirror"]["id"] == removed.pk
    assert entry["mirror"]["score"] >= 0.5


def _removed(user, platforms):
    from accounts import services

    return services.account_create(
        user=user, value="@sada_e_haq", platform=platforms["x"], display_name="Sada e Haq",
        status="removed",
    )  # fmt: skip


def test_the_mapping_can_be_changed_and_urdu_headings_are_understood(
    analyst, platforms, groups, media
):
    data = csv_bytes(["ہینڈل,پلیٹ فارم,تبصرہ", "@urdu_heading,x,کچھ"])
    upload = uploads.account_upload_create(user=analyst, name="urdu.csv", data=data)
    assert upload.columns == ["handle", "platform", None]

    upload = uploads.account_upload_map(
        upload=upload, user=analyst, columns=["handle", "platform", "notes"]
    )
    uploads.account_upload_import(upload=upload, user=analyst, partial=False)

    assert FlaggedAccount.objects.get(handle="urdu_heading").notes == "کچھ"


def test_another_user_cannot_touch_an_upload_and_a_bad_mapping_is_refused(
    analyst, analyst2, platforms, media
):
    upload = uploads.account_upload_create(
        user=analyst, name="l.csv", data=csv_bytes(["handle", "@abc_def"])
    )
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        uploads.account_upload_map(upload=upload, user=analyst2, columns=["handle"])
    with pytest.raises(DomainError, match="needs a “handle”"):
        uploads.account_upload_map(upload=upload, user=analyst, columns=[None])


def test_an_unreadable_file_is_refused_and_nothing_is_kept(analyst, media):
    with pytest.raises(DomainError, match="not a readable XLSX"):
        uploads.account_upload_create(user=analyst, name="l.xlsx", data=b"not a zip")
    assert not AccountUpload.objects.exists()
    assert not list(media.rglob("*.xlsx"))


# --- the pages ----------------------------------------------------------------------------


def test_the_upload_walk_through_the_pages(client, analyst, platforms, groups, media):
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:upload"),
        {
            "file": _file(
                "list.csv",
                csv_bytes(["url,organisation", "https://t.me/page_walk,Lashkar-e-Tayyiba"]),
            )
        },
    )
    upload = AccountUpload.objects.get()
    assert response.url == reverse("accounts:upload_mapping", args=[upload.pk])

    page = client.get(response.url)
    assert page.status_code == 200
    assert b'<option value="handle" selected>' in page.content

    response = client.post(response.url, {"col_0": "handle", "col_1": "groups"})
    assert response.url == reverse("accounts:upload_preview", args=[upload.pk])
    assert b"Will be created" in client.get(response.url).content

    response = client.post(reverse("accounts:upload_import", args=[upload.pk]), {"mode": "all"})
    assert response.url == reverse("accounts:upload_result", args=[upload.pk])
    assert b"1 account recorded." in client.get(response.url).content
    assert FlaggedAccount.objects.get(handle="page_walk").flagged_by == analyst


def test_upload_pages_need_the_permission_and_the_ownership(client, analyst, analyst2, media):
    upload = uploads.account_upload_create(
        user=analyst, name="l.csv", data=csv_bytes(["handle", "@abc_def"])
    )
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:upload")).status_code == 403
    client.force_login(analyst2)
    for name in ("upload_mapping", "upload_preview", "upload_result", "upload_bad_rows"):
        assert client.get(reverse(f"accounts:{name}", args=[upload.pk])).status_code == 404


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
