"""Template helpers of the staff UI: status badges, deadline countdowns, sortable headers."""

from datetime import timedelta

from django import template
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.mirror_labels import mirror_reasons as accounts_mirror_reasons
from takedowns.choices import RequestStatus
from takedowns.querysets import NONE, PAUSED, deadline_of

register = template.Library()


@register.simple_tag
def badge(namespace: str, value: str, label: str):
    """A coloured status pill; the colour comes from the CSS class `st-<namespace>-<value>`."""
    return format_html('<span class="badge st-{}-{}">{}</span>', namespace, value, label)


def duration_text(delta: timedelta) -> str:
    """A short, human length of time: "2 d 4 h", "3 h 12 min", "7 min" (mirrored in app.js)."""
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    return _("%(m)s min") % {"m": minutes}


def deadline_state(takedown, now) -> tuple[str, timedelta | None]:
    """(state, time left) of a request's deadline: none, ok, soon, overdue or paused, by the
    rule of takedowns/querysets.py."""
    deadline = deadline_of(takedown, now)
    return deadline.state, deadline.left


def deadline_text(state: str, left: timedelta | None) -> str:
    """What the countdown says for a state (mirrored in app.js)."""
    if left is None:
        return "—"
    if state == "overdue":
        return _("overdue by %(time)s") % {"time": duration_text(left)}
    if state == "paused":
        return _("paused, %(time)s left") % {"time": duration_text(left)}
    return _("%(time)s left") % {"time": duration_text(left)}


@register.simple_tag
def countdown(takedown, now=None):
    """A live countdown to the request's due_at. The server says where the deadline stands:
    the state, the seconds left and, for a running clock, the later states with the seconds
    until each; app.js only counts the seconds down and switches state when told."""
    deadline = deadline_of(takedown, now or timezone.now())
    if deadline.state == NONE:
        # A constant.
        return mark_safe('<span class="deadline is-none">—</span>')  # nosec B308
    changes = " ".join(f"{state}:{int(after.total_seconds())}" for state, after in deadline.changes)
    return format_html(
        '<span class="deadline is-{}" data-due="{}" data-state="{}" data-left="{}"'
        ' data-changes="{}" data-paused="{}">'
        '<span class="deadline-dot" aria-hidden="true"></span>'
        '<span class="deadline-text">{}</span></span>',
        deadline.state,
        takedown.due_at.isoformat(),
        deadline.state,
        deadline.seconds_left,
        changes,
        "1" if deadline.state == PAUSED else "",
        deadline_text(deadline.state, deadline.left),
    )


@register.filter
def deadline_class(takedown) -> str:
    """A table row's class for the request's deadline state (row tint and edge colour)."""
    return f"row-{deadline_state(takedown, timezone.now())[0]}"


@register.inclusion_tag("partials/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str):
    """A column header that sorts by `key`, toggling direction, with aria-sort for readers."""
    # A view that resolved the sort itself (an Ordering's key) says so in `current_sort`.
    current = context.get("current_sort") or context["request"].GET.get(
        "sort", context.get("default_sort", "")
    )
    direction = "none"
    target = key
    if current == key:
        direction, target = "ascending", f"-{key}"
    elif current == f"-{key}":
        direction = "descending"
    return {"request": context["request"], "key": target, "label": label, "direction": direction}


@register.filter
def percent(value) -> str:
    """0.734 -> "73%"; None -> an em dash."""
    return "—" if value is None else f"{round(value * 100)}%"


@register.filter
def hours(value) -> str:
    """Hours as a short duration; None -> an em dash."""
    if value is None:
        return "—"
    return duration_text(timedelta(hours=value))


@register.filter
def when(value):
    """A datetime as a <time> element in the user's zone: short text, full ISO in datetime."""
    if not value:
        return "—"
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        local.strftime("%Y-%m-%d %H:%M %Z"),
        local.strftime("%Y-%m-%d %H:%M"),
    )


@register.simple_tag
def icon(name: str, label: str = ""):
    """An icon from static/img/icons.svg; decorative unless given a label."""
    if label:
        return format_html(
            '<svg class="icon" role="img" aria-label="{}"><use href="{}#{}"></use></svg>',
            label,
            static("img/icons.svg"),
            name,
        )
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        static("img/icons.svg"),
        name,
    )


@register.simple_tag
def platform_mark(platform):
    """The platform's coloured initial and name."""
    return format_html(
        '<span class="platform"><span class="pmark pmark-{}" aria-hidden="true">{}</span>'
        "<bdi>{}</bdi></span>",
        platform.slug,
        platform.name[:1].upper(),
        platform.name,
    )


@register.simple_tag
def ui_strings():
    """The countdown's words for app.js, in the page's language."""
    return json_script(
        {
            "left": _("%(time)s left"),
            "overdue": _("overdue by %(time)s"),
            "paused": _("paused, %(time)s left"),
            "dh": _("%(d)s d %(h)s h"),
            "hm": _("%(h)s h %(m)s min"),
            "m": _("%(m)s min"),
        },
        "ui-strings",
    )


@register.simple_tag
def user_role(user) -> str:
    """The user's role, named in the page's language; read from the permissions each role
    holds (tracker/roles.py), which the page has loaded anyway."""
    if user.is_superuser or user.has_perm("tracker.change_user"):
        return _("Administrator")
    if user.has_perm("takedowns.approve_takedownrequest"):
        return _("Supervisor")
    if user.has_perm("accounts.add_flaggedaccount"):
        return _("Analyst")
    return _("No role")


@register.filter
def request_status_label(value: str) -> str:
    """The label of a request status stored as plain text (timeline events)."""
    return RequestStatus(value).label if value in RequestStatus.values else value


@register.filter
def get_item(mapping, key):
    """`row|get_item:key` for dicts whose keys are not valid template names."""
    return mapping.get(key)


_AUTHORITY_SHORT = {
    "un": "UN",
    "us_fto": "US FTO",
    "us_sdgt": "US SDGT",
    "uk_proscribed": "UK",
    "uk_sanctions": "UK SL",
    "eu": "EU",
    "pk_nacta": "NACTA",
}


@register.filter
def authority_short(value: str) -> str:
    """A designating authority's short mark for dense tables (the full name goes in a title)."""
    return _AUTHORITY_SHORT.get(value, value)


@register.filter
def ago(value) -> str:
    """How long ago, in the page's language: "17 min ago"."""
    if not value:
        return "—"
    return _("%(t)s ago") % {"t": duration_text(timezone.now() - value)}


@register.filter
def mirror_reasons(features) -> str:
    """The features that drove a mirror score (accounts.mirrors), strongest first, in the page's
    language: "avatar, handle"."""
    return accounts_mirror_reasons(features)
