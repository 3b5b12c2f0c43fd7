"""Every write to platforms, groups, accounts, evidence and mirror links."""

import dataclasses
import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .choices import AccountStatus, EvidenceKind, MirrorStatus
from .errors import Conflict, DomainError, DuplicateAccount, NotAllowed
from .matching import name_key
from .mirrors import handle_stem, score_mirror
from .models import (
    Designation,
    Evidence,
    FlaggedAccount,
    GroupAlias,
    MirrorCandidate,
    Platform,
    ProscribedGroup,
    Tag,
)
from .normalization import MAX_INPUT_LENGTH, HandleError, ParsedHandle, parse_handle
from .selectors import account_find_duplicate, account_mirror_suspects

MIRROR_SUGGESTION_THRESHOLD = 0.7


def require_permission(user, perm: str, message: str | None = None) -> None:
    """Refuse the action unless the user holds `perm`; every service of every app checks here."""
    # user=None is the system itself (a command or a worker), which may do anything.
    if user is not None and not user.has_perm(perm):
        raise NotAllowed(message or _("Your role does not allow this action."))


def _audit(instance, user, reason: str = ""):
    """Attribute the next history row of `instance` to `user` and give it a reason."""
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    return instance


def platform_resolve(
    *, value: str, platform: Platform | str | None
) -> tuple[Platform, ParsedHandle]:
    """Parse a handle or URL and find its platform; errors name the field at fault."""
    slug = platform.slug if isinstance(platform, Platform) else (platform or None)
    try:
        parsed = parse_handle(value, slug)
    except HandleError as exc:
        field = "platform" if exc.code == "platform_required" else "handle"
        raise DomainError(exc.message, code=exc.code, field=field) from exc
    if isinstance(platform, Platform):
        return platform, parsed
    try:
        return Platform.objects.get(slug=parsed.platform, is_active=True), parsed
    except Platform.DoesNotExist:
        raise DomainError(
            _("Unknown platform “%(slug)s”.") % {"slug": parsed.platform},
            code="unknown_platform",
            field="platform",
        ) from None


def _raise_if_duplicate(*, platform, parsed, exclude_pk=None) -> None:
    existing = account_find_duplicate(
        platform=platform,
        handle_normalized=parsed.normalized,
        platform_account_id=parsed.account_id,
        exclude_pk=exclude_pk,
    )
    if existing is not None:
        raise DuplicateAccount(
            _("%(platform)s account “%(handle)s” is already recorded (status: %(status)s).")
            % {
                "platform": platform.name,
                "handle": existing.handle,
                "status": existing.get_status_display(),
            },
            existing=existing,
        )


def _tags(names: Iterable[str]) -> list[Tag]:
    return [Tag.objects.get_or_create(name=n.strip()[:64])[0] for n in names if n.strip()]


@transaction.atomic
def account_create(
    *,
    user,
    value: str,
    platform: Platform | str | None = None,
    platform_account_id: str = "",
    display_name: str = "",
    bio: str = "",
    groups: Iterable[ProscribedGroup] = (),
    tags: Iterable[str] = (),
    notes: str = "",
    status: str = AccountStatus.ACTIVE,
    first_seen_at: datetime | None = None,
    reason: str = "",
) -> FlaggedAccount:
    """Record a flagged account from a handle or URL; refuses a duplicate, suggests mirrors."""
    require_permission(user, "accounts.add_flaggedaccount")
    platform, parsed = platform_resolve(value=value, platform=platform)
    account_id = platform_account_id.strip() or parsed.account_id
    parsed = dataclasses.replace(parsed, account_id=account_id)
    _raise_if_duplicate(platform=platform, parsed=parsed)
    account = _audit(
        FlaggedAccount(
            platform=platform,
            handle=parsed.handle,
            handle_normalized=parsed.normalized,
            handle_stem=handle_stem(parsed.normalized),
            platform_account_id=account_id,
            profile_url=parsed.profile_url,
            display_name=display_name.strip(),
            bio=bio,
            status=status,
            first_seen_at=first_seen_at or timezone.now(),
            removed_at=timezone.now() if status == AccountStatus.REMOVED else None,
            flagged_by=user,
            notes=notes,
        ),
        user,
        reason,
    )
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        # A concurrent request recorded the same account between our check and our insert.
        _raise_if_duplicate(platform=platform, parsed=parsed)
        raise
    account.groups.set(groups)
    account.tags.set(_tags(tags))
    mirror_candidates_refresh(account=account)
    return account


