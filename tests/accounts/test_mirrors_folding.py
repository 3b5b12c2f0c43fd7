"""accounts/mirrors/folding.py: handle and display-name keys after the mirror tricks."""

import pytest

from accounts.mirrors.folding import (
    display_name_key,
    handle_key,
    handle_keys,
    handle_similarity,
    name_similarity,
)

ORIGINAL = "umar_khorasani"
CYRILLIC_A, CYRILLIC_O, GREEK_ETA = "\u0430", "\u043e", "\u0397"


@pytest.mark.parametrize(
    ("trick", "mirror"),
    [
        ("digits added", "umar_khorasani_2"),
        ("year added", "umarkhorasani2024"),
        ("separators dropped", "umarkhorasani"),
        ("separators changed", "umar.khorasani"),
        ("separators doubled", "umar__khorasani__"),
        ("affix suffix", "umar_khorasani_official"),
        ("affix prefix", "real_umar_khorasani"),
        ("affix glued", "umarkhorasanibackup"),
        ("several affixes", "new_umar_khorasani_tv"),
        ("leetspeak", "um4r_kh0r4s4n1"),
        ("leet affix", "umar_khorasani_0ff1c1al"),
        ("doubled letters", "umaar_khorassani"),
        ("cyrillic look-alikes", f"um{CYRILLIC_A}r_kh{CYRILLIC_O}rasani"),
        ("upper case", "UMAR_KHORASANI"),
        ("rn for m", "urnar_khorasani"),
    ],
)
def test_each_handle_trick_folds_to_the_original_key(trick, mirror):
    assert handle_key(ORIGINAL) in handle_keys(mirror), trick


@pytest.mark.parametrize(
    "mirror",
    [
        f"Um4r.Kh{CYRILLIC_O}rassani_0fficial_2",
        "__umaar_kh0rasani_updates786",
        f"real.um{CYRILLIC_A}rkhorasani.tv",
    ],
)
def test_tricks_combined_fold_to_the_original_key(mirror):
    assert handle_key(ORIGINAL) in handle_keys(mirror)


@pytest.mark.parametrize(
    "mirror", ["umra_khorasani", "umar_khorsaani", "umar_khorasnai", "umar_khurasani"]
)
def test_transpositions_and_typos_stay_close(mirror):
    similarity = handle_similarity(handle_keys(ORIGINAL), handle_keys(mirror))
    assert 0.85 <= similarity < 1.0


def test_different_names_are_not_close():
    assert handle_similarity(handle_keys(ORIGINAL), handle_keys("bilal_waziri")) < 0.5


def test_a_handle_of_affixes_only_keeps_a_key():
    assert handle_key("new_tv") == "new" and handle_key("official") == "oflclal"


def test_urdu_script_display_name_meets_its_latin_spelling():
    urdu = "\u0627\u0628\u0648 \u062d\u0645\u0632\u06c1 \u062e\u0631\u0627\u0633\u0627\u0646\u06cc"
    latin = "Abu Hamza Khorasani"
    assert name_similarity(display_name_key(urdu), display_name_key(latin), arabic=True) >= 0.85
    assert (
        name_similarity(display_name_key(urdu), display_name_key("Bilal Waziri"), arabic=True) < 0.6
    )


def test_look_alike_letters_in_a_display_name_are_folded():
    disguised = f"{CYRILLIC_A}bu {GREEK_ETA}amza"
    assert display_name_key(disguised) == display_name_key("Abu Hamza") == "abu hamza"


def test_group_names_keep_the_matching_keys():
    assert display_name_key("Tehreek-e-Taliban Pakistan") == "tehrik taliban pakistan"
