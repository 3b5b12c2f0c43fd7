"""The designation import service and the review of uncertain matches."""

import hashlib
import shutil

import pytest
from django.utils import timezone

from accounts import services
from accounts.importers.sources import ListFile
from accounts.models import (
    Designation,
    DesignationImport,
    FlaggedAccount,
    GroupAlias,
    GroupMatchReview,
    ProscribedGroup,
)
from accounts.services.designation_imports import designation_import, group_match_decide
from core.errors import Conflict, DomainError, NotAllowed
from tests.accounts.designation_files import REAL_SDN, REAL_UN, real, sample
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

COUNTS = ("created", "updated", "delisted", "unchanged", "skipped", "review")
UN_SAMPLE_REFERENCES = ["QDe.019", "QDe.096", "QDe.118", "QDe.132"]


def counts(run: DesignationImport) -> dict[str, int]:
    return {name: getattr(run, f"{name}_count") for name in COUNTS}


def expect(**given) -> dict[str, int]:
    return {name: given.get(name, 0) for name in COUNTS}


def rows() -> dict[str, int]:
    """How many rows of the register and of its audit history there are."""
    models = [ProscribedGroup, GroupAlias, Designation]
    out = {model.__name__: model.objects.count() for model in models}
    out |= {f"history of {m.__name__}": m.history.count() for m in models}
    out["GroupMatchReview"] = GroupMatchReview.objects.count()
    return out


def run_import(source: str, path, **kwargs) -> DesignationImport:
    return designation_import(source=source, path_or_url=path, **kwargs)


def un_designations() -> dict[str, Designation]:
    return {d.reference: d for d in Designation.objects.filter(authority="un")}


# --- one list ----------------------------------------------------------------------------------


def test_un_sample_creates_one_group_per_entity_and_skips_the_individual(administrator):
    path = sample("un_sample.xml")

    run = run_import("un", path, user=administrator)

    assert run.status == DesignationImport.Status.SUCCEEDED
    assert counts(run) == expect(created=4, skipped=1)
    assert run.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (run.file_name, run.started_by, run.errors) == (str(path), administrator, [])
    assert run.finished_at is not None
    assert sorted(un_designations()) == UN_SAMPLE_REFERENCES
    let = un_designations()["QDe.118"]
    assert (let.source_record_id, let.name_as_listed, str(let.listed_on)) == (
        "114076",
        "LASHKAR-E-TAYYIBA",
        "2005-05-02",
    )
    assert let.group.name == "LASHKAR-E-TAYYIBA"
    assert let.last_import == run
    assert "Jamaat-ud-Dawa" in set(let.group.aliases.values_list("name", flat=True))
    assert ProscribedGroup.objects.count() == 4


def test_ttp_keeps_its_urdu_name_as_an_alias():
    run_import("un", sample("un_sample.xml"))

    ttp = un_designations()["QDe.132"].group
    assert "تحریک طالبان پاکستان" in set(ttp.aliases.values_list("name", flat=True))


def test_reimporting_the_same_file_changes_nothing(administrator):
    run_import("un", sample("un_sample.xml"), user=administrator)
    before = rows()

    again = run_import("un", sample("un_sample.xml"), user=administrator)

    assert counts(again) == expect(unchanged=4, skipped=1)
    assert rows() == before
    assert DesignationImport.objects.count() == 2


def test_changed_file_updates_an_alias_adds_an_entity_and_delists_the_one_removed(administrator):
    first = run_import("un", sample("un_sample.xml"), user=administrator)

    changed = run_import("un", sample("un_sample_changed.xml"), user=administrator)

    assert counts(changed) == expect(created=1, updated=1, delisted=1, unchanged=2, skipped=1)
    designations = un_designations()
    assert sorted(designations) == [*UN_SAMPLE_REFERENCES, "QDe.161"]
    removed = designations["QDe.096"]
    assert (removed.delisted_on, removed.last_import) == (timezone.localdate(), changed)
    let = designations["QDe.118"]
    assert "Lashkar-e-Tayyaba" in let.aliases_as_listed
    assert "Lashkar e Tayyaba" not in let.aliases_as_listed
    # The group keeps every name it was listed under: the old spelling still finds it.
    aliases = set(let.group.aliases.values_list("name", flat=True))
    assert {"Lashkar-e-Tayyaba", "Lashkar e Tayyaba"} <= aliases
    assert designations["QDe.019"].last_import == first