@transaction.atomic
def account_update(*, account: FlaggedAccount, user, reason: str = "", **fields) -> FlaggedAccount:
    """Change an account's details; a new handle is normalised and checked for duplicates."""
    require_permission(user, "accounts.change_flaggedaccount")
    groups = fields.pop("groups", None)
    tags = fields.pop("tags", None)
    if "status" in fields:
        account_set_status(account=account, user=user, status=fields.pop("status"), reason=reason)
    if "handle" in fields:
        _, parsed = platform_resolve(value=fields.pop("handle"), platform=account.platform)
        _raise_if_duplicate(platform=account.platform, parsed=parsed, exclude_pk=account.pk)
        account.handle = parsed.handle
        account.handle_normalized = parsed.normalized
        account.handle_stem = handle_stem(parsed.normalized)
        account.profile_url = fields.pop("profile_url", None) or parsed.profile_url
    allowed = {
        "display_name",
        "bio",
        "notes",
        "platform_account_id",
        "profile_url",
        "last_checked_at",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s.") % ", ".join(sorted(unknown)))
    for name, value in fields.items():
        setattr(account, name, value)
    if "platform_account_id" in fields and account.platform_account_id:
        existing = account_find_duplicate(
            platform=account.platform,
            platform_account_id=account.platform_account_id,
            exclude_pk=account.pk,
        )
        if existing:
            raise DuplicateAccount(
                _("Another record already has this platform account id."),
                existing=existing,
                field="platform_account_id",
            )
    _audit(account, user, reason).save()
    if groups is not None:
        account.groups.set(groups)
    if tags is not None:
        account.tags.set(_tags(tags))
    return account


@transaction.atomic
def account_set_status(
    *, account: FlaggedAccount, user, status: str, reason: str = ""
) -> FlaggedAccount:
    """Move an account to a status, keeping removed_at honest; a no-op when unchanged."""
    require_permission(user, "accounts.change_flaggedaccount")
    if status not in AccountStatus.values:
        raise DomainError(_("Unknown status “%s”.") % status, code="invalid_choice", field="status")
    if account.status == status:
        return account
    # A removed account that comes back is "restored", which is what alerts the cell.
    if account.status == AccountStatus.REMOVED and status in (
        AccountStatus.ACTIVE,
        AccountStatus.REPORTED,
    ):
        status = AccountStatus.RESTORED
    if account.status == AccountStatus.REMOVED:
        _raise_if_duplicate_live_handle(account)
    account.status = status
    if status == AccountStatus.REMOVED:
        account.removed_at = timezone.now()
    _audit(account, user, reason).save()
    return account


def _raise_if_duplicate_live_handle(account: FlaggedAccount) -> None:
    existing = (
        FlaggedAccount.objects.filter(
            platform=account.platform, handle_normalized=account.handle_normalized
        )
        .exclude(status=AccountStatus.REMOVED)
        .exclude(pk=account.pk)
        .first()
    )
    if existing:
        raise DuplicateAccount(
            _("The handle is now held by another recorded account (%(other)s).")
            % {"other": existing},
            existing=existing,
        )


@transaction.atomic
def accounts_bulk_set_status(
    *, accounts: Iterable[FlaggedAccount], user, status: str, reason: str = ""
) -> int:
    """Set the status of several accounts, each audited; all or nothing."""
    count = 0
    for account in accounts:
        account_set_status(account=account, user=user, status=status, reason=reason)
        count += 1
    return count


def _sha256_of(fileobj) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in (
        fileobj.chunks() if hasattr(fileobj, "chunks") else iter(lambda: fileobj.read(65536), b"")
    ):
        digest.update(chunk)
        size += len(chunk)
        if size > settings.EVIDENCE_MAX_BYTES:
            raise DomainError(
                _("The file is larger than the %(mb)d MB allowed for evidence.")
                % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
                code="file_too_large",
                field="file",
            )
    fileobj.seek(0)
    return digest.hexdigest(), size


@transaction.atomic
def evidence_capture(
    *, account: FlaggedAccount, user, file=None, url: str = "", text: str = "", note: str = ""
) -> Evidence:
    """Attach a file, URL or captured text to an account, with its SHA-256."""
    require_permission(user, "accounts.add_evidence")
    given = [k for k, v in (("file", file), ("url", url), ("text", text)) if v]
    if len(given) != 1:
        raise DomainError(
            _("Give exactly one of a file, a URL or captured text."), code="invalid", field="file"
        )
    evidence = Evidence(account=account, captured_by=user, note=note[:500])
    if file is not None:
        sha, size = _sha256_of(file)
        evidence.kind = EvidenceKind.FILE
        evidence.sha256, evidence.size = sha, size
        evidence.original_name = (getattr(file, "name", "") or "file")[-255:]
        evidence.content_type = (getattr(file, "content_type", "") or "")[:100]
        evidence.file.save(evidence.original_name, file, save=False)
    elif url:
        evidence.kind = EvidenceKind.URL
        evidence.url = url
        evidence.sha256 = hashlib.sha256(url.encode()).hexdigest()
        evidence.size = len(url.encode())
    else:
        evidence.kind = EvidenceKind.TEXT
        evidence.text = text
        evidence.sha256 = hashlib.sha256(text.encode()).hexdigest()
        evidence.size = len(text.encode())
    evidence.save()
    return evidence


@transaction.atomic
def evidence_attach(
    *, account: FlaggedAccount, user, files=(), url: str = "", text: str = "", note: str = ""
) -> list[Evidence]:
    """Capture several pieces of evidence at once (files, a URL, text): all of them or none."""
    captured = [evidence_capture(account=account, user=user, file=f, note=note) for f in files]
    if url:
        captured.append(evidence_capture(account=account, user=user, url=url, note=note))
    if text:
        captured.append(evidence_capture(account=account, user=user, text=text, note=note))
    return captured


@transaction.atomic
def account_create_with_evidence(
    *, user, evidence_files=(), evidence_url: str = "", evidence_note: str = "", **fields
) -> FlaggedAccount:
    """Record an account and attach its evidence in the same step: all of it, or nothing."""
    account = account_create(user=user, **fields)
    evidence_attach(
        account=account, user=user, files=evidence_files, url=evidence_url, note=evidence_note
    )
    return account


def mirror_candidates_refresh(*, account: FlaggedAccount) -> list[MirrorCandidate]:
    """Score the account against removed accounts on its platform and store likely mirrors."""
    group_ids = set(account.groups.values_list("pk", flat=True))
    found = []
    for removed in account_mirror_suspects(
        platform=account.platform, handle_normalized=account.handle_normalized
    ):
        if removed.pk == account.pk:
            continue
        result = score_mirror(
            handle_normalized=account.handle_normalized,
            display_name=account.display_name,
            group_ids=group_ids,
            removed=removed,
        )
        if result.score >= MIRROR_SUGGESTION_THRESHOLD:
            candidate, _ = MirrorCandidate.objects.update_or_create(
                account=account,
                removed_account=removed,
                defaults={"score": result.score, "reasons": list(result.reasons)},
            )
            found.append(candidate)
    return found


@transaction.atomic
def mirror_decide(*, candidate: MirrorCandidate, user, confirm: bool) -> MirrorCandidate:
    """A supervisor confirms (links mirror_of) or rejects a mirror suggestion."""
    require_permission(user, "accounts.change_mirrorcandidate")
    candidate = MirrorCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != MirrorStatus.SUGGESTED:
        raise Conflict(_("This suggestion was already decided."), code="already_decided")
    candidate.status = MirrorStatus.CONFIRMED if confirm else MirrorStatus.REJECTED
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    _audit(candidate, user).save()
    if confirm:
        account = candidate.account
        account.mirror_of = candidate.removed_account
        _audit(account, user, "mirror confirmed").save()
    return candidate


@transaction.atomic
def group_create(
    *,
    user,
    name: str,
    aliases: Iterable[str] = (),
    country: str = "",
    notes: str = "",
    reason: str = "",
) -> ProscribedGroup:
    """Register a proscribed group with its aliases."""
    require_permission(user, "accounts.add_proscribedgroup")
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("A group needs a name."), field="name")
    if ProscribedGroup.objects.filter(name__iexact=name).exists():
        raise Conflict(
            _("A group named “%s” already exists.") % name, code="duplicate", field="name"
        )
    group = _audit(
        ProscribedGroup(name=name, name_key=name_key(name), country=country, notes=notes),
        user,
        reason,
    )
    group.save()
    group_add_aliases(group=group, user=user, names=aliases, reason=reason)
    return group


