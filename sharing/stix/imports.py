"""Importing a STIX 2.1 bundle: its user-account objects become flagged accounts through the
same row validator and bulk service as any bulk import (duplicate and mirror checks included),
its intrusion-sets name their groups, `attributed-to` links an account to a group and
`derived-from` a mirror to its original.

All or nothing by default: one object that cannot become an account and nothing is written.
Everything that is not imported is reported with why: refusals (`problems`, which stop an
all-or-nothing import) and notes (objects a tracker has no place for, ignored).
"""

import dataclasses
from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.choices import AccountStatus, MirrorStatus
from accounts.models import MirrorCandidate
from accounts.services import accounts_bulk_create, group_create, mirror_decide
from accounts.services.rows import RowLookups
from core.errors import DomainError
from core.history import audited
from core.permissions import require_permission

from .objects import ATTRIBUTED_TO, DERIVED_FROM, PREFIX
from .source import platform_slug

REASON = "STIX import"


@dataclasses.dataclass
class Problem:
    """Why one object was not imported (`fatal` ones stop an all-or-nothing import)."""

    object_id: str
    code: str
    message: str
    field: str | None = None
    fatal: bool = True

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class StixImportResult:
    """What an import recorded (or, for a preview, would record) and what it left out."""

    accounts: list
    groups: list[str]
    links: list[tuple]
    problems: list[Problem]
    ignored: dict[str, int]
    dry_run: bool

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "accounts": [
                {
                    "id": a.pk if not self.dry_run else None,
                    "platform": a.platform.slug,
                    "handle": a.handle,
                    "status": a.status,
                }
                for a in self.accounts
            ],
            "groups_created": self.groups,
            "mirror_links": [{"mirror": m, "original": o} for m, o in self.links],
            "problems": [p.as_dict() for p in self.problems],
            "ignored": self.ignored,
        }


class StixImportRefused(DomainError):
    """Some objects cannot be imported and the import is all or nothing; nothing was written."""

    code = "invalid_objects"


@dataclasses.dataclass
class _Plan:
    rows: list[dict] = dataclasses.field(default_factory=list)
    row_ids: list[str] = dataclasses.field(default_factory=list)
    new_groups: dict[str, dict] = dataclasses.field(default_factory=dict)
    links: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    ignored: Counter = dataclasses.field(default_factory=Counter)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _note(plan: _Plan, obj_id, code: str, message: str) -> None:
    plan.problems.append(Problem(str(obj_id)[:120], code, message, fatal=False))


def _group_names(objects: list[dict], lookups: RowLookups, plan: _Plan) -> dict[str, str]:
    """intrusion-set id -> the group's name (an existing group by name or alias, else new)."""
    names = {}
    for obj in objects:
        if obj["type"] != "intrusion-set":
            continue
        name = " ".join(_text(obj.get("name")).split())
        if not name:
            plan.problems.append(
                Problem(str(obj.get("id"))[:120], "required", _("The group has no name."), "name")
            )
            continue
        try:
            names[obj.get("id")] = lookups.group(name).name
        except DomainError:
            names[obj.get("id")] = name
            aliases = [a for a in obj.get("aliases") or [] if isinstance(a, str)]
            plan.new_groups.setdefault(name.casefold(), {"name": name, "aliases": aliases[:200]})
    return names


def _row(obj: dict, groups: list[str]) -> dict:
    status = _text(obj.get(PREFIX + "status"))
    if status not in AccountStatus.values:
        status = AccountStatus.REMOVED if obj.get("is_disabled") is True else AccountStatus.ACTIVE
    row = {
        "handle": obj.get("account_login"),
        "platform": platform_slug(_text(obj.get("account_type"))),
        "status": status,
        "groups": groups,
        "reason": REASON,
    }
    optional = {
        "display_name": obj.get("display_name"),
        "platform_account_id": obj.get(PREFIX + "platform_account_id") or obj.get("user_id"),
        "first_seen_at": obj.get(PREFIX + "first_seen"),
    }
    row.update({k: v for k, v in optional.items() if v not in (None, "")})
    return row


