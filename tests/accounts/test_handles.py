"""Tests of accounts/handles/: every door turns a handle or URL into the same account.

Pure Python; runs without Django: pytest -p no:django tests/accounts/test_handles.py
Non-ASCII test data is written as escapes so that the source shows exactly which code points
are used (and because some Arabic letters look like Latin ones).
"""

import itertools

import pytest

from accounts.handles import (
    MAX_INPUT_LENGTH,
    PLATFORM_SLUGS,
    HandleError,
    ParsedHandle,
    detect_platform,
    normalize_handle,
    parse_handle,
)

P = ParsedHandle

FB_ID = "100064123456789"
YT_ID = "UCx7b_Ez3kO0RH2-Lm9PqA1w"
WA_INVITE = "KxH3j1AXzWZ8qLmN0pQrSt"
WA_CHANNEL = "0029VaE6ZfqLo4hb4Y8YUw2W"
TG_INVITE = "AbCdEfGhIjKlMn12"

# Arabic "al-nur" and Urdu "pakistan", and the percent-encoded UTF-8 of the first.
AR_NUR = "\u0627\u0644\u0646\u0648\u0631"
AR_NUR_ENCODED = "%D8%A7%D9%84%D9%86%D9%88%D8%B1"
UR_PAKISTAN = "\u067e\u0627\u06a9\u0633\u062a\u0627\u0646"
UR_PAKISTAN_ENCODED = "%D9%BE%D8%A7%DA%A9%D8%B3%D8%AA%D8%A7%D9%86"

X_AHMAD = P("x", "Ahmad_Khan", "ahmad_khan", "", "https://x.com/ahmad_khan")
FB_JOHN = P("facebook", "John.Smith", "johnsmith", "", "https://www.facebook.com/john.smith")
FB_BY_ID = P("facebook", FB_ID, FB_ID, FB_ID, f"https://www.facebook.com/profile.php?id={FB_ID}")
FB_NUR = P("facebook", AR_NUR, AR_NUR, "", f"https://www.facebook.com/{AR_NUR_ENCODED}")
IG_AHMAD = P("instagram", "ahmad.khan", "ahmad.khan", "", "https://www.instagram.com/ahmad.khan/")
TG_CHANNEL = P("telegram", "Some_Channel", "some_channel", "", "https://t.me/some_channel")
YT_HANDLE = P("youtube", "SomeHandle", "somehandle", "", "https://www.youtube.com/@somehandle")
YT_CHANNEL = P(
    "youtube", YT_ID, "ucx7b_ez3ko0rh2-lm9pqa1w", YT_ID, f"https://www.youtube.com/channel/{YT_ID}"
)
TT_USER = P("tiktok", "Some.User", "some.user", "", "https://www.tiktok.com/@some.user")
WA_NUMBER = P("whatsapp", "+923001234567", "+923001234567", "", "https://wa.me/923001234567")
WA_GROUP = P(
    "whatsapp",
    WA_INVITE,
    "kxh3j1axzwz8qlmn0pqrst",
    "",
    f"https://chat.whatsapp.com/{WA_INVITE}",
)


# --------------------------------------------------------------------------------------------
# Every URL form a user pastes
# --------------------------------------------------------------------------------------------

