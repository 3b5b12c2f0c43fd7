"""The demo data set: real platforms, real proscribed groups with their public designations,
and a generated, realistic set of flagged accounts and takedown requests."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.choices import AccountStatus
from accounts.handles import parse_handle
from accounts.models import FlaggedAccount, Platform, ProscribedGroup
from takedowns import services as takedown_services
from takedowns.choices import ItemOutcome, Priority, RequestKind, RequestStatus
from takedowns.models import PlatformDeadline, TakedownRequest

from .demo_facts import GROUPS, PLATFORMS
from .roles import ADMINISTRATOR, ANALYST, SUPERVISOR

_WORDS = [
    "voice",
    "media",
    "news",
    "khorasan",
    "ummah",
    "sada",
    "nida",
    "alfath",
    "azm",
    "qalam",
    "minbar",
    "sawt",
    "harf",
    "payam",
    "nawa",
    "tarjuman",
    "markaz",
    "daily",
    "official",
    "updates",
    "clips",
    "archive",
    "watch",
    "front",
    "bulletin",
]
_NAMES = [
    "Sada-e-Haq",
    "Nawa-e-Afghan",
    "Al-Fath Media",
    "Payam-e-Azm",
    "Qalam Studio",
    "صدائے حق",
    "نوائے افغان",
    "پیام عزم",
    "Minbar Bulletins",
    "Sawt al-Ummah",
    "Tarjuman Daily",
    "Markaz Updates",
    "الفتح میڈیا",
]
_STATUS_WEIGHTS = [
    (AccountStatus.ACTIVE, 40),
    (AccountStatus.REPORTED, 20),
    (AccountStatus.RESTRICTED, 5),
    (AccountStatus.SUSPENDED, 8),
    (AccountStatus.REMOVED, 22),
    (AccountStatus.RESTORED, 3),
    (AccountStatus.UNKNOWN, 2),
]
ACCOUNT_COUNT = 500
REQUEST_COUNT = 60
DEMO_MARK = "[demo]"


def _handle(rng: random.Random, platform: str, n: int) -> str:
    if platform == "whatsapp":
        return f"+92300{1000000 + n:07d}"
    a, b = rng.sample(_WORDS, 2)
    sep = "_" if platform in ("x", "telegram", "tiktok") else "."
    if platform == "x":
        return f"{a[:6]}{sep}{b[:5]}{n % 100}"
    return f"{a}{sep}{b}{sep}{n}" if platform != "facebook" else f"{a}.{b}.{n}"


class DemoSeeder:
    """Builds the demo set through the same services as every other door; safe to run twice."""

    def __init__(self, stdout=None):
        # Repeatable demo data, not a secret.
        self.rng = random.Random(2026)  # nosec B311
        self.say = stdout.write if stdout else lambda _msg: None

    @transaction.atomic
    def run(self) -> dict:
        users = self.users()
        platforms = self.platforms()
        groups = self.groups()
        accounts = self.accounts(users, platforms, groups)
        requests = self.requests(users, platforms, accounts)
        return {
            "users": len(users),
            "platforms": len(platforms),
            "groups": len(groups),
            "accounts_created": accounts[1],
            "requests_created": requests,
        }

    def users(self) -> dict:
        User = get_user_model()
        spec = [
            ("analyst", ANALYST, "Ayesha", "Analyst"),
            ("analyst2", ANALYST, "Bilal", "Analyst"),
            ("supervisor", SUPERVISOR, "Sana", "Supervisor"),
            ("supervisor2", SUPERVISOR, "Omar", "Supervisor"),
            ("admin", ADMINISTRATOR, "Admin", ""),
        ]
        users = {}
        for username, role, first, last in spec:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@tracker.local",
                    "is_staff": role == ADMINISTRATOR,
                    "is_superuser": role == ADMINISTRATOR,
                },
            )
            if created:
                user.set_password(settings.DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users

    def platforms(self) -> dict:
        platforms = {}
        for slug, name, url, email in PLATFORMS:
            platform, _ = Platform.objects.get_or_create(
                slug=slug, defaults={"name": name, "submission_url": url, "submission_email": email}
            )
            defaults = settings.TAKEDOWN_DEFAULT_DEADLINE_HOURS
            for kind in RequestKind.values:
                for priority in Priority.values:
                    emergency = (
                        priority == Priority.EMERGENCY or kind == RequestKind.EMERGENCY_DISCLOSURE
                    )
                    hours = (
                        defaults["emergency"]
                        if emergency
                        else defaults.get(kind, defaults["removal"])
                    )
                    PlatformDeadline.objects.get_or_create(
                        platform=platform, kind=kind, priority=priority, defaults={"hours": hours}
                    )
            platforms[slug] = platform
        return platforms

    def groups(self) -> list[ProscribedGroup]:
        groups = []
        for spec in GROUPS:
            group = ProscribedGroup.objects.filter(name=spec["name"]).first()
            if group is None:
                group = account_services.group_create(
                    user=None,
                    name=spec["name"],
                    aliases=spec["aliases"],
                    country=spec["country"],
                    reason="seed_demo",
                )
            for authority, reference, listed_on in spec["designations"]:
                account_services.designation_record(
                    user=None,
                    group=group,
                    authority=authority,
                    source_record_id=reference or f"demo-{group.pk}",
                    reference=reference,
                    name_as_listed=spec["name"],
                    listed_on=listed_on,
                    source_url="seed_demo",
                    reason="seed_demo",
                )
            groups.append(group)
        return groups

    def accounts(self, users, platforms, groups) -> tuple[list[FlaggedAccount], int]:
        rng = self.rng
        slugs = list(platforms)
        statuses = [s for s, w in _STATUS_WEIGHTS for _ in range(w)]
        analysts = [users["analyst"], users["analyst2"]]
        now = timezone.now()
        existing = {
            (slug, h)
            for slug, h in FlaggedAccount.objects.values_list("platform__slug", "handle_normalized")
        }
        created = 0
        for n in range(ACCOUNT_COUNT):
            slug = slugs[n % len(slugs)]
            handle = _handle(rng, slug, n)
            status = rng.choice(statuses)
            linked = rng.sample(groups, rng.choice([1, 1, 1, 2]))
            seen = now - timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 1440))
            display = rng.choice(_NAMES)
            removed_after = timedelta(hours=rng.randint(6, 24 * 20))
            if (slug, parse_handle(handle, slug).normalized) in existing:
                continue
            account = account_services.account_create(
                user=analysts[n % 2],
                value=handle,
                platform=platforms[slug],
                display_name=display,
                bio=f"{display} — {linked[0].name}",
                groups=linked,
                status=status,
                first_seen_at=seen,
                tags=["first-batch"] if n < 481 else ["new"],
                reason="seed_demo",
            )
            if status == AccountStatus.REMOVED:
                FlaggedAccount.objects.filter(pk=account.pk).update(removed_at=seen + removed_after)
            created += 1
        return list(FlaggedAccount.objects.select_related("platform")), created

    def requests(self, users, platforms, accounts_and_count) -> int:
        if TakedownRequest.objects.filter(notes__startswith=DEMO_MARK).exists():
            return 0
        accounts, _ = accounts_and_count
        by_platform = {}
        for account in accounts:
            by_platform.setdefault(account.platform.slug, []).append(account)
        rng = self.rng
        analyst, supervisor, supervisor2 = (
            users["analyst"],
            users["supervisor"],
            users["supervisor2"],
        )
        plan = [
            RequestStatus.DRAFT,
            RequestStatus.PENDING_APPROVAL,
            RequestStatus.APPROVED,
            RequestStatus.SUBMITTED,
            RequestStatus.SUBMITTED,
            RequestStatus.ACKNOWLEDGED,
            RequestStatus.ACTIONED,
            RequestStatus.ACTIONED,
            RequestStatus.PARTIALLY_ACTIONED,
            RequestStatus.REJECTED,
            RequestStatus.WITHDRAWN,
            "overdue",
        ]
        now = timezone.now()
        for n in range(REQUEST_COUNT):
            slug = list(platforms)[n % len(platforms)]
            target = plan[n % len(plan)]
            kind = (
                RequestKind.REMOVAL
                if n % 5
                else rng.choice(
                    [RequestKind.DISCLOSURE, RequestKind.PRESERVATION, RequestKind.GEO_BLOCK]
                )
            )
            chosen = rng.sample(by_platform[slug], rng.randint(1, 5))
            takedown = takedown_services.takedown_create(
                user=analyst,
                platform=platforms[slug],
                accounts=chosen,
                kind=kind,
                priority=Priority.EMERGENCY if n % 9 == 0 else Priority.NORMAL,
                legal_basis="Section 37, Prevention of Electronic Crimes Act 2016; "
                "Removal and Blocking of Unlawful Online Content Rules 2021",
                notes=f"{DEMO_MARK} request {n + 1}",
            )
            self._advance(takedown, target, analyst, supervisor, supervisor2, rng)
            if target in (RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED, "overdue"):
                self._age(takedown.pk, now, overdue=(target == "overdue"), rng=rng)
            elif target in (
                RequestStatus.ACTIONED,
                RequestStatus.PARTIALLY_ACTIONED,
                RequestStatus.REJECTED,
            ):
                self._age_closed(takedown.pk, now, rng=rng)
        return REQUEST_COUNT

    @staticmethod
    def _advance(takedown, target, analyst, supervisor, supervisor2, rng):
        ts = takedown_services
        if target == RequestStatus.DRAFT:
            return
        if target == RequestStatus.WITHDRAWN:
            ts.takedown_withdraw(
                takedown=takedown, user=analyst, reason="Duplicate of another request"
            )
            return
        takedown = ts.takedown_request_approval(takedown=takedown, user=analyst)
        if target == RequestStatus.PENDING_APPROVAL:
            return
        takedown = ts.takedown_approve(
            takedown=takedown, user=rng.choice([supervisor, supervisor2])
        )
        if target == RequestStatus.APPROVED:
            return
        takedown = ts.takedown_submit(takedown=takedown, user=supervisor)
        if target in (RequestStatus.SUBMITTED, "overdue"):
            return
        takedown = ts.takedown_acknowledge(
            takedown=takedown, user=supervisor, ticket=f"CASE-{rng.randint(100000, 999999)}"
        )
        if target == RequestStatus.ACKNOWLEDGED:
            return
        ids = list(takedown.items.values_list("account_id", flat=True))
        if target == RequestStatus.ACTIONED:
            outcomes = dict.fromkeys(ids, ItemOutcome.REMOVED)
        elif target == RequestStatus.REJECTED:
            outcomes = dict.fromkeys(ids, ItemOutcome.NOT_ACTIONED)
        else:
            outcomes = {
                i: (ItemOutcome.REMOVED if k == 0 else ItemOutcome.NOT_ACTIONED)
                for k, i in enumerate(ids)
            }
            if len(ids) == 1:
                outcomes = {ids[0]: ItemOutcome.RESTRICTED}
        ts.takedown_resolve(takedown=takedown, user=supervisor, outcomes=outcomes)

    @staticmethod
    def _age(pk, now, *, overdue, rng):
        # Demo only: move the clock back so that the dashboard has due-soon and overdue rows.
        from takedowns.deadlines import next_check, reminder_time

        takedown = TakedownRequest.objects.get(pk=pk)
        hours_ago = rng.randint(50, 120) if overdue else rng.randint(1, 40)
        shift = timedelta(hours=hours_ago)
        takedown.submitted_at -= shift
        takedown.due_at -= shift
        takedown.reminder_at = reminder_time(start=takedown.submitted_at, due=takedown.due_at)
        takedown.next_check_at = next_check(takedown)
        TakedownRequest.objects.filter(pk=pk).update(
            submitted_at=takedown.submitted_at,
            due_at=takedown.due_at,
            reminder_at=takedown.reminder_at,
            next_check_at=takedown.next_check_at,
        )

    @staticmethod
    def _age_closed(pk, now, *, rng):
        # Demo only: closed requests were sent weeks ago and answered after hours, most of them
        # within the platform's deadline, so the compliance figures have something to show.
        takedown = TakedownRequest.objects.get(pk=pk)
        submitted = now - timedelta(days=rng.randint(3, 80), hours=rng.randint(0, 23))
        allowed = takedown.due_at - takedown.submitted_at
        answered_after = allowed * rng.choice([0.2, 0.4, 0.6, 0.8, 0.9, 1.3])
        TakedownRequest.objects.filter(pk=pk).update(
            submitted_at=submitted,
            due_at=submitted + allowed,
            reminder_at=None,
            acknowledged_at=submitted + answered_after / 3,
            resolved_at=submitted + answered_after,
        )
