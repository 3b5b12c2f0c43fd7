"""Designation-list imports and the review of uncertain cross-list matches (docs/designations.md).

`designation_import` reads one official list (a path, an http(s) URL or an uploaded file),
parses it safely and, in one transaction, upserts its designations: the same file twice changes
nothing, a changed file updates names, aliases and dates, an entry that disappeared is delisted
(never deleted). Every row it writes is audited with the reason "import <source> #<run id>".
The run itself (a DesignationImport) is written outside that transaction, so a failed import
leaves its run, marked failed with the error, and nothing else.

A new entry is resolved against every group and alias already registered
(`matching.NameIndex.resolve`): a certain match joins that group, an uncertain one gets a
provisional group of its own plus a GroupMatchReview, which a supervisor settles with
`group_match_decide` (merge into the candidate, or keep apart).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from core.history import audited
from core.permissions import require_permission

from ..choices import Authority
from ..importers import ListFile, parse_list_file, read_list_file
from ..importers.base import SOURCES, DesignationFileError, ParsedDesignation
from ..importers.simple_csv import AUTHORITIES as SIMPLE_CSV_AUTHORITIES
from ..matching import NameIndex
from ..models import (
    Designation,
    DesignationImport,
    FlaggedAccount,
    GroupAlias,
    GroupMatchReview,
    ProscribedGroup,
)
from .designations import designation_record
from .groups import group_add_aliases, group_create

logger = logging.getLogger(__name__)

# The authorities each source publishes; an entry of these that a new file no longer lists is
# delisted. For "nacta" (the simple CSV), only the authorities present in the file.
SOURCE_AUTHORITIES = {
    "un": ("un",),
    "uk": ("uk_sanctions",),
    "ofac": ("us_fto", "us_sdgt"),
    "eu": ("eu",),
    "nacta": SIMPLE_CSV_AUTHORITIES,
}
# Only terrorism regimes make proscribed groups; the lists also carry Iran, DPRK, Russia ...
# UN: the ISIL (Da'esh) and Al-Qaida list (1267/1989/2253) and the Taliban list (1988).
UN_LISTS_KEPT = frozenset({"Al-Qaida", "Taliban"})
# EU: TERR (Common Position 2001/931), TAQA (ISIL/Al-Qaida), AFG (Taliban).
EU_PROGRAMMES_KEPT = frozenset({"TERR", "TAQA", "AFG"})
# UK: "ISIL (Da'esh) and Al-Qaida", "Counter-Terrorism (International|Domestic)" and
# "Afghanistan" (the Taliban), in OFSI's short names and the FCDO's regulation titles.
UK_REGIME_WORDS = ("al-qaida", "counter-terrorism", "afghanistan")
# OFAC's parser keeps SDGT, FTO and SDT entries only; the simple CSV lists proscribed groups.

# The counters of a run (DesignationImport.<name>_count).
COUNTS = ("created", "updated", "delisted", "unchanged", "skipped", "review")
# Reviews opened for one uncertain entry: its best candidates only.
MAX_REVIEWS_PER_ENTRY = 3
MAX_RECORDED_ERRORS = 200
# Taken for the whole import, so two imports (a scheduled refresh and an upload) never resolve
# the same organisation into two groups at once.
_IMPORT_LOCK_ID = 0x64657369  # "desi"


def is_kept(source: str, record: ParsedDesignation) -> bool:
    """Whether a list entry becomes a designation: an organisation under a terrorism regime."""
    if not record.is_organisation:
        return False
    if source == "un":
        return bool(UN_LISTS_KEPT.intersection(record.programs))
    if source == "eu":
        return bool(EU_PROGRAMMES_KEPT.intersection(record.programs))
    if source == "uk":
        return any(
            word in program.casefold() for program in record.programs for word in UK_REGIME_WORDS
        )
    return True


def designation_import(
    *,
    source: str,
    path_or_url: str | Path | None = None,
    list_file: ListFile | None = None,
    user=None,
    notify: Callable[[str], None] | None = None,
) -> DesignationImport:
    """Import one list file (a path or URL, or an uploaded `list_file`); returns the run.

    Raises DomainError (with `extra["import_id"]`) when the file cannot be imported; the run is
    then recorded as failed and nothing else is written. Call it outside any transaction.
    """
    require_permission(user, "accounts.add_designationimport")
    if source not in SOURCES:
        raise DomainError(
            _("Unknown source “%(source)s”: expected one of %(sources)s.")
            % {"source": source, "sources": ", ".join(SOURCES)},
            code="invalid_choice",
            field="source",
        )
    if (path_or_url is None) == (list_file is None):
        raise DomainError(_("Give a file or a URL to import."), code="required", field="file")
    name = list_file.label if list_file else str(path_or_url)
    run = DesignationImport.objects.create(source=source, file_name=name[:500], started_by=user)
    try:
        if list_file is None:
            list_file = read_list_file(
                source,
                path_or_url,
                timeout=settings.DESIGNATION_FETCH_TIMEOUT,
                notify=notify,
            )
        run.file_name = list_file.label[:500]
        run.file_sha256 = list_file.sha256
        records = parse_list_file(source, list_file)
        with transaction.atomic(durable=True):
            _ListImport(run=run, user=user).apply(records)
    except DesignationFileError as exc:
        _record_failure(run, exc.code, exc.message)
        raise DomainError(exc.message, code=exc.code, field="file", import_id=run.pk) from exc
    except DomainError as exc:
        _record_failure(run, exc.code, exc.message)
        exc.extra["import_id"] = run.pk
        raise
    except Exception as exc:
        logger.exception("designation import #%s failed", run.pk)
        _record_failure(
            run,
            "internal_error",
            f"The import stopped on an unexpected error ({type(exc).__name__}: {exc}); "
            "nothing was imported.",
        )
        raise
    return run


def _record_failure(run: DesignationImport, code: str, message: str) -> None:
    # The import's transaction is rolled back: the counts it set on `run` never happened.
    run.status = DesignationImport.Status.FAILED
    run.finished_at = timezone.now()
    run.errors = [{"code": code, "message": message}]
    for field in COUNTS:
        setattr(run, f"{field}_count", 0)
    run.save()


class _ListImport:
    """One import's state: the name index of every group, counts and errors."""

    def __init__(self, *, run: DesignationImport, user) -> None:
        self.run = run
        self.source = run.source
        self.user = user
        self.reason = f"import {run.source} #{run.pk}"
        self.today = timezone.localdate()
        self.counts: dict[str, int] = defaultdict(int)
        self.errors: list[dict] = []
        self.present: set[tuple[str, str]] = set()

    def apply(self, records: list[ParsedDesignation]) -> None:
        self._lock()
        kept = self._select(records)
        authorities = self._authorities(kept)
        self._guard_against_empty(kept, authorities)
        self._load(authorities)
        for record in kept:
            self._upsert(record)
        self._delist(authorities)
        run = self.run
        run.status = DesignationImport.Status.SUCCEEDED
        run.finished_at = timezone.now()
        for field in COUNTS:
            setattr(run, f"{field}_count", self.counts[field])
        run.errors = self.errors
        run.save()

    def _lock(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK_ID])

    def _error(self, record: ParsedDesignation, code: str, message: str) -> None:
        self.counts["skipped"] += 1
        if len(self.errors) < MAX_RECORDED_ERRORS:
            self.errors.append(
                {"code": code, "record": record.source_record_id, "message": message}
            )

    def _select(self, records: list[ParsedDesignation]) -> list[ParsedDesignation]:
        """The organisations under terrorism regimes with a usable id; the rest is skipped.

        Sets `present`: the entries the file still lists, a broken one included (skipped, and
        listed in the run's errors, but not delisted for that)."""
        kept, ids = [], set()
        for record in records:
            if not is_kept(self.source, record):
                self.counts["skipped"] += 1
                continue
            if record.source_record_id:
                self.present.add((record.authority, record.source_record_id))
            if not record.source_record_id or not record.name:
                what = "name" if not record.name else "id"
                self._error(
                    record,
                    "incomplete",
                    f"The entry “{record.name or record.reference}” has no {what}; skipped.",
                )
            elif len(record.source_record_id) > 64:
                self._error(record, "malformed", "The entry's id is over 64 characters; skipped.")
            elif (record.authority, record.source_record_id) in ids:
                self._error(
                    record,
                    "duplicate",
                    f"The entry {record.source_record_id} appears twice; the second is skipped.",
                )
            else:
                ids.add((record.authority, record.source_record_id))
                kept.append(record)
        return kept

    def _authorities(self, kept: list[ParsedDesignation]) -> tuple[str, ...]:
        if self.source == "nacta":
            return tuple(sorted({record.authority for record in kept}))
        return SOURCE_AUTHORITIES[self.source]

    def _current(self, authorities: Iterable[str]):
        return Designation.objects.filter(
            authority__in=authorities, delisted_on__isnull=True, last_import__source=self.source
        )

    def _guard_against_empty(self, kept: list[ParsedDesignation], authorities) -> None:
        # A list that suddenly names no organisation is a broken file, not a mass delisting.
        if kept:
            return
        current = self._current(authorities).count()
        if current:
            raise DomainError(
                _(
                    "The file lists none of the %(count)d organisations currently designated from "
                    "this source; it was not imported rather than delisting them all."
                )
                % {"count": current},
                code="empty_list",
                field="file",
            )

    def _load(self, authorities: tuple[str, ...]) -> None:
        self.groups = {group.pk: group for group in ProscribedGroup.objects.all()}
        self.group_names = {group.name.casefold() for group in self.groups.values()}
        names: dict[int, list[str]] = {pk: [group.name] for pk, group in self.groups.items()}
        for group_id, alias in GroupAlias.objects.order_by("pk").values_list("group_id", "name"):
            if group_id in names:  # not a group created since the query above
                names[group_id].append(alias)
        self.index = NameIndex(names.items())
        self.designations: dict[tuple[str, str], Designation] = {}
        self.unimported: dict[tuple[str, str], Designation] = {}
        # Groups holding a current entry of one list: another entry of that list is another
        # organisation, whatever its name.
        self.listed_in: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for designation in Designation.objects.filter(authority__in=authorities).select_related(
            "group", "last_import"
        ):
            self.designations[(designation.authority, designation.source_record_id)] = designation
            if designation.last_import is None and designation.reference:
                self.unimported[(designation.authority, designation.reference)] = designation
        for group_id, authority, source in Designation.objects.filter(
            delisted_on__isnull=True, last_import__isnull=False
        ).values_list("group_id", "authority", "last_import__source"):
            self.listed_in[group_id].add((authority, source))

    def _upsert(self, record: ParsedDesignation) -> None:
        designation = self.designations.get((record.authority, record.source_record_id))
        adopted = False
        if designation is None:
            designation = self._adopt(record)
            adopted = designation is not None
        if designation is None:
            self._create(record)
            return
        group = designation.group
        self.listed_in[group.pk].add((record.authority, self.source))
        _designation, changed = designation_record(
            user=self.user,
            group=group,
            import_run=self.run,
            reason=self.reason,
            **self._fields(record),
        )
        added = self._add_aliases(group, record)
        self.counts["updated" if changed or added or adopted else "unchanged"] += 1

    def _adopt(self, record: ParsedDesignation) -> Designation | None:
        """A designation typed in (seed_demo, the admin) with the entry's reference: taken over
        by the list, so that importing does not repeat it."""
        designation = self.unimported.pop((record.authority, record.reference), None)
        if designation is None:
            return None
        designation.source_record_id = record.source_record_id
        designation.last_import = self.run
        audited(designation, self.user, self.reason).save()
        return designation

    def _fields(self, record: ParsedDesignation) -> dict:
        return {
            "authority": record.authority,
            "source_record_id": record.source_record_id,
            "reference": record.reference[:64],
            "name_as_listed": record.name[:255],
            "aliases_as_listed": list(record.aliases),
            "listed_on": record.listed_on,
            "programs": list(record.programs),
            "source_url": record.source_url[:500],
        }

    def _add_aliases(self, group: ProscribedGroup, record: ParsedDesignation) -> bool:
        added = group_add_aliases(
            group=group, user=self.user, names=[record.name, *record.aliases], reason=self.reason
        )
        if added:
            self.index.add(group.pk, [alias.name for alias in added])
        return bool(added)

    def _create(self, record: ParsedDesignation) -> None:
        resolution = self.index.resolve([record.name, *record.aliases])
        mine = (record.authority, self.source)
        candidates = [
            (group_id, score, matched)
            for group_id, score, matched in resolution.shortlist
            if mine not in self.listed_in[group_id]
        ]
        if resolution.action == "merge" and mine not in self.listed_in[resolution.key]:
            group = self.groups[resolution.key]
            self._add_aliases(group, record)
            candidates = []
        else:
            group = self._new_group(record, candidates[:1])
        designation, _created = designation_record(
            user=self.user, group=group, import_run=self.run, reason=self.reason,
            **self._fields(record),
        )  # fmt: skip
        self.listed_in[group.pk].add(mine)
        self.counts["created"] += 1
        if candidates:
            self.counts["review"] += 1
            for group_id, score, matched in candidates[:MAX_REVIEWS_PER_ENTRY]:
                GroupMatchReview.objects.create(
                    import_run=self.run,
                    designation=designation,
                    candidate_id=group_id,
                    score=score,
                    matched_name=matched[:255],
                )

    def _new_group(self, record: ParsedDesignation, candidates: list) -> ProscribedGroup:
        name = record.name[:255]
        if name.casefold() in self.group_names:
            # Another list entry of that very name: the group name must stay unique.
            reference = record.reference or record.source_record_id
            label = f" ({Authority(record.authority).label} {reference})"
            name = name[: 255 - len(label)] + label
        notes = ""
        if candidates:
            group_id, score, matched = candidates[0]
            notes = _(
                "Created by %(reason)s with a possible match sent to review: “%(candidate)s” "
                "(matched “%(matched)s”, score %(score).2f)."
            ) % {
                "reason": self.reason,
                "candidate": self.groups[group_id].name,
                "matched": matched,
                "score": score,
            }
        group = group_create(
            user=self.user,
            name=name,
            aliases=[record.name, *record.aliases],
            country=record.country[:100],
            notes=notes,
            reason=self.reason,
        )
        self.groups[group.pk] = group
        self.group_names.add(group.name.casefold())
        self.index.add(group.pk, [group.name, record.name, *record.aliases])
        return group

    def _delist(self, authorities: tuple[str, ...]) -> None:
        for designation in self._current(authorities):
            if (designation.authority, designation.source_record_id) in self.present:
                continue
            designation.delisted_on = self.today
            designation.last_import = self.run
            audited(designation, self.user, self.reason).save()
            self.counts["delisted"] += 1