URL_CASES = [
    # X / Twitter
    ("https://x.com/Ahmad_Khan", X_AHMAD),
    ("https://twitter.com/Ahmad_Khan", X_AHMAD),
    ("https://mobile.twitter.com/Ahmad_Khan", X_AHMAD),
    ("https://m.twitter.com/Ahmad_Khan", X_AHMAD),
    ("https://x.com/Ahmad_Khan/status/1790000000000000000", X_AHMAD),
    ("https://twitter.com/Ahmad_Khan/status/123/photo/1", X_AHMAD),
    ("https://x.com/Ahmad_Khan/with_replies", X_AHMAD),
    ("https://x.com/@Ahmad_Khan", X_AHMAD),
    ("https://twitter.com/#!/Ahmad_Khan", X_AHMAD),
    ("https://x.com/intent/user?screen_name=Ahmad_Khan", X_AHMAD),
    ("https://x.com/intent/follow?screen_name=Ahmad_Khan", X_AHMAD),
    ("https://x.com/i/user/44196397", P("x", "44196397", "44196397", "44196397",
                                       "https://x.com/i/user/44196397")),
    ("https://twitter.com/intent/user?user_id=44196397",
     P("x", "44196397", "44196397", "44196397", "https://x.com/i/user/44196397")),
    # Facebook
    ("https://www.facebook.com/John.Smith", FB_JOHN),
    ("https://facebook.com/John.Smith", FB_JOHN),
    ("https://fb.com/John.Smith", FB_JOHN),
    ("https://m.facebook.com/John.Smith", FB_JOHN),
    ("https://mbasic.facebook.com/John.Smith", FB_JOHN),
    ("https://web.facebook.com/John.Smith", FB_JOHN),
    ("https://ar-ar.facebook.com/John.Smith", FB_JOHN),
    ("https://www.facebook.com/John.Smith/posts/pfbid02abc", FB_JOHN),
    ("https://www.facebook.com/pg/John.Smith/about/", FB_JOHN),
    ("https://m.me/John.Smith", FB_JOHN),
    (f"https://www.facebook.com/profile.php?id={FB_ID}", FB_BY_ID),
    (f"https://m.facebook.com/profile.php?id={FB_ID}&sk=about", FB_BY_ID),
    (f"https://www.facebook.com/profile.php?sk=photos&id={FB_ID}", FB_BY_ID),
    (f"https://www.facebook.com/people/Ahmad-Khan/{FB_ID}/", FB_BY_ID),
    (f"https://www.facebook.com/pages/Some-Page/{FB_ID}", FB_BY_ID),
    (f"https://www.facebook.com/p/Some-Page-{FB_ID}/", FB_BY_ID),
    (f"https://www.facebook.com/Some-Page-Name-{FB_ID}/", FB_BY_ID),
    (f"https://www.facebook.com/{AR_NUR_ENCODED}", FB_NUR),
    (f"https://www.facebook.com/{AR_NUR}/", FB_NUR),
    ("https://www.facebook.com/groups/123456789012345/",
     P("facebook", "groups/123456789012345", "groups/123456789012345", "123456789012345",
       "https://www.facebook.com/groups/123456789012345/")),
    ("https://www.facebook.com/groups/Some.Group/permalink/123/",
     P("facebook", "groups/Some.Group", "groups/some.group", "",
       "https://www.facebook.com/groups/some.group/")),
    # Instagram
    ("https://www.instagram.com/ahmad.khan/", IG_AHMAD),
    ("https://instagram.com/ahmad.khan", IG_AHMAD),
    ("https://m.instagram.com/ahmad.khan/", IG_AHMAD),
    ("https://instagr.am/ahmad.khan", IG_AHMAD),
    ("https://www.instagram.com/ahmad.khan/reels/", IG_AHMAD),
    ("https://www.instagram.com/ahmad.khan/p/C1aBcDeFgHi/", IG_AHMAD),
    ("https://www.instagram.com/stories/ahmad.khan/3300000000000000000/", IG_AHMAD),
    ("https://www.instagram.com/ahmad.khan/?igsh=MWx0eGh6bWNsd3l4Yg%3D%3D", IG_AHMAD),
    # Telegram
    ("https://t.me/Some_Channel", TG_CHANNEL),
    ("https://telegram.me/Some_Channel", TG_CHANNEL),
    ("https://telegram.dog/Some_Channel", TG_CHANNEL),
    ("https://t.me/s/Some_Channel", TG_CHANNEL),
    ("https://t.me/Some_Channel/1234", TG_CHANNEL),
    ("https://t.me/Some_Channel?start=abc", TG_CHANNEL),
    (f"https://t.me/+{TG_INVITE}",
     P("telegram", f"+{TG_INVITE}", "+abcdefghijklmn12", "", f"https://t.me/+{TG_INVITE}")),
    (f"https://t.me/joinchat/{TG_INVITE}",
     P("telegram", f"+{TG_INVITE}", "+abcdefghijklmn12", "", f"https://t.me/+{TG_INVITE}")),
    ("https://t.me/+923001234567",
     P("telegram", "+923001234567", "+923001234567", "", "https://t.me/+923001234567")),
    # YouTube
    ("https://www.youtube.com/@SomeHandle", YT_HANDLE),
    ("https://youtube.com/@SomeHandle/videos", YT_HANDLE),
    ("https://m.youtube.com/@SomeHandle", YT_HANDLE),
    ("https://www.youtube.com/@SomeHandle/featured?si=abc", YT_HANDLE),
    (f"https://www.youtube.com/channel/{YT_ID}", YT_CHANNEL),
    (f"https://m.youtube.com/channel/{YT_ID}/videos", YT_CHANNEL),
    (f"https://music.youtube.com/channel/{YT_ID}", YT_CHANNEL),
    ("https://www.youtube.com/c/SomeName",
     P("youtube", "SomeName", "somename", "", "https://www.youtube.com/c/SomeName")),
    ("https://www.youtube.com/user/SomeName/videos",
     P("youtube", "SomeName", "somename", "", "https://www.youtube.com/user/SomeName")),
    ("https://m.youtube.com/c/SomeName",
     P("youtube", "SomeName", "somename", "", "https://www.youtube.com/c/SomeName")),
    ("https://www.youtube.com/SomeName",
     P("youtube", "SomeName", "somename", "", "https://www.youtube.com/SomeName")),
    # TikTok
    ("https://www.tiktok.com/@Some.User", TT_USER),
    ("https://tiktok.com/@Some.User", TT_USER),
    ("https://m.tiktok.com/@Some.User", TT_USER),
    ("https://www.tiktok.com/@Some.User/video/7300000000000000000", TT_USER),
    ("https://www.tiktok.com/@Some.User?lang=en&is_from_webapp=1", TT_USER),
    # WhatsApp
    ("https://wa.me/923001234567", WA_NUMBER),
    ("https://wa.me/+923001234567", WA_NUMBER),
    ("https://wa.me/923001234567?text=salam", WA_NUMBER),
    ("https://wa.me/c/923001234567", WA_NUMBER),
    ("https://api.whatsapp.com/send?phone=923001234567", WA_NUMBER),
    ("https://api.whatsapp.com/send/?phone=%2B923001234567&text&type=phone_number", WA_NUMBER),
    ("https://api.whatsapp.com/send?phone=+923001234567", WA_NUMBER),
    ("https://web.whatsapp.com/send?phone=923001234567", WA_NUMBER),
    ("https://www.whatsapp.com/send?phone=923001234567", WA_NUMBER),
    (f"https://chat.whatsapp.com/{WA_INVITE}", WA_GROUP),
    (f"https://chat.whatsapp.com/invite/{WA_INVITE}", WA_GROUP),
    (f"https://chat.whatsapp.com/{WA_INVITE}?mode=ac_t", WA_GROUP),
    (f"https://whatsapp.com/channel/{WA_CHANNEL}",
     P("whatsapp", WA_CHANNEL, "0029vae6zfqlo4hb4y8yuw2w", WA_CHANNEL,
       f"https://whatsapp.com/channel/{WA_CHANNEL}")),
]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), URL_CASES, ids=[case[0] for case in URL_CASES])
def test_profile_url_parses_to_canonical_account(value, expected):
    assert parse_handle(value) == expected


@pytest.mark.parametrize(("value", "expected"), URL_CASES, ids=[case[0] for case in URL_CASES])
def test_profile_url_is_accepted_when_its_own_platform_is_given(value, expected):
    assert parse_handle(value, expected.platform) == expected


@pytest.mark.parametrize(("value", "expected"), URL_CASES, ids=[case[0] for case in URL_CASES])
def test_canonical_profile_url_parses_back_to_the_same_account(value, expected):
    again = parse_handle(expected.profile_url)

    assert (again.platform, again.normalized, again.account_id, again.profile_url) == (
        expected.platform,
        expected.normalized,
        expected.account_id,
        expected.profile_url,
    )


