"""Parsers of the official designation lists, on the real published files and on our samples."""

from datetime import date

import pytest

from accounts.importers import base, parse_designations, parse_path
from accounts.importers.base import (
    DesignationFileError,
    ParsedDesignation,
    find_ofac_alt,
)
from accounts.importers.ofac import parse_ofac_csv
from tests.accounts.designation_files import REAL_ALT, REAL_SDN, REAL_UN, SAMPLES


def by_reference(records: list[ParsedDesignation]) -> dict[str, ParsedDesignation]:
    return {record.reference: record for record in records}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


# --- the real UN list --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_un() -> list[ParsedDesignation]:
    return parse_path("un", REAL_UN)


def test_real_un_list_has_730_individuals_and_273_entities(real_un):
    assert sum(not r.is_organisation for r in real_un) == 730
    assert sum(r.is_organisation for r in real_un) == 273
    assert len({r.source_record_id for r in real_un}) == 1003


def test_real_un_lashkar_e_tayyiba_with_its_aliases(real_un):
    let = by_reference(real_un)["QDe.118"]

    assert let.name == "LASHKAR-E-TAYYIBA"
    assert let.source_record_id == "114076"
    assert let.authority == "un"
    assert let.is_organisation
    assert let.listed_on == date(2005, 5, 2)
    assert let.programs == ("Al-Qaida",)
    assert let.aliases[:2] == ("Lashkar-e-Toiba", "Lashkar-i-Taiba")
    assert {"LET", "Jamaat-ud-Dawa", "Lashkar e Tayyaba", "Army of the Pure"} <= set(let.aliases)
    assert len(let.aliases) == 27


def test_real_un_ttp_carries_its_urdu_name(real_un):
    ttp = by_reference(real_un)["QDe.132"]

    assert ttp.name == "TEHRIK-E TALIBAN PAKISTAN (TTP)"
    assert "تحریک طالبان پاکستان" in ttp.aliases
    assert "Tehrik-I-Taliban Pakistan" in ttp.aliases
    assert ttp.listed_on == date(2011, 7, 29)


def test_real_un_isil_khorasan(real_un):
    isil_k = by_reference(real_un)["QDe.161"]

    assert isil_k.name == "ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)"
    assert {"ISIL KHORASAN", "ISIS-K", "ISLAMIC STATE\u2019S KHORASAN PROVINCE"} <= set(
        isil_k.aliases
    )
    assert isil_k.listed_on == date(2019, 5, 14)
    # The published remarks run over indented lines; they come back as one clean line.
    assert "\n" not in isil_k.remarks and "  " not in isil_k.remarks
    assert isil_k.remarks.startswith("Islamic State of Iraq and the Levant - Khorasan (ISIL - K)")


def test_real_un_individuals_join_their_name_parts(real_un):
    saeed = by_reference(real_un)["QDi.263"]

    assert saeed.name == "HAFIZ MUHAMMAD SAEED"
    assert not saeed.is_organisation
    assert saeed.country == "Pakistan"


def test_real_un_aliases_are_clean_and_never_repeat_the_name(real_un):
    for record in real_un:
        folded = [alias.casefold() for alias in record.aliases]
        assert len(folded) == len(set(folded)), record.reference
        assert record.name.casefold() not in folded, record.reference
        assert all(alias == " ".join(alias.split()) and alias for alias in record.aliases)


# --- the real OFAC pair ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_ofac() -> list[ParsedDesignation]:
    return parse_path("ofac", REAL_SDN)


def test_real_ofac_alt_file_is_found_beside_the_sdn_file():
    assert find_ofac_alt(REAL_SDN) == REAL_ALT


