"""What an export says about an account, read from the models in one place.

`account_facts` is the only function the STIX, TAXII and MISP exports read an account through;
once the signals of an account (sharing/signals.py) exist, it is the one place to switch to
them. The querysets below load everything it reads with their joins, so an export makes a fixed
number of queries per chunk of accounts, never one per account.
"""

from django.db.models import Prefetch, QuerySet

from accounts.choices import AccountStatus
from accounts.models import Designation, FlaggedAccount, GroupAlias, ProscribedGroup

# STIX's account-type-ov names two of the platforms; the others go by their slug (the
# vocabulary is open).
ACCOUNT_TYPES = {"x": "twitter", "facebook": "facebook"}
PLATFORMS_BY_ACCOUNT_TYPE = {v: k for k, v in ACCOUNT_TYPES.items()}


def account_type(platform_slug: str) -> str:
    return ACCOUNT_TYPES.get(platform_slug, platform_slug)


def platform_slug(account_type_value: str) -> str:
    return PLATFORMS_BY_ACCOUNT_TYPE.get(account_type_value, account_type_value)


def export_accounts(accounts: QuerySet) -> QuerySet:
    """The accounts with what account_facts reads (platform, original, group ids)."""
    return (
        accounts.select_related("platform", "mirror_of__platform")
        .prefetch_related(Prefetch("groups", queryset=ProscribedGroup.objects.only("pk")))
        .order_by("pk")
    )


def export_groups(groups: QuerySet) -> QuerySet:
    """The groups with their aliases and designations."""
    return groups.prefetch_related(
        Prefetch("aliases", queryset=GroupAlias.objects.order_by("name")),
        Prefetch("designations", queryset=Designation.objects.order_by("authority", "reference")),
    ).order_by("pk")


def _login(account) -> dict:
    return {"platform": account.platform.slug, "handle": account.handle}


def account_facts(account: FlaggedAccount) -> dict:
    """An account as plain data: who it is on its platform, its state, avatar hash, groups and
    the original it re-creates."""
    avatar = None
    if account.avatar_pdq:
        avatar = {"pdq": account.avatar_pdq, "quality": account.avatar_quality}
    return {
        **_login(account),
        "pk": account.pk,
        "platform_account_id": account.platform_account_id,
        "profile_url": account.profile_url,
        "display_name": account.display_name,
        "status": account.status,
        "removed": account.status == AccountStatus.REMOVED,
        "first_seen_at": account.first_seen_at,
        "removed_at": account.removed_at,
        "created_at": account.created_at,
        "updated_at": account.updated_at,
        "avatar": avatar,
        "group_ids": sorted(g.pk for g in account.groups.all()),
        "mirror_of": _login(account.mirror_of) if account.mirror_of_id else None,
    }
