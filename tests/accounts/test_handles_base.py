"""The URL and handle steps every platform parser shares (accounts/handles/base.py)."""

import re

import pytest

from accounts.handles.base import HandleError, pattern_handle, profile_segments, split_url


def test_profile_segments_are_the_decoded_path_of_a_profile_host():
    url = split_url("https://m.example-platform.test/%D8%B5%D8%AF%D8%A7/posts")

    assert profile_segments(url, frozenset({""})) == ["صدا", "posts"]


@pytest.mark.parametrize(
    "address", ["https://business.instagram.com/sada", "https://www.instagram.com/"]
)
def test_another_subdomain_or_an_empty_path_is_no_account(address):
    with pytest.raises(HandleError) as error:
        profile_segments(split_url(address))

    assert error.value.code == "not_an_account"


def test_a_path_in_place_of_the_urls_own_is_read_instead():
    url = split_url("https://twitter.com/#!/sada_e_haq")

    assert profile_segments(url, path=url.fragment[1:]) == ["sada_e_haq"]


def test_a_pattern_handle_drops_one_at_and_builds_its_profile_url():
    parsed = pattern_handle(
        "x", "@Sada_E_Haq", re.compile(r"\w{1,15}"), "rule", "https://x.com/{normalized}"
    )

    assert (parsed.handle, parsed.normalized, parsed.profile_url) == (
        "Sada_E_Haq",
        "sada_e_haq",
        "https://x.com/sada_e_haq",
    )


def test_a_handle_outside_the_pattern_is_refused_with_the_rule():
    with pytest.raises(HandleError) as error:
        pattern_handle("x", "a b", re.compile(r"\w+"), "Only letters.", "{normalized}")

    assert error.value.code == "invalid_handle"
    assert "Only letters." in error.value.message