@pytest.mark.parametrize(("value", "expected"), URL_CASES, ids=[case[0] for case in URL_CASES])
def test_detect_platform_names_the_platform_of_every_profile_url(value, expected):
    assert detect_platform(value) == expected.platform


# --------------------------------------------------------------------------------------------
# The same URL however it is pasted
# --------------------------------------------------------------------------------------------

VARIANT_BASES = [
    ("x.com", "Ahmad_Khan", X_AHMAD),
    ("twitter.com", "Ahmad_Khan", X_AHMAD),
    ("facebook.com", "John.Smith", FB_JOHN),
    ("facebook.com", AR_NUR_ENCODED, FB_NUR),
    ("instagram.com", "ahmad.khan", IG_AHMAD),
    ("t.me", "Some_Channel", TG_CHANNEL),
    ("youtube.com", "@SomeHandle", YT_HANDLE),
    ("youtube.com", f"channel/{YT_ID}", YT_CHANNEL),
    ("tiktok.com", "@Some.User", TT_USER),
    ("wa.me", "923001234567", WA_NUMBER),
    ("chat.whatsapp.com", WA_INVITE, WA_GROUP),
]

VARIANT_FORMS = {
    "https": "https://{host}/{path}",
    "http": "http://{host}/{path}",
    "no_scheme": "{host}/{path}",
    "protocol_relative": "//{host}/{path}",
    "www": "https://www.{host}/{path}",
    "www_no_scheme": "www.{host}/{path}",
    "trailing_slash": "https://{host}/{path}/",
    "double_slashes": "https://{host}//{path}//",
    "query": "https://{host}/{path}?utm_source=share&s=20",
    "slash_and_query": "{host}/{path}/?igsh=abc123",
    "fragment": "https://{host}/{path}#about",
    "query_and_fragment": "https://{host}/{path}?ref=1#top",
    "upper_host": "HTTPS://{HOST}/{path}",
    "host_trailing_dot": "https://{host}./{path}",
    "port": "https://{host}:443/{path}",
    "surrounding_whitespace": "  \t{host}/{path}  \n",
    "direction_marks": "\u200f{host}/{path}\u200e",
    "defanged": "hxxps://{defanged}/{path}",
}

VARIANT_CASES = [
    pytest.param(
        form.format(host=host, HOST=host.upper(), path=path, defanged=host.replace(".", "[.]")),
        expected,
        id=f"{host}/{path}-{name}",
    )
    for host, path, expected in VARIANT_BASES
    for name, form in VARIANT_FORMS.items()
]


@pytest.mark.parametrize(("value", "expected"), VARIANT_CASES)
def test_url_variants_parse_to_the_same_account(value, expected):
    assert parse_handle(value) == expected


@pytest.mark.parametrize(
    ("value", "expected_handle", "expected"),
    [
        ("HTTPS://X.COM/AHMAD_KHAN/STATUS/1", "AHMAD_KHAN", X_AHMAD),
        ("HTTPS://WWW.INSTAGRAM.COM/AHMAD.KHAN/", "AHMAD.KHAN", IG_AHMAD),
        ("T.ME/SOME_CHANNEL", "SOME_CHANNEL", TG_CHANNEL),
        ("WWW.TIKTOK.COM/@SOME.USER", "SOME.USER", TT_USER),
        ("HTTPS://WWW.YOUTUBE.COM/@SOMEHANDLE", "SOMEHANDLE", YT_HANDLE),
        ("FACEBOOK.COM/JOHN.SMITH", "JOHN.SMITH", FB_JOHN),
    ],
)
def test_upper_case_url_keeps_typed_case_in_handle_and_matches_the_lower_case_account(
    value, expected_handle, expected
):
    parsed = parse_handle(value)

    assert parsed == P(
        expected.platform, expected_handle, expected.normalized, "", expected.profile_url
    )


def test_upper_case_youtube_channel_path_keeps_the_case_sensitive_id():
    assert parse_handle(f"HTTPS://WWW.YOUTUBE.COM/CHANNEL/{YT_ID}") == YT_CHANNEL


def test_whatsapp_invite_code_keeps_its_case_in_handle_and_url_but_matches_case_folded():
    lower = parse_handle(f"chat.whatsapp.com/{WA_INVITE.lower()}")

    assert (lower.handle, lower.profile_url) == (
        WA_INVITE.lower(),
        f"https://chat.whatsapp.com/{WA_INVITE.lower()}",
    )
    assert lower.normalized == WA_GROUP.normalized


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hxxps://t[.]me/Some_Channel", TG_CHANNEL),
        ("hXXps://x[.]com/Ahmad_Khan", X_AHMAD),
        ("hxxp[:]//instagram(.)com/ahmad.khan", IG_AHMAD),
        ("t[.]me/Some_Channel", TG_CHANNEL),
    ],
)
def test_defanged_urls_from_threat_reports_are_read(value, expected):
    assert parse_handle(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Ft.me%2FSome_Channel&h=AT0x", TG_CHANNEL),
        ("https://lm.facebook.com/l.php?u=https%3A%2F%2Fx.com%2FAhmad_Khan", X_AHMAD),
        ("https://l.instagram.com/?u=https%3A%2F%2Fwa.me%2F923001234567&e=AT0", WA_NUMBER),
    ],
)
def test_outbound_link_wrappers_are_unwrapped_to_the_linked_account(value, expected):
    assert parse_handle(value) == expected
    assert detect_platform(value) == expected.platform


def test_wrapped_link_is_checked_against_the_given_platform():
    with pytest.raises(HandleError) as caught:
        parse_handle("https://l.facebook.com/l.php?u=https%3A%2F%2Ft.me%2FSome_Channel", "facebook")

    assert (caught.value.code, caught.value.message) == (
        "wrong_platform",
        "That URL is a Telegram address, not Facebook.",
    )


# --------------------------------------------------------------------------------------------
# Wrong platform, unknown host, pages that are not accounts
# --------------------------------------------------------------------------------------------