def test_an_entry_listed_again_is_no_longer_delisted():
    run_import("un", sample("un_sample.xml"))
    run_import("un", sample("un_sample_changed.xml"))

    back = run_import("un", sample("un_sample.xml"))

    assert counts(back) == expect(updated=2, delisted=1, unchanged=2, skipped=1)
    designations = un_designations()
    assert designations["QDe.096"].delisted_on is None
    assert designations["QDe.161"].delisted_on == timezone.localdate()


def test_every_change_is_in_the_history_with_the_import_run_and_user(administrator):
    run = run_import("un", sample("un_sample.xml"), user=administrator)
    changed = run_import("un", sample("un_sample_changed.xml"))

    reasons = {
        (h.history_change_reason, h.history_user_id)
        for model in (ProscribedGroup, GroupAlias, Designation)
        for h in model.history.all()
    }
    assert reasons == {
        (f"import un #{run.pk}", administrator.pk),
        (f"import un #{changed.pk}", None),
    }
    delisting = Designation.history.filter(reference="QDe.096").order_by("history_date").last()
    assert (delisting.history_change_reason, delisting.delisted_on) == (
        f"import un #{changed.pk}",
        timezone.localdate(),
    )


def test_an_individual_only_file_does_not_delist_everything():
    run_import("un", sample("un_sample.xml"))
    before = rows()
    text = sample("un_sample.xml").read_text()
    individuals_only = text[: text.index("<ENTITIES>")] + "<ENTITIES/></CONSOLIDATED_LIST>\n"

    with pytest.raises(DomainError) as exc:
        designation_import(source="un", list_file=ListFile("un.xml", individuals_only.encode()))

    assert exc.value.code == "empty_list"
    assert "none of the 4 organisations" in exc.value.message
    assert rows() == before
    assert Designation.objects.filter(delisted_on__isnull=False).count() == 0


def test_entries_without_an_id_or_repeated_are_skipped_and_reported():
    text = sample("un_sample.xml").read_text()
    text = text.replace("<DATAID>113965</DATAID>", "<DATAID></DATAID>")  # JeM loses its id
    text = text.replace("<DATAID>114089</DATAID>", "<DATAID>114076</DATAID>")  # LJ takes LeT's

    run = designation_import(source="un", list_file=ListFile("un.xml", text.encode()))

    assert counts(run) == expect(created=2, skipped=3)
    assert run.errors == [
        {
            "code": "incomplete",
            "record": "",
            "message": "The entry “JAISH-I-MOHAMMED” has no id; skipped.",
        },
        {
            "code": "duplicate",
            "record": "114076",
            "message": "The entry 114076 appears twice; the second is skipped.",
        },
    ]
    assert sorted(un_designations()) == ["QDe.096", "QDe.132"]


def test_an_entry_listed_without_its_name_is_reported_not_delisted():
    run_import("un", sample("un_sample.xml"))
    text = sample("un_sample.xml").read_text()
    text = text.replace("<FIRST_NAME>LASHKAR I JHANGVI (LJ)</FIRST_NAME>", "<FIRST_NAME/>")

    run = designation_import(source="un", list_file=ListFile("un.xml", text.encode()))

    assert counts(run) == expect(unchanged=3, skipped=2)
    assert run.errors == [
        {
            "code": "incomplete",
            "record": "114089",
            "message": "The entry “QDe.096” has no name; skipped.",
        }
    ]
    assert un_designations()["QDe.096"].delisted_on is None


def test_designation_typed_in_before_is_taken_over_not_repeated(administrator):
    group = services.group_create(user=administrator, name="Tehrik-e-Taliban Pakistan")
    typed = services.designation_record(
        user=administrator, group=group, authority="un", source_record_id="QDe.132",
        reference="QDe.132",
    )[0]  # fmt: skip

    run = run_import("un", sample("un_sample.xml"))

    typed.refresh_from_db()
    assert counts(run) == expect(created=3, updated=1, skipped=1)
    assert (typed.source_record_id, typed.group, typed.last_import) == ("2971894", group, run)
    assert Designation.objects.filter(reference="QDe.132").count() == 1


