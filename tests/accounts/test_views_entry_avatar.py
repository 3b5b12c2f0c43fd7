"""The quick-entry page takes the account's avatar, as the API does: hashed for mirror
detection, and a refused picture saves nothing."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, MirrorCandidate

from .avatar_images import avatar_upload, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_entry_form_shows_the_avatar_field(client, analyst, platforms):
    client.force_login(analyst)
    page = client.get(reverse("accounts:entry")).content.decode()
    assert 'name="avatar"' in page and 'type="file"' in page


def test_an_avatar_given_on_entry_is_hashed_and_finds_the_removed_original(
    client, analyst, platforms, media
):
    original = services.account_create(
        user=analyst, value="https://t.me/qalam_nur", avatar=avatar_upload(21)
    )
    services.account_set_status(account=original, user=analyst, status=AccountStatus.REMOVED)
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:entry"),
        {"value": "https://x.com/fresh_name_77", "avatar": avatar_upload(21, "JPEG", quality=70)},
    )
    assert response.status_code == 302
    account = FlaggedAccount.objects.get(handle="fresh_name_77")
    assert account.avatar and len(account.avatar_pdq) == 64 and account.avatar_quality >= 50
    candidate = MirrorCandidate.objects.get(account=account)
    assert candidate.removed_account == original
    avatar = next(f for f in candidate.features if f["name"] == "avatar")
    assert avatar["contribution"] > 0


def test_a_bad_avatar_on_entry_is_refused_on_its_field_and_saves_nothing(
    client, analyst, platforms, media
):
    client.force_login(analyst)
    response = client.post(
        reverse("accounts:entry"),
        {"value": "https://t.me/new_one", "avatar": upload(b"%PDF-1.4 not a picture", "a.png")},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["avatar"] and errors["avatar"][0]
    assert 'aria-invalid="true"' in response.content.decode()
    assert FlaggedAccount.objects.count() == 0