SAMPLE_URLS = {
    "x": "https://x.com/Ahmad_Khan",
    "facebook": "https://www.facebook.com/John.Smith",
    "instagram": "https://www.instagram.com/ahmad.khan/",
    "whatsapp": "https://wa.me/923001234567",
    "telegram": "https://t.me/Some_Channel",
    "youtube": "https://www.youtube.com/@SomeHandle",
    "tiktok": "https://www.tiktok.com/@Some.User",
}
WITH_ARTICLE = {
    "x": "an X",
    "facebook": "a Facebook",
    "instagram": "an Instagram",
    "whatsapp": "a WhatsApp",
    "telegram": "a Telegram",
    "youtube": "a YouTube",
    "tiktok": "a TikTok",
}
NAMES = {
    "x": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "youtube": "YouTube",
    "tiktok": "TikTok",
}


@pytest.mark.parametrize(
    ("url_platform", "given"),
    [pair for pair in itertools.permutations(PLATFORM_SLUGS, 2)],
    ids=[f"{a}-url-as-{b}" for a, b in itertools.permutations(PLATFORM_SLUGS, 2)],
)
def test_url_of_another_platform_is_refused_with_both_names(url_platform, given):
    with pytest.raises(HandleError) as caught:
        parse_handle(SAMPLE_URLS[url_platform], given)

    assert caught.value.code == "wrong_platform"
    assert caught.value.message == (
        f"That URL is {WITH_ARTICLE[url_platform]} address, not {NAMES[given]}."
    )


@pytest.mark.parametrize(
    ("value", "given"),
    [
        ("https://twitter.com/Ahmad_Khan", "facebook"),
        ("https://fb.com/John.Smith", "instagram"),
        ("https://telegram.me/Some_Channel", "whatsapp"),
        ("https://chat.whatsapp.com/" + WA_INVITE, "telegram"),
        ("https://api.whatsapp.com/send?phone=923001234567", "x"),
        ("https://m.youtube.com/@SomeHandle", "tiktok"),
        ("https://t.co/abc123", "x-not-a-slug"),
    ],
)
def test_alternative_hosts_are_refused_for_another_platform(value, given):
    with pytest.raises(HandleError) as caught:
        parse_handle(value, given)

    assert caught.value.code == "wrong_platform"


@pytest.mark.parametrize(
    ("value", "given"),
    [
        ("https://twitter.com/Ahmad_Khan", "Twitter"),
        ("https://x.com/Ahmad_Khan", " X "),
        ("https://twitter.com/Ahmad_Khan", "x"),
    ],
)
def test_platform_aliases_and_case_are_accepted(value, given):
    assert parse_handle(value, given) == X_AHMAD


@pytest.mark.parametrize(
    "value",
    [
        "https://example.com/Ahmad_Khan",
        "example.com/Ahmad_Khan",
        "www.example.com",
        "https://vk.com/ahmad_khan",
        "https://x.com.evil.example/Ahmad_Khan",
        "https://notx.com/Ahmad_Khan",
        "https://facebook.com.example.org/John.Smith",
        "https://mytelegram.me.example/Some_Channel",
        "http://192.168.0.1/Ahmad_Khan",
    ],
)
def test_url_of_an_unknown_host_is_refused(value):
    with pytest.raises(HandleError) as caught:
        parse_handle(value)

    assert caught.value.code == "unknown_platform"
    assert detect_platform(value) is None


def test_unknown_host_message_names_the_host_and_the_known_platforms():
    with pytest.raises(HandleError) as caught:
        parse_handle("https://example.com/Ahmad_Khan")

    assert caught.value.message == (
        "example.com is not an address on X, Facebook, Instagram, WhatsApp, Telegram, YouTube or "
        "TikTok. Paste the account's profile address or its handle."
    )


def test_unknown_host_message_names_the_expected_platform_when_given():
    with pytest.raises(HandleError) as caught:
        parse_handle("https://vk.com/ahmad", "instagram")

    assert (caught.value.code, caught.value.message) == (
        "unknown_platform",
        "vk.com is not an Instagram address. Paste the account's profile address or its handle.",
    )


@pytest.mark.parametrize("value", ["tg://resolve?domain=Some_Channel", "ftp://x.com/Ahmad_Khan"])
def test_non_web_schemes_are_refused(value):
    with pytest.raises(HandleError) as caught:
        parse_handle(value)

    assert caught.value.code == "unknown_platform"


NOT_ACCOUNT_URLS = [
    "https://x.com",
    "https://x.com/",
    "https://x.com/home",
    "https://x.com/explore",
    "https://x.com/search?q=ahmad",
    "https://x.com/i/flow/login",
    "https://twitter.com/settings/profile",
    "https://x.com/hashtag/news",
    "https://x.com/intent/tweet?text=hello",
    "https://help.x.com/en/rules-and-policies",
    "https://t.co/AbCdEf123",
    "https://www.facebook.com/",
    "https://www.facebook.com/watch?v=123",
    "https://www.facebook.com/watch/",
    "https://www.facebook.com/groups",
    "https://www.facebook.com/groups/feed/",
    "https://www.facebook.com/events/123456/",
    "https://www.facebook.com/share/p/1AbCdEfGh/",
    "https://www.facebook.com/photo.php?fbid=123",
    "https://www.facebook.com/permalink.php?story_fbid=1&id=2",
    "https://www.facebook.com/profile.php",
    "https://www.facebook.com/reel/123456",
    "https://www.facebook.com/marketplace/item/1",
    "https://www.facebook.com/hashtag/news",
    "https://developers.facebook.com/docs",
    "https://fb.watch/abcDEF/",
    "https://fb.me/abc",
    "https://www.instagram.com/",
    "https://www.instagram.com/p/C1aBcDeFgHi/",
    "https://www.instagram.com/reel/C1aBcDeFgHi/",
    "https://www.instagram.com/tv/C1aBcDeFgHi/",
    "https://www.instagram.com/explore/tags/news/",
    "https://www.instagram.com/accounts/login/",
    "https://www.instagram.com/stories/highlights/17900000000000000/",
    "https://help.instagram.com/123",
    "https://t.me/",
    "https://t.me/c/1234567890/45",
    "https://t.me/share/url?url=https://example.com",
    "https://t.me/addstickers/SomeStickers",
    "https://t.me/proxy?server=1.2.3.4",
    "https://www.youtube.com/",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ",
    "https://www.youtube.com/shorts/abc123",
    "https://www.youtube.com/live/abc123",
    "https://www.youtube.com/playlist?list=PL123",
    "https://www.youtube.com/results?search_query=news",
    "https://www.youtube.com/feed/trending",
    "https://www.youtube.com/embed/abc123",
    "https://www.tiktok.com/",
    "https://www.tiktok.com/foryou",
    "https://www.tiktok.com/tag/news",
    "https://www.tiktok.com/music/sound-123",
    "https://www.tiktok.com/t/ZTabc123/",
    "https://vm.tiktok.com/ZMabc123/",
    "https://vt.tiktok.com/ZSabc123/",
    "https://wa.me/",
    "https://wa.me/message/ABCDEFGHIJK1",
    "https://wa.me/qr/ABCDEFGHIJK1",
    "https://www.whatsapp.com/download",
    "https://api.whatsapp.com/send?text=hello",
    "https://chat.whatsapp.com/",
    "https://faq.whatsapp.com/123",
]


