"""Staff UI for takedown requests: drafting from accounts, the list with live deadlines, and the
request page whose buttons are exactly the actions the user may take."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.selectors import account_list
from core.errors import DomainError, NotAllowed
from core.forms import filter_widgets
from core.views import ordered

from . import deadlines, selectors, services
from .choices import CLOSED_STATUSES, DISCLOSURE_KINDS, WITH_PLATFORM_STATUSES, RequestStatus
from .filtersets import TakedownRequestFilterSet
from .forms import ACTION_FORMS, DisclosureForm, ResolveForm, TakedownCreateForm
from .mirror_requests import approval_queue
from .models import TakedownRequest

PAGE_SIZE = 50
TAKEDOWN_SORTS = {
    "ref": "id",
    "platform": "platform__name",
    "status": "status",
    "due": "due_at",
    "created": "created_at",
}
DEFAULT_TAKEDOWN_SORT = "-created"
S = RequestStatus


def _tabs():
    """Quick views above the list: key, label and the filter query each stands for."""
    return [
        ("all", _("All"), ""),
        ("approval", _("Awaiting approval"), f"status={S.PENDING_APPROVAL}"),
        (
            "platform",
            _("With platforms"),
            "&".join(f"status={s}" for s in WITH_PLATFORM_STATUSES),
        ),
        ("overdue", _("Overdue"), "overdue=true"),
        ("closed", _("Closed"), "&".join(f"status={s}" for s in CLOSED_STATUSES)),
    ]


@login_required
@permission_required("takedowns.view_takedownrequest", raise_exception=True)
def takedown_list(request):
    """Requests with filters, sorting, pagination and a live countdown to each deadline."""
    filterset = TakedownRequestFilterSet(request.GET or None, queryset=selectors.takedown_list())
    filter_widgets(filterset.form)
    takedowns = ordered(
        filterset.qs, request.GET.get("sort"), TAKEDOWN_SORTS, default=DEFAULT_TAKEDOWN_SORT
    )
    if not request.GET.get("sort") and request.GET.getlist("status") == [S.PENDING_APPROVAL]:
        # The approval queue: fast-tracked requests (mirrors) first, then the oldest.
        takedowns = approval_queue(filterset.qs)
    page = Paginator(takedowns, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    current = query.urlencode()
    context = {
        "filter": filterset,
        "page": page,
        "default_sort": DEFAULT_TAKEDOWN_SORT,
        "tabs": [(key, label, q, q == current) for key, label, q in _tabs()],
    }
    template = "partials/takedown_table.html" if request.htmx else "takedowns/list.html"
    return render(request, template, context)


@login_required
@permission_required("takedowns.add_takedownrequest", raise_exception=True)
def takedown_new(request):
    """Accounts ticked in a list become one draft request per platform: the first visit (GET,
    or POST from a list's bulk bar) shows what will be created, the confirmation creates it."""
    if request.method == "POST" and "confirm" in request.POST:
        form = TakedownCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.takedowns_create_per_platform(
                    user=request.user,
                    accounts=data["ids"].select_related("platform"),
                    kind=data["kind"],
                    priority=data["priority"],
                    legal_basis=data["legal_basis"],
                    notes=data["notes"],
                    request_approval=data["request_approval"],
                )
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _created_message(created))
                if len(created) == 1:
                    return redirect("takedowns:detail", pk=created[0].pk)
                return redirect(f"{reverse('takedowns:list')}?created_by={request.user.username}")
    else:
        source = request.POST if request.method == "POST" else request.GET
        form = TakedownCreateForm(
            initial={"ids": [i for i in source.getlist("ids") if i.isdigit()]}
        )
    ids = [i for i in (form["ids"].value() or []) if str(i).isdigit()]
    by_platform: dict[str, list] = {}
    chosen = account_list().filter(pk__in=ids).order_by("platform__name", "handle_normalized")
    for account in chosen:
        by_platform.setdefault(account.platform.name, []).append(account)
    context = {"form": form, "by_platform": by_platform, "count": len(ids)}
    return render(request, "takedowns/new.html", context, status=400 if form.errors else 200)


def _created_message(created: list[TakedownRequest]):
    links = format_html_join(
        ", ",
        '<a href="{}">{} ({})</a>',
        ((reverse("takedowns:detail", args=[t.pk]), t.reference, t.platform.name) for t in created),
    )
    text = ngettext("Created request %(list)s.", "Created %(n)d requests: %(list)s.", len(created))
    return format_html(text.replace("%(list)s", "{}") % {"n": len(created)}, links)


def _takedown_or_404(pk: int) -> TakedownRequest:
    try:
        return selectors.takedown_detail(pk=pk)
    except TakedownRequest.DoesNotExist:
        raise Http404(_("No such request.")) from None


def _detail_context(request, takedown: TakedownRequest, bound: dict | None = None) -> dict:
    actions = services.available_actions(takedown=takedown, user=request.user)
    items = list(takedown.items.all())
    forms = []
    for action in actions:
        if bound and action in bound:
            forms.append((action, bound[action]))
            continue
        form_class = ACTION_FORMS[action]
        kwargs = {"items": items} if form_class is ResolveForm else {}
        form = form_class(initial={"version": takedown.version}, prefix=action, **kwargs)
        forms.append((action, form))
    return {
        "takedown": takedown,
        "deadline_hours": deadlines.deadline_hours(
            platform=takedown.platform, kind=takedown.kind, priority=takedown.priority
        )
        if "submit" in actions
        else None,
        "items": items,
        "events": list(takedown.events.all()),
        "actions": actions,
        "action_forms": forms,
        **_disclosure_context(request, takedown, items, bound=(bound or {}).get("disclosure")),
    }