def plan_bundle(bundle: dict, lookups: RowLookups) -> _Plan:
    """Turn a checked bundle into account rows, groups to create, mirror links and notes."""
    plan = _Plan()
    objects = bundle.get("objects", [])
    group_names = _group_names(objects, lookups, plan)
    account_ids = {o.get("id") for o in objects if o["type"] == "user-account"}
    groups_of: dict[str, list[str]] = {}
    for obj in objects:
        if obj["type"] != "relationship":
            continue
        kind, source, target = (
            obj.get(k) for k in ("relationship_type", "source_ref", "target_ref")
        )
        if kind == ATTRIBUTED_TO and source in account_ids and target in group_names:
            groups_of.setdefault(source, []).append(group_names[target])
        elif kind == DERIVED_FROM and source in account_ids and target in account_ids:
            plan.links.append((source, target))
        elif kind == DERIVED_FROM and source in account_ids:
            _note(
                plan,
                obj.get("id"),
                "original_missing",
                _("The original account of this mirror link is not in the bundle."),
            )
        else:
            plan.ignored["relationship"] += 1
    for obj in objects:
        kind = obj["type"]
        if kind == "user-account":
            plan.rows.append(_row(obj, groups_of.get(obj.get("id"), [])))
            plan.row_ids.append(str(obj.get("id"))[:120])
        elif kind not in ("intrusion-set", "relationship"):
            plan.ignored[kind] += 1
    return plan


def _create_groups(plan: _Plan, user) -> list[str]:
    # Only someone who may add groups creates them; for anyone else the accounts naming an
    # unknown group are refused by the row validator, with its own message.
    if not plan.new_groups or not user.has_perm("accounts.add_proscribedgroup"):
        return []
    created = []
    for group in plan.new_groups.values():
        group_create(user=user, name=group["name"], aliases=group["aliases"], reason=REASON)
        created.append(group["name"])
    return created


def _row_problems(plan: _Plan, rows: list[dict]) -> list[Problem]:
    return [
        Problem(plan.row_ids[r["index"]], r["code"], r["message"], r.get("field")) for r in rows
    ]


def _link(user, mirror, original) -> None:
    """Record a mirror link a partner asserted: confirm the suggestion the mirror check made,
    or set the link (audited) when the check made none."""
    candidate = MirrorCandidate.objects.filter(
        account=mirror, removed_account=original, status=MirrorStatus.SUGGESTED
    ).first()
    if candidate is not None:
        mirror_decide(candidate=candidate, user=user, confirm=True)
        return
    mirror.mirror_of = original
    audited(mirror, user, REASON + ": mirror link").save()


def _links(plan: _Plan, user, by_id: dict) -> list[tuple]:
    done = []
    for mirror_id, original_id in plan.links:
        mirror, original = by_id.get(mirror_id), by_id.get(original_id)
        if mirror is None or original is None:
            continue  # one end was refused: reported with that account
        if not user.has_perm("accounts.change_mirrorcandidate"):
            _note(
                plan,
                mirror_id,
                "permission_denied",
                _("Confirming a mirror link needs a supervisor; the link was not recorded."),
            )
            continue
        _link(user, mirror, original)
        done.append((str(mirror), str(original)))
    return done


@transaction.atomic
def stix_import(
    *, user, bundle: dict, partial: bool = False, dry_run: bool = False
) -> StixImportResult:
    """Import a checked bundle's accounts (parse it with bundle.parse_bundle first). All or
    nothing unless partial; dry_run checks everything exactly as a real run, writes nothing."""
    require_permission(user, "accounts.add_flaggedaccount")
    plan = plan_bundle(bundle, RowLookups())
    groups = _create_groups(plan, user)
    fatal = [p for p in plan.problems if p.fatal]
    created, refused = [], []
    if plan.rows:
        try:
            with transaction.atomic():
                bulk = accounts_bulk_create(user=user, rows=plan.rows, partial=True, cells=False)
            created, refused = bulk.created, [e.as_dict() for e in bulk.errors]
        except DomainError as exc:
            if exc.code != "invalid_rows":
                raise
            refused = exc.extra.get("rows", [])
    fatal.extend(_row_problems(plan, refused))
    refused_rows = {r["index"] for r in refused}
    kept = [oid for i, oid in enumerate(plan.row_ids) if i not in refused_rows]
    by_id = dict(zip(kept, created, strict=True))
    links = _links(plan, user, by_id)
    problems = fatal + [p for p in plan.problems if not p.fatal]
    result = StixImportResult(created, groups, links, problems, dict(plan.ignored), dry_run)
    if fatal and not partial and not dry_run:
        raise StixImportRefused(
            _("%(bad)d objects cannot be imported; nothing was recorded.") % {"bad": len(fatal)},
            problems=[p.as_dict() for p in problems],
        )
    if dry_run:
        transaction.set_rollback(True)
    return result
