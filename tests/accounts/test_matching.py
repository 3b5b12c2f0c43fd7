"""Name keys, acronyms, similarity, cross-list resolution and mentions of proscribed groups."""

import pytest

from accounts.importers import parse_path
from accounts.matching import (
    AUTO_MERGE_THRESHOLD,
    REVIEW_THRESHOLD,
    NameIndex,
    acronym,
    best_matches,
    find_mentions,
    name_key,
    name_variants,
    resolve_record,
    similarity,
    text_key,
)
from tests.accounts.designation_files import REAL, SAMPLES

TTP_SPELLINGS = [
    "Tehrik-e Taliban Pakistan",
    "Tehrik-i-Taliban Pakistan",
    "Tehreek-e-Taliban Pakistan",
    "Tehreek e Taliban Pakistan",
    "TEHRIK-E TALIBAN PAKISTAN (TTP)",
    "تحریک طالبان پاکستان",
]
LET_SPELLINGS = ["Lashkar-e-Tayyiba", "Lashkar-e-Taiba", "Lashkar e Tayyaba", "LASHKAR-E-TOIBA"]
JEM_SPELLINGS = ["Jaish-e-Mohammed", "Jaish-i-Mohammed", "Jaish-e-Mohammad", "جیش محمد"]
ISKP_SPELLINGS = [
    "ISIL-Khorasan",
    "Islamic State Khorasan Province",
    "ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)",
    "ISIS Wilayat Khorasan",
    "IS-Khorasan",
]

# A small register: the groups most often confused with one another.
REGISTER = [
    ("ttp", ["Tehrik-e-Taliban Pakistan"]),
    ("tnsm", ["Tehrik-e-Nifaz-e-Shariat-e-Mohammadi"]),
    ("let", ["Lashkar-e-Tayyiba", "Jamaat-ud-Dawa"]),
    ("lej", ["Lashkar-e-Jhangvi"]),
    ("jem", ["Jaish-e-Mohammed", "Army of Mohammed"]),
    ("iskp", ["Islamic State Khorasan Province"]),
    ("isil", ["Islamic State of Iraq and the Levant", "Daesh"]),
    ("hum", ["Harakat ul-Mujahidin"]),
    ("hm", ["Hizb-ul-Mujahideen"]),
]


@pytest.fixture(scope="module")
def un_index() -> NameIndex:
    entities = [
        r for r in parse_path("un", REAL / "un_consolidated_2026-02-27.xml") if r.is_organisation
    ]
    return NameIndex((r.reference, [r.name, *r.aliases]) for r in entities)


# --- keys and acronyms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings", [TTP_SPELLINGS, LET_SPELLINGS, JEM_SPELLINGS, ISKP_SPELLINGS], ids=str
)
def test_spellings_of_one_group_share_one_key(spellings):
    keys = {name_key(name) for name in spellings}
    assert len(keys) == 1, keys


def test_keys_are_ascii_lower_case_and_readable():
    assert name_key("Tehreek-e-Taliban  Pakistan") == "tehrik taliban pakistan"
    assert name_key("تحریک طالبان پاکستان") == "tehrik taliban pakistan"
    assert name_key("Al-Qa'ida") == name_key("al Qaeda") == "qaida"
    assert name_key("") == ""


def test_pakistan_and_pak_are_not_folded():
    assert name_key("Tehrik-e-Taliban Pak") != name_key("Tehrik-e-Taliban Pakistan")


def test_different_groups_keep_different_keys():
    keys = [name_key(names[0]) for _, names in REGISTER]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tehrik-e-Taliban Pakistan", "ttp"),
        ("Lashkar-e-Tayyiba", "let"),
        ("Jaish-e-Mohammed", "jem"),
        ("Lashkar-e-Jhangvi", "lej"),
        ("Jamaat-ud-Dawa", "jud"),
        ("Tehrik-e-Nifaz-e-Shariat-e-Mohammadi", "tnsm"),
        ("Islamic State Khorasan Province", "iskp"),
        ("Balochistan Liberation Army", "bla"),
        ("TTP", "ttp"),
    ],
)
def test_acronym(name, expected):
    assert acronym(name) == expected


