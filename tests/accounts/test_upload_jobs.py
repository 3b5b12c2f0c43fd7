"""Big uploaded lists are checked and imported by Celery jobs (accounts.tasks), through a real
worker on the real broker, with their progress in the cache and the result on the upload."""

import pytest

from accounts.imports import services as uploads
from accounts.models import AccountUpload, FlaggedAccount
from tests.accounts.list_files import GROUPS, csv_bytes, many_rows
from tests.factories import GroupFactory, PlatformFactory, UserFactory
from tests.workers import wait_for
from tracker.roles import ANALYST

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _csv(rows):
    return csv_bytes([",".join(str(c) for c in row) for row in rows])


def test_a_big_list_is_checked_and_imported_by_a_real_worker(
    start_worker, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(uploads, "BACKGROUND_ROWS", 50)
    analyst = UserFactory(username="analyst", role=ANALYST)
    for slug in ("x", "telegram", "facebook", "instagram", "youtube", "tiktok"):
        PlatformFactory(slug=slug)
    for name in GROUPS:
        GroupFactory(name=name)
    start_worker(env={"TRACKER_MEDIA_ROOT": str(tmp_path)})

    upload = uploads.account_upload_create(user=analyst, name="big.csv", data=_csv(many_rows(120)))
    upload = uploads.account_upload_map(upload=upload, user=analyst, columns=upload.columns)
    assert upload.state == "checking"  # queued, not checked in the request

    wait_for(
        lambda: AccountUpload.objects.get(pk=upload.pk).state == "checked",
        timeout=120,
        what="the worker to check the list",
    )
    upload.refresh_from_db()
    assert upload.summary["create"] == 120
    assert uploads.upload_progress(upload) == (120, 120)

    upload = uploads.account_upload_import(upload=upload, user=analyst, partial=False)
    assert upload.state == "importing"
    wait_for(
        lambda: AccountUpload.objects.get(pk=upload.pk).state == "done",
        timeout=120,
        what="the worker to import the list",
    )
    upload.refresh_from_db()
    assert upload.result == {"created": 120, "errors": []}
    assert FlaggedAccount.objects.filter(flagged_by=analyst).count() == 120
    assert uploads.upload_progress(upload) == (120, 120)