# --- every format -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name", "expected", "authorities"),
    [
        ("ofac", "ofac_sdn_sample.csv", expect(created=8, skipped=1), {"us_fto", "us_sdgt"}),
        ("ofac", "ofac_sample.xml", expect(created=3, skipped=1), {"us_fto", "us_sdgt"}),
        ("uk", "uk_conlist_sample.csv", expect(created=2, skipped=2), {"uk_sanctions"}),
        ("uk", "uk_sample.xml", expect(created=2, skipped=1), {"uk_sanctions"}),
        ("uk", "uk_fcdo_sample.xml", expect(created=1, skipped=1), {"uk_sanctions"}),
        ("eu", "eu_sample.xml", expect(created=2, skipped=1), {"eu"}),
        ("nacta", "nacta_sample.csv", expect(created=6), {"pk_nacta"}),
        ("nacta", "uk_proscribed_sample.csv", expect(created=6), {"uk_proscribed"}),
        ("nacta", "us_fto_sample.csv", expect(created=6), {"us_fto"}),
    ],
)
def test_each_format_imports_and_reimports_unchanged(source, name, expected, authorities):
    run = run_import(source, sample(name))
    again = run_import(source, sample(name))

    assert counts(run) == expected
    assert counts(again) == expect(unchanged=expected["created"], skipped=expected["skipped"])
    assert set(Designation.objects.values_list("authority", flat=True)) == authorities


def test_ofac_csv_reads_the_alt_file_beside_it_and_says_so():
    said = []

    run = run_import("ofac", sample("ofac_sdn_sample.csv"), notify=said.append)

    alt = sample("ofac_alt_sample.csv")
    assert said == [f"Reading the aliases of the SDN list from {alt}, beside ofac_sdn_sample.csv."]
    assert run.file_name == f"{sample('ofac_sdn_sample.csv')} (aliases: {alt})"
    both = sample("ofac_sdn_sample.csv").read_bytes() + alt.read_bytes()
    assert run.file_sha256 == hashlib.sha256(both).hexdigest()
    let = Designation.objects.get(authority="us_fto", source_record_id="7140")
    assert "ARMY OF THE PURE" in let.aliases_as_listed  # from alt.csv


def test_ofac_csv_without_alt_file_imports_and_says_so(tmp_path):
    shutil.copy(sample("ofac_sdn_sample.csv"), tmp_path / "sdn.csv")
    said = []

    run = run_import("ofac", tmp_path / "sdn.csv", notify=said.append)

    assert counts(run) == expect(created=8, skipped=1)
    assert said == [
        f"No alt.csv found beside {tmp_path / 'sdn.csv'}: aliases come only from the remarks "
        "of sdn.csv."
    ]


def test_switching_from_ofsi_csv_to_its_xml_keeps_each_entry():
    run_import("uk", sample("uk_conlist_sample.csv"))

    xml = run_import("uk", sample("uk_sample.xml"))

    # Same Group IDs: the references (AQD...) are new, the designations are not.
    assert counts(xml) == expect(updated=2, skipped=1)
    assert Designation.objects.count() == 2
    assert set(Designation.objects.values_list("reference", flat=True)) == {"AQD9118", "AQD9132"}


def test_simple_csv_delists_only_within_the_authorities_it_lists():
    run_import("nacta", sample("nacta_sample.csv"))
    run_import("nacta", sample("us_fto_sample.csv"))

    again = run_import("nacta", sample("nacta_sample.csv"))

    assert counts(again) == expect(unchanged=6)
    assert not Designation.objects.filter(delisted_on__isnull=False).exists()


