"""Landing page, supervisor dashboard, the user's preferences and notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import mirror_queue
from core.errors import DomainError
from core.views import safe_next
from takedowns import notifications
from takedowns import selectors as takedown_selectors
from takedowns.choices import RequestStatus
from takedowns.models import Notification
from takedowns.selectors import approval_queue, deadlines_next
from takedowns.services import available_actions

from . import user_selectors, user_services
from .forms import PreferencesForm
from .stats import dashboard_stats

DASHBOARD_LIST_SIZE = 8
# The dashboard is the supervisors' (and administrators') page: those who approve requests.
# A permission rather than a group lookup, so the check costs no query (the nav uses it too).
DASHBOARD_PERMISSION = "takedowns.approve_takedownrequest"


@login_required
def home(request):
    """Supervisors land on the dashboard, analysts on quick entry."""
    if request.user.has_perm(DASHBOARD_PERMISSION):
        return redirect("dashboard")
    if request.user.has_perm("accounts.add_flaggedaccount"):
        return redirect("accounts:entry")
    raise PermissionDenied(_("Your user has no role yet. Ask an administrator to give you one."))


@login_required
def dashboard(request):
    """Per-platform compliance, weekly trends, mirrors, the approval queue and deadlines."""
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied(_("The dashboard is for supervisors."))
    now = timezone.now()
    stats = dashboard_stats(now=now)
    requests = takedown_selectors.takedown_list
    queue = list(approval_queue(requests())[:DASHBOARD_LIST_SIZE])
    for takedown in queue:
        takedown.can_approve = "approve" in available_actions(takedown=takedown, user=request.user)
    platforms = stats["platforms"]
    context = {
        "stats": stats,
        "now": now,
        "totals": {
            key: sum(p[key] for p in platforms)
            for key in ("open", "overdue", "actioned", "partially_actioned", "rejected")
        },
        "weekly_flagged": sum(w["flagged"] for w in stats["weekly"]),
        "weekly_removed": sum(w["removed"] for w in stats["weekly"]),
        "queue": queue,
        "queue_count": requests(filters={"status": [RequestStatus.PENDING_APPROVAL]}).count(),
        "overdue": list(
            requests(filters={"overdue": True}).order_by("due_at", "id")[:DASHBOARD_LIST_SIZE]
        ),
        "due_next": list(deadlines_next(requests())[:DASHBOARD_LIST_SIZE]),
        "mirror_suggestions": list(mirror_queue()[:DASHBOARD_LIST_SIZE]),
        "chart": {
            "labels": [w["week"] for w in stats["weekly"]],
            "flagged": [w["flagged"] for w in stats["weekly"]],
            "removed": [w["removed"] for w in stats["weekly"]],
            "series": {"flagged": _("Accounts flagged"), "removed": _("Accounts removed")},
        },
    }
    return render(request, "tracker/dashboard.html", context)


@login_required
def preferences(request):
    """Language, display time zone and e-mail notifications of the signed-in user."""
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                user_services.user_preferences_update(user=user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                # The next page renders in the new language; say it in that language too.
                with translation.override(user.language):
                    messages.success(request, _("Preferences saved."))
                return redirect("preferences")
    else:
        form = PreferencesForm(
            initial={
                "language": user.language,
                "time_zone": user.time_zone,
                "email_notifications": user.email_notifications,
            }
        )
    return render(
        request, "tracker/preferences.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
@login_required
def sessions_end_others(request):
    """Sign the user out on every other browser and device; this session stays."""
    try:
        ended = user_services.user_other_sessions_end(
            user=request.user, session_key=request.session.session_key, request=request
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "Signed out of %(count)d other session.",
                "Signed out of %(count)d other sessions.",
                ended,
            )
            % {"count": ended},
        )
    return redirect("preferences")


@require_POST
@login_required
def language_switch(request):
    """The language toggle in the user menu: keeps the zone and e-mail choice as they are."""
    user = request.user
    try:
        user_services.user_preferences_update(
            user=user,
            language=request.POST.get("language", ""),
            time_zone=user.time_zone,
            email_notifications=user.email_notifications,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(safe_next(request, reverse("home")))


@require_GET
@login_required
def notification_bell(request):
    """htmx: the bell with its unread count and the latest notifications."""
    return _bell(request)


def _bell(request):
    context = {
        "unread": notifications.notification_unread_count(user=request.user),
        "notifications": user_selectors.notification_recent(user=request.user),
    }
    return render(request, "partials/notifications.html", context)


@require_POST
@login_required
def notification_open(request, pk: int):
    """Mark a notification read and go to what it is about."""
    notification = get_object_or_404(
        Notification.objects.select_related("request"), pk=pk, user=request.user
    )
    notifications.notification_mark_read(user=request.user, ids=[notification.pk])
    if notification.request_id:
        return redirect("takedowns:detail", pk=notification.request_id)
    if notification.account_id:
        return redirect("accounts:detail", pk=notification.account_id)
    return redirect(safe_next(request, reverse("home")))


@require_POST
@login_required
def notifications_read_all(request):
    """Mark every notification of the user read."""
    notifications.notification_mark_read(user=request.user)
    if request.htmx:
        return _bell(request)
    return redirect(safe_next(request, reverse("home")))
