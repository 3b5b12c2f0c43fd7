"""Staff UI for accounts and groups: quick entry, list with bulk actions, detail, groups.

Views stay thin: reads through selectors and the shared FilterSet, writes through services,
domain errors shown on the form or as a message (a 403 page when the role does not allow it).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError
from core.forms import filter_widgets
from core.security import security_report
from core.views import attachment_response, call_service, safe_next

from . import selectors, services
from .choices import AccountStatus, EvidenceKind
from .filtersets import FlaggedAccountFilterSet, ProscribedGroupFilterSet
from .forms import (
    AccountStatusForm,
    BulkAccountsForm,
    EvidenceForm,
    QuickEntryForm,
)
from .history import history_entries
from .imports.exports import accounts_csv, accounts_xlsx
from .mirror_selectors import mirror_metrics
from .models import Evidence, FlaggedAccount, MirrorCandidate
from .orderings import ACCOUNT_ORDERING, GROUP_ORDERING

PAGE_SIZE = 50
RECENT_ENTRIES = 10
# Bounds what the group suggestions read while typing, so a pasted essay cannot hold a worker.
MAX_SUGGEST_TEXT = 500


# ------------------------------------------------------------------------------------------
# Quick entry
# ------------------------------------------------------------------------------------------


@login_required
@permission_required("accounts.add_flaggedaccount", raise_exception=True)
def account_entry(request):
    """Paste a handle or URL, pick groups, attach evidence, press Enter: saved, ready again."""
    duplicate = None
    if request.method == "POST":
        form = QuickEntryForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            account = call_service(
                request,
                services.account_create_with_evidence,
                form=form,
                user=request.user,
                value=data["value"],
                platform=data["platform"],
                display_name=data["display_name"],
                groups=data["groups"],
                tags=form.tag_names(),
                notes=data["notes"],
                evidence_files=data["evidence_files"],
                evidence_url=data["evidence_url"],
                evidence_note=data["evidence_note"],
                avatar=data["avatar"],
            )
            duplicate = getattr(form.domain_error, "existing", None)
            if account is not None:
                _entry_saved_message(request, account)
                # The next account is often from the same groups: keep them chosen.
                keep = urlencode({"groups": [g.pk for g in data["groups"]]}, doseq=True)
                return redirect(f"{reverse('accounts:entry')}?{keep}" if keep else "accounts:entry")
    else:
        form = QuickEntryForm(initial={"groups": request.GET.getlist("groups")})
    recent = (
        selectors.account_list()
        .filter(flagged_by=request.user)
        .order_by("-created_at", "-id")[:RECENT_ENTRIES]
    )
    context = {"form": form, "duplicate": duplicate, "recent": recent}
    return render(request, "accounts/entry.html", context, status=400 if form.errors else 200)


def _entry_saved_message(request, account: FlaggedAccount) -> None:
    mirrors = account.mirror_candidates.count()
    strong = account.mirror_candidates.filter(strong=True).count()
    text = format_html(
        '{} <a href="{}">{}</a>',
        _("Saved %(platform)s account %(handle)s.")
        % {"platform": account.platform.name, "handle": account.handle},
        reverse("accounts:detail", args=[account.pk]),
        _("Open the record"),
    )
    if mirrors:
        text = format_html(
            "{} {}",
            text,
            ngettext(
                "It looks like a mirror of a removed account; a supervisor will review it.",
                "It looks like a mirror of %(n)d removed accounts; a supervisor will review it.",
                mirrors,
            )
            % {"n": mirrors},
        )
    if strong:
        text = format_html(
            "{} <strong>{}</strong>",
            text,
            _("Strong match: the supervisors have been alerted."),
        )
    messages.success(request, text)


@require_GET
@login_required
@permission_required("accounts.add_flaggedaccount", raise_exception=True)
def account_entry_check(request):
    """htmx: while typing, the detected platform, an existing record and likely mirrors."""
    value = request.GET.get("value", "").strip()
    context = {"value": value}
    if value:
        try:
            platform, parsed = services.platform_resolve(
                value=value, platform=request.GET.get("platform") or None
            )
        except DomainError as exc:
            context["problem"] = exc
        else:
            group_ids = {int(g) for g in request.GET.getlist("groups") if g.isdigit()}
            display_name = request.GET.get("display_name", "")[:MAX_SUGGEST_TEXT]
            context.update(
                # Groups named in the handle or the display name ("TTP_media"), not yet chosen.
                suggested_groups=[
                    g
                    for g in selectors.group_suggestions(
                        display_name=display_name, handle=parsed.handle, limit=4
                    )
                    if g.pk not in group_ids
                ],
                platform=platform,
                parsed=parsed,
                duplicate=selectors.account_find_duplicate(
                    platform=platform,
                    handle_normalized=parsed.normalized,
                    platform_account_id=parsed.account_id,
                ),
                suspects=[
                    (found.removed_account, found)
                    for found in services.mirror_check(
                        platform=platform,
                        handle=parsed.normalized,
                        display_name=display_name,
                        group_ids=group_ids,
                        limit=5,
                    )
                    if found.score >= services.MIRROR_SUGGESTION_THRESHOLD
                ],
            )
    return render(request, "partials/entry_check.html", context)


@require_GET
@login_required
@permission_required("accounts.view_proscribedgroup", raise_exception=True)
def group_picker(request):
    """htmx: groups whose name or alias (any script) contains what was typed."""
    q = request.GET.get("group_q", "").strip()
    chosen = [g for g in request.GET.getlist("groups") if g.isdigit()]
    groups = []
    if q:
        groups = list(
            selectors.group_search(q=q).exclude(pk__in=chosen).prefetch_related("aliases")[:8]
        )
    return render(request, "partials/group_options.html", {"groups": groups, "q": q})


# ------------------------------------------------------------------------------------------
# List, bulk actions, export
# ------------------------------------------------------------------------------------------


def _filtered_accounts(request):
    filterset = FlaggedAccountFilterSet(request.GET or None, queryset=selectors.account_list())
    filter_widgets(filterset.form)
    accounts = ACCOUNT_ORDERING.apply(filterset.qs, request.GET.get("sort"))
    return filterset, accounts


def _export_accounts(request):
    """The list's filtered accounts in the order they were recorded, so that the file imports
    back (a removed account before the live one that re-registered its handle)."""
    filterset, _accounts = _filtered_accounts(request)
    return filterset.qs.order_by("id")


@login_required
@permission_required("accounts.view_flaggedaccount", raise_exception=True)
def account_list(request):
    """Accounts with filters, sortable columns, pagination and bulk actions."""
    filterset, accounts = _filtered_accounts(request)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "default_sort": ACCOUNT_ORDERING.default,
        "statuses": AccountStatus.choices,
        "can_change": request.user.has_perm("accounts.change_flaggedaccount"),
        "can_draft": request.user.has_perm("takedowns.add_takedownrequest"),
    }
    template = "partials/account_table.html" if request.htmx else "accounts/list.html"
    return render(request, template, context)


@login_required
@permission_required("accounts.view_flaggedaccount", raise_exception=True)
def account_export(request):
    """Every account matching the list's filters, as CSV."""
    return _csv_response(request, _export_accounts(request))


