"""In-app notifications, created once per user and dedupe key, e-mailed after commit to the
users who want e-mail; and who is told about reminders, escalations and restored accounts."""

import logging
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.tasks import enqueue_on_commit

from .models import Notification, TakedownRequest

logger = logging.getLogger(__name__)

# Holding this permission makes a user a supervisor for escalations (the Supervisor and
# Administrator roles have it); a permission, not a role name, because takedowns may not import
# tracker.
SUPERVISOR_PERMISSION = ("takedowns", "manage_takedownrequest")

EMAIL_TASK = "takedowns.tasks.notification_email_task"

Render = Callable[[object], tuple[str, str]]


def supervisors() -> QuerySet:
    """Active users who may manage requests, whether through a role or directly."""
    app_label, codename = SUPERVISOR_PERMISSION
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    return (
        get_user_model()
        .objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .filter(is_active=True)
        .distinct()
        .order_by("pk")
    )


def notification_send(
    *,
    users: Iterable,
    kind: str,
    dedupe_key: str,
    render: Render,
    request: TakedownRequest | None = None,
    account=None,
) -> list[Notification]:
    """Notify each active user once for `dedupe_key`; returns the notifications made now.

    `render(user)` gives (title, body) and runs in the user's language and time zone. E-mail is
    queued after commit for users with e-mail notifications on.
    """
    created = []
    for user in {u.pk: u for u in users if u.is_active}.values():
        with translation.override(user.language), _user_time_zone(user):
            title, body = render(user)
        notification, was_created = Notification.objects.get_or_create(
            user=user,
            dedupe_key=dedupe_key[:200],
            defaults={
                "kind": kind,
                "title": title[:255],
                "body": body,
                "request": request,
                "account": account,
            },
        )
        if was_created:
            created.append(notification)
            if user.email_notifications and user.email:
                enqueue_on_commit(EMAIL_TASK, notification.pk)
    return created


def _user_time_zone(user):
    try:
        return timezone.override(user.time_zone or None)
    except (ValueError, KeyError):
        return timezone.override(None)


def notification_email(*, notification_id: int) -> bool:
    """E-mail one notification unless already done; True when it was sent now.

    The row is locked while sending, so two workers never both send; a crash after the mail
    server accepted the message but before the commit can repeat it (at least once).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        user = notification.user
        if not (user.is_active and user.email_notifications and user.email):
            return False
        send_mail(
            subject=notification.title,
            message=notification.body,
            from_email=None,
            recipient_list=[user.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_unread_count(*, user) -> int:
    """How many notifications the user has not read (the bell's number)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all, or only `ids`); returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def _responsible(takedown: TakedownRequest) -> list:
    """The supervisors who approved and submitted the request, else every supervisor."""
    users = [u for u in (takedown.approved_by, takedown.submitted_by) if u and u.is_active]
    return users or list(supervisors())


def _due_text(takedown: TakedownRequest) -> str:
    return timezone.localtime(takedown.due_at).strftime("%Y-%m-%d %H:%M %Z")


def _describe(takedown: TakedownRequest) -> str:
    return f"{takedown.reference} ({takedown.platform.name}, {takedown.get_kind_display()})"


def takedown_reminder_notify(*, takedown: TakedownRequest) -> list[Notification]:
    """Remind the request's supervisors that its deadline is near."""

    def render(user):
        return (
            _("%(request)s is due %(due)s")
            % {"request": _describe(takedown), "due": _due_text(takedown)},
            _("The platform has until %(due)s to act on %(request)s; no outcome is recorded yet.")
            % {"due": _due_text(takedown), "request": takedown.reference},
        )

    return notification_send(
        users=_responsible(takedown),
        kind="deadline_reminder",
        dedupe_key=f"reminder:{takedown.pk}:{takedown.due_at.timestamp():.0f}",
        render=render,
        request=takedown,
    )


def takedown_escalation_notify(*, takedown: TakedownRequest, level: int) -> list[Notification]:
    """Level 1: tell the request's supervisors it is overdue; level 2: tell every supervisor."""
    users = _responsible(takedown) if level == 1 else list(supervisors())

    def render(user):
        if level == 1:
            title = _("%(request)s is overdue") % {"request": _describe(takedown)}
        else:
            title = _("%(request)s is still overdue: escalated to all supervisors") % {
                "request": _describe(takedown)
            }
        body = _("The deadline was %(due)s. Escalation level %(level)d.") % {
            "due": _due_text(takedown),
            "level": level,
        }
        return title, body

    return notification_send(
        users=users,
        kind=f"escalation_{level}",
        dedupe_key=f"escalation{level}:{takedown.pk}:{takedown.overdue_at.timestamp():.0f}",
        render=render,
        request=takedown,
    )


def account_restored_notify(*, account, occurrence: str) -> list[Notification]:
    """Alert every supervisor, and whoever flagged it, that a removed account is back."""
    users = [*supervisors(), *([account.flagged_by] if account.flagged_by_id else [])]

    def render(user):
        return (
            _("Removed account %(account)s is back online") % {"account": account},
            _(
                "%(account)s was seen again after its removal and is now marked restored. "
                "Consider a new takedown request."
            )
            % {"account": account},
        )

    return notification_send(
        users=users,
        kind="account_restored",
        dedupe_key=f"restored:{account.pk}:{occurrence}",
        render=render,
        account=account,
    )