def group_add_aliases(
    *, group: ProscribedGroup, user, names: Iterable[str], reason: str = ""
) -> list[GroupAlias]:
    """Add the aliases the group does not have yet (same spelling, any case, counts as had)."""
    have = {a.casefold() for a in group.aliases.values_list("name", flat=True)} | {
        group.name.casefold()
    }
    added = []
    for raw in names:
        alias = " ".join(str(raw).split())[:255]
        if alias and alias.casefold() not in have:
            have.add(alias.casefold())
            added.append(
                _audit(GroupAlias(group=group, name=alias, name_key=name_key(alias)), user, reason)
            )
    # One insert for the aliases and one for their history rows: an import adds thousands.
    return bulk_create_with_history(added, GroupAlias)


@transaction.atomic
def designation_record(
    *,
    user,
    group: ProscribedGroup,
    authority: str,
    source_record_id: str,
    reference: str = "",
    name_as_listed: str = "",
    aliases_as_listed: Iterable[str] = (),
    listed_on=None,
    programs: Iterable[str] = (),
    source_url: str = "",
    import_run=None,
    reason: str = "",
) -> tuple[Designation, bool]:
    """Create or update one authority's listing of a group; returns (designation, changed)."""
    require_permission(user, "accounts.add_designation")
    values = {
        # The id, not the object: comparing objects would load each row's group.
        "group_id": group.pk,
        "reference": reference,
        "name_as_listed": name_as_listed,
        "aliases_as_listed": list(aliases_as_listed),
        "listed_on": listed_on,
        "programs": list(programs),
        "source_url": source_url,
        "delisted_on": None,
    }
    designation = Designation.objects.filter(
        authority=authority, source_record_id=source_record_id
    ).first()
    if designation is None:
        designation = Designation(authority=authority, source_record_id=source_record_id, **values)
    elif all(getattr(designation, k) == v for k, v in values.items()):
        return designation, False
    else:
        for key, value in values.items():
            setattr(designation, key, value)
    designation.last_import = import_run
    _audit(designation, user, reason).save()
    return designation, True


