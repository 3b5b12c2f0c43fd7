"""tracker.auth_backends: permission sets come from the cache, and every change that can alter
one is seen at once."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import UserFactory
from tracker.auth_backends import GENERATION_KEY
from tracker.roles import ANALYST, SUPERVISOR

pytestmark = pytest.mark.django_db
APPROVE = "takedowns.approve_takedownrequest"
VIEW = "takedowns.view_takedownrequest"


def fresh(user):
    """The user as the next request loads it: no permissions remembered on the object."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_second_request_reads_the_permissions_without_a_query(analyst, django_assert_num_queries):
    assert fresh(analyst).has_perm(VIEW)
    user = fresh(analyst)

    with django_assert_num_queries(0):
        assert user.has_perm(VIEW)
        assert not user.has_perm(APPROVE)


def test_a_new_role_counts_at_once(analyst):
    assert not fresh(analyst).has_perm(APPROVE)

    analyst.groups.add(Group.objects.get(name=SUPERVISOR))

    assert fresh(analyst).has_perm(APPROVE)


def test_a_role_taken_away_counts_at_once(supervisor):
    assert fresh(supervisor).has_perm(APPROVE)

    Group.objects.get(name=SUPERVISOR).user_set.remove(supervisor)

    assert not fresh(supervisor).has_perm(APPROVE)


def test_a_permission_removed_from_a_role_counts_at_once(supervisor):
    assert fresh(supervisor).has_perm(APPROVE)
    role = Group.objects.get(name=SUPERVISOR)

    role.permissions.remove(Permission.objects.get(codename="approve_takedownrequest"))

    assert not fresh(supervisor).has_perm(APPROVE)


def test_a_deleted_role_counts_at_once():
    user = UserFactory(username="temp")
    role = Group.objects.create(name="Temporary")
    role.permissions.add(Permission.objects.get(codename="approve_takedownrequest"))
    user.groups.add(role)
    assert fresh(user).has_perm(APPROVE)

    role.delete()  # cascades to the memberships without any m2m signal

    assert not fresh(user).has_perm(APPROVE)


def test_a_user_made_superuser_gets_everything_at_once(analyst):
    assert not fresh(analyst).has_perm(APPROVE)
    assert fresh(analyst).get_all_permissions()

    get_user_model().objects.filter(pk=analyst.pk).update(is_superuser=True)

    assert APPROVE in fresh(analyst).get_all_permissions()


def test_an_inactive_user_has_no_permissions(supervisor):
    assert fresh(supervisor).has_perm(APPROVE)

    get_user_model().objects.filter(pk=supervisor.pk).update(is_active=False)

    assert fresh(supervisor).get_all_permissions() == set()
    assert not fresh(supervisor).has_perm(APPROVE)


def test_a_new_user_never_inherits_a_cached_set_under_a_reused_id(supervisor):
    assert fresh(supervisor).has_perm(APPROVE)
    old_pk = supervisor.pk
    supervisor.delete()

    newcomer = get_user_model().objects.create(pk=old_pk, username="newcomer")

    assert fresh(newcomer).get_all_permissions() == set()


def test_a_cleared_cache_starts_a_new_generation(analyst):
    assert fresh(analyst).has_perm(VIEW)
    cache.delete(GENERATION_KEY)

    assert fresh(analyst).has_perm(VIEW)
    assert cache.get(GENERATION_KEY) is not None


def test_roles_changed_behind_the_orms_back_count_after_migrate(analyst):
    assert not fresh(analyst).has_perm(APPROVE)
    supervisor_role = Group.objects.get(name=SUPERVISOR)
    Group.user_set.through.objects.bulk_create(
        [Group.user_set.through(user_id=analyst.pk, group_id=supervisor_role.pk)]
    )
    assert not fresh(analyst).has_perm(APPROVE)  # still the cached set: no signal yet

    call_command("migrate", verbosity=0, interactive=False)

    assert fresh(analyst).has_perm(APPROVE)
    assert Group.objects.get(name=ANALYST).user_set.filter(pk=analyst.pk).exists()


def test_a_set_cached_while_the_change_was_uncommitted_is_dropped_on_commit(
    supervisor, django_capture_on_commit_callbacks
):
    from tracker.auth_backends import _user_key

    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.get(name=SUPERVISOR).user_set.remove(supervisor)
        # Another request, whose connection cannot see the change yet, caches the old roles
        # under the generation the change has just started.
        generation = cache.get(GENERATION_KEY)
        cache.set(_user_key(supervisor.pk), (generation, False, {APPROVE, VIEW}), 300)

    assert not fresh(supervisor).has_perm(APPROVE)