def test_real_ofac_has_452_terrorism_entries_with_programs_split(real_ofac):
    records = by_reference(real_ofac)

    assert len(real_ofac) == 452
    assert all(r.is_organisation for r in real_ofac)
    assert sum(r.authority == "us_fto" for r in real_ofac) == 65
    assert sum(r.authority == "us_sdgt" for r in real_ofac) == 387
    ttp = records["12206"]
    assert ttp.programs == ("FTO", "SDGT")
    assert ttp.authority == "us_fto"
    assert records["4717"].programs == ("SDT",)
    assert records["4717"].authority == "us_sdgt"
    assert records["4642"].programs == ("IRAN", "SDGT", "IFSR")


def test_real_ofac_aliases_are_joined_from_alt_csv_and_remarks(real_ofac):
    records = by_reference(real_ofac)

    ttp = records["12206"]
    assert ttp.name == "TEHRIK-E TALIBAN PAKISTAN (TTP)"
    assert ttp.aliases == (
        "TEHRIK-I-TALIBAN PAKISTAN",
        "TEHRIK-E-TALIBAN",
        "PAKISTANI TALIBAN",
        "TEHREEK-E-TALIBAN",
    )
    let = records["7140"]
    assert "JAMAAT-UD-DAWA" in let.aliases  # from alt.csv
    assert let.aliases[-3:] == ("JUD", "TAJK", "MML")  # from "a.k.a. 'JUD'; ..." in remarks
    assert records["7331"].aliases == ("LASHKAR E JHANGVI", "LASHKAR-I-JHANGVI", "LJ")
    assert sum(len(r.aliases) for r in real_ofac) == 2202


def test_real_ofac_sdn_alone_has_only_the_remark_aliases():
    records = by_reference(parse_designations("ofac", REAL_SDN.read_bytes()))

    assert records["12206"].aliases == ()
    assert records["7331"].aliases == ("LJ",)


# --- samples of our own making ----------------------------------------------------------------


def test_un_sample_parses_entities_and_individuals():
    records = by_reference(parse_designations("un", sample("un_sample.xml")))

    assert sorted(records) == ["QDe.019", "QDe.096", "QDe.118", "QDe.132", "QDi.263"]
    assert not records["QDi.263"].is_organisation
    assert records["QDe.019"].country == "Pakistan"
    assert records["QDe.096"].aliases == ()  # an empty ENTITY_ALIAS is no alias
    # "  Jamaat-ud-Dawa " repeats "Jamaat-ud-Dawa" once whitespace is collapsed.
    assert records["QDe.118"].aliases.count("Jamaat-ud-Dawa") == 1
    assert (
        records["QDe.019"].remarks
        == "Based in Peshawar and Muzaffarabad, Pakistan. Banned in Pakistan."
    )


def test_un_sample_changed_renames_an_alias_adds_one_entity_and_drops_another():
    before = {r.source_record_id: r for r in parse_designations("un", sample("un_sample.xml"))}
    after = {
        r.source_record_id: r for r in parse_designations("un", sample("un_sample_changed.xml"))
    }

    assert set(before) - set(after) == {"114089"}
    assert set(after) - set(before) == {"6908777"}
    changed = [key for key in set(before) & set(after) if before[key] != after[key]]
    assert changed == ["114076"]
    assert "Lashkar e Tayyaba" in before["114076"].aliases
    assert "Lashkar-e-Tayyaba" in after["114076"].aliases
    assert "Lashkar e Tayyaba" not in after["114076"].aliases


def test_parsing_the_same_file_twice_gives_equal_records():
    assert parse_designations("un", sample("un_sample.xml")) == parse_designations(
        "un", sample("un_sample.xml")
    )


def test_un_file_with_a_byte_order_mark_parses():
    records = parse_designations("un", b"\xef\xbb\xbf" + sample("un_sample.xml"))
    assert len(records) == 5