# Keys a bulk row may carry: the single-create input of the API, and the import file's columns.
BULK_ROW_FIELDS = frozenset(
    {
        "handle",
        "platform",
        "platform_account_id",
        "display_name",
        "bio",
        "groups",
        "tags",
        "notes",
        "status",
        "first_seen_at",
    }
)
_BULK_TEXT_LIMITS = {
    "handle": MAX_INPUT_LENGTH,
    "platform": 32,
    "status": 32,
    "platform_account_id": 128,
    "display_name": 255,
    "bio": None,
    "notes": None,
}
# Names in one spreadsheet cell are separated by ";" or "|" (group names themselves hold commas).
_LIST_SEPARATORS = re.compile(r"[;|\n]")


@dataclasses.dataclass(frozen=True)
class RowError:
    """Why one row of a bulk create was refused (index counts from 0 in the given rows)."""

    index: int
    field: str | None
    code: str
    message: str
    extra: dict = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            **self.extra,
        }


@dataclasses.dataclass(frozen=True)
class BulkCreateResult:
    """The accounts a bulk create recorded and the rows it refused."""

    created: list[FlaggedAccount]
    errors: list[RowError]


class _BulkLookups:
    """Platforms and groups loaded once for a whole batch, instead of once per row."""

    def __init__(self):
        self.platforms = {p.slug: p for p in Platform.objects.filter(is_active=True)}
        self.groups_by_id = {}
        self.groups_by_name = {}
        for group in ProscribedGroup.objects.prefetch_related("aliases"):
            self.groups_by_id[group.pk] = group
            for name in [group.name, *(a.name for a in group.aliases.all())]:
                self.groups_by_name.setdefault(name.casefold(), group)

    def group(self, ref) -> ProscribedGroup:
        if isinstance(ref, ProscribedGroup):
            return ref
        if isinstance(ref, int) and not isinstance(ref, bool):
            found = self.groups_by_id.get(ref)
        elif isinstance(ref, str):
            text = " ".join(ref.split())
            found = self.groups_by_name.get(text.casefold())
            if found is None and text.isdecimal():
                found = self.groups_by_id.get(int(text))
        else:
            found = None
        if found is None:
            raise DomainError(
                _("Unknown group “%s”: give a group id, name or alias.") % str(ref)[:100],
                code="unknown_group",
                field="groups",
            )
        return found


