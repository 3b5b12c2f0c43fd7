"""accounts/mirrors/contacts.py: contact points as typed normalised values."""

import pytest

from accounts.mirrors.contacts import extract_contacts, normalize_link


@pytest.mark.parametrize(
    "text",
    [
        "t.me/KhorasanVoice",
        "telegram.me/khorasanvoice",
        "https://t.me/khorasanvoice/",
        "https://www.t.me/khorasanvoice?utm_source=x",
        "join @KhorasanVoice now",
        "https://telegram.me/s/khorasanvoice",
    ],
)
def test_telegram_channel_in_any_form_is_one_value(text):
    assert extract_contacts(text) == ["tg:khorasanvoice"]


@pytest.mark.parametrize(
    "text",
    [
        "+92 333 1234567",
        "0333-1234567",
        "wa.me/923331234567",
        "https://api.whatsapp.com/send?phone=923331234567&text=salam",
        "call 0092 333 1234567",
    ],
)
def test_phone_number_in_any_form_is_one_e164_value(text):
    assert extract_contacts(text) == ["tel:+923331234567"]


def test_links_lose_scheme_www_tracking_and_trailing_slash():
    assert normalize_link("https://www.Example.org/news/?utm_medium=tw&id=7&fbclid=abc") == (
        "url:example.org/news?id=7"
    )
    assert normalize_link("http://example.org/news") == "url:example.org/news"


def test_a_link_shortener_home_page_is_a_bare_host():
    assert extract_contacts("more at bit.ly") == ["url:bit.ly"]


def test_email_addresses_are_lower_cased_and_not_read_as_links_or_mentions():
    assert extract_contacts("write to Media.Cell@Example.ORG") == ["email:media.cell@example.org"]


def test_profile_address_counts_as_a_contact_point():
    assert extract_contacts("", "https://t.me/sada_e_haq") == ["tg:sada_e_haq"]


def test_a_bio_with_several_points_gives_each_once():
    bio = "Sada-e-Haq t.me/sada_haq | +92 300 7654321 | t.me/sada_haq | sada@example.org"
    assert extract_contacts(bio) == [
        "email:sada@example.org",
        "tel:+923007654321",
        "tg:sada_haq",
    ]


def test_plain_text_without_contacts_gives_nothing():
    assert extract_contacts("Truth will prevail. 2024 is the year.") == []