def test_ofac_csv_sample_keeps_terrorism_programs_and_decodes_latin1():
    records = by_reference(parse_path("ofac", SAMPLES / "ofac_sdn_sample.csv"))

    assert "306" not in records  # CUBA program only
    assert sorted(records, key=int) == [
        "4688", "4690", "4717", "6935", "7140", "7331", "12206", "18647", "90001"
    ]  # fmt: skip
    assert records["4690"].aliases == ("GROUPE ISLAMIQUE ARMÉ", "GIA")
    assert records["4690"].authority == "us_sdgt"
    saeed = records["90001"]
    assert not saeed.is_organisation
    assert saeed.name == "SAEED, Hafiz Muhammad"
    assert saeed.aliases == ("SAEED, Hafiz",)
    assert records["18647"].aliases == (
        "ISLAMIC STATE'S KHORASAN PROVINCE",
        "ISIS WILAYAT KHORASAN",
    )


def test_ofac_csv_parse_from_bytes_matches_parse_from_path():
    from_path = parse_path("ofac", SAMPLES / "ofac_sdn_sample.csv")
    from_bytes = parse_ofac_csv(sample("ofac_sdn_sample.csv"), sample("ofac_alt_sample.csv"))
    assert from_path == from_bytes


@pytest.mark.parametrize(
    ("sdn_name", "alt_name"),
    [
        ("sdn.csv", "alt.csv"),
        ("SDN.CSV", "ALT.CSV"),
        ("sdn.csv", "ALT.CSV"),
        ("x_SDN_1.csv", "x_ALT_1.csv"),
    ],
)
def test_ofac_alt_file_is_found_under_its_usual_names(tmp_path, sdn_name, alt_name):
    (tmp_path / sdn_name).write_bytes(sample("ofac_sdn_sample.csv"))
    (tmp_path / alt_name).write_bytes(sample("ofac_alt_sample.csv"))

    assert find_ofac_alt(tmp_path / sdn_name) == tmp_path / alt_name
    records = by_reference(parse_path("ofac", tmp_path / sdn_name))
    assert records["12206"].aliases[0] == "TEHRIK-I-TALIBAN PAKISTAN"


def test_ofac_sdn_without_alt_file_still_parses(tmp_path):
    (tmp_path / "sdn.csv").write_bytes(sample("ofac_sdn_sample.csv"))

    assert find_ofac_alt(tmp_path / "sdn.csv") is None
    assert by_reference(parse_path("ofac", tmp_path / "sdn.csv"))["12206"].aliases == ()


def test_ofac_xml_sample():
    records = by_reference(parse_designations("ofac", sample("ofac_sample.xml")))

    assert sorted(records) == ["12206", "4717", "6935", "90001"]
    jem = records["6935"]
    assert jem.programs == ("SDGT", "FTO")
    assert jem.authority == "us_fto"
    assert jem.country == "Pakistan"
    assert jem.aliases == ("ARMY OF MOHAMMED", "JAISH-E-MOHAMMED")
    assert records["4717"].aliases == ("DFLP",)
    # Same "LAST, First" as the CSV form, so switching forms renames nobody.
    assert records["90001"].name == "SAEED, Hafiz Muhammad"
    assert not records["90001"].is_organisation


def test_uk_conlist_csv_groups_rows_by_group_id():
    records = {
        r.source_record_id: r for r in parse_designations("uk", sample("uk_conlist_sample.csv"))
    }

    assert list(records) == ["90110", "90132", "90263", "90900"]
    ttp = records["90132"]
    # The AKA row comes first in the file; the "Primary name" row still gives the name.
    assert ttp.name == "TEHRIK-E TALIBAN PAKISTAN"
    assert ttp.aliases == ("TEHRIK-I-TALIBAN PAKISTAN", "PAKISTANI TALIBAN", "تحریک طالبان پاکستان")
    assert ttp.listed_on == date(2011, 7, 29)
    assert ttp.authority == "uk_sanctions"
    assert ttp.programs == ("ISIL (Da'esh) and Al-Qaida",)
    assert records["90110"].aliases == ("LASHKAR-E-TOIBA", "LASHKAR-I-TAIBA", "JAMAAT-UD-DAWA")
    saeed = records["90263"]
    assert saeed.name == "HAFIZ MUHAMMAD SAEED"
    assert not saeed.is_organisation
    assert saeed.country == "Pakistan"
    assert records["90900"].programs == ("Russia",)