@transaction.atomic
def group_match_decide(*, review: GroupMatchReview, user, merge: bool) -> GroupMatchReview:
    """Settle a review: merge the designation's group into the candidate, or keep them apart."""
    require_permission(user, "accounts.change_groupmatchreview")
    review = (
        GroupMatchReview.objects.select_for_update()
        .select_related("designation__group", "candidate")
        .filter(pk=review.pk)
        .first()
    )
    if review is None:
        # Another merge answered it (the same question about the group it was merged into).
        raise Conflict(_("This match was settled by another decision."), code="already_decided")
    if review.status != GroupMatchReview.Status.PENDING:
        raise Conflict(_("This match was already decided."), code="already_decided")
    now = timezone.now()
    if merge and review.designation.group_id != review.candidate_id:
        into = review.candidate
        _group_merge(
            group=review.designation.group,
            into=into,
            user=user,
            reason=f"match review #{review.pk}",
        )
        # Other questions this merge answered: an entry now in `into` compared with `into`.
        GroupMatchReview.objects.filter(
            status=GroupMatchReview.Status.PENDING, designation__group=into, candidate=into
        ).exclude(pk=review.pk).update(
            status=GroupMatchReview.Status.MERGED, decided_by=user, decided_at=now
        )
    review.status = GroupMatchReview.Status.MERGED if merge else GroupMatchReview.Status.KEPT_APART
    review.decided_by = user
    review.decided_at = now
    review.save()
    return review