def _disclosure_context(request, takedown, items, *, bound=None) -> dict:
    """Disclosures of a disclosure request for those who may read them: which exist, never
    their content (that is shown one at a time, each showing logged); the form to record one."""
    if takedown.kind not in DISCLOSURE_KINDS or not request.user.has_perm(
        "takedowns.read_disclosure"
    ):
        return {}
    can_record = services.disclosure_can_record(takedown=takedown, user=request.user)
    return {
        "disclosures": list(
            takedown.disclosures.select_related("account", "recorded_by").order_by("-received_at")
        ),
        "revealed": None,  # the one disclosure whose content disclosure_show shows
        "revealed_fields": [],
        "disclosure_form": (bound or DisclosureForm(items=items, prefix="disclosure"))
        if can_record
        else None,
    }


@login_required
@permission_required("takedowns.view_takedownrequest", raise_exception=True)
def takedown_detail(request, pk: int):
    """Items and their outcomes, timeline, and the buttons for available_actions()."""
    takedown = _takedown_or_404(pk)
    return render(request, "takedowns/detail.html", _detail_context(request, takedown))


def _perform(action: str, takedown, user, form) -> TakedownRequest:
    data = form.cleaned_data
    common = {"takedown": takedown, "user": user, "expected_version": data.get("version")}
    if action == "request_approval":
        return services.takedown_request_approval(**common)
    if action == "approve":
        return services.takedown_approve(**common, note=data["note"])
    if action == "submit":
        return services.takedown_submit(**common)
    if action == "acknowledge":
        return services.takedown_acknowledge(**common, ticket=data["ticket"])
    if action == "pause":
        return services.takedown_pause(**common, reason=data["reason"])
    if action == "resume":
        return services.takedown_resume(**common)
    if action == "resolve":
        return services.takedown_resolve(**common, outcomes=form.outcomes(), note=data["note"])
    return services.takedown_withdraw(**common, reason=data["reason"])


def _apply(request, pk: int, form, call, success, *, field_errors_on_form: bool):
    """Run a form's service call. NotAllowed is a 403; a DomainError that names a field goes on
    the form (when `field_errors_on_form`) and None is returned so that the page shows it,
    any other refusal or the `success(result)` message goes back to the request's page."""
    try:
        done = call()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        if exc.field is not None and field_errors_on_form:
            form.add_domain_error(exc)
            return None
        messages.error(request, exc.message)
    else:
        messages.success(request, success(done))
    return redirect("takedowns:detail", pk=pk)


@require_POST
@login_required
@permission_required("takedowns.view_takedownrequest", raise_exception=True)
def takedown_action(request, pk: int, action: str):
    """Run one action through its service: 403 when the role does not allow it, a message when
    the request's state does not (someone else acted first)."""
    if action not in ACTION_FORMS:
        raise Http404(_("No such action."))
    takedown = _takedown_or_404(pk)
    refusal = services.action_refusal(takedown=takedown, user=request.user, action=action)
    if isinstance(refusal, NotAllowed):
        raise PermissionDenied(refusal.message)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect("takedowns:detail", pk=pk)
    form_class = ACTION_FORMS[action]
    kwargs = {"items": takedown.items.all()} if form_class is ResolveForm else {}
    form = form_class(request.POST, prefix=action, **kwargs)
    if form.is_valid():
        done = _apply(
            request,
            pk,
            form,
            lambda: _perform(action, takedown, request.user, form),
            lambda done: (
                _("%(ref)s is now %(status)s.")
                % {"ref": done.reference, "status": done.get_status_display().lower()}
            ),
            field_errors_on_form=action == "resolve",
        )
        if done:
            return done
    # A form with errors: show the page again with the action's form open and its errors.
    context = _detail_context(request, _takedown_or_404(pk), bound={action: form})
    context["open_action"] = action
    return render(request, "takedowns/detail.html", context, status=400)


@require_POST
@login_required
@permission_required("takedowns.view_takedownrequest", raise_exception=True)
def disclosure_add(request, pk: int):
    """Record what the platform disclosed about one account of the request."""
    takedown = _takedown_or_404(pk)
    form = DisclosureForm(request.POST, items=takedown.items.all(), prefix="disclosure")
    if form.is_valid():
        done = _apply(
            request,
            pk,
            form,
            lambda: services.disclosure_record(
                takedown=takedown,
                account=form.cleaned_data["account"],
                data=form.cleaned_data["data"],
                user=request.user,
                received_at=form.cleaned_data["received_at"],
            ),
            lambda disclosure: (
                _("Disclosed data recorded for %(account)s on %(ref)s.")
                % {"account": disclosure.account.handle, "ref": takedown.reference}
            ),
            field_errors_on_form=True,
        )
        if done:
            return done
    context = _detail_context(request, takedown, bound={"disclosure": form})
    return render(request, "takedowns/detail.html", context, status=400)


@require_POST
@login_required
@permission_required("takedowns.read_disclosure", raise_exception=True)
def disclosure_show(request, pk: int, disclosure_pk: int):
    """Show one disclosure's content, logging the read (channel "web"). A POST: reading
    disclosed data is an act that is recorded, never a link a browser may prefetch."""
    takedown = _takedown_or_404(pk)
    disclosure = takedown.disclosures.filter(pk=disclosure_pk).first()
    if disclosure is None:
        raise Http404(_("No such disclosure."))
    services.disclosures_record_access(disclosures=[disclosure], user=request.user, channel="web")
    context = _detail_context(request, takedown)
    context["revealed"] = disclosure.pk
    # Pairs, not the dict: a template would read a disclosed field named "items" as the method.
    context["revealed_fields"] = list(disclosure.data.items())
    response = render(request, "takedowns/detail.html", context)
    # Each showing is logged: no copy in the browser's history or back/forward cache.
    add_never_cache_headers(response)
    return response
