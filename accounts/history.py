"""Readable change history from simple_history records: who changed which field, from what to
what, and why; with a fixed number of queries however long the history is."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import ForeignKey
from django.utils import timezone
from django.utils.translation import gettext as _

# Derived or bookkeeping columns that would only repeat what another change already says.
_HIDDEN = {"id", "created_at", "updated_at", "handle_normalized", "handle_stem", "name_key"}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One historical record: when, by whom, what kind of change, why, and what changed."""

    at: datetime
    user: object
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)

    def change_of(self, name: str) -> Change | None:
        return next((c for c in self.changes if c.field == name), None)


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def history_entries(*, instance, limit: int = 200) -> list[HistoryEntry]:
    """The instance's history, newest first, each entry with its field changes."""
    model = instance._meta.model
    m2m = [f.name for f in getattr(instance.history.model, "_history_m2m_fields", [])]
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    m2m_ids = _m2m_snapshots(model, m2m, records)
    # One query per related model for the ids the changes mention.
    fk_fields = {f.name: f for f in model._meta.concrete_fields if isinstance(f, ForeignKey)}
    wanted: dict[str, set] = {}
    for record in records:
        for name, fk in fk_fields.items():
            value = getattr(record, fk.attname)
            if value is not None:
                wanted.setdefault(name, set()).add(value)
        for name in m2m:
            wanted.setdefault(name, set()).update(m2m_ids[name].get(record.history_id, ()))
    related = {}
    for name, ids in wanted.items():
        target = model._meta.get_field(name).related_model
        related[name] = target._default_manager.in_bulk(ids) if ids else {}

    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        kind = {"+": "created", "~": "changed", "-": "deleted"}[newer.history_type]
        entry = HistoryEntry(
            at=newer.history_date,
            user=newer.history_user,
            kind=kind,
            reason=newer.history_change_reason or "",
        )
        if older is not None:
            entry.changes = _changes(model, older, newer, fk_fields, m2m_ids, related)
        entries.append(entry)
    return entries


def _m2m_snapshots(model, names, records) -> dict[str, dict[int, set]]:
    """For each m2m field, the related ids each history record saw: one query per field."""
    snapshots = {}
    for name in names:
        snapshots[name] = by_record = {}
        if not records:
            continue
        through = getattr(records[0], name).model
        target = f"{model._meta.get_field(name).m2m_reverse_field_name()}_id"
        rows = through.objects.filter(history_id__in=[r.history_id for r in records])
        for history_id, target_id in rows.values_list("history_id", target):
            by_record.setdefault(history_id, set()).add(target_id)
    return snapshots


def _changes(model, older, newer, fk_fields, m2m_ids, related) -> list[Change]:
    changes = []
    for f in model._meta.concrete_fields:
        if f.name in _HIDDEN or not f.editable:
            continue
        old, new = getattr(older, f.attname), getattr(newer, f.attname)
        if old == new:
            continue
        if f.name in fk_fields:
            lookup = related.get(f.name, {})
            old, new = lookup.get(old, old), lookup.get(new, new)
        elif f.flatchoices:
            choices = dict(f.flatchoices)
            old, new = choices.get(old, old), choices.get(new, new)
        changes.append(Change(f.name, str(f.verbose_name), _shown(old), _shown(new)))
    for name, by_record in m2m_ids.items():
        old_ids = by_record.get(older.history_id, set())
        new_ids = by_record.get(newer.history_id, set())
        if old_ids != new_ids:
            lookup = related.get(name, {})
            label = str(model._meta.get_field(name).verbose_name)

            def names(ids, lookup=lookup):
                return ", ".join(sorted(str(lookup.get(i, i)) for i in ids)) or "—"

            changes.append(Change(name, label, names(old_ids), names(new_ids)))
    return changes
