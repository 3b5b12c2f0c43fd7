"""Designation imports in the staff UI: the runs and the review queue of uncertain matches
(group suggestions are an API endpoint, GET /api/v1/groups/suggest/). Thin: reads go through
selectors, the decision through its service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import call_service

from .models import GroupMatchReview
from .selectors import designation_import_list, group_match_queue
from .services.designation_imports import group_match_decide

PAGE_SIZE = 50


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
