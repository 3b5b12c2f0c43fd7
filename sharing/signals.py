"""The signals of one account as plain data: what every sharing format (the prevention feed,
STIX, MISP, hash-list CSV) is built from.

`account_signals(account)` is the one builder; its keys are stable (docs/sharing.md lists them).
Handle keys, the display-name key and the contact points come from the mirror engine's own
folding (accounts/mirrors), so a platform blocks on the same values the detector matches on.
Load accounts with `SIGNAL_RELATED` / `SIGNAL_PREFETCH` to build many without a query each.
"""

import hashlib

from accounts.mirrors.avatars import MIN_QUALITY
from accounts.mirrors.watchlist import account_signals as watchlist_signals

from .variants import predict_variants

# Joins and prefetches that make account_signals() query-free (besides the variants' priors,
# read once per process and cached).
SIGNAL_RELATED = ("platform", "mirror_of__platform")
SIGNAL_PREFETCH = ("groups__designations",)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def avatar_digests(avatar) -> tuple[str, str] | tuple[None, None]:
    """(MD5, SHA-256) hex of the stored avatar file; (None, None) without a readable file."""
    if not avatar:
        return None, None
    md5, sha256 = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    try:
        with avatar.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                md5.update(chunk)
                sha256.update(chunk)
    except (FileNotFoundError, OSError, ValueError):
        return None, None
    return md5.hexdigest(), sha256.hexdigest()


def _avatar(account, *, files: bool) -> dict | None:
    md5, sha256 = avatar_digests(account.avatar) if files else (None, None)
    if not account.avatar_pdq and not md5:
        return None
    return {
        "pdq": account.avatar_pdq or None,
        "pdq_quality": account.avatar_quality,
        # Below this quality the detector ignores the PDQ hash; consumers should too.
        "pdq_usable": bool(account.avatar_pdq) and (account.avatar_quality or 0) >= MIN_QUALITY,
        "md5": md5,
        "sha256": sha256,
    }


def _groups(account) -> list[dict]:
    groups = []
    for group in sorted(account.groups.all(), key=lambda g: g.name):
        designations = sorted(
            group.designations.all(), key=lambda d: (d.authority, d.reference, d.pk)
        )
        groups.append(
            {
                "id": group.pk,
                "name": group.name,
                "designations": [
                    {
                        "authority": d.authority,
                        "reference": d.reference,
                        "listed_on": _iso(d.listed_on),
                        "delisted_on": _iso(d.delisted_on),
                        "current": d.is_current,
                    }
                    for d in designations
                ],
            }
        )
    return groups


def account_signals(
    account, *, variants: int | None = None, priors: dict | None = None, files: bool = True
) -> dict:
    """Every signal of an account as JSON-ready data (see docs/sharing.md for each key):
    identity, avatar hashes, display-name key, contact points, groups with their designations
    and up to `variants` (settings.SIGNAL_VARIANTS) predicted handle variants.

    The variants (a few milliseconds an account) and the avatar's MD5 and SHA-256 (a read of
    the stored file) cost most; a bulk export that needs neither passes variants=0, files=False
    and gets the same keys with [] and None."""
    folded = watchlist_signals(account)
    platform = account.platform.slug
    mirror_of = account.mirror_of
    return {
        "id": account.pk,
        "platform": platform,
        "handle": account.handle,
        "handle_normalized": account.handle_normalized,
        "platform_account_id": account.platform_account_id or None,
        "profile_url": account.profile_url or None,
        "status": account.status,
        "first_seen_at": _iso(account.first_seen_at),
        "removed_at": _iso(account.removed_at),
        "mirror_of": (
            {
                "id": mirror_of.pk,
                "platform": mirror_of.platform.slug,
                "handle": mirror_of.handle,
                "platform_account_id": mirror_of.platform_account_id or None,
            }
            if mirror_of is not None
            else None
        ),
        "display_name": account.display_name or None,
        "display_name_skeleton": folded.name_key or None,
        "handle_keys": list(folded.handle_keys),
        "avatar": _avatar(account, files=files),
        "contacts": sorted(folded.contacts),
        "groups": _groups(account),
        "variants": predict_variants(
            account.handle_normalized or account.handle, platform, priors=priors, limit=variants
        ),
    }
