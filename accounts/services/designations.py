"""Writes to designations (one record at a time; list imports are in designation_imports)."""

from collections.abc import Iterable

from django.db import transaction

from core.history import audited
from core.permissions import require_permission

from ..models import (
    Designation,
    ProscribedGroup,
)


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
    audited(designation, user, reason).save()
    return designation, True