def _group_merge(*, group: ProscribedGroup, into: ProscribedGroup, user, reason: str) -> None:
    """Move everything of `group` (designations, names, linked accounts, reviews) to `into`,
    each move audited, then delete `group`."""
    for designation in group.designations.all():
        designation.group = into
        audited(designation, user, reason).save()
    have = {name.casefold() for name in into.aliases.values_list("name", flat=True)}
    have.add(into.name.casefold())
    for alias in group.aliases.all():
        audited(alias, user, reason)
        if alias.name.casefold() in have:
            alias.delete()
        else:
            have.add(alias.name.casefold())
            alias.group = into
            alias.save()
    group_add_aliases(group=into, user=user, names=[group.name], reason=reason)
    for account in FlaggedAccount.objects.filter(groups=group):
        audited(account, user, reason)
        account.groups.remove(group)
        account.groups.add(into)
    # Questions about `group` are now questions about `into`, unless one was asked already.
    for other in GroupMatchReview.objects.filter(candidate=group):
        if GroupMatchReview.objects.filter(
            designation_id=other.designation_id, candidate=into
        ).exists():
            other.delete()
        else:
            other.candidate = into
            other.save()
    if group.notes:
        into.notes = f"{into.notes}\n{group.notes}".strip()
        audited(into, user, reason).save()
    audited(group, user, reason).delete()