def test_uk_xml_sample_gives_the_same_entries_as_the_csv():
    records = {r.source_record_id: r for r in parse_designations("uk", sample("uk_sample.xml"))}

    assert list(records) == ["90110", "90132", "90263"]
    assert records["90110"].reference == "AQD9118"
    assert records["90110"].listed_on == date(2005, 5, 2)  # "2005-05-02T00:00:00"
    assert records["90132"].aliases == ("PAKISTANI TALIBAN", "تحریک طالبان پاکستان")
    assert records["90263"].name == "HAFIZ MUHAMMAD SAEED"


def test_uk_fcdo_xml_sample_keeps_the_ofsi_group_id_as_its_id():
    records = parse_designations("uk", sample("uk_fcdo_sample.xml"))

    assert [r.source_record_id for r in records] == ["90132", "CTI9001"]
    ttp, person = records
    assert ttp.reference == "AQD9132"
    assert ttp.name == "TEHRIK-E TALIBAN PAKISTAN"
    assert ttp.aliases == ("PAKISTANI TALIBAN", "تحریک طالبان پاکستان")
    assert ttp.is_organisation
    assert person.name == "SAMPLE PERSON"
    assert not person.is_organisation
    assert person.country == "Pakistan"


def test_eu_sample():
    records = {r.source_record_id: r for r in parse_designations("eu", sample("eu_sample.xml"))}

    let = records["9118"]
    assert let.reference == "EU.9118.01"
    assert let.name == "Lashkar-e-Tayyiba"
    assert let.aliases == ("Lashkar-e-Toiba", "Lashkar-i-Taiba")  # the French copy is no alias
    assert let.listed_on == date(2005, 5, 6)  # the first regulation, not the 2010 amendment
    assert let.country == ""  # "UNKNOWN" is no country
    assert let.programs == ("TAQA",)
    assert records["9500"].programs == ("TERR",)
    assert records["9500"].country == "LEBANON"
    person = records["9263"]
    assert person.name == "Hafiz Muhammad Saeed"
    assert not person.is_organisation


def test_nacta_sample_real_entries():
    records = {r.name: r for r in parse_designations("nacta", sample("nacta_sample.csv"))}

    assert set(records) == {
        "Lashkar-e-Jhangvi",
        "Jaish-e-Mohammad",
        "Lashkar-e-Tayyaba",
        "Balochistan Liberation Army (BLA)",
        "Tehrik-e-Taliban Pakistan (TTP)",
        "Daesh / ISIL / IS / ISIS",
    }
    ttp = records["Tehrik-e-Taliban Pakistan (TTP)"]
    assert ttp.authority == "pk_nacta"
    assert ttp.source_record_id == "tehrik-e-taliban-pakistan-ttp"
    assert ttp.aliases == ("Tehreek-e-Taliban Pakistan", "تحریک طالبان پاکستان")
    assert ttp.listed_on == date(2008, 8, 25)
    assert ttp.source_url.startswith("https://nacta.gov.pk/")
    assert records["Lashkar-e-Tayyaba"].listed_on == date(2002, 1, 14)
    assert records["Daesh / ISIL / IS / ISIS"].listed_on is None


@pytest.mark.parametrize(
    ("name", "authority", "count"),
    [("uk_proscribed_sample.csv", "uk_proscribed", 6), ("us_fto_sample.csv", "us_fto", 6)],
)
def test_simple_csv_samples_of_other_authorities(name, authority, count):
    records = parse_designations("nacta", sample(name))

    assert len(records) == count
    assert {r.authority for r in records} == {authority}