@pytest.mark.parametrize("value", NOT_ACCOUNT_URLS)
def test_pages_that_are_not_accounts_are_refused(value):
    with pytest.raises(HandleError) as caught:
        parse_handle(value)

    assert caught.value.code == "not_an_account"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "https://x.com/home",
            "x.com/home is not an account page on X. Paste the account's profile address instead.",
        ),
        (
            "https://x.com",
            "That is the X home page, not an account. Paste the account's profile address.",
        ),
        (
            "https://www.instagram.com/p/C1aBcDeFgHi/?img_index=1",
            "That is a link to an Instagram post, not an account (www.instagram.com/p/C1aBcDeFgHi)."
            " Paste the profile address of the Instagram account instead.",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "That is a link to a YouTube video, not an account (youtu.be/dQw4w9WgXcQ). "
            "Paste the profile address of the YouTube account instead.",
        ),
        (
            "https://vm.tiktok.com/ZMabc123/",
            "vm.tiktok.com/ZMabc123 is a short link that hides the account. "
            "Open it in a browser and paste the profile address it leads to.",
        ),
        (
            "https://t.me/c/1234567890/45",
            "That is a link to a post in a private Telegram channel, which does not name the "
            "channel. Paste the channel's invite link (t.me/+...) or its @username.",
        ),
        (
            "https://www.facebook.com/profile.php",
            "That profile.php address has no id=...; copy the full address from the browser.",
        ),
    ],
)
def test_non_account_pages_explain_what_they_are(value, message):
    with pytest.raises(HandleError) as caught:
        parse_handle(value)

    assert caught.value.message == message


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("https://[broken/Ahmad_Khan", "invalid_url"),
        ("https://www.facebook.com/%FF%FE", "invalid_url"),
        ("https://", "invalid_url"),
    ],
)
def test_unreadable_urls_are_refused(value, code):
    with pytest.raises(HandleError) as caught:
        parse_handle(value)

    assert caught.value.code == code


# --------------------------------------------------------------------------------------------
# Bare handles
# --------------------------------------------------------------------------------------------

BARE_CASES = [
    ("Ahmad_Khan", "x", X_AHMAD),
    ("@Ahmad_Khan", "x", X_AHMAD),
    ("  @Ahmad_Khan  ", "x", X_AHMAD),
    ("@ Ahmad_Khan", "x", X_AHMAD),
    ("John.Smith", "facebook", FB_JOHN),
    ("@John.Smith", "facebook", FB_JOHN),
    (FB_ID, "facebook", FB_BY_ID),
    ("groups/Some.Group", "facebook",
     P("facebook", "groups/Some.Group", "groups/some.group", "",
       "https://www.facebook.com/groups/some.group/")),
    ("ahmad.khan", "instagram", IG_AHMAD),
    ("@ahmad.khan", "instagram", IG_AHMAD),
    ("Some_Channel", "telegram", TG_CHANNEL),
    ("@Some_Channel", "telegram", TG_CHANNEL),
    ("@Durv", "telegram", P("telegram", "Durv", "durv", "", "https://t.me/durv")),
    (f"+{TG_INVITE}", "telegram",
     P("telegram", f"+{TG_INVITE}", "+abcdefghijklmn12", "", f"https://t.me/+{TG_INVITE}")),
    ("+92 300 1234567", "telegram",
     P("telegram", "+923001234567", "+923001234567", "", "https://t.me/+923001234567")),
    ("SomeHandle", "youtube", YT_HANDLE),
    ("@SomeHandle", "youtube", YT_HANDLE),
    (YT_ID, "youtube", YT_CHANNEL),
    ("Some.User", "tiktok", TT_USER),
    ("@Some.User", "tiktok", TT_USER),
    ("+923001234567", "whatsapp", WA_NUMBER),
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "platform", "expected"),
    BARE_CASES,
    ids=[f"{case[1]}:{case[0].strip()}" for case in BARE_CASES],
)
def test_bare_handle_with_platform_parses_to_canonical_account(value, platform, expected):
    assert parse_handle(value, platform) == expected


@pytest.mark.parametrize(
    ("value", "platform", "expected"),
    BARE_CASES,
    ids=[f"{case[1]}:{case[0].strip()}" for case in BARE_CASES],
)
def test_bare_handle_is_not_taken_for_a_url(value, platform, expected):
    assert detect_platform(value) is None


def test_youtube_at_sign_makes_a_channel_id_shaped_name_a_handle():
    parsed = parse_handle(f"@{YT_ID}", "youtube")

    assert parsed == P(
        "youtube",
        YT_ID,
        "ucx7b_ez3ko0rh2-lm9pqa1w",
        "",
        "https://www.youtube.com/@ucx7b_ez3ko0rh2-lm9pqa1w",
    )


