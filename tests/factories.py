"""factory_boy factories for the domain; role users come from conftest fixtures."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.choices import AccountStatus
from accounts.mirrors import handle_stem
from accounts.models import FlaggedAccount, Platform, ProscribedGroup
from accounts.normalization import normalize_handle
from takedowns.models import TakedownItem, TakedownRequest

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

    platform = factory.SubFactory(PlatformFactory)
    handle = factory.Sequence(lambda n: f"handle_{n}")
    handle_normalized = factory.LazyAttribute(lambda a: normalize_handle(a.handle))
    handle_stem = factory.LazyAttribute(lambda a: handle_stem(a.handle_normalized))
    profile_url = factory.LazyAttribute(lambda a: f"https://x.com/{a.handle}")
    status = AccountStatus.ACTIVE


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
            TakedownItem.objects.create(request=self, account=account)
