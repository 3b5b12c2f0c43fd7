"""The supervisors' mirror review queue: a suggestion's two accounts side by side, its explained
score, confirm / reject / suppress a signal, with keyboard shortcuts (static/js/mirror_review.js).

The fast-track takedown request offered after a confirmation is drafted by takedowns (its form
posts to a takedowns view): accounts never imports takedowns.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import attachment_response, call_service, safe_next

from . import mirror_review, services
from .mirror_selectors import (
    mirror_model_active,
    mirror_queue_neighbours,
    mirror_review_candidate,
    mirror_review_queue,
)
from .mirrors.scoring import current_model
from .models import FlaggedAccount, MirrorCandidate

REVIEW_PERMISSION = "accounts.change_mirrorcandidate"
# The avatar check lets only these through; the stored name could claim anything else.
AVATAR_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


@require_GET
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def mirror_queue(request):
    """The first suggestion awaiting review, or an empty queue."""
    first = mirror_review_queue().values_list("pk", flat=True).first()
    if first is not None:
        return redirect("accounts:mirror_review", pk=first)
    return render(request, "accounts/mirror_review.html", {"model": _model_figures()})


def _model_figures() -> dict:
    active = mirror_model_active()
    return {
        "version": active.version if active else current_model().version,
        "precision": active.precision if active else None,
        "recall": active.recall if active else None,
        "held_back": active.held_back if active else 0,
        "refitted": active is not None,
    }


def _sides(candidate: MirrorCandidate) -> dict:
    features = candidate.features or []
    new, removed = candidate.account, candidate.removed_account
    removed_handle, new_handle = mirror_review.differences(removed.handle, new.handle)
    removed_name, new_name = mirror_review.differences(removed.display_name, new.display_name)
    shared = set(mirror_review.feature_detail(features, "contact").get("shared") or [])
    shared_groups = {g.pk for g in new.groups.all()} & {g.pk for g in removed.groups.all()}
    return {
        "removed": {
            "account": removed,
            "handle": removed_handle,
            "name": removed_name,
            "bio": mirror_review.marked_bio(removed.bio, shared),
        },
        "new": {
            "account": new,
            "handle": new_handle,
            "name": new_name,
            "bio": mirror_review.marked_bio(new.bio, shared),
        },
        "shared_groups": shared_groups,
    }


@require_GET
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def mirror_review_page(request, pk: int):
    """One suggestion: the removed account and the new one side by side, and the decision."""
    try:
        candidate = mirror_review_candidate(pk=pk)
    except MirrorCandidate.DoesNotExist:
        raise Http404(_("No such mirror suggestion.")) from None
    features = candidate.features or []
    context = {
        "candidate": candidate,
        "queue": mirror_queue_neighbours(candidate=candidate),
        "model": _model_figures(),
        "bars": mirror_review.feature_bars(features),
        "signals": mirror_review.shared_signals(
            features,
            candidate.removed_account.avatar_pdq,
            {g.pk: g.name for g in candidate.removed_account.groups.all()},
        ),
        "can_draft": request.user.has_perm("takedowns.add_takedownrequest"),
        **_sides(candidate),
    }
    return render(request, "accounts/mirror_review.html", context)


@require_POST
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def mirror_signal_suppress(request, pk: int):
    """Declare one of a suggestion's shared signals meaningless; the scorer ignores it."""
    candidate = get_object_or_404(MirrorCandidate, pk=pk)
    signal = call_service(
        request,
        services.signal_suppress,
        kind=request.POST.get("kind", ""),
        value=request.POST.get("value", ""),
        user=request.user,
        reason=_("suppressed from the review of suggestion %(pk)d") % {"pk": candidate.pk},
    )
    if signal is not None:
        messages.success(
            request, _("Signal suppressed: it no longer counts towards any mirror score.")
        )
    return redirect(safe_next(request, reverse("accounts:mirror_review", args=[candidate.pk])))


@require_GET
@login_required
@permission_required("accounts.view_flaggedaccount", raise_exception=True)
def account_avatar(request, pk: int):
    """An account's avatar image; served through a login, never from a public media URL."""
    account = get_object_or_404(FlaggedAccount, pk=pk)
    if not account.avatar:
        raise Http404(_("This account has no avatar."))
    return attachment_response(account.avatar, filename=f"avatar-{account.pk}")
