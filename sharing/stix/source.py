"""How the STIX, TAXII and MISP exports read their records.

An account is read through `sharing.signals.account_signals`, the one builder every sharing
format uses (`export_signals` below gives the options the exports share). The querysets below
load everything it reads with their joins, so an export makes a fixed number of queries per
chunk of accounts, never one per account.
"""

from django.db.models import Prefetch, QuerySet

from accounts.models import Designation, GroupAlias

from ..signals import SIGNAL_PREFETCH, SIGNAL_RELATED, account_signals

# STIX's account-type-ov names two of the platforms; the others go by their slug (the
# vocabulary is open).
ACCOUNT_TYPES = {"x": "twitter", "facebook": "facebook"}
PLATFORMS_BY_ACCOUNT_TYPE = {v: k for k, v in ACCOUNT_TYPES.items()}


def account_type(platform_slug: str) -> str:
    return ACCOUNT_TYPES.get(platform_slug, platform_slug)


def platform_slug(account_type_value: str) -> str:
    return PLATFORMS_BY_ACCOUNT_TYPE.get(account_type_value, account_type_value)


def export_accounts(accounts: QuerySet) -> QuerySet:
    """The accounts with what account_signals reads (platform, original, groups, designations)."""
    return (
        accounts.select_related(*SIGNAL_RELATED).prefetch_related(*SIGNAL_PREFETCH).order_by("pk")
    )


def export_signals(account, *, files: bool = True) -> dict:
    """An account's signals for an export: no predicted variants (the prevention feed carries
    them); with files, the avatar file's MD5 and SHA-256 (a read of the stored file)."""
    return account_signals(account, variants=0, files=files)


def export_groups(groups: QuerySet) -> QuerySet:
    """The groups with their aliases and designations."""
    return groups.prefetch_related(
        Prefetch("aliases", queryset=GroupAlias.objects.order_by("name")),
        Prefetch("designations", queryset=Designation.objects.order_by("authority", "reference")),
    ).order_by("pk")
