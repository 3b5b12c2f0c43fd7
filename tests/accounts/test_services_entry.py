"""The composite services behind the quick-entry form and the evidence form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services
from accounts.models import Evidence, FlaggedAccount
from core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_account_and_its_evidence_are_saved_together(analyst, platforms):
    account = services.account_create_with_evidence(
        user=analyst,
        value="https://t.me/sada",
        evidence_files=[SimpleUploadedFile("a.png", b"a"), SimpleUploadedFile("b.png", b"b")],
        evidence_url="https://archive.org/x",
        evidence_note="from the profile",
    )
    kinds = sorted(account.evidence.values_list("kind", "note"))
    assert kinds == [
        ("file", "from the profile"),
        ("file", "from the profile"),
        ("url", "from the profile"),
    ]


def test_failing_evidence_leaves_no_account_behind(analyst, platforms, settings):
    settings.EVIDENCE_MAX_BYTES = 1
    with pytest.raises(DomainError) as exc:
        services.account_create_with_evidence(
            user=analyst, value="https://t.me/sada", evidence_files=[SimpleUploadedFile("a", b"ab")]
        )
    assert exc.value.code == "file_too_large"
    assert FlaggedAccount.objects.count() == 0 and Evidence.objects.count() == 0


def test_evidence_attach_is_all_or_nothing(analyst, platforms, settings):
    account = services.account_create(user=analyst, value="https://t.me/sada")
    settings.EVIDENCE_MAX_BYTES = 3
    with pytest.raises(DomainError):
        services.evidence_attach(
            account=account,
            user=analyst,
            text="captured",
            files=[SimpleUploadedFile("ok", b"ok"), SimpleUploadedFile("big", b"toolarge")],
        )
    assert Evidence.objects.count() == 0
