"""factory_boy factories for the domain; role users come from conftest fixtures."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.choices import AccountStatus, MirrorStatus
from accounts.handles import normalize_handle
from accounts.mirrors import handle_stem
from accounts.mirrors.watchlist import index_account
from accounts.models import FlaggedAccount, MirrorCandidate, Platform, ProscribedGroup
from takedowns.choices import RequestStatus
from takedowns.models import TakedownItem, TakedownRequest, WebhookSubscription

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ["slug"]

    slug = "x"
    name = factory.LazyAttribute(lambda p: {"x": "X"}.get(p.slug, p.slug.title()))


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProscribedGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    name_key = factory.LazyAttribute(lambda g: g.name.lower())


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlaggedAccount
        skip_postgeneration_save = True

    platform = factory.SubFactory(PlatformFactory)
    handle = factory.Sequence(lambda n: f"handle_{n}")
    handle_normalized = factory.LazyAttribute(lambda a: normalize_handle(a.handle))
    handle_stem = factory.LazyAttribute(lambda a: handle_stem(a.handle_normalized))
    profile_url = factory.LazyAttribute(lambda a: f"https://x.com/{a.handle}")
    status = AccountStatus.ACTIVE

    @factory.post_generation
    def watchlist(self, create, extracted, **kwargs):
        # A removed account goes on the watch list, as account_set_status puts it
        # (AccountFactory(watchlist=False) leaves it off).
        if create and self.status == AccountStatus.REMOVED and extracted is not False:
            index_account(self, self.groups.values_list("pk", flat=True))


class TakedownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TakedownRequest
        skip_postgeneration_save = True

    platform = factory.SubFactory(PlatformFactory)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def accounts(self, create, extracted, **kwargs):
        if not create:
            return
        for account in extracted or [AccountFactory(platform=self.platform)]:
            TakedownItem.objects.create(request=self, platform=self.platform, account=account)


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    name = factory.Sequence(lambda n: f"subscriber {n}")
    url = "https://hooks.example.org/tracker"
    secret = "whsec-test"
    events = factory.LazyFunction(lambda: ["account.restored"])
    created_by = factory.SubFactory(UserFactory)


def submitted_takedown(*, supervisor, due_in, reminder_sent=False, hours=48, **fields):
    """A request with the platform, its clock running: due `due_in` from now after `hours`,
    approved and submitted by `supervisor`, indexed for the deadline sweep as services do."""
    from datetime import timedelta

    from django.utils import timezone

    from takedowns import deadlines
    from takedowns.choices import RequestStatus

    now = timezone.now()
    due = now + due_in
    submitted = due - timedelta(hours=hours)
    takedown = TakedownFactory(
        status=fields.pop("status", RequestStatus.SUBMITTED),
        approved_by=supervisor,
        submitted_by=supervisor,
        approved_at=submitted,
        submitted_at=submitted,
        due_at=due,
        reminder_at=deadlines.reminder_time(start=submitted, due=due),
        **fields,
    )
    if reminder_sent:
        takedown.reminder_sent_at = takedown.reminder_at
    takedown.next_check_at = deadlines.next_check(takedown)
    takedown.save()
    return takedown


def takedown_at(status, author, **extra) -> TakedownRequest:
    """A request already in `status`, with the sending time and deadline that status implies."""
    takedown = TakedownFactory(created_by=author, status=status, **extra)
    if status in (RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED):
        now = timezone.now()
        TakedownRequest.objects.filter(pk=takedown.pk).update(
            submitted_at=now, due_at=now + timedelta(hours=48)
        )
        takedown.refresh_from_db()
    return takedown


class RemovedAccountFactory(AccountFactory):
    """An account the platform removed (on the watch list, as account_set_status puts it)."""

    status = AccountStatus.REMOVED
    removed_at = factory.LazyFunction(timezone.now)


class MirrorCandidateFactory(factory.django.DjangoModelFactory):
    """A suggestion that a new account on the removed account's platform re-creates it."""

    class Meta:
        model = MirrorCandidate

    removed_account = factory.SubFactory(RemovedAccountFactory)
    account = factory.SubFactory(
        AccountFactory, platform=factory.SelfAttribute("..removed_account.platform")
    )
    score = 0.8
    status = MirrorStatus.SUGGESTED


def removed_with_mirror(*, platform, groups=(), removed_at=None, **mirror_fields):
    """A removed account (at `removed_at`, now by default) and the confirmed mirror that
    re-created it (`mirror_of` set), both in `groups`."""
    removed = RemovedAccountFactory(platform=platform, removed_at=removed_at or timezone.now())
    mirror = AccountFactory(platform=platform, mirror_of=removed, **mirror_fields)
    for account in (removed, mirror):
        account.groups.add(*groups)
    return removed, mirror


def removed_channel(*, user, group, avatar_seed: int, **fields):
    """The removed Telegram channel the mirror tests look for (t.me/sada_e_haq, in `group`,
    with an avatar), created through the service so it goes on the watch list as in use."""
    from accounts.services import account_create
    from tests.images import good_avatar

    return account_create(
        user=user,
        value="https://t.me/sada_e_haq",
        groups=[group],
        status=AccountStatus.REMOVED,
        avatar=good_avatar(avatar_seed),
        **{"display_name": "Sada-e-Haq", **fields},
    )
