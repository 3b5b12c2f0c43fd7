"""Hostile uploads (accounts/services/evidence.py, core/uploads.py): evidence and avatars are
judged by content, images re-encoded before anyone sees them, files stored outside the web
root and downloaded only as attachments through a permission check."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from accounts import services
from accounts.models import Evidence
from core.errors import DomainError
from tests.accounts.avatar_images import encoded, picture
from tests.factories import UserFactory
from tests.images import bomb_png
from tracker.roles import ANALYST

pytestmark = pytest.mark.django_db

GPS = ExifTags.IFD.GPSInfo


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def account(analyst, platforms):
    return services.account_create(user=analyst, value="x.com/someone")


def gps_jpeg() -> bytes:
    """A JPEG photograph whose EXIF says where it was taken (Islamabad)."""
    image = picture(7)
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(GPS)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (33.0, 41.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (73.0, 3.0, 0.0)
    return encoded(image, "JPEG", exif=exif)


def capture(account, user, data: bytes, name: str, client_type: str = "image/png"):
    return services.evidence_capture(
        account=account, user=user, file=SimpleUploadedFile(name, data, client_type)
    )


def download(client, user, evidence):
    client.force_login(user)
    response = client.get(f"/evidence/{evidence.pk}/file/")
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<?php system($_GET['c']); ?>", "shot.png"),
        (b"<html><script>alert(document.cookie)</script></html>", "shot.png"),
        (b"  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "capture.jpg"),
        (b"MZ\x90\x00\x03\x00\x00\x00 an executable", "report.pdf"),
        (b"PK\x03\x04 a zip archive", "evidence.txt"),
    ],
)
def test_a_file_whose_content_is_not_an_allowed_kind_is_refused_whatever_its_name(
    account, analyst, data, name
):
    with pytest.raises(DomainError) as refused:
        capture(account, analyst, data, name)

    assert refused.value.code == "invalid_file_type"
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", "invalid_image_type"),  # magic only
        (b"GIF89a/*<script>*/=alert(1)//", "invalid_image_type"),  # a GIF/JS polyglot
        (encoded(picture(4), "PNG")[:900], "invalid_image"),  # truncated
        (bomb_png(), "decompression_bomb"),
    ],
)
def test_images_that_do_not_decode_safely_are_refused(account, analyst, data, code):
    with pytest.raises(DomainError) as refused:
        capture(account, analyst, data, "shot.png")

    assert refused.value.code == code
    assert not Evidence.objects.exists()


def test_a_real_image_with_a_payload_appended_is_served_without_it(client, account, analyst):
    payload = b"<html><script>alert(document.cookie)</script></html>"
    polyglot = encoded(picture(5), "PNG") + payload
    evidence = capture(account, analyst, polyglot, "shot.png")

    response, body = download(client, analyst, evidence)

    assert evidence.file.read() == polyglot  # the original is kept for custody, never served
    assert payload not in body
    assert Image.open(io.BytesIO(body)).format == "PNG"
    assert response["Content-Type"] == "image/png"


def test_an_exif_gps_photograph_is_served_without_its_position(client, account, analyst):
    original = gps_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test can fail
    evidence = capture(account, analyst, original, "IMG_0001.JPG", "image/jpeg")

    response, body = download(client, analyst, evidence)

    served = Image.open(io.BytesIO(body))
    assert served.format == "JPEG" and served.size == (256, 256)
    assert served.getexif().get_ifd(GPS) == {}
    assert dict(served.getexif()) == {}
    assert b"PhoneMaker" not in body
    assert response["Content-Disposition"] == 'attachment; filename="IMG_0001.jpg"'


def test_the_type_is_judged_by_content_not_by_name_or_client_type(client, account, analyst):
    evidence = capture(account, analyst, b"%PDF-1.7 a captured page", "page.png", "image/png")

    response, body = download(client, analyst, evidence)

    assert evidence.content_type == "application/pdf"
    assert Path(evidence.file.name).suffix == ".pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="page.pdf"'
    assert body == b"%PDF-1.7 a captured page"


def test_downloads_are_attachments_with_nosniff_and_a_sandbox(client, account, analyst):
    evidence = capture(account, analyst, b"captured text from a channel", "notes.html")

    response, _ = download(client, analyst, evidence)

    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_an_oversized_file_is_refused(account, analyst, settings):
    settings.EVIDENCE_MAX_BYTES = 1000

    with pytest.raises(DomainError) as refused:
        capture(account, analyst, b"a" * 1001, "notes.txt")
    assert refused.value.code == "file_too_large"


def test_files_are_stored_outside_the_web_root_and_not_served_by_url(client, account, analyst):
    evidence = capture(account, analyst, encoded(picture(2), "PNG"), "shot.png")
    media = Path(django_settings.MEDIA_ROOT).resolve()
    static_roots = [Path(django_settings.STATIC_ROOT)] + [
        Path(entry[1] if isinstance(entry, tuple) else entry)
        for entry in django_settings.STATICFILES_DIRS
    ]
    client.force_login(analyst)

    assert Path(evidence.file.path).resolve().is_relative_to(media)
    assert not any(media.is_relative_to(root.resolve()) for root in static_roots)
    for name in (evidence.file.name, evidence.display_file.name):
        for prefix in ("/media/", "/static/", "/"):
            assert client.get(prefix + name).status_code == 404


def test_the_download_needs_the_evidence_permission(client, account, analyst):
    evidence = capture(account, analyst, b"captured text", "notes.txt")
    client.force_login(UserFactory(username="norole"))
    assert client.get(f"/evidence/{evidence.pk}/file/").status_code == 403
    client.logout()
    response = client.get(f"/evidence/{evidence.pk}/file/")
    assert response.status_code == 302 and "/auth/login/" in response["Location"]
    client.force_login(UserFactory(username="analyst3", role=ANALYST))
    assert client.get(f"/evidence/{evidence.pk}/file/").status_code == 200


def test_an_avatar_is_stored_re_encoded_without_metadata(client, analyst, platforms):
    account = services.account_create(
        user=analyst,
        value="x.com/withavatar",
        avatar=SimpleUploadedFile("me.png", gps_jpeg() + b"<script>", "image/png"),
    )

    client.force_login(analyst)
    response = client.get(f"/accounts/{account.pk}/avatar/")
    body = b"".join(response.streaming_content)

    assert account.avatar.name.endswith(".jpg")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in body
    assert Image.open(io.BytesIO(body)).getexif().get_ifd(GPS) == {}