# --- hostile and broken files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name", "code"),
    [
        ("un", "billion_laughs.xml", "forbidden_xml"),
        ("un", "external_entity.xml", "forbidden_xml"),
        ("un", "truncated_un.xml", "truncated"),
        ("eu", "un_sample.xml", "wrong_source"),
        ("un", "ofac_sdn_sample.csv", "wrong_source"),
        ("uk", "nacta_sample.csv", "wrong_source"),
        ("nacta", "uk_conlist_sample.csv", "wrong_source"),
        ("un", "no_such_file.xml", "unreadable"),
    ],
)
def test_refused_file_writes_nothing_but_its_failed_run(source, name, code, administrator):
    run_import("un", sample("un_sample.xml"))
    before = rows()

    with pytest.raises(DomainError) as exc:
        run_import(source, sample(name), user=administrator)

    assert exc.value.code == code
    assert rows() == before
    failed = DesignationImport.objects.get(pk=exc.value.extra["import_id"])
    assert (failed.status, failed.started_by, counts(failed)) == (
        DesignationImport.Status.FAILED,
        administrator,
        expect(),
    )
    assert failed.errors == [{"code": code, "message": exc.value.message}]
    assert "nothing was imported" in exc.value.message.lower()


def test_failure_half_way_rolls_back_every_row(monkeypatch):
    import accounts.services.designation_imports as module

    calls = []

    def fail_on_third(**kwargs):
        calls.append(kwargs["source_record_id"])
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return services.designation_record(**kwargs)

    monkeypatch.setattr(module, "designation_record", fail_on_third)

    with pytest.raises(RuntimeError):
        run_import("un", sample("un_sample.xml"))

    assert rows() == {key: 0 for key in rows()}
    failed = DesignationImport.objects.get()
    assert failed.status == DesignationImport.Status.FAILED
    assert failed.errors[0]["code"] == "internal_error"
    assert "RuntimeError: disk full" in failed.errors[0]["message"]


def test_only_administrators_import(analyst, supervisor):
    for user in (analyst, supervisor):
        with pytest.raises(NotAllowed):
            run_import("un", sample("un_sample.xml"), user=user)
    assert DesignationImport.objects.count() == 0


def test_unknown_source_is_refused_before_any_run():
    with pytest.raises(DomainError) as exc:
        run_import("interpol", sample("un_sample.xml"))
    assert (exc.value.code, exc.value.field) == ("invalid_choice", "source")
    assert DesignationImport.objects.count() == 0


# --- the real published lists and cross-list resolution -----------------------------------------


def test_real_un_list_keeps_terrorism_entities_and_reimports_unchanged():
    path = real(REAL_UN)

    run = run_import("un", path)
    again = run_import("un", path)

    # 273 entities: 89 Al-Qaida + 5 Taliban kept; 730 individuals and 179 entities of other
    # regimes (DPRK, Iran, Iraq ...) skipped.
    assert counts(run) == expect(created=94, skipped=909)
    assert counts(again) == expect(unchanged=94, skipped=909)
    assert ProscribedGroup.objects.count() == 94


def _designations_of(group: ProscribedGroup) -> set[tuple[str, str]]:
    return {(d.authority, d.reference or d.name_as_listed) for d in group.designations.all()}


