"""Writes to proscribed groups and their aliases."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.errors import Conflict, DomainError
from core.history import audited
from core.permissions import require_permission

from ..matching import name_key
from ..models import (
    GroupAlias,
    ProscribedGroup,
)


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
    group = audited(
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
                audited(GroupAlias(group=group, name=alias, name_key=name_key(alias)), user, reason)
            )
    # One insert for the aliases and one for their history rows: an import adds thousands.
    return bulk_create_with_history(added, GroupAlias)