@login_required
@permission_required("accounts.view_flaggedaccount", raise_exception=True)
def account_export_xlsx(request):
    """Every account matching the list's filters, as an XLSX workbook."""
    security_report("export", request=request, detail="accounts.xlsx")
    response = HttpResponse(
        accounts_xlsx(_export_accounts(request).iterator(chunk_size=500)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="accounts.xlsx"'
    return response


def _csv_response(request, accounts):
    security_report("export", request=request, detail="accounts.csv")
    response = StreamingHttpResponse(
        accounts_csv(accounts.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="accounts.csv"'
    return response


@require_POST
@login_required
@permission_required("accounts.view_flaggedaccount", raise_exception=True)
def account_bulk(request):
    """The ticked accounts: set their status, or export them as CSV."""
    back = safe_next(request, reverse("accounts:list"))
    form = BulkAccountsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect(back)
    chosen = form.cleaned_data["ids"]
    if request.POST.get("action") == "export":
        return _csv_response(request, selectors.account_list().filter(pk__in=chosen).order_by("id"))
    if request.POST.get("action") != "status":
        messages.error(request, _("Unknown action."))
        return redirect(back)
    status = form.cleaned_data["status"]
    count = call_service(
        request,
        services.accounts_bulk_set_status,
        accounts=chosen.select_related("platform"),
        user=request.user,
        status=status,
        reason=_("bulk change in the account list"),
    )
    if count is not None:
        messages.success(
            request,
            ngettext("%(n)d account set to %(status)s.", "%(n)d accounts set to %(status)s.", count)
            % {"n": count, "status": AccountStatus(status).label},
        )
    return redirect(back)


# ------------------------------------------------------------------------------------------
# Detail: profile, evidence, status, mirrors, history
# ------------------------------------------------------------------------------------------


def _detail_context(request, account, **forms):
    history = history_entries(instance=account)
    user = request.user
    return {
        "account": account,
        "history": history,
        "status_timeline": [
            e for e in reversed(history) if e.kind == "created" or e.change_of("status")
        ],
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "status_form": forms.get("status_form")
        or AccountStatusForm(initial={"status": account.status}),
        "can_change": user.has_perm("accounts.change_flaggedaccount"),
        "can_add_evidence": user.has_perm("accounts.add_evidence"),
        "can_decide_mirrors": user.has_perm("accounts.change_mirrorcandidate"),
        "evidence_file_kind": EvidenceKind.FILE,
    }


def _account_or_404(pk: int) -> FlaggedAccount:
    try:
        return selectors.account_detail(pk=pk)
    except FlaggedAccount.DoesNotExist:
        raise Http404(_("No such account.")) from None


@login_required
@permission_required("accounts.view_flaggedaccount", raise_exception=True)
def account_detail(request, pk: int):
    """Profile, groups and designations, evidence, mirrors, requests, status and history."""
    account = _account_or_404(pk)
    return render(request, "accounts/detail.html", _detail_context(request, account))


@require_POST
@login_required
@permission_required("accounts.add_evidence", raise_exception=True)
def evidence_add(request, pk: int):
    """Attach more evidence to an account."""
    account = get_object_or_404(FlaggedAccount, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        captured = call_service(
            request,
            services.evidence_attach,
            form=form,
            account=account,
            user=request.user,
            files=data["evidence_files"],
            url=data["evidence_url"],
            text=data["evidence_text"],
            note=data["evidence_note"],
        )
        if captured is not None:
            messages.success(
                request,
                ngettext(
                    "%(n)d piece of evidence attached.",
                    "%(n)d pieces of evidence attached.",
                    len(captured),
                )
                % {"n": len(captured)},
            )
            return redirect(reverse("accounts:detail", args=[pk]) + "#evidence")
    account = _account_or_404(pk)
    context = _detail_context(request, account, evidence_form=form)
    return render(request, "accounts/detail.html", context, status=400)


@require_POST
@login_required
@permission_required("accounts.change_flaggedaccount", raise_exception=True)
def account_status(request, pk: int):
    """Change one account's status, with a reason for the history."""
    account = get_object_or_404(FlaggedAccount.objects.select_related("platform"), pk=pk)
    form = AccountStatusForm(request.POST)
    if form.is_valid():
        changed = call_service(
            request,
            services.account_set_status,
            form=form,
            account=account,
            user=request.user,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        if changed is not None:
            messages.success(
                request,
                _("Status is now %(status)s.") % {"status": account.get_status_display()},
            )
            return redirect("accounts:detail", pk=pk)
    context = _detail_context(request, _account_or_404(pk), status_form=form)
    return render(request, "accounts/detail.html", context, status=400)


@login_required
@permission_required("accounts.view_evidence", raise_exception=True)
def evidence_file(request, pk: int):
    """Download an evidence file; evidence is never served from a public media URL. An image
    is its re-encoded copy (no metadata, nothing appended); every file is an attachment."""
    evidence = get_object_or_404(Evidence, pk=pk, kind=EvidenceKind.FILE)
    stored = evidence.display_file or evidence.file
    if not stored:
        raise Http404(_("The file is missing."))
    return attachment_response(
        stored, filename=evidence.original_name or stored.name.rsplit("/", 1)[-1]
    )


@require_POST
@login_required
@permission_required("accounts.change_mirrorcandidate", raise_exception=True)
def mirror_decide(request, pk: int, confirm: bool):
    """A supervisor confirms or rejects a mirror suggestion."""
    candidate = get_object_or_404(MirrorCandidate, pk=pk)
    decided = call_service(
        request, services.mirror_decide, candidate=candidate, user=request.user, confirm=confirm
    )
    if decided is not None:
        messages.success(
            request, _("Mirror link confirmed.") if confirm else _("Suggestion rejected.")
        )
    return redirect(safe_next(request, reverse("accounts:detail", args=[candidate.account_id])))


# ------------------------------------------------------------------------------------------
# Groups and designations
# ------------------------------------------------------------------------------------------


@login_required
@permission_required("accounts.view_proscribedgroup", raise_exception=True)
def group_list(request):
    """Every group with its aliases, designations and account counts, through the groups'
    FilterSet (name or alias in any script, designating authority, country)."""
    filterset = ProscribedGroupFilterSet(request.GET or None, queryset=selectors.group_overview())
    groups = GROUP_ORDERING.apply(filterset.qs, request.GET.get("sort"))
    context = {"groups": groups, "filter": filterset, "q": request.GET.get("q", "").strip()}
    return render(request, "accounts/group_list.html", context)


@login_required
@permission_required("accounts.view_proscribedgroup", raise_exception=True)
def group_detail(request, pk: int):
    """A group's aliases, designations by authority, and its accounts by platform and status."""
    group = get_object_or_404(selectors.group_list(), pk=pk)
    context = {
        "group": group,
        "counts": selectors.group_account_counts(group=group),
        "statuses": AccountStatus.choices,
        "live": group.accounts.exclude(status=AccountStatus.REMOVED).count(),
        "recent": selectors.account_list()
        .filter(groups=group)
        .order_by("-first_seen_at", "-id")[:20],
        "mirror_metrics": mirror_metrics(group=group),
    }
    return render(request, "accounts/group_detail.html", context)
