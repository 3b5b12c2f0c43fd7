"""The one change-history formatter, for the pages and the API: who changed which field, from
what to what, and why; with a fixed number of queries however long the history is.

Field changes come from simple-history's `diff_against`. Many-to-many changes are compared
here from one query per field for all the records, because `diff_against` queries the
many-to-many rows of every record it compares.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import ForeignKey
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

# Derived or bookkeeping columns that would only repeat what another change already says.
_HIDDEN = {"id", "created_at", "updated_at", "handle_normalized", "handle_stem", "name_key"}
_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Change:
    """One field's change: `old`/`new` as a page shows them (labels, names, local times),
    `old_value`/`new_value` as the API gives them (ids, codes, ISO 8601)."""

    field: str
    label: str
    old: str
    new: str
    old_value: object = None
    new_value: object = None


@dataclass
class HistoryEntry:
    """One historical record: when, by whom, what kind of change, why, and what changed."""

    id: int
    at: datetime
    user: object
    kind: str
    reason: str | None
    changes: list[Change] = field(default_factory=list)

    def change_of(self, name: str) -> Change | None:
        return next((c for c in self.changes if c.field == name), None)

    @property
    def username(self) -> str | None:
        return self.user.username if self.user else None


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _raw(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _empty(value) -> bool:
    return (
        value is None or value == "" or value == [] or (isinstance(value, FieldFile) and not value)
    )


class _Formatter:
    """The shown fields of one model and the related objects the records mention."""

    def __init__(self, model, records):
        self.model = model
        self.m2m = [f.name for f in getattr(records[0], "_history_m2m_fields", [])]
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if f.editable and f.name not in _HIDDEN and f.name not in self.m2m
        ]
        self.excluded = {
            f.name for f in records[0].tracked_fields if f.name not in {g.name for g in self.fields}
        } | set(self.m2m)
        self.m2m_ids = self._m2m_snapshots(records)
        self.related = self._related(records)

    def _m2m_snapshots(self, records) -> dict[str, dict[int, list]]:
        """For each m2m field, the related ids (sorted) each record saw: one query per field."""
        snapshots = {}
        for name in self.m2m:
            snapshots[name] = by_record = {}
            through = getattr(records[0], name).model
            target = f"{self.model._meta.get_field(name).m2m_reverse_field_name()}_id"
            rows = through.objects.filter(history_id__in=[r.history_id for r in records])
            for history_id, target_id in rows.values_list("history_id", target):
                by_record.setdefault(history_id, []).append(target_id)
            for ids in by_record.values():
                ids.sort()
        return snapshots

    def _related(self, records) -> dict[str, dict]:
        """The related objects the records name: one query per related model."""
        wanted: dict[str, set] = {}
        for record in records:
            for f in self.fields:
                if isinstance(f, ForeignKey) and getattr(record, f.attname) is not None:
                    wanted.setdefault(f.name, set()).add(getattr(record, f.attname))
            for name in self.m2m:
                wanted.setdefault(name, set()).update(self.m2m_ids[name].get(record.history_id, ()))
        related = {}
        for name, ids in wanted.items():
            target = self.model._meta.get_field(name).related_model
            related[name] = target._default_manager.in_bulk(ids) if ids else {}
        return related

    def _text(self, name: str, value) -> str:
        model_field = self.model._meta.get_field(name)
        if name in self.m2m:
            lookup = self.related.get(name, {})
            return ", ".join(sorted(str(lookup.get(i, i)) for i in value)) or "—"
        if isinstance(model_field, ForeignKey):
            value = self.related.get(name, {}).get(value, value)
        elif model_field.flatchoices:
            value = dict(model_field.flatchoices).get(value, value)
        return _shown(value)

    def change(self, name: str, old, new) -> Change:
        label = str(self.model._meta.get_field(name).verbose_name)
        old_value = None if old is None else _raw(old)
        return Change(
            name, label, self._text(name, old), self._text(name, new), old_value, _raw(new)
        )

    def changes(self, newer, older) -> list[Change]:
        """What changed from `older` to `newer`; from nothing (the values it was created with)
        when there is no older record."""
        order = [f.name for f in self.fields] + self.m2m
        if older is None:
            values = model_to_dict(newer, fields=[f.name for f in self.fields])
            values.update({n: self.m2m_ids[n].get(newer.history_id, []) for n in self.m2m})
            pairs = {n: (None, v) for n, v in values.items() if not _empty(v)}
        else:
            delta = newer.diff_against(older, excluded_fields=self.excluded)
            pairs = {c.field: (c.old, c.new) for c in delta.changes}
            for name in self.m2m:
                old_ids = self.m2m_ids[name].get(older.history_id, [])
                new_ids = self.m2m_ids[name].get(newer.history_id, [])
                if old_ids != new_ids:
                    pairs[name] = (old_ids, new_ids)
        return [self.change(name, *pairs[name]) for name in order if name in pairs]


def history_entries(*, instance, limit: int | None = 200) -> list[HistoryEntry]:
    """The instance's history, newest first, each entry with its field changes (the first
    with the values it was created with); saves that changed no shown field are left out."""
    records = instance.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    records = list(records if limit is None else records[: limit + 1])
    if not records:
        return []
    formatter = _Formatter(instance._meta.model, records)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if limit is not None and len(entries) == limit:
            break
        if older is None and limit is not None and len(records) > limit:
            break  # the record before this one was not read: its changes are unknown
        kind = _KINDS.get(newer.history_type, "changed")
        changes = formatter.changes(newer, older)
        if kind == "changed" and not changes:
            continue  # a save that changed nothing shown (e.g. only updated_at)
        entries.append(
            HistoryEntry(
                id=newer.history_id,
                at=newer.history_date,
                user=newer.history_user,
                kind=kind,
                reason=newer.history_change_reason,
                changes=changes,
            )
        )
    return entries