def test_one_group_per_organisation_across_un_ofac_and_the_simple_lists():
    un = run_import("un", real(REAL_UN))
    ofac = run_import("ofac", real(REAL_SDN))
    simple = [
        run_import("nacta", sample(name))
        for name in ("nacta_sample.csv", "uk_proscribed_sample.csv", "us_fto_sample.csv")
    ]

    assert counts(un) == expect(created=94, skipped=909)
    assert (ofac.created_count, ofac.skipped_count) == (452, 0)
    groups = {d.reference: d.group for d in Designation.objects.filter(authority="un")}
    assert _designations_of(groups["QDe.132"]) == {
        ("un", "QDe.132"),
        ("us_fto", "12206"),
        ("pk_nacta", "Tehrik-e-Taliban Pakistan (TTP)"),
        ("uk_proscribed", "Tehrik-e Taliban Pakistan (TTP)"),
        ("us_fto", "Tehrik-e Taliban Pakistan (TTP)"),
    }
    assert _designations_of(groups["QDe.118"]) == {
        ("un", "QDe.118"),
        ("us_fto", "7140"),
        ("pk_nacta", "Lashkar-e-Tayyaba"),
        ("uk_proscribed", "Lashkar e Tayyaba (LT)"),
        ("us_fto", "Lashkar-e Tayyiba (LeT)"),
    }
    assert _designations_of(groups["QDe.019"]) == {
        ("un", "QDe.019"),
        ("us_fto", "6935"),
        ("pk_nacta", "Jaish-e-Mohammad"),
        ("uk_proscribed", "Jaish e Mohammed (JeM)"),
        ("us_fto", "Jaish-e-Mohammed (JEM)"),
    }
    assert _designations_of(groups["QDe.161"]) == {
        ("un", "QDe.161"),
        ("us_fto", "18647"),
        ("us_fto", "ISIS-Khorasan (ISIS-K)"),
    }
    # NACTA and the Home Office list Daesh as a whole: the UN's ISIL, not its Khorasan branch.
    assert {
        ("pk_nacta", "Daesh / ISIL / IS / ISIS"),
        ("uk_proscribed", "Islamic State of Iraq and the Levant (ISIL)"),
    } <= _designations_of(groups["QDe.115"])
    # The UN does not list the BLA: the three lists that do share one new group.
    bla = ProscribedGroup.objects.get(
        designations__authority="pk_nacta", name__icontains="Balochistan"
    )
    assert {authority for authority, _ in _designations_of(bla)} == {
        "pk_nacta",
        "uk_proscribed",
        "us_fto",
    }
    assert all(counts(run)["review"] == 0 for run in simple)


# --- the review queue --------------------------------------------------------------------------


def _near_miss(administrator) -> tuple[ProscribedGroup, DesignationImport]:
    """A registered group and an imported entry that only resembles it."""
    candidate = services.group_create(
        user=administrator, name="Jaysh al-Muhajiroun wal-Ansar", aliases=["JMA"]
    )
    csv = "authority,reference,name,aliases\npk_nacta,,Jaish al-Muhajireen wal-Ansar,JAMWA\n"
    run = designation_import(
        source="nacta", list_file=ListFile("nacta.csv", csv.encode()), user=administrator
    )
    return candidate, run


def test_uncertain_match_gets_a_provisional_group_and_a_review(administrator):
    candidate, run = _near_miss(administrator)

    assert counts(run) == expect(created=1, review=1)
    review = GroupMatchReview.objects.get()
    designation = review.designation
    assert (review.candidate, review.import_run, review.status) == (candidate, run, "pending")
    assert 0.75 <= review.score < 0.92
    assert review.matched_name == "Jaysh al-Muhajiroun wal-Ansar"
    assert designation.group != candidate
    assert designation.group.name == "Jaish al-Muhajireen wal-Ansar"
    assert "Jaysh al-Muhajiroun wal-Ansar" in designation.group.notes


def test_merging_moves_designations_aliases_and_accounts_audited(administrator, supervisor):
    candidate, _ = _near_miss(administrator)
    review = GroupMatchReview.objects.get()
    provisional = review.designation.group
    account = AccountFactory()
    account.groups.add(provisional)

    decided = group_match_decide(review=review, user=supervisor, merge=True)

    assert (decided.status, decided.decided_by) == ("merged", supervisor)
    assert decided.decided_at is not None
    assert not ProscribedGroup.objects.filter(pk=provisional.pk).exists()
    designation = Designation.objects.get(authority="pk_nacta")
    assert designation.group == candidate
    assert set(candidate.aliases.values_list("name", flat=True)) == {
        "JMA",
        "JAMWA",
        "Jaish al-Muhajireen wal-Ansar",
    }
    assert list(FlaggedAccount.objects.get(pk=account.pk).groups.all()) == [candidate]
    reason = f"match review #{review.pk}"
    moved = designation.history.first()
    assert (moved.history_change_reason, moved.history_user, moved.group_id) == (
        reason,
        supervisor,
        candidate.pk,
    )
    deleted = ProscribedGroup.history.get(id=provisional.pk, history_type="-")
    assert (deleted.history_change_reason, deleted.history_user) == (reason, supervisor)


