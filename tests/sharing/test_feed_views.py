"""The feeds page for administrators (sharing/feeds/views.py)."""

import pytest

from sharing.models import FeedKey, FeedToken, PlatformFeed

pytestmark = pytest.mark.django_db


def test_administrators_see_every_platform_feed(admin_client, feeds, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = admin_client.get("/sharing/feeds/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/feeds/telegram/" in body and "/api/v1/feeds/tiktok/" in body
    assert FeedKey.objects.filter(feed=feeds["x"][0]).get().key_id in body
    assert "x trust" in body


@pytest.mark.parametrize("role", ["analyst", "supervisor"])
def test_other_roles_and_anonymous_are_refused(client, role, request, feeds):
    assert client.get("/sharing/feeds/").status_code == 302  # to the sign-in page
    client.force_login(request.getfixturevalue(role))
    assert client.get("/sharing/feeds/").status_code == 403
    assert client.post("/sharing/feeds/x/rotate-key/").status_code == 403
    assert client.post("/sharing/feeds/x/tokens/", {"name": "n"}).status_code == 403


def test_rotating_shows_the_new_secret_once_and_stores_it_encrypted(admin_client, feeds):
    old = FeedKey.objects.get(feed=feeds["x"][0])

    response = admin_client.post("/sharing/feeds/x/rotate-key/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    new = FeedKey.objects.get(feed=feeds["x"][0], retired_at__isnull=True)
    assert new.pk != old.pk
    old.refresh_from_db()
    assert old.retired_at is not None
    secret = response.context["shown"]["value"]
    assert secret in response.content.decode()
    assert secret not in new.secret_encrypted
    assert secret not in admin_client.get("/sharing/feeds/").content.decode()
    assert new.history.first().history_user.username == "administrator"


def test_issuing_a_token_shows_it_once_and_keeps_its_hash(admin_client, feeds):
    response = admin_client.post("/sharing/feeds/telegram/tokens/", {"name": "Telegram T&S"})

    assert response.status_code == 200
    key = response.context["shown"]["value"]
    token = FeedToken.objects.get(name="Telegram T&S")
    assert token.key_hash == FeedToken.hash_key(key) and key not in token.key_hash
    assert key not in admin_client.get("/sharing/feeds/").content.decode()


def test_a_token_without_a_name_is_refused_and_nothing_is_issued(admin_client, feeds):
    before = FeedToken.objects.count()
    response = admin_client.post("/sharing/feeds/x/tokens/", {"name": "  "})
    assert response.status_code == 400
    assert FeedToken.objects.count() == before


def test_a_token_name_with_a_nul_character_is_refused_and_nothing_is_issued(admin_client, feeds):
    before = FeedToken.objects.count()

    response = admin_client.post("/sharing/feeds/x/tokens/", {"name": "T&S\x00"})

    assert response.status_code == 400
    assert "The text holds a NUL character." in response.content.decode()
    assert FeedToken.objects.count() == before


def test_a_refused_token_leaves_no_new_feed_behind(admin_client, feeds):
    assert not PlatformFeed.objects.filter(platform__slug="youtube").exists()

    response = admin_client.post("/sharing/feeds/youtube/tokens/", {"name": ""})

    assert response.status_code == 400
    assert not PlatformFeed.objects.filter(platform__slug="youtube").exists()


def test_a_first_token_or_key_creates_the_platforms_feed(admin_client, feeds):
    assert admin_client.post("/sharing/feeds/youtube/tokens/", {"name": "YT"}).status_code == 200
    assert admin_client.post("/sharing/feeds/tiktok/rotate-key/").status_code == 200

    assert FeedToken.objects.filter(feed__platform__slug="youtube", name="YT").exists()
    assert FeedKey.objects.filter(feed__platform__slug="tiktok", retired_at=None).exists()


def test_revoking_a_token(admin_client, feeds):
    token = FeedToken.objects.get(feed=feeds["x"][0])
    response = admin_client.post(f"/sharing/feeds/tokens/{token.pk}/revoke/")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_page_is_in_urdu(admin_client, administrator, feeds):
    administrator.language = "ur"
    administrator.save()
    response = admin_client.get("/sharing/feeds/", HTTP_ACCEPT_LANGUAGE="ur")
    body = response.content.decode()
    assert 'dir="rtl"' in body
    assert "روک تھام کی فیڈز" in body


def test_the_top_navigation_links_the_feeds_page_for_administrators_only(
    client, administrator, analyst, supervisor
):
    link = 'href="/sharing/feeds/"'
    client.force_login(administrator)
    page = client.get("/sharing/feeds/").content.decode()
    assert f'{link} aria-current="page">' in page
    administrator.language = "ur"
    administrator.save()
    urdu = client.get("/sharing/feeds/", HTTP_ACCEPT_LANGUAGE="ur").content.decode()
    assert f'{link} aria-current="page">' in urdu and "فیڈز</a>" in urdu
    for user in (analyst, supervisor):
        client.force_login(user)
        response = client.get("/", follow=True)
        assert response.status_code == 200
        assert link not in response.content.decode()
