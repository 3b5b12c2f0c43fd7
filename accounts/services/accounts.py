"""Writes to flagged accounts: create, update, status changes."""

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import audited
from core.permissions import require_permission
from core.uploads import EXTENSIONS

from ..choices import AccountStatus
from ..errors import DuplicateAccount
from ..handles import HandleError, ParsedHandle, parse_handle
from ..mirrors import handle_stem
from ..mirrors.avatars import avatar_reencoded
from ..models import (
    FlaggedAccount,
    Platform,
    ProscribedGroup,
    Tag,
)
from ..selectors import account_find_duplicate
from .mirrors import (
    account_avatar_hash,
    mirror_candidates_refresh,
    watchlist_index,
    watchlist_withdraw,
)


def platform_resolve(
    *, value: str, platform: Platform | str | None, platforms: dict | None = None
) -> tuple[Platform, ParsedHandle]:
    """Parse a handle or URL and find its platform (in `platforms`, slug -> active Platform,
    when a batch loaded them once); errors name the field at fault."""
    slug = platform.slug if isinstance(platform, Platform) else (platform or None)
    try:
        parsed = parse_handle(value, slug)
    except HandleError as exc:
        field = "platform" if exc.code == "platform_required" else "handle"
        raise DomainError(exc.message, code=exc.code, field=field) from exc
    if isinstance(platform, Platform):
        return platform, parsed
    if platforms is not None and parsed.platform in platforms:
        return platforms[parsed.platform], parsed
    try:
        return Platform.objects.get(slug=parsed.platform, is_active=True), parsed
    except Platform.DoesNotExist:
        raise DomainError(
            _("Unknown platform “%(slug)s”.") % {"slug": parsed.platform},
            code="unknown_platform",
            field="platform",
        ) from None


def duplicate_error(platform: Platform, existing: FlaggedAccount) -> DuplicateAccount:
    """The refusal of an account that is already recorded as `existing`."""
    return DuplicateAccount(
        _("%(platform)s account “%(handle)s” is already recorded (status: %(status)s).")
        % {
            "platform": platform.name,
            "handle": existing.handle,
            "status": existing.get_status_display(),
        },
        existing=existing,
    )


def _raise_if_duplicate(*, platform, parsed, exclude_pk=None) -> None:
    existing = account_find_duplicate(
        platform=platform,
        handle_normalized=parsed.normalized,
        platform_account_id=parsed.account_id,
        exclude_pk=exclude_pk,
    )
    if existing is not None:
        raise duplicate_error(platform, existing)


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
    removed_at: datetime | None = None,
    reason: str = "",
    avatar=None,
    mirror_suppressed=None,
) -> FlaggedAccount:
    """Record a flagged account from a handle or URL; refuses a duplicate, scores it against the
    watch list (and puts it there when it is recorded as removed)."""
    require_permission(user, "accounts.add_flaggedaccount")
    # The avatar is checked before anything is written: a refused image saves nothing.
    hashed = account_avatar_hash(avatar) if avatar is not None else None
    platform, parsed = platform_resolve(value=value, platform=platform)
    account_id = platform_account_id.strip() or parsed.account_id
    parsed = dataclasses.replace(parsed, account_id=account_id)
    _raise_if_duplicate(platform=platform, parsed=parsed)
    account = audited(
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
            removed_at=removed_at or (timezone.now() if status == AccountStatus.REMOVED else None),
            flagged_by=user,
            notes=notes,
        ),
        user,
        reason,
    )
    if hashed is not None:
        _set_avatar(account, avatar, hashed)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:
        # A concurrent request recorded the same account between our check and our insert.
        _raise_if_duplicate(platform=platform, parsed=parsed)
        raise
    account.groups.set(groups)
    account.tags.set(_tags(tags))
    mirror_candidates_refresh(account=account, avatar=hashed, suppressed=mirror_suppressed)
    watchlist_index(account=account)
    return account


def _set_avatar(account: FlaggedAccount, fileobj, hashed) -> None:
    # Stored re-encoded: a fresh image of the pixels only (no EXIF or GPS, nothing appended),
    # named by its real type, never by the uploaded name.
    data, content_type = avatar_reencoded(fileobj)
    account.avatar.save(f"avatar.{EXTENSIONS[content_type]}", ContentFile(data), save=False)
    account.avatar_pdq, account.avatar_quality = hashed.pdq, hashed.quality
    account.avatar_crops = list(hashed.crops)
    account.avatar_variants = list(hashed.watched)


# Changing any of these changes what the account gives the watch list and how it scores.
_SIGNAL_FIELDS = frozenset({"handle", "display_name", "bio", "profile_url", "groups", "avatar"})


@transaction.atomic
def account_update(*, account: FlaggedAccount, user, reason: str = "", **fields) -> FlaggedAccount:
    """Change an account's details; a new handle is normalised and checked for duplicates."""
    require_permission(user, "accounts.change_flaggedaccount")
    avatar = fields.pop("avatar", None)
    hashed = account_avatar_hash(avatar) if avatar is not None else None
    signals_changed = bool(_SIGNAL_FIELDS & (set(fields) | ({"avatar"} if avatar else set())))
    groups = fields.pop("groups", None)
    tags = fields.pop("tags", None)
    if "status" in fields:
        account_set_status(account=account, user=user, status=fields.pop("status"), reason=reason)
    if "handle" in fields:
        _platform, parsed = platform_resolve(value=fields.pop("handle"), platform=account.platform)
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
    if hashed is not None:
        _set_avatar(account, avatar, hashed)
    audited(account, user, reason).save()
    if groups is not None:
        account.groups.set(groups)
    if tags is not None:
        account.tags.set(_tags(tags))
    if signals_changed:
        mirror_candidates_refresh(account=account, avatar=hashed)
        watchlist_index(account=account)
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
    was_removed = account.status == AccountStatus.REMOVED
    account.status = status
    if status == AccountStatus.REMOVED:
        account.removed_at = timezone.now()
    audited(account, user, reason).save()
    # The watch list follows the status in the same transaction.
    if status == AccountStatus.REMOVED:
        watchlist_index(account=account)
    elif was_removed:
        watchlist_withdraw(account=account)
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
