"""Predicted handle variants (sharing/variants.py)."""

import pytest
from django.utils import timezone

from accounts.choices import MirrorStatus
from accounts.mirrors.folding import handle_keys
from accounts.models import MirrorCandidate
from accounts.tasks import mirror_model_refit_task
from sharing.models import VariantWeights
from sharing.variants import (
    classify,
    confirmed_priors,
    counts_as_data,
    counts_from_data,
    default_priors,
    fit_counts,
    fit_priors,
    forget_priors,
    is_valid_handle,
    predict_variants,
    with_default_priors,
)
from tests.factories import AccountFactory

HANDLES = [
    ("x", "abu_hamza_tv"),
    ("x", "T4lib_Media"),
    ("telegram", "abuhamza_channel"),
    ("instagram", "abu.hamza.official"),
    ("tiktok", "abu_hamza.news"),
    ("facebook", "abu.hamza"),
    ("youtube", "AbuHamzaMedia"),
    ("whatsapp", "+923001234567"),
]


@pytest.mark.parametrize(("platform", "handle"), HANDLES)
def test_every_variant_is_valid_on_its_platform_and_new(platform, handle, settings):
    variants = predict_variants(handle, platform, priors=with_default_priors({}))

    assert len(variants) <= settings.SIGNAL_VARIANTS
    assert all(is_valid_handle(platform, v["handle"]) for v in variants)
    handles = [v["handle"].casefold() for v in variants]
    assert handle.casefold() not in handles
    assert len(handles) == len(set(handles))


def test_a_phone_number_has_no_variants():
    assert predict_variants("+923001234567", "whatsapp", priors=with_default_priors({})) == []


def test_the_platform_rules_bound_the_variants():
    # X: at most 15 characters, no full stops; a 15-character handle can only lose letters.
    variants = predict_variants("abu_hamza_media", "x", priors=with_default_priors({}))
    assert variants and all(len(v["handle"]) <= 15 and "." not in v["handle"] for v in variants)
    assert not is_valid_handle("x", "abu.hamza")
    assert is_valid_handle("instagram", "abu.hamza")


@pytest.mark.parametrize("trick", ["digits", "separators", "affix", "leet", "doubled"])
def test_variants_of_folded_tricks_fold_to_the_original_key(trick):
    original = "abu_hamza"
    variants = predict_variants(original, "telegram", priors=with_default_priors({}), limit=500)
    of_trick = [v["handle"] for v in variants if v["trick"] == trick]
    assert of_trick
    # The same tricks the detector folds: such variants meet the original's key (the few
    # that do not are left to the detector's similarity, as a doubled "m" read as "rnrn").
    folded = [v for v in of_trick if set(handle_keys(v)) & set(handle_keys(original))]
    assert len(folded) >= 0.8 * len(of_trick)


def test_classify_names_the_form_a_mirror_used():
    assert ("digits", "2024") in classify("abu_hamza", "abu_hamza2024")
    assert ("affix", "_official") in classify("abu_hamza", "abu_hamza_official")
    assert classify("abu_hamza", "someone_else") == []


def test_confirmed_mirrors_move_their_trick_up():
    default = predict_variants("abuhamza", "telegram", priors=with_default_priors({}), limit=25)
    assert "abuhamza_backup" not in [v["handle"] for v in default]

    learned = fit_priors([(f"name{n}", f"name{n}_backup") for n in range(40)])
    ranked = predict_variants("abuhamza", "telegram", priors=learned, limit=25)
    assert ranked[0]["handle"] == "abuhamza_backup"


def _confirmed_backup_mirrors(platforms, count=30):
    for n in range(count):
        original = AccountFactory(handle=f"orig_name{n}", platform=platforms["telegram"])
        mirror = AccountFactory(handle=f"orig_name{n}_backup", platform=platforms["telegram"])
        MirrorCandidate.objects.create(
            account=mirror,
            removed_account=original,
            score=0.9,
            status=MirrorStatus.CONFIRMED,
            decided_at=timezone.now(),
        )


