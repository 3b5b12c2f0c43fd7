"""Staff UI for takedown requests: drafting from accounts, the list with live deadlines, and the
request page whose buttons are exactly the actions the user may take."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
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
from core.errors import NotAllowed
from core.forms import filter_widgets
from core.views import call_service

from . import deadlines, selectors, services
from .actions import ACTIONS
from .choices import CLOSED_STATUSES, DISCLOSURE_KINDS, WITH_PLATFORM_STATUSES, RequestStatus
from .exports import takedowns_download
from .filtersets import TakedownRequestFilterSet
from .forms import DisclosureForm, TakedownCreateForm
from .models import TakedownRequest
from .orderings import TAKEDOWN_ORDERING, takedown_sort_key
from .transitions import transition_check

PAGE_SIZE = 50
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
    sort = TAKEDOWN_ORDERING.key(takedown_sort_key(request.GET.get("sort")))
    takedowns = TAKEDOWN_ORDERING.apply(filterset.qs, sort)
    if not request.GET.get("sort") and request.GET.getlist("status") == [S.PENDING_APPROVAL]:
        # The approval queue: fast-tracked requests (mirrors) first, then the oldest.
        takedowns = selectors.approval_queue(filterset.qs)
    page = Paginator(takedowns, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    current = query.urlencode()
    context = {
        "filter": filterset,
        "page": page,
        "current_sort": sort,
        "export_query": current,
        "tabs": [(key, label, q, q == current) for key, label, q in _tabs()],
    }
    template = "partials/takedown_table.html" if request.htmx else "takedowns/list.html"
    return render(request, template, context)


@login_required
@permission_required("takedowns.view_takedownrequest", raise_exception=True)
def takedown_export(request, kind: str):
    """Every request matching the list's filters, as CSV or XLSX (`kind`), in the order they
    were drafted. A filter value the form cannot read is refused (400, the list page with the
    filter's error) rather than ignored, which would export more than was asked for."""
    filterset = TakedownRequestFilterSet(request.GET or None, queryset=selectors.takedown_list())
    if filterset.is_bound and not filterset.is_valid():
        filter_widgets(filterset.form)
        messages.error(request, _("The export was not made: correct the filters below."))
        page = Paginator(TakedownRequest.objects.none(), PAGE_SIZE).get_page(1)
        context = {"filter": filterset, "page": page, "current_sort": "", "tabs": []}
        return render(request, "takedowns/list.html", context, status=400)
    return takedowns_download(request, filterset.qs, kind)


@login_required
@permission_required("takedowns.add_takedownrequest", raise_exception=True)
def takedown_new(request):
    """Accounts ticked in a list become one draft request per platform: the first visit (GET,
    or POST from a list's bulk bar) shows what will be created, the confirmation creates it."""
    if request.method == "POST" and "confirm" in request.POST:
        form = TakedownCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            created = call_service(
                request,
                services.takedowns_create_per_platform,
                form=form,
                user=request.user,
                accounts=data["ids"].select_related("platform"),
                kind=data["kind"],
                priority=data["priority"],
                legal_basis=data["legal_basis"],
                notes=data["notes"],
                request_approval=data["request_approval"],
            )
            if created:
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
    forms, buttons = [], {}
    for name in actions:
        action = ACTIONS[name]
        form = (bound or {}).get(name) or action.form(
            initial={"version": takedown.version}, prefix=name, items=items
        )
        forms.append((name, form))
        # The button as declared, its label naming this request's platform where it says %(p)s.
        label = str(action.button.label) % {"p": takedown.platform.name}
        buttons[name] = replace(action.button, label=label)
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
        "approval_wait": _approval_wait(takedown, request.user, actions),
        "action_forms": forms,
        "action_buttons": buttons,
        **_disclosure_context(request, takedown, items, bound=(bound or {}).get("disclosure")),
    }


def _approval_wait(takedown: TakedownRequest, user, actions) -> str | None:
    """Why the user cannot approve a request that awaits approval, as the transition rule
    says (its refusal's code: "four_eyes" for the author), or None."""
    if "approve" in actions:
        return None
    refusal = services.action_refusal(takedown=takedown, user=user, action="approve")
    return refusal.code if isinstance(refusal, NotAllowed) else None


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


def _run(request, pk: int, form, service, success, **kwargs):
    """Run a form's service (core.views.call_service: 403 when not allowed, a refusal naming a
    field on the form); the response, or None when the page must show the form's errors."""
    done = call_service(request, service, form=form, **kwargs)
    if done is None and form.errors:
        return None
    if done is not None:
        messages.success(request, success(done))
    return redirect("takedowns:detail", pk=pk)


def _allowed(*, takedown, user, action) -> bool:
    transition_check(takedown, user, action)
    return True


@require_POST
@login_required
@permission_required("takedowns.view_takedownrequest", raise_exception=True)
def takedown_action(request, pk: int, action: str):
    """Run one action through its service: 403 when the role does not allow it, a message when
    the request's state does not (someone else acted first)."""
    declared = ACTIONS.get(action)
    if declared is None:
        raise Http404(_("No such action."))
    takedown = _takedown_or_404(pk)
    # Refused before the form is read: someone else acted first, or the role does not allow it.
    if not call_service(request, _allowed, takedown=takedown, user=request.user, action=action):
        return redirect("takedowns:detail", pk=pk)
    form = declared.form(request.POST, prefix=action, items=takedown.items.all())
    if form.is_valid():
        done = _run(
            request,
            pk,
            form,
            declared.service,
            lambda done: (
                _("%(ref)s is now %(status)s.")
                % {"ref": done.reference, "status": done.get_status_display().lower()}
            ),
            takedown=takedown,
            user=request.user,
            expected_version=form.cleaned_data.get("version"),
            **form.service_arguments(),
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
        done = _run(
            request,
            pk,
            form,
            services.disclosure_record,
            lambda disclosure: (
                _("Disclosed data recorded for %(account)s on %(ref)s.")
                % {"account": disclosure.account.handle, "ref": takedown.reference}
            ),
            takedown=takedown,
            account=form.cleaned_data["account"],
            data=form.cleaned_data["data"],
            user=request.user,
            received_at=form.cleaned_data["received_at"],
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