def test_name_variants_split_brackets_and_slashes_but_not_places():
    assert name_variants("TEHRIK-E TALIBAN PAKISTAN (TTP)") == ["TEHRIK-E TALIBAN PAKISTAN", "TTP"]
    assert name_variants("Daesh / ISIL") == ["Daesh", "ISIL"]
    assert name_variants("AL-HARAMAYN FOUNDATION (KENYA)") == ["AL-HARAMAYN FOUNDATION"]


def test_text_key_keeps_bracketed_words():
    assert text_key("news (TTP) media") == "news ttp media"
    assert name_key("news (TTP) media") == "news media"


# --- similarity --------------------------------------------------------------------------------


def test_similarity_of_one_key_is_one_and_ignores_word_order():
    assert similarity("Tehrik-i-Taliban Pakistan", "Tehreek e Taliban Pakistan") == 1.0
    assert similarity("Haqqani Network", "Network Haqqani") == 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Lashkar-e-Jhangvi", "Lashkar-e-Tayyiba"),
        ("Tehrik-e-Taliban Pakistan", "Tehrik-e-Nifaz-e-Shariat-e-Mohammadi"),
        ("Harakat ul-Mujahidin", "Hizb-ul-Mujahideen"),
        ("Islamic State Khorasan Province", "Islamic State of Iraq and the Levant"),
        ("Baraka Trading Company", "Alfa Trading Company"),
    ],
)
def test_unrelated_groups_score_below_the_review_band(a, b):
    assert similarity(a, b) < REVIEW_THRESHOLD


def test_a_misspelling_scores_in_the_review_band_or_above():
    score = similarity("Jaish al-Muhajireen wal-Ansar", "Jaysh al-Muhajirin wal-Ansar")
    assert score >= REVIEW_THRESHOLD


def test_thresholds_leave_a_review_band():
    assert 0 < REVIEW_THRESHOLD < AUTO_MERGE_THRESHOLD < 1


# --- best matches ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        *((name, "ttp") for name in [*TTP_SPELLINGS, "TTP"]),
        *((name, "let") for name in [*LET_SPELLINGS, "LeT", "Lashkar e Toiba", "لشکر طیبہ"]),
        *((name, "jem") for name in [*JEM_SPELLINGS, "JeM", "JAISH-I-MOHAMMED"]),
        *((name, "iskp") for name in [*ISKP_SPELLINGS, "ISKP"]),
    ],
)
def test_every_spelling_resolves_to_its_group_first_with_full_score(query, expected):
    matches = best_matches(query, REGISTER, threshold=REVIEW_THRESHOLD)

    assert matches[0][0] == expected
    assert matches[0][1] == 1.0
    assert all(score < AUTO_MERGE_THRESHOLD for _, score, _ in matches[1:])


def test_best_matches_returns_the_name_that_matched():
    (match,) = best_matches("JUD", REGISTER, threshold=REVIEW_THRESHOLD)
    assert match == ("let", 1.0, "Jamaat-ud-Dawa")


def test_an_acronym_shared_by_two_groups_matches_both():
    matches = best_matches("HUM", REGISTER, threshold=REVIEW_THRESHOLD)
    assert {key for key, _, _ in matches} == {"hum", "hm"}


def test_lashkar_e_jhangvi_is_not_lashkar_e_tayyiba():
    matches = best_matches("Lashkar-e-Jhangvi", REGISTER, threshold=0.5)
    assert [key for key, _, _ in matches] == ["lej"]