def _bulk_text(row: Mapping, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DomainError(_("Give text here."), code="invalid_type", field=name)
    value = str(value)  # spreadsheet cells hold phone numbers and account ids as numbers
    if "\x00" in value:
        raise DomainError(_("The text holds a NUL character."), code="invalid", field=name)
    limit = _BULK_TEXT_LIMITS[name]
    if limit is not None and len(value) > limit:
        raise DomainError(
            _("At most %(limit)d characters (this has %(length)d).")
            % {"limit": limit, "length": len(value)},
            code="max_length",
            field=name,
        )
    return value


def _bulk_names(value, field: str) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise DomainError(_("Give a list."), code="invalid_type", field=field)


def _parse_moment(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        return None
    return moment or (datetime.combine(day, datetime.min.time()) if day else None)


def _bulk_datetime(value) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, datetime.min.time())
    elif isinstance(value, str):
        moment = _parse_moment(value.strip())
        if moment is None:
            raise DomainError(
                _("“%s” is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM.") % value.strip()[:40],
                code="invalid_date",
                field="first_seen_at",
            )
    else:
        raise DomainError(_("Give a date."), code="invalid_type", field="first_seen_at")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _bulk_row_kwargs(row, lookups: _BulkLookups) -> dict:
    """Turn one raw row (API JSON or a file's cells) into account_create's arguments."""
    if not isinstance(row, Mapping):
        raise DomainError(_("Each row must be an object with named fields."), code="invalid_type")
    unknown = sorted(str(k) for k in row if k not in BULK_ROW_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown fields: %s.") % ", ".join(unknown)[:200],
            code="unknown_field",
            field=unknown[0][:100],
        )
    handle = _bulk_text(row, "handle")
    if not handle.strip():
        raise DomainError(
            _("Enter a handle or a profile address."), code="required", field="handle"
        )
    slug = _bulk_text(row, "platform").strip().casefold()
    status = _bulk_text(row, "status").strip().casefold() or AccountStatus.ACTIVE
    if status not in AccountStatus.values:
        raise DomainError(
            _("Unknown status “%(status)s”: use one of %(choices)s.")
            % {"status": status[:40], "choices": ", ".join(AccountStatus.values)},
            code="invalid_choice",
            field="status",
        )
    tags = _bulk_names(row.get("tags"), "tags")
    if not all(isinstance(t, str) and "\x00" not in t for t in tags):
        raise DomainError(_("Tags are plain text."), code="invalid_type", field="tags")
    return {
        "value": handle,
        "platform": lookups.platforms.get(slug) or slug or None,
        "platform_account_id": _bulk_text(row, "platform_account_id").strip(),
        "display_name": _bulk_text(row, "display_name"),
        "bio": _bulk_text(row, "bio"),
        "notes": _bulk_text(row, "notes"),
        "groups": [lookups.group(ref) for ref in _bulk_names(row.get("groups"), "groups")],
        "tags": tags,
        "status": status,
        "first_seen_at": _bulk_datetime(row.get("first_seen_at")),
    }


@transaction.atomic
def accounts_bulk_create(
    *, user, rows: Iterable, partial: bool = False, dry_run: bool = False
) -> BulkCreateResult:
    """Record many accounts; every row is checked and its errors reported.

    All or nothing by default: one bad row and nothing is written (DomainError "invalid_rows"
    carrying every row's error). With partial=True the valid rows are recorded and the bad ones
    reported; a batch in which no row is valid still raises. dry_run checks everything exactly
    as a real run would (duplicates within the batch included), then writes nothing.
    """
    require_permission(user, "accounts.add_flaggedaccount")
    lookups = _BulkLookups()
    created, errors = [], []
    for index, row in enumerate(rows):
        try:
            # A savepoint per row: a refused row leaves no trace, and later rows still run
            # (so a file's second copy of an account is reported as a duplicate of the first).
            with transaction.atomic():
                created.append(account_create(user=user, **_bulk_row_kwargs(row, lookups)))
        except DomainError as exc:
            errors.append(RowError(index, exc.field, exc.code, exc.message, dict(exc.extra)))
    if errors and (not partial or not created):
        raise DomainError(
            _("%(bad)d of %(total)d rows have errors; no account was recorded.")
            % {"bad": len(errors), "total": len(errors) + len(created)},
            code="invalid_rows",
            rows=[e.as_dict() for e in errors],
        )
    if dry_run:
        transaction.set_rollback(True)
    return BulkCreateResult(created=created, errors=errors)
