"""Role permissions read from the shared cache instead of two queries on every request.

Django's ModelBackend loads a user's permissions afresh for every request (two queries: the
user's own and their groups'). Roles change a few times a year and every API call and page
checks them, so this backend keeps each user's permission set in the cache (Redis in
production, shared by every process). Correctness rests on one rule: any change that can alter
a permission set replaces the cache's *generation*, and an entry from another generation is
never used. Changes through the ORM (role groups, their permissions, a user's groups or own
permissions, users created or deleted, migrations) do so by the receivers below; an entry
also expires after PERMISSION_CACHE_SECONDS, the bound for changes made behind the ORM's back.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

GENERATION_KEY = "tracker:perms:generation"


def _user_key(user_id) -> str:
    return f"tracker:perms:user:{user_id}"


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def permissions_changed(**_kwargs) -> None:
    """Make every cached permission set stale: a new generation now, and another once the
    change commits, so that a set read in between (still the old roles, the change being
    uncommitted) is never used."""
    _new_generation()
    transaction.on_commit(_new_generation)


class CachedPermissionBackend(ModelBackend):
    """ModelBackend whose per-user permission set comes from the cache when still current."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._cached_permissions(user_obj)
        return user_obj._perm_cache

    def _cached_permissions(self, user_obj) -> set[str]:
        key = _user_key(user_obj.pk)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            # A cleared or evicted cache: start a generation no older entry can carry.
            generation = uuid.uuid4().hex
            cache.add(GENERATION_KEY, generation, None)
            generation = cache.get(GENERATION_KEY) or generation
        entry = found.get(key)
        if entry is not None and entry[0] == generation and entry[1] == user_obj.is_superuser:
            return entry[2]
        perms = super().get_all_permissions(user_obj)
        cache.set(
            key, (generation, user_obj.is_superuser, perms), settings.PERMISSION_CACHE_SECONDS
        )
        return perms


User = get_user_model()

# Membership and grants: m2m_changed fires whichever side changes (user.groups.add(...) or
# group.user_set.add(...)), for add, remove and clear.
for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
    m2m_changed.connect(
        permissions_changed, sender=through, dispatch_uid=f"perm-cache-{through.__name__}"
    )
# Deleting a group or a permission removes grants without any m2m signal; a new user may
# reuse the id of a deleted one (SQLite, rolled-back tests).
for model in (Group, Permission, User):
    post_delete.connect(permissions_changed, sender=model, dispatch_uid=f"perm-cache-del-{model}")
post_migrate.connect(permissions_changed, dispatch_uid="perm-cache-migrate")


@receiver(post_save, sender=User, dispatch_uid="perm-cache-new-user")
def _new_user(sender, instance, created, raw=False, **kwargs):
    if created:
        permissions_changed()