def test_best_matches_on_the_real_un_list(un_index):
    for query, reference in [
        ("Tehreek-e-Taliban Pakistan", "QDe.132"),
        ("تحریک طالبان پاکستان", "QDe.132"),
        ("TTP", "QDe.132"),
        ("Lashkar-e-Taiba", "QDe.118"),
        ("LeT", "QDe.118"),
        ("Jaish-e-Mohammad", "QDe.019"),
        ("JeM", "QDe.019"),
        ("Islamic State Khorasan Province", "QDe.161"),
        ("ISKP", "QDe.161"),
        ("Lashkar-e-Jhangvi", "QDe.096"),
    ]:
        top = un_index.best_matches(query, REVIEW_THRESHOLD)[0]
        assert top[:2] == (reference, 1.0), query


# --- cross-list resolution ---------------------------------------------------------------------


def test_the_same_group_from_other_lists_merges_into_the_un_entry(un_index):
    records = [
        *parse_path("nacta", SAMPLES / "nacta_sample.csv"),
        *parse_path("nacta", SAMPLES / "us_fto_sample.csv"),
        *parse_path("nacta", SAMPLES / "uk_proscribed_sample.csv"),
        *parse_path("uk", SAMPLES / "uk_conlist_sample.csv"),
        *parse_path("ofac", REAL / "ofac_sdn_2019_terror_orgs.csv"),
    ]
    resolved = {
        (r.authority, r.name): un_index.resolve([r.name, *r.aliases])
        for r in records
        if r.is_organisation
    }

    expected = {
        ("pk_nacta", "Tehrik-e-Taliban Pakistan (TTP)"): "QDe.132",
        ("us_fto", "Tehrik-e Taliban Pakistan (TTP)"): "QDe.132",
        ("uk_proscribed", "Tehrik-e Taliban Pakistan (TTP)"): "QDe.132",
        ("uk_sanctions", "TEHRIK-E TALIBAN PAKISTAN"): "QDe.132",
        ("us_fto", "TEHRIK-E TALIBAN PAKISTAN (TTP)"): "QDe.132",
        ("pk_nacta", "Lashkar-e-Tayyaba"): "QDe.118",
        ("us_fto", "Lashkar-e Tayyiba (LeT)"): "QDe.118",
        ("uk_proscribed", "Lashkar e Tayyaba (LT)"): "QDe.118",
        ("uk_sanctions", "LASHKAR E TAYYABA"): "QDe.118",
        ("us_fto", "LASHKAR E-TAYYIBA"): "QDe.118",
        ("pk_nacta", "Jaish-e-Mohammad"): "QDe.019",
        ("us_fto", "Jaish-e-Mohammed (JEM)"): "QDe.019",
        ("uk_proscribed", "Jaish e Mohammed (JeM)"): "QDe.019",
        ("us_fto", "JAISH-I-MOHAMMED"): "QDe.019",
        ("us_fto", "ISIS-Khorasan (ISIS-K)"): "QDe.161",
        ("us_fto", "ISIL KHORASAN"): "QDe.161",
        ("pk_nacta", "Lashkar-e-Jhangvi"): "QDe.096",
        ("us_fto", "LASHKAR I JHANGVI"): "QDe.096",
        ("pk_nacta", "Daesh / ISIL / IS / ISIS"): "QDe.115",
        ("uk_proscribed", "Islamic State of Iraq and the Levant (ISIL)"): "QDe.115",
    }
    for record, reference in expected.items():
        assert (resolved[record].action, resolved[record].key) == ("merge", reference), record
    # The UN does not list the BLA: a new group, not a forced merge.
    assert resolved[("pk_nacta", "Balochistan Liberation Army (BLA)")].action == "new"
    assert resolved[("us_fto", "Balochistan Liberation Army (BLA)")].action == "new"