@pytest.mark.django_db
def test_before_any_refit_the_default_priors_rank_the_variants(platforms):
    forget_priors()
    _confirmed_backup_mirrors(platforms)
    try:
        # Confirmed mirrors count only once the refit job has stored them.
        assert confirmed_priors() == default_priors()
    finally:
        forget_priors()


@pytest.mark.django_db
def test_the_mirror_refit_job_stores_the_ranking_as_a_version(platforms):
    forget_priors()
    _confirmed_backup_mirrors(platforms)
    try:
        mirror_model_refit_task()
        mirror_model_refit_task()  # the same confirmed mirrors: the same version
        weights = VariantWeights.objects.get()
        assert (weights.version, weights.active) == (1, True)
        assert (weights.trained_on, weights.explained) == (30, 30)
        assert weights.counts["affix/_backup"] == pytest.approx(30.0)
        assert weights.history.first().history_change_reason == "refit from confirmed mirrors"
        priors = confirmed_priors()
        assert priors[("affix", "_backup")] > priors[("affix", "_news")] + 20
        ranked = predict_variants("abuhamza", "telegram")
        assert ranked[0]["handle"] == "abuhamza_backup"

        # A new confirmed mirror of another form: a new version, the old one kept inactive.
        original = AccountFactory(handle="fateh_noori", platform=platforms["telegram"])
        mirror = AccountFactory(handle="fateh_noori2025", platform=platforms["telegram"])
        MirrorCandidate.objects.create(
            account=mirror,
            removed_account=original,
            score=0.9,
            status=MirrorStatus.CONFIRMED,
            decided_at=timezone.now(),
        )
        mirror_model_refit_task()
        assert list(VariantWeights.objects.values_list("version", "active")) == [
            (2, True),
            (1, False),
        ]
        assert VariantWeights.objects.get(active=True).counts["digits/2025"] == 1.0
    finally:
        forget_priors()


def test_default_priors_put_years_before_other_numbers():
    priors = default_priors()
    assert priors[("digits", "2025")] > priors[("digits", "_3")] > priors[("digits", "7")]
    assert priors[("digits", "7")] > priors[("digits", "42")]
    assert priors[("affix", "_official")] > priors[("affix", ".official")]
    assert sum(w for (t, _f), w in priors.items() if t == "digits") == pytest.approx(12.0)


def test_stored_counts_read_back_as_the_same_ranking():
    counts, read, explained = fit_counts([("abu", "abu_official"), ("abu", "abu7"), ("a", "zz")])
    assert (read, explained) == (3, 2)
    assert counts_from_data(counts_as_data(counts)) == counts


def test_within_digits_the_numbers_confirmed_mirrors_used_come_first():
    # Tuning pairs that all added 42 or 7: those two numbers lead, in that order.
    pairs = [(f"name{n}", f"name{n}42") for n in range(12)] + [("abc", "abc7")] * 6
    ranked = [
        v["handle"] for v in predict_variants("abuhamza", "telegram", priors=fit_priors(pairs))
    ]
    assert ranked[:2] == ["abuhamza42", "abuhamza7"]
    assert classify("abu", "abu42") == [("digits", "42")]


def test_look_alike_letters_only_where_the_platform_allows_them():
    priors = fit_priors([(f"name{n}", f"n\u0430me{n}") for n in range(30)])
    assert priors[("homoglyph", "a")] > priors[("homoglyph", "o")]
    youtube = predict_variants("AbuHamzaMedia", "youtube", priors=priors)
    assert youtube[0]["trick"] == "homoglyph" and "\u0430" in youtube[0]["handle"]
    telegram = predict_variants("abuhamza_media", "telegram", priors=priors, limit=500)
    assert not any(v["trick"] == "homoglyph" for v in telegram)


def test_two_letter_leet_and_swaps_across_a_separator_are_forms():
    assert ("leet", "two") in classify("abu_hamza", "4bu_h4mza")
    assert ("transposition", "") in classify("abu_hamza", "ab_uhamza")