@pytest.mark.parametrize("value", ["Ahmad_Khan", "@Ahmad_Khan", "john.smith", "+923001234567"])
@pytest.mark.parametrize("platform", [None, ""])
def test_bare_handle_without_platform_asks_for_the_platform(value, platform):
    with pytest.raises(HandleError) as caught:
        parse_handle(value, platform)

    assert caught.value.code == "platform_required"


def test_platform_required_message_quotes_the_input():
    with pytest.raises(HandleError) as caught:
        parse_handle("@Ahmad_Khan")

    assert caught.value.message == (
        'Choose the platform for "@Ahmad_Khan", or paste the full profile address.'
    )


def test_platform_added_by_an_admin_accepts_any_handle_without_a_url():
    assert parse_handle("@Some.Name-1", "vk") == P("vk", "Some.Name-1", "some.name-1", "", "")


@pytest.mark.parametrize("value", ["some name", "a/b", "x" * 256])
def test_platform_added_by_an_admin_refuses_spaces_slashes_and_overlong_handles(value):
    with pytest.raises(HandleError) as caught:
        parse_handle(value, "vk")

    assert caught.value.code == "invalid_handle"


# --------------------------------------------------------------------------------------------
# Per-platform handle rules (ASCII) and Unicode on platforms whose rules forbid it
# --------------------------------------------------------------------------------------------

X_RULE = "X handles are 1 to 15 characters: letters A-Z, digits and underscores."
IG_RULE = (
    "Instagram usernames are up to 30 characters: letters A-Z, digits, full stops and underscores."
)
TG_RULE = (
    "Telegram usernames are 4 to 32 characters: letters A-Z, digits and underscores, "
    "starting with a letter."
)
TT_RULE = (
    "TikTok usernames are up to 24 characters: letters A-Z, digits, underscores and full stops."
)
FB_RULE = "Facebook usernames are up to 50 characters: letters, digits and full stops."
YT_RULE = (
    "YouTube handles are 3 to 30 characters: letters, digits, underscores, hyphens and full stops."
)


@pytest.mark.parametrize(
    ("value", "platform", "rule"),
    [
        ("a" * 16, "x", X_RULE),
        ("ahmad-khan", "x", X_RULE),
        ("ahmad.khan", "x", X_RULE),
        ("a" * 31, "instagram", IG_RULE),
        ("ahmad-khan", "instagram", IG_RULE),
        ("abc", "telegram", TG_RULE),
        ("a" * 33, "telegram", TG_RULE),
        ("1channel", "telegram", TG_RULE),
        ("some-channel", "telegram", TG_RULE),
        ("some.channel", "telegram", TG_RULE),
        ("a" * 25, "tiktok", TT_RULE),
        ("some-user", "tiktok", TT_RULE),
        ("john_smith", "facebook", FB_RULE),
        ("a" * 51, "facebook", FB_RULE),
        ("...", "facebook", FB_RULE),
        ("ab", "youtube", YT_RULE),
        ("a" * 31, "youtube", YT_RULE),
        ("some+handle", "youtube", YT_RULE),
    ],
)
def test_handle_breaking_the_platform_rule_is_refused_with_the_rule(value, platform, rule):
    with pytest.raises(HandleError) as caught:
        parse_handle(value, platform)

    assert caught.value.code == "invalid_handle"
    assert caught.value.message == f'"{value}" is not a valid {NAMES[platform]} handle. {rule}'


@pytest.mark.parametrize(
    ("value", "platform", "expected_handle"),
    [
        ("a" * 15, "x", "a" * 15),
        ("a", "x", "a"),
        ("a" * 30, "instagram", "a" * 30),
        ("a" * 32, "telegram", "a" * 32),
        ("a" * 24, "tiktok", "a" * 24),
        ("abc", "youtube", "abc"),
        ("a" * 50, "facebook", "a" * 50),
    ],
)
def test_handle_at_the_length_limit_is_accepted(value, platform, expected_handle):
    assert parse_handle(value, platform).handle == expected_handle


@pytest.mark.parametrize(
    ("platform", "rule"),
    [("x", X_RULE), ("instagram", IG_RULE), ("telegram", TG_RULE), ("tiktok", TT_RULE)],
)
@pytest.mark.parametrize(
    "value",
    [
        AR_NUR,  # Arabic letters
        UR_PAKISTAN,  # Urdu letters
        "Ahm\u00e4d",  # a Latin letter outside A-Z
    ],
)
def test_unicode_handle_on_ascii_only_platform_is_refused_with_the_rule(value, platform, rule):
    with pytest.raises(HandleError) as caught:
        parse_handle(value, platform)

    assert caught.value.code == "invalid_handle"
    assert caught.value.message == f'"{value}" is not a valid {NAMES[platform]} handle. {rule}'


@pytest.mark.parametrize(
    ("value", "platform"),
    [
        ("Ahmad Khan", "x"),
        ("John Smith", "facebook"),
        ("ahmad khan", "instagram"),
        ("Some User", "tiktok"),
        ("Some Handle", "youtube"),
    ],
)
def test_display_name_with_a_space_is_refused_as_a_handle(value, platform):
    with pytest.raises(HandleError) as caught:
        parse_handle(value, platform)

    assert caught.value.code == "invalid_handle"
    assert caught.value.message.startswith(f'"{value}" has a space in it, so it cannot be ')


def test_space_message_uses_the_right_article():
    with pytest.raises(HandleError) as caught:
        parse_handle("Ahmad Khan", "x")

    assert caught.value.message == (
        '"Ahmad Khan" has a space in it, so it cannot be an X handle. '
        "Enter the handle (the part after the @), not the display name."
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("https://x.com/ahmad-khan", "invalid_handle"),
        ("https://www.instagram.com/" + "a" * 31, "invalid_handle"),
        ("https://t.me/abc", "invalid_handle"),
        ("https://www.tiktok.com/@some-user", "invalid_handle"),
        (f"https://x.com/{AR_NUR_ENCODED}", "invalid_handle"),
        ("https://www.youtube.com/channel/UCshort", "invalid_handle"),
        ("https://www.facebook.com/profile.php?id=abc", "invalid_handle"),
        ("https://x.com/i/user/abc", "invalid_handle"),
        ("https://chat.whatsapp.com/short", "invalid_handle"),
        ("https://t.me/+bad*invite", "invalid_handle"),
    ],
)
def test_url_with_an_invalid_account_part_is_refused(value, code):
    with pytest.raises(HandleError) as caught:
        parse_handle(value)

    assert caught.value.code == code