def test_us_fto_sample_dates_and_aliases():
    records = {r.name: r for r in parse_designations("nacta", sample("us_fto_sample.csv"))}

    isis_k = records["ISIS-Khorasan (ISIS-K)"]
    assert isis_k.aliases == ("Islamic State Khorasan Province", "ISKP")
    assert isis_k.listed_on == date(2016, 1, 14)
    assert records["Tehrik-e Taliban Pakistan (TTP)"].listed_on == date(2010, 9, 1)


# --- hostile and broken files -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
@pytest.mark.parametrize("source", ["un", "ofac", "uk", "eu"])
def test_xml_with_a_dtd_is_refused(name, source):
    with pytest.raises(DesignationFileError) as error:
        parse_designations(source, sample(name))

    assert error.value.code == "forbidden_xml"
    assert "DTD" in error.value.message
    assert "root:" not in error.value.message  # nothing of /etc/passwd leaks


def test_truncated_xml_is_reported_with_its_line():
    with pytest.raises(DesignationFileError) as error:
        parse_designations("un", sample("truncated_un.xml"))

    assert error.value.code == "truncated"
    assert "line 108" in error.value.message


def test_xml_broken_in_the_middle_is_malformed_not_truncated():
    broken = sample("un_sample.xml").replace(b"</FIRST_NAME>", b"</FIRST>", 1)

    with pytest.raises(DesignationFileError) as error:
        parse_designations("un", broken)

    assert error.value.code == "malformed"


@pytest.mark.parametrize(
    ("source", "name", "looks_like"),
    [
        ("ofac", "un_sample.xml", "UN Security Council"),
        ("eu", "un_sample.xml", "UN Security Council"),
        ("un", "ofac_sdn_sample.csv", "OFAC SDN list in its legacy CSV form"),
        ("ofac", "ofac_alt_sample.csv", "alt.csv"),
        ("un", "eu_sample.xml", "EU consolidated"),
        ("uk", "ofac_sample.xml", "OFAC SDN list (XML)"),
        ("eu", "uk_sample.xml", "UK OFSI"),
        ("nacta", "uk_conlist_sample.csv", "ConList.csv"),
        ("uk", "nacta_sample.csv", "simple designations CSV"),
        ("un", "nacta_sample.csv", "simple designations CSV"),
        ("nacta", "un_sample.xml", "UN Security Council"),
        ("ofac", "uk_conlist_sample.csv", "ConList.csv"),
    ],
)
def test_file_of_another_source_is_refused_naming_what_it_looks_like(source, name, looks_like):
    with pytest.raises(DesignationFileError) as error:
        parse_designations(source, sample(name))

    assert error.value.code == "wrong_source"
    assert looks_like in error.value.message


def test_empty_file_is_refused():
    with pytest.raises(DesignationFileError) as error:
        parse_designations("un", b"")

    assert error.value.code == "wrong_source"
    assert "empty" in error.value.message


def test_unknown_source_is_refused():
    with pytest.raises(DesignationFileError) as error:
        parse_designations("interpol", sample("un_sample.xml"))

    assert error.value.code == "wrong_source"


def test_file_over_the_size_limit_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(base, "MAX_BYTES", 1000)
    (tmp_path / "un.xml").write_bytes(sample("un_sample.xml"))

    for call in (
        lambda: parse_designations("un", sample("un_sample.xml")),
        lambda: parse_path("un", tmp_path / "un.xml"),
    ):
        with pytest.raises(DesignationFileError) as error:
            call()
        assert error.value.code == "too_large"


def test_default_size_limit_is_50_megabytes():
    assert base.MAX_BYTES == 50 * 1024 * 1024


def test_csv_row_with_missing_fields_is_malformed_with_its_line():
    lines = sample("ofac_sdn_sample.csv").split(b"\r\n")
    lines[2] = lines[2].rsplit(b",", 2)[0]  # two fields short

    with pytest.raises(DesignationFileError) as error:
        parse_designations("ofac", b"\r\n".join(lines))

    assert error.value.code == "malformed"
    assert "line 3" in error.value.message
    assert "10 fields where 12 are expected" in error.value.message


