import json
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from stix2validator import validate_string

from accounts.models import FlaggedAccount
from sharing.stix.export import bundle_text
from sharing.tasks import stix_previews_expire_task
from tracker.models import SecurityEvent

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_account_list_stix_follows_the_filters_and_is_security_logged(client, analyst, world):
    client.force_login(analyst)
    response = client.get(
        reverse("sharing:share_accounts", args=["stix"]), {"platform": "telegram"}
    )
    assert response["Content-Type"] == "application/stix+json;version=2.1"
    assert 'filename="accounts.stix.json"' in response["Content-Disposition"]
    text = _body(response)
    assert validate_string(text).is_valid
    logins = [
        o["account_login"] for o in json.loads(text)["objects"] if o["type"] == "user-account"
    ]
    assert logins == ["ttp_news"]
    assert SecurityEvent.objects.filter(
        kind="export", user=analyst, detail="accounts.stix.json"
    ).exists()


def test_group_and_request_exports_in_both_formats(client, supervisor, world):
    client.force_login(supervisor)
    group = world.groups[0]
    stix = _body(client.get(reverse("sharing:share_group", args=["stix", group.pk])))
    assert validate_string(stix).is_valid
    assert {o["type"] for o in json.loads(stix)["objects"]} >= {"intrusion-set", "user-account"}
    misp = client.get(reverse("sharing:share_takedown", args=["misp", world.request.pk]))
    assert misp.status_code == 200
    event = misp.json()["Event"]
    assert sorted(o["name"] for o in event["Object"]) == ["twitter-account", "twitter-account"]
    assert SecurityEvent.objects.filter(kind="export", detail__startswith="request-").exists()


def test_unknown_format_is_404(client, analyst, world):
    client.force_login(analyst)
    assert client.get(reverse("sharing:share_accounts", args=["pdf"])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        ("sharing:share_accounts", ["stix"]),
        ("sharing:share_accounts", ["misp"]),
        ("sharing:share_group", ["stix", 1]),
        ("sharing:share_takedown", ["misp", 1]),
        ("sharing:stix_import", []),
    ],
)
def test_anonymous_is_sent_to_sign_in_and_roleless_refused(client, django_user_model, url):
    target = reverse(url[0], args=url[1])
    assert client.get(target).status_code == 302
    client.force_login(django_user_model.objects.create(username="nobody"))
    assert client.get(target).status_code == 403
    assert not SecurityEvent.objects.filter(kind="export").exists()


def test_import_confirm_refuses_the_roleless(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="nobody"))
    assert client.post(reverse("sharing:stix_import_confirm")).status_code == 403


def test_import_page_previews_then_imports(client, administrator, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    text = bundle_text(accounts=FlaggedAccount.objects.filter(handle="ttp_news"))
    FlaggedAccount.objects.filter(handle="ttp_news").delete()
    client.force_login(administrator)
    upload = SimpleUploadedFile("partner.json", text.encode(), "application/json")
    preview = client.post(reverse("sharing:stix_import"), {"file": upload})
    assert preview.status_code == 200
    assert b"ttp_news" in preview.content and b"stix-confirm" in preview.content
    assert not FlaggedAccount.objects.filter(handle="ttp_news").exists()

    done = client.post(reverse("sharing:stix_import_confirm"))

    assert done.status_code == 302
    account = FlaggedAccount.objects.get(handle="ttp_news")
    assert [g.name for g in account.groups.all()] == ["Tehrik-e-Taliban Pakistan"]
    assert list(tmp_path.joinpath("stix-imports").iterdir()) == []


def test_import_page_shows_why_a_bundle_is_refused(client, analyst, world):
    client.force_login(analyst)
    upload = SimpleUploadedFile("bad.json", b"not json", "application/json")
    response = client.post(reverse("sharing:stix_import"), {"file": upload})
    assert b"stix-error" in response.content
    assert b"not JSON" in response.content
    assert b"stix-confirm" not in response.content


def test_import_page_lists_duplicates_and_offers_no_import(
    client, analyst, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    text = bundle_text(accounts=FlaggedAccount.objects.all())
    client.force_login(analyst)
    upload = SimpleUploadedFile("dup.json", text.encode(), "application/json")
    response = client.post(reverse("sharing:stix_import"), {"file": upload})
    assert b"stix-refused" in response.content
    assert "already recorded" in response.content.decode()
    assert b"stix-confirm" not in response.content


def test_share_menu_is_on_the_list_group_and_request_pages(client, supervisor, world):
    client.force_login(supervisor)
    pages = [
        reverse("accounts:list"),
        reverse("accounts:group_detail", args=[world.groups[0].pk]),
        reverse("takedowns:detail", args=[world.request.pk]),
    ]
    for page in pages:
        content = client.get(page).content.decode()
        assert 'data-testid="share-menu"' in content, page
        assert "/sharing/export/stix/" in content and "/sharing/export/misp/" in content


def test_a_preview_never_confirmed_is_deleted_by_the_periodic_task(
    client, administrator, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.STIX_PREVIEW_MAX_AGE_MINUTES = 60
    text = bundle_text(accounts=FlaggedAccount.objects.filter(handle="ttp_news"))
    FlaggedAccount.objects.filter(handle="ttp_news").delete()
    client.force_login(administrator)
    for name in ("old.json", "fresh.json"):
        upload = SimpleUploadedFile(name, text.encode(), "application/json")
        client.post(reverse("sharing:stix_import"), {"file": upload})
        if name == "old.json":
            # A second session's preview, left two hours ago.
            (old,) = tmp_path.joinpath("stix-imports").iterdir()
            two_hours_ago = time.time() - 2 * 3600
            os.utime(old, (two_hours_ago, two_hours_ago))
            client.cookies.clear()
            client.force_login(administrator)
    assert len(list(tmp_path.joinpath("stix-imports").iterdir())) == 2

    assert stix_previews_expire_task() == 1
    assert stix_previews_expire_task() == 0  # safe to run twice

    (kept,) = tmp_path.joinpath("stix-imports").iterdir()
    assert kept != old
    # The fresh preview is still confirmed; nothing was imported from the expired one.
    assert client.post(reverse("sharing:stix_import_confirm")).status_code == 302
    assert FlaggedAccount.objects.filter(handle="ttp_news").count() == 1


def test_confirming_an_expired_preview_asks_for_the_bundle_again(
    client, administrator, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.STIX_PREVIEW_MAX_AGE_MINUTES = 0
    text = bundle_text(accounts=FlaggedAccount.objects.filter(handle="ttp_news"))
    FlaggedAccount.objects.filter(handle="ttp_news").delete()
    client.force_login(administrator)
    upload = SimpleUploadedFile("partner.json", text.encode(), "application/json")
    client.post(reverse("sharing:stix_import"), {"file": upload})
    time.sleep(0.01)  # the file's modification time is then before the cut-off

    assert stix_previews_expire_task() == 1
    response = client.post(reverse("sharing:stix_import_confirm"), follow=True)

    assert "its preview has expired" in response.content.decode()
    assert not FlaggedAccount.objects.filter(handle="ttp_news").exists()


def test_the_expiry_without_any_preview_does_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert stix_previews_expire_task() == 0
