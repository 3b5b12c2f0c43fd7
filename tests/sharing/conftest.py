"""A small shared world for the sharing tests: groups with designations and aliases, a removed
account with an avatar hash, its confirmed mirror, and a takedown request covering both."""

from dataclasses import dataclass
from datetime import date

import pytest

from accounts.choices import AccountStatus, Authority
from accounts.models import Designation, FlaggedAccount, GroupAlias, ProscribedGroup
from takedowns.models import TakedownRequest
from tests.factories import AccountFactory, GroupFactory, TakedownFactory

PDQ = "f" * 16 + "0" * 16 + "a5" * 16


@dataclass
class World:
    groups: list[ProscribedGroup]
    original: FlaggedAccount
    mirror: FlaggedAccount
    other: FlaggedAccount
    request: TakedownRequest


@pytest.fixture
def world(platforms, analyst) -> World:
    lej = GroupFactory(name="Lashkar-e-Jhangvi", country="Pakistan")
    GroupAlias.objects.create(group=lej, name="لشکر جھنگوی", name_key="lej")
    Designation.objects.create(
        group=lej,
        authority=Authority.UN,
        reference="QDe.096",
        listed_on=date(2003, 2, 3),
        source_url="https://main.un.org/securitycouncil/en/sanctions/1267",
        source_record_id="110",
    )
    Designation.objects.create(
        group=lej, authority=Authority.PK_NACTA, reference="14", source_record_id="nacta-14"
    )
    ttp = GroupFactory(name="Tehrik-e-Taliban Pakistan")
    original = AccountFactory(
        platform=platforms["x"],
        handle="lej_media",
        display_name="LeJ Media",
        status=AccountStatus.REMOVED,
        avatar_pdq=PDQ,
        avatar_quality=90,
        platform_account_id="1234567",
        flagged_by=analyst,
    )
    original.groups.set([lej])
    mirror = AccountFactory(
        platform=platforms["x"],
        handle="lej_media2",
        display_name="LeJ Media ٢",
        mirror_of=original,
        flagged_by=analyst,
    )
    mirror.groups.set([lej])
    other = AccountFactory(
        platform=platforms["telegram"],
        handle="ttp_news",
        profile_url="https://t.me/ttp_news",
        flagged_by=analyst,
    )
    other.groups.set([ttp])
    request = TakedownFactory(platform=platforms["x"], accounts=[original, mirror])
    return World([lej, ttp], original, mirror, other, request)