# --------------------------------------------------------------------------------------------
# Unicode: NFKC folding, Arabic-script handles, invisible characters
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "platform", "expected"),
    [
        # Full-width "@Ahmad_Khan", as typed with an East Asian input method.
        (
            "\uff20\uff21\uff48\uff4d\uff41\uff44\uff3f\uff2b\uff48\uff41\uff4e",
            "x",
            X_AHMAD,
        ),
        # Mathematical bold "Ahmad" (U+1D400 block), common in spam and evasion.
        (
            "\U0001d400\U0001d421\U0001d426\U0001d41a\U0001d41d_Khan",
            "x",
            X_AHMAD,
        ),
        # Full-width small commercial at and letters on Telegram.
        (
            "\ufe6bSome_Channel",
            "telegram",
            TG_CHANNEL,
        ),
    ],
)
def test_compatibility_characters_fold_to_their_plain_form(value, platform, expected):
    assert parse_handle(value, platform) == expected


def test_full_width_url_folds_to_an_ordinary_url():
    # "x.com/Ahmad_Khan" in full-width characters.
    value = (
        "\uff58\uff0e\uff43\uff4f\uff4d\uff0f"
        "\uff21\uff48\uff4d\uff41\uff44\uff3f\uff2b\uff48\uff41\uff4e"
    )

    assert parse_handle(value) == X_AHMAD


@pytest.mark.parametrize(
    "value",
    [
        AR_NUR,
        f"@{AR_NUR}",
        f"\u200f{AR_NUR}\u200f",  # right-to-left marks copied with the text
        "\ufe8d\ufedf\ufee8\ufeee\ufead",  # the same word in Arabic presentation forms
        f"https://www.facebook.com/{AR_NUR_ENCODED}",
        f"https://m.facebook.com/{AR_NUR}",
    ],
)
def test_arabic_script_facebook_handle_is_accepted_and_folded(value):
    assert parse_handle(value, "facebook") == FB_NUR


def test_urdu_facebook_handle_is_accepted_with_an_encoded_profile_url():
    assert parse_handle(UR_PAKISTAN, "facebook") == P(
        "facebook",
        UR_PAKISTAN,
        UR_PAKISTAN,
        "",
        f"https://www.facebook.com/{UR_PAKISTAN_ENCODED}",
    )


def test_percent_encoded_urdu_facebook_url_decodes_to_the_handle():
    parsed = parse_handle(f"facebook.com/{UR_PAKISTAN_ENCODED}/")

    assert (parsed.handle, parsed.normalized) == (UR_PAKISTAN, UR_PAKISTAN)


def test_arabic_youtube_handle_is_accepted():
    assert parse_handle(f"youtube.com/@{AR_NUR_ENCODED}") == P(
        "youtube", AR_NUR, AR_NUR, "", f"https://www.youtube.com/@{AR_NUR_ENCODED}"
    )


@pytest.mark.parametrize(
    "value",
    [
        "\u200eAhmad_Khan",  # left-to-right mark
        "Ahmad_\u200bKhan",  # zero-width space
        "\ufeffAhmad_Khan",  # byte-order mark from a CSV export
        "\u2066@Ahmad_Khan\u2069",  # isolates around a handle in RTL text
        "Ahmad_\u00adKhan",  # soft hyphen
    ],
)
def test_invisible_characters_are_ignored(value):
    assert parse_handle(value, "x") == X_AHMAD


# --------------------------------------------------------------------------------------------
# Facebook: dots do not count
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected_handle", "expected_url"),
    [
        ("john.smith", "john.smith", "https://www.facebook.com/john.smith"),
        ("johnsmith", "johnsmith", "https://www.facebook.com/johnsmith"),
        ("John.Smith", "John.Smith", "https://www.facebook.com/john.smith"),
        ("j.o.h.n.s.m.i.t.h", "j.o.h.n.s.m.i.t.h", "https://www.facebook.com/j.o.h.n.s.m.i.t.h"),
        ("facebook.com/JohnSmith", "JohnSmith", "https://www.facebook.com/johnsmith"),
        ("fb.com/john.smith.", "john.smith.", "https://www.facebook.com/john.smith."),
    ],
)
def test_facebook_usernames_match_whatever_their_dots(value, expected_handle, expected_url):
    parsed = parse_handle(value, "facebook")

    assert parsed == P("facebook", expected_handle, "johnsmith", "", expected_url)


@pytest.mark.parametrize("platform", ["instagram", "tiktok"])
def test_dots_still_count_on_platforms_other_than_facebook(platform):
    assert parse_handle("ahmad.khan", platform).normalized == "ahmad.khan"
    assert parse_handle("ahmadkhan", platform).normalized == "ahmadkhan"


def test_facebook_group_addresses_keep_their_dots():
    assert parse_handle("facebook.com/groups/Some.Group").normalized == "groups/some.group"
    assert parse_handle("facebook.com/groups/SomeGroup").normalized == "groups/somegroup"


