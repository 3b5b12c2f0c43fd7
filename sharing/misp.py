"""A MISP event of a set of accounts, groups and requests, built with pymisp (no MISP server).

Each account is an object of the template MISP knows for its platform (twitter-account,
telegram-account, facebook-account, instagram-account, else user-account), its groups and
designations are tags, and a mirror points to its original with a `successor-of` reference.
pymisp holds the whole event in memory, so an event is capped at MISP_MAX_ACCOUNTS accounts
(larger sets go as STIX, which streams).
"""

import uuid

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from pymisp import MISPEvent, MISPObject

from accounts.choices import AccountStatus
from accounts.models import FlaggedAccount, ProscribedGroup
from core.errors import DomainError

from .stix.objects import AUTHORITY_SOURCES, account_stix_id
from .stix.source import export_accounts, export_groups, export_signals

MISP_MAX_ACCOUNTS = 10_000
MEDIA_TYPE = "application/json"

# template -> (handle attribute, platform id attribute, display name attribute or None)
TEMPLATES = {
    "x": ("twitter-account", "name", "id", "displayed-name"),
    "telegram": ("telegram-account", "username", "id", None),
    "facebook": ("facebook-account", "account-name", "account-id", None),
    "instagram": ("instagram-account", "account-name", "account-id", None),
}
OTHER = ("user-account", "username", "user-id", "display-name")


def _uuid(stix_id: str) -> str:
    # The MISP object of an account has the same identity as its STIX user-account.
    return stix_id.split("--", 1)[1]


def group_tags(group) -> list[str]:
    tags = [f'tracker:group="{group.name}"']
    for designation in group.designations.all():
        source = AUTHORITY_SOURCES.get(designation.authority, designation.authority)
        reference = designation.reference or designation.source_record_id
        tags.append(f'tracker:designation="{source}: {reference}"')
    return tags


def _account_object(facts: dict, tags: list[str]) -> MISPObject:
    template, handle, account_id, name = TEMPLATES.get(facts["platform"], OTHER)
    obj = MISPObject(template, standalone=False)
    obj.uuid = _uuid(account_stix_id(facts["platform"], facts["handle"]))
    main = obj.add_attribute(handle, value=facts["handle"])
    for tag in [f'tracker:status="{facts["status"]}"', *tags]:
        main.add_tag(tag)
    if facts["platform_account_id"]:
        obj.add_attribute(account_id, value=facts["platform_account_id"])
    if name and facts["display_name"]:
        obj.add_attribute(name, value=facts["display_name"])
    if facts["profile_url"] and template != "telegram-account":
        obj.add_attribute("link", value=facts["profile_url"])
    if template == "user-account":
        obj.add_attribute("account-type", value=facts["platform"])
        obj.add_attribute("disabled", value=facts["status"] == AccountStatus.REMOVED)
    obj.comment = f"{facts['platform']} account, {facts['status']}"
    if facts["avatar"] and facts["avatar"]["pdq"]:
        obj.comment += f"; avatar PDQ {facts['avatar']['pdq']}"
    return obj


def _original_object(original: dict) -> MISPObject:
    """An original that is not in the set: only its handle, so the reference has a target."""
    return _account_object(
        {
            **original,
            "platform_account_id": "",
            "display_name": "",
            "profile_url": "",
            "status": AccountStatus.REMOVED,
            "avatar": None,
        },
        [],
    )


def misp_event(
    *,
    info: str,
    accounts: QuerySet | None = None,
    groups: QuerySet | None = None,
    requests: QuerySet | None = None,
) -> MISPEvent:
    """The MISP event of the accounts (those given and those the requests cover) and groups."""
    selected = FlaggedAccount.objects.none()
    if accounts is not None:
        selected = accounts
    if requests is not None:
        covered = FlaggedAccount.objects.filter(takedowns__in=requests).values("pk")
        base = accounts.values("pk") if accounts is not None else covered
        selected = FlaggedAccount.objects.filter(pk__in=base) | FlaggedAccount.objects.filter(
            pk__in=covered
        )
    if selected.count() > MISP_MAX_ACCOUNTS:
        raise DomainError(
            _("A MISP event holds at most %d accounts; export this selection as STIX.")
            % MISP_MAX_ACCOUNTS,
            code="too_many",
        )
    event = MISPEvent()
    event.info = info
    event.uuid = str(uuid.uuid4())
    event.distribution = settings.MISP_DISTRIBUTION
    event.threat_level_id = 2
    event.analysis = 2
    # MISP's objects carry no file hashes: the stored avatars are not read.
    facts_list = [export_signals(a, files=False) for a in export_accounts(selected)]
    group_pks = {group["id"] for f in facts_list for group in f["groups"]}
    if groups is not None:
        group_pks |= set(groups.values_list("pk", flat=True))
    tags_of = {
        g.pk: group_tags(g) for g in export_groups(ProscribedGroup.objects.filter(pk__in=group_pks))
    }
    for tags in tags_of.values():
        for tag in tags:
            event.add_tag(tag)
    objects = {}
    for facts in facts_list:
        tags = [t for group in facts["groups"] for t in tags_of.get(group["id"], [])]
        objects[(facts["platform"], facts["handle"])] = (_account_object(facts, tags), facts)
    for obj, facts in list(objects.values()):
        original = facts["mirror_of"]
        if original is None:
            continue
        key = (original["platform"], original["handle"])
        if key not in objects:
            objects[key] = (_original_object(original), None)
        obj.add_reference(objects[key][0].uuid, "successor-of")
    for obj, _facts in objects.values():
        event.add_object(obj)
    return event


def misp_json(event: MISPEvent) -> str:
    """The event as MISP imports it (its JSON format: the event under "Event")."""
    return '{"Event": ' + event.to_json(indent=1) + "}"