@pytest.mark.parametrize(
    ("names", "other"),
    [
        (["Lashkar-e-Jhangvi", "LeJ"], ["Lashkar-e-Tayyiba", "LET"]),
        (["Tehrik-e-Taliban Pakistan", "TTP"], ["Tehrik-e-Nifaz-e-Shariat-e-Mohammadi", "TNSM"]),
        (["Hizb-ul-Mujahideen", "HUM"], ["Harakat ul-Mujahidin", "HUM"]),
    ],
)
def test_unrelated_groups_are_not_merged_automatically(names, other):
    resolution = resolve_record(names, [("other", other)])
    assert resolution.action != "merge"


def test_an_acronym_alone_never_merges():
    resolution = resolve_record(["HUM"], [("hm", ["Hizb-ul-Mujahideen"])])
    assert resolution.action == "new"


def test_an_alias_shared_with_another_group_goes_to_review():
    # OFAC gives Hizballah the alias "Ansar Allah", the name the Houthis go by.
    resolution = resolve_record(
        ["Hizballah", "Party of God", "Ansar Allah"], [("houthis", ["The Houthis", "Ansar Allah"])]
    )
    assert (resolution.action, resolution.key) == ("review", "houthis")


def test_two_groups_above_the_bar_go_to_review():
    resolution = resolve_record(
        ["Lashkar-e-Tayyiba"],
        [("a", ["Lashkar-e-Tayyiba"]), ("b", ["Lashkar-e-Taiba", "Army of the Pure"])],
    )
    assert resolution.action == "review"
    assert [key for key, _, _ in resolution.shortlist] == ["a", "b"]


def test_a_near_miss_goes_to_review_with_its_score():
    resolution = resolve_record(
        ["Jaish al-Muhajireen wal-Ansar"], [("jamwa", ["Jaysh al-Muhajiroun wal-Ansar"])]
    )
    assert resolution.action == "review"
    assert REVIEW_THRESHOLD <= resolution.score < AUTO_MERGE_THRESHOLD


def test_real_ofac_entries_that_only_look_alike_are_not_merged(un_index):
    ofac = {r.reference: r for r in parse_path("ofac", REAL / "ofac_sdn_2019_terror_orgs.csv")}

    def action(reference: str) -> tuple[str, object]:
        record = ofac[reference]
        resolution = un_index.resolve([record.name, *record.aliases])
        return resolution.action, resolution.key

    assert action("12206") == ("merge", "QDe.132")  # TTP
    assert action("20360") == ("merge", "QDe.152")  # Jamaat-ul-Ahrar, a TTP splinter, not TTP
    assert action("6636")[0] == "review"  # the Afghan Taliban only resemble "Tehrik-e-Taliban"
    assert action("4697") == ("review", "YEe.001")  # Hizballah shares "Ansar Allah"
    assert action("22812")[0] == "new"  # Hizbul Mujahideen is not Harakat ul-Mujahidin (HUM)


# --- mentions in free text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Official media of Tehreek-e-Taliban Pakistan | news", ["ttp"]),
        ("تحریک طالبان پاکستان کا آفیشل اکاؤنٹ", ["ttp"]),
        ("LeT zindabad", ["let"]),
        ("JeM fighters and #ISKP updates", ["jem", "iskp"]),
        ("TTP_Official", ["ttp"]),
        ("Daily Jamaat ud Dawa news", ["let"]),
        ("Lashkar-e-Jhangvi media wing", ["lej"]),
        ("let us pray for peace", []),
        ("jem and ttp in lower case", []),
        ("THIS IS OUR PAGE", []),
        ("Pakistan zindabad", []),
        ("", []),
    ],
)
def test_find_mentions(text, expected):
    assert [key for key, _ in find_mentions(text, REGISTER)] == expected


def test_find_mentions_names_what_matched():
    assert find_mentions("Army of Mohammed channel", REGISTER) == [("jem", "Army of Mohammed")]


def test_find_mentions_on_the_real_un_list(un_index):
    assert [key for key, _ in un_index.find_mentions("Tehreek-e-Taliban Pakistan media")] == [
        "QDe.132"
    ]
    assert un_index.find_mentions("Pakistan and Kenya travel blog") == []