def test_csv_cut_in_its_last_row_is_truncated():
    data = sample("ofac_sdn_sample.csv")
    cut = data[: data.index(b"90001") + 30]

    with pytest.raises(DesignationFileError) as error:
        parse_designations("ofac", cut)

    assert error.value.code == "truncated"


def test_uk_csv_row_of_the_wrong_width_is_malformed():
    lines = sample("uk_conlist_sample.csv").split(b"\r\n")
    lines[4] += b",extra"

    with pytest.raises(DesignationFileError) as error:
        parse_designations("uk", b"\r\n".join(lines))

    assert error.value.code == "malformed"
    assert "line 5" in error.value.message


def test_a_bad_date_becomes_none_not_an_error():
    data = sample("un_sample.xml").replace(b"<LISTED_ON>2011-07-29", b"<LISTED_ON>2011-02-31")

    records = by_reference(parse_designations("un", data))

    assert records["QDe.132"].listed_on is None
    assert records["QDe.118"].listed_on == date(2005, 5, 2)


def test_uk_bad_listing_date_falls_back_to_the_date_designated():
    data = sample("uk_conlist_sample.csv").replace(b"29/07/2011", b"31/02/2011")

    records = {r.source_record_id: r for r in parse_designations("uk", data)}

    assert records["90132"].listed_on == date(2020, 12, 31)
    assert records["90110"].listed_on == date(2005, 5, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2001-10-06", date(2001, 10, 6)),
        ("2005-05-02T00:00:00", date(2005, 5, 2)),
        ("02/05/2005", date(2005, 5, 2)),
        ("2001-13-06", None),
        ("31/02/2019", None),
        ("May 2005", None),
        ("", None),
    ],
)
def test_parse_date(value, expected):
    assert base.parse_date(value) == expected


SIMPLE_HEADER = "authority,reference,name,aliases,listed_on,country,source_url,remarks\n"


def test_simple_csv_unknown_column_is_refused():
    data = b"authority,name,nickname\npk_nacta,Lashkar-e-Jhangvi,LeJ\n"

    with pytest.raises(DesignationFileError) as error:
        parse_designations("nacta", data)

    assert error.value.code == "malformed"
    assert "'nickname'" in error.value.message


def test_simple_csv_without_authority_column_is_wrong_source():
    with pytest.raises(DesignationFileError) as error:
        parse_designations("nacta", b"reference,name\n1,Lashkar-e-Jhangvi\n")

    assert error.value.code == "wrong_source"


def test_simple_csv_accepts_only_the_three_simple_authorities():
    data = (SIMPLE_HEADER + "un,QDe.118,Lashkar-e-Tayyiba,,,,,\n").encode()

    with pytest.raises(DesignationFileError) as error:
        parse_designations("nacta", data)

    assert error.value.code == "malformed"
    assert "line 2" in error.value.message


def test_simple_csv_repeated_entry_is_refused():
    row = "pk_nacta,,Lashkar-e-Jhangvi,,,,,\n"

    with pytest.raises(DesignationFileError) as error:
        parse_designations("nacta", (SIMPLE_HEADER + row + row).encode())

    assert error.value.code == "malformed"
    assert "line 3" in error.value.message and "line 2" in error.value.message


def test_simple_csv_optional_columns_may_be_left_out_and_reference_is_the_id():
    data = b"\xef\xbb\xbfname,authority,reference\nJaish-e-Mohammed (JEM),us_fto,FTO-26\n"

    (record,) = parse_designations("nacta", data)

    assert record.source_record_id == "FTO-26"
    assert record.reference == "FTO-26"
    assert record.aliases == ()
    assert record.listed_on is None


def test_error_codes_are_checked():
    with pytest.raises(ValueError):
        DesignationFileError("oops", "no_such_code")
