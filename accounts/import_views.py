"""Designation imports in the staff UI: the runs, the review queue of uncertain matches and
group suggestions (JSON). Thin: reads go through selectors, the decision through its service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import call_service

from .models import GroupMatchReview
from .selectors import designation_import_list, group_match_queue, group_suggestions
from .services.designation_imports import group_match_decide

PAGE_SIZE = 50
# Suggestions read free text: a bound keeps one request from holding a worker.
MAX_SUGGEST_TEXT = 5000
SUGGEST_FIELDS = ("text", "display_name", "bio", "handle")


@login_required
@permission_required("accounts.view_designationimport", raise_exception=True)
def import_list(request):
    """Every import run: source, file, hash, counts, errors, who started it and when."""
    page = Paginator(designation_import_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/imports/list.html", {"page": page})


@login_required
@permission_required("accounts.view_groupmatchreview", raise_exception=True)
def review_queue(request):
    """Uncertain cross-list matches awaiting a decision."""
    page = Paginator(group_match_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    can_decide = request.user.has_perm("accounts.change_groupmatchreview")
    return render(
        request, "accounts/imports/reviews.html", {"page": page, "can_decide": can_decide}
    )


@require_POST
@login_required
@permission_required("accounts.change_groupmatchreview", raise_exception=True)
def review_decide(request, pk: int):
    """Merge the entry's group into the candidate, or keep the two apart."""
    review = get_object_or_404(GroupMatchReview, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("merge", "keep_apart"):
        messages.error(request, _("Choose to merge or to keep apart."))
        return redirect("imports:reviews")
    review = call_service(
        request, group_match_decide, review=review, user=request.user, merge=decision == "merge"
    )
    if review is not None:
        text = (
            _("Merged into “%(group)s”.")
            if decision == "merge"
            else _("Kept apart from “%(group)s”.")
        )
        messages.success(request, text % {"group": review.candidate.name})
    return redirect("imports:reviews")


@require_GET
def group_suggest(request):
    """GET ?text= (or display_name, bio, handle): the groups named in it, as JSON."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Log in to use this.")}, status=401)
    if not request.user.has_perm("accounts.view_proscribedgroup"):
        return JsonResponse({"detail": _("Your role does not allow this action.")}, status=403)
    values = {field: request.GET.get(field, "") for field in SUGGEST_FIELDS}
    too_long = [field for field, value in values.items() if len(value) > MAX_SUGGEST_TEXT]
    if too_long:
        return JsonResponse(
            {
                "detail": _("At most %(max)d characters.") % {"max": MAX_SUGGEST_TEXT},
                "field": too_long[0],
            },
            status=400,
        )
    groups = group_suggestions(**values)
    return JsonResponse(
        {
            "results": [
                {"id": group.pk, "name": group.name, "matched": group.matched_name}
                for group in groups
            ]
        }
    )