def test_reimport_after_a_merge_changes_nothing(administrator, supervisor):
    _near_miss(administrator)
    group_match_decide(review=GroupMatchReview.objects.get(), user=supervisor, merge=True)
    csv = "authority,reference,name,aliases\npk_nacta,,Jaish al-Muhajireen wal-Ansar,JAMWA\n"
    again = designation_import(source="nacta", list_file=ListFile("nacta.csv", csv.encode()))

    assert counts(again) == expect(unchanged=1)
    assert GroupMatchReview.objects.count() == 1


def test_keeping_apart_leaves_both_groups(administrator, supervisor):
    candidate, _ = _near_miss(administrator)
    review = GroupMatchReview.objects.get()
    provisional = review.designation.group

    decided = group_match_decide(review=review, user=supervisor, merge=False)

    assert (decided.status, decided.decided_by) == ("kept_apart", supervisor)
    assert ProscribedGroup.objects.filter(pk__in=[candidate.pk, provisional.pk]).count() == 2
    assert Designation.objects.get(authority="pk_nacta").group == provisional


def test_a_match_is_decided_once(administrator, supervisor, supervisor2):
    _near_miss(administrator)
    review = GroupMatchReview.objects.get()
    group_match_decide(review=review, user=supervisor, merge=False)

    with pytest.raises(Conflict) as exc:
        group_match_decide(review=review, user=supervisor2, merge=True)
    assert exc.value.code == "already_decided"


def test_analysts_cannot_decide_matches(administrator, analyst):
    _near_miss(administrator)

    with pytest.raises(NotAllowed):
        group_match_decide(review=GroupMatchReview.objects.get(), user=analyst, merge=True)
    assert GroupMatchReview.objects.get().status == "pending"


def test_two_entries_of_one_list_are_never_merged_together():
    csv = "authority,reference,name\npk_nacta,1,Lashkar-e-Tayyaba\npk_nacta,2,Lashkar-e-Taiba\n"
    run = designation_import(source="nacta", list_file=ListFile("nacta.csv", csv.encode()))

    assert counts(run) == expect(created=2)
    assert ProscribedGroup.objects.count() == 2
    assert GroupMatchReview.objects.count() == 0


def test_two_entries_of_one_list_with_one_name_get_two_groups_named_apart():
    csv = "authority,reference,name\npk_nacta,1,Lashkar-e-Tayyaba\npk_nacta,2,Lashkar-e-Tayyaba\n"

    designation_import(source="nacta", list_file=ListFile("nacta.csv", csv.encode()))

    assert sorted(ProscribedGroup.objects.values_list("name", flat=True)) == [
        "Lashkar-e-Tayyaba",
        "Lashkar-e-Tayyaba (Pakistan NACTA 2)",
    ]
    assert GroupMatchReview.objects.count() == 0


def test_merging_carries_the_other_open_questions_over(administrator, supervisor):
    candidate, run = _near_miss(administrator)
    review = GroupMatchReview.objects.get()
    provisional = review.designation.group
    # Another entry of the provisional group asked about the candidate too, and a third
    # group's entry asked about the provisional group.
    second, _ = services.designation_record(
        user=administrator, group=provisional, authority="uk_proscribed", source_record_id="x"
    )
    same_question = GroupMatchReview.objects.create(
        import_run=run, designation=second, candidate=candidate, score=0.8
    )
    other = services.group_create(user=administrator, name="Jaish al-Muhajirin")
    third, _ = services.designation_record(
        user=administrator, group=other, authority="us_fto", source_record_id="y"
    )
    about_provisional = GroupMatchReview.objects.create(
        import_run=run, designation=third, candidate=provisional, score=0.8
    )

    group_match_decide(review=review, user=supervisor, merge=True)

    same_question.refresh_from_db()
    about_provisional.refresh_from_db()
    assert (same_question.status, same_question.decided_by) == ("merged", supervisor)
    assert (about_provisional.candidate, about_provisional.status) == (candidate, "pending")
    assert set(candidate.designations.values_list("source_record_id", flat=True)) == {
        "jaish-al-muhajireen-wal-ansar",
        "x",
    }