# --------------------------------------------------------------------------------------------
# WhatsApp numbers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "+923001234567",
        "923001234567",
        "+92 300 1234567",
        "+92-300-1234567",
        "+92.300.123.4567",
        "(+92) 300 1234567",
        "0092 300 1234567",
        "00923001234567",
        "+92\u00a0300\u00a01234567",  # no-break spaces from a web page
        "\u06f0\u06f0\u06f9\u06f2\u06f3\u06f0\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7",
        "+\u0669\u0662\u0663\u0660\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667",
        "\uff0b\uff19\uff12\uff13\uff10\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17",
        923001234567,  # a spreadsheet cell holding the number as an integer
        "wa.me/923001234567",
        "https://api.whatsapp.com/send?phone=92%20300%201234567",
    ],
)
def test_whatsapp_number_forms_normalise_to_international_digits(value):
    assert parse_handle(value, "whatsapp") == WA_NUMBER


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "03001234567",
            '"03001234567" is a national number; WhatsApp needs the country code, e.g. +92 for '
            "Pakistan: +923001234567.",
        ),
        (
            "12345",
            '"12345" is not a valid WhatsApp phone number. Numbers must be in international '
            "format with the country code, e.g. +923001234567.",
        ),
        (
            "+1234567890123456",
            '"+1234567890123456" is not a valid WhatsApp phone number. Numbers must be in '
            "international format with the country code, e.g. +923001234567.",
        ),
        (
            "Ahmad_Khan",
            '"Ahmad_Khan" is not a WhatsApp number. WhatsApp accounts are phone numbers with the '
            "country code, e.g. +923001234567; for a group or channel paste its chat.whatsapp.com "
            "or whatsapp.com/channel link.",
        ),
    ],
)
def test_invalid_whatsapp_numbers_are_refused_with_the_format(value, message):
    with pytest.raises(HandleError) as caught:
        parse_handle(value, "whatsapp")

    assert (caught.value.code, caught.value.message) == ("invalid_handle", message)


def test_whatsapp_url_with_a_national_number_is_refused():
    with pytest.raises(HandleError) as caught:
        parse_handle("https://wa.me/03001234567")

    assert caught.value.code == "invalid_handle"


# --------------------------------------------------------------------------------------------
# Empty, oversize and odd input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "   ", "\t\n", "@", " @ ", "\u200f", "\u3000", None])
@pytest.mark.parametrize("platform", [None, "x"])
def test_empty_input_is_refused(value, platform):
    with pytest.raises(HandleError) as caught:
        parse_handle(value, platform)

    assert (caught.value.code, caught.value.message) == (
        "empty",
        "Enter a handle or a profile address.",
    )


def test_input_over_the_limit_is_refused_before_parsing():
    value = "https://x.com/" + "a" * (MAX_INPUT_LENGTH - len("https://x.com/") + 1)

    with pytest.raises(HandleError) as caught:
        parse_handle(value)

    assert (caught.value.code, caught.value.message) == (
        "too_long",
        "That is 2,001 characters long; a handle or profile address is at most 2,000.",
    )


def test_input_at_the_limit_is_parsed_normally():
    value = "https://x.com/Ahmad_Khan?" + "a" * (
        MAX_INPUT_LENGTH - len("https://x.com/Ahmad_Khan?")
    )

    assert len(value) == MAX_INPUT_LENGTH
    assert parse_handle(value) == X_AHMAD


def test_long_invalid_handle_is_cut_short_in_the_message():
    value = "a" * 100

    with pytest.raises(HandleError) as caught:
        parse_handle(value, "x")

    assert caught.value.message == f'"{"a" * 57}..." is not a valid X handle. {X_RULE}'


@pytest.mark.parametrize("value", [["x.com/a"], 1.5, b"x.com/a"])
def test_non_text_input_is_a_programming_error(value):
    with pytest.raises(TypeError):
        parse_handle(value, "x")


# --------------------------------------------------------------------------------------------
# detect_platform and normalize_handle on their own
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x.com/Ahmad_Khan", "x"),
        ("twitter.com", "x"),
        ("FACEBOOK.COM/John.Smith", "facebook"),
        ("https://fb.watch/abc", "facebook"),
        ("instagram.com/p/abc", "instagram"),
        ("wa.me/923001234567", "whatsapp"),
        ("chat.whatsapp.com/" + WA_INVITE, "whatsapp"),
        ("t.me/c/123/1", "telegram"),
        ("youtu.be/abc", "youtube"),
        ("vm.tiktok.com/abc", "tiktok"),
        ("Ahmad_Khan", None),
        ("@Ahmad_Khan", None),
        ("john.smith", None),
        ("+923001234567", None),
        ("example.com/Ahmad_Khan", None),
        ("", None),
        (None, None),
        ("x" * (MAX_INPUT_LENGTH + 1), None),
        ("https://[broken/", None),
    ],
)
def test_detect_platform(value, expected):
    assert detect_platform(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("@Ahmad_Khan", "ahmad_khan"),
        ("  Ahmad_Khan  ", "ahmad_khan"),
        ("@@Ahmad", "@ahmad"),
        ("\uff20\uff21\uff48\uff4d\uff41\uff44", "ahmad"),
        ("Stra\u00dfe", "strasse"),
        ("\u212bngstr\u00f6m", "\u00e5ngstr\u00f6m"),  # the Angstrom sign folds to a-ring
        (AR_NUR, AR_NUR),
        ("\u200fJohn.Smith", "john.smith"),
    ],
)
def test_normalize_handle_folds_width_case_and_one_at_sign(value, expected):
    assert normalize_handle(value) == expected


# --------------------------------------------------------------------------------------------
# HandleError and ParsedHandle contracts
# --------------------------------------------------------------------------------------------


def test_handle_error_is_a_value_error_with_message_and_code():
    error = HandleError("Something is wrong.", "not_an_account")

    assert isinstance(error, ValueError)
    assert (error.message, error.code, str(error)) == (
        "Something is wrong.",
        "not_an_account",
        "Something is wrong.",
    )


def test_handle_error_code_defaults_to_invalid_handle():
    assert HandleError("Bad.").code == "invalid_handle"


def test_parsed_handle_is_immutable():
    parsed = parse_handle("@Ahmad_Khan", "x")

    with pytest.raises(AttributeError):
        parsed.handle = "other"  # type: ignore[misc]


def test_platform_slugs_are_the_seven_built_in_platforms_in_order():
    assert PLATFORM_SLUGS == (
        "x",
        "facebook",
        "instagram",
        "whatsapp",
        "telegram",
        "youtube",
        "tiktok",
    )
