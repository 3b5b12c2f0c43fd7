from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from takedowns import notifications
from takedowns.models import Notification
from tests.factories import UserFactory, submitted_takedown
from tracker.models import OutboxMessage
from tracker.roles import SUPERVISOR

pytestmark = pytest.mark.django_db

EMAIL_TASK = "takedowns.tasks.notification_email_task"


def send(users, key="k1"):
    return notifications.notification_send(
        users=users, kind="test", dedupe_key=key, render=lambda u: (f"Hello {u.username}", "Body")
    )


def test_each_user_is_notified_once_per_key(supervisor, supervisor2):
    first = send([supervisor, supervisor2, supervisor])
    again = send([supervisor, supervisor2])

    assert [n.user for n in first] == [supervisor, supervisor2]
    assert again == []
    assert Notification.objects.count() == 2
    assert Notification.objects.get(user=supervisor2).title == "Hello supervisor2"


def test_email_is_queued_only_for_users_who_want_it(supervisor, supervisor2):
    supervisor2.email_notifications = False
    supervisor2.save()
    no_address = UserFactory(username="noaddress", email="", role=SUPERVISOR)

    created = send([supervisor, supervisor2, no_address])

    queued = OutboxMessage.objects.filter(task_name=EMAIL_TASK)
    assert [m.args for m in queued] == [[created[0].pk]]


def test_inactive_users_are_not_notified(supervisor):
    supervisor.is_active = False
    supervisor.save()

    assert send([supervisor]) == []


def test_email_is_sent_once(supervisor):
    [notification] = send([supervisor])

    assert notifications.notification_email(notification_id=notification.pk) is True
    assert notifications.notification_email(notification_id=notification.pk) is False

    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["supervisor@example.org"],
        "Hello supervisor",
        "Body",
    )
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_email_is_not_sent_after_the_user_turned_it_off(supervisor):
    [notification] = send([supervisor])
    supervisor.email_notifications = False
    supervisor.save()

    assert notifications.notification_email(notification_id=notification.pk) is False
    assert mail.outbox == []


def test_unread_count_and_mark_read_are_per_user(supervisor, supervisor2):
    send([supervisor, supervisor2], key="a")
    send([supervisor], key="b")
    first = Notification.objects.filter(user=supervisor).order_by("id").first()

    assert notifications.notification_unread_count(user=supervisor) == 2
    assert notifications.notification_mark_read(user=supervisor, ids=[first.pk]) == 1
    assert notifications.notification_unread_count(user=supervisor) == 1
    assert notifications.notification_mark_read(user=supervisor2) == 1
    assert notifications.notification_unread_count(user=supervisor) == 1


def test_supervisors_are_the_active_users_who_may_manage_requests(
    analyst, supervisor, supervisor2, administrator
):
    supervisor2.is_active = False
    supervisor2.save()

    assert list(notifications.supervisors()) == [supervisor, administrator]


def test_escalation_without_an_approver_goes_to_every_supervisor(supervisor, supervisor2, analyst):
    takedown = submitted_takedown(supervisor=supervisor, due_in=-timedelta(hours=1))
    takedown.approved_by = takedown.submitted_by = None
    takedown.overdue_at = takedown.due_at

    created = notifications.takedown_escalation_notify(takedown=takedown, level=1)

    assert sorted(n.user.username for n in created) == ["supervisor", "supervisor2"]
    assert created[0].dedupe_key == f"escalation1:{takedown.pk}:{takedown.due_at.timestamp():.0f}"


def test_reminder_names_the_deadline_in_the_users_time_zone(supervisor):
    supervisor.time_zone = "UTC"
    supervisor.save()
    takedown = submitted_takedown(supervisor=supervisor, due_in=timedelta(hours=5))

    [notification] = notifications.takedown_reminder_notify(takedown=takedown)

    assert notification.title.endswith(f"is due {takedown.due_at:%Y-%m-%d %H:%M} UTC")
    assert notification.title.startswith(takedown.reference)


def test_mark_read_touches_only_the_users_unread_notifications(analyst, analyst2):
    earlier = timezone.now() - timedelta(days=1)
    a = Notification.objects.create(user=analyst, kind="k", title="a", dedupe_key="a")
    b = Notification.objects.create(user=analyst, kind="k", title="b", dedupe_key="b")
    old = Notification.objects.create(
        user=analyst, kind="k", title="old", dedupe_key="old", read_at=earlier
    )
    other = Notification.objects.create(user=analyst2, kind="k", title="c", dedupe_key="c")
    assert notifications.notification_mark_read(user=analyst, ids=[a.pk]) == 1
    assert notifications.notification_mark_read(user=analyst2, ids=[b.pk]) == 0
    assert notifications.notification_mark_read(user=analyst) == 1
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.read_at == earlier and other.read_at is None
