"""The one click after a supervisor confirms a mirror on the review page (an accounts page, whose
form posts here): draft the fast-track removal request and open it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import MirrorCandidate
from core.views import call_service

from .services import takedown_draft_for_mirror


@require_POST
@login_required
@permission_required("takedowns.add_takedownrequest", raise_exception=True)
def mirror_draft(request, candidate_pk: int):
    """Draft (or find) the fast-track request for a confirmed mirror and go to it."""
    candidate = get_object_or_404(MirrorCandidate, pk=candidate_pk)
    takedown = call_service(
        request, takedown_draft_for_mirror, candidate=candidate, user=request.user
    )
    if takedown is None:
        return redirect("accounts:mirror_review", pk=candidate.pk)
    messages.success(
        request,
        _("Request %(ref)s is waiting for approval, at the top of the queue.")
        % {"ref": takedown.reference},
    )
    return redirect("takedowns:detail", pk=takedown.pk)
