"""Mirror suggestions: score new accounts against removed ones, and supervisors' decisions."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict
from core.history import audited
from core.permissions import require_permission

from ..choices import MirrorStatus
from ..mirrors import score_mirror
from ..models import FlaggedAccount, MirrorCandidate
from ..selectors import account_mirror_suspects

MIRROR_SUGGESTION_THRESHOLD = 0.7


def mirror_candidates_refresh(*, account: FlaggedAccount) -> list[MirrorCandidate]:
    """Score the account against removed accounts on its platform and store likely mirrors."""
    group_ids = set(account.groups.values_list("pk", flat=True))
    found = []
    for removed in account_mirror_suspects(
        platform=account.platform, handle_normalized=account.handle_normalized
    ):
        if removed.pk == account.pk:
            continue
        result = score_mirror(
            handle_normalized=account.handle_normalized,
            display_name=account.display_name,
            group_ids=group_ids,
            removed=removed,
        )
        if result.score >= MIRROR_SUGGESTION_THRESHOLD:
            candidate, _created = MirrorCandidate.objects.update_or_create(
                account=account,
                removed_account=removed,
                defaults={"score": result.score, "reasons": list(result.reasons)},
            )
            found.append(candidate)
    return found


@transaction.atomic
def mirror_decide(*, candidate: MirrorCandidate, user, confirm: bool) -> MirrorCandidate:
    """A supervisor confirms (links mirror_of) or rejects a mirror suggestion."""
    require_permission(user, "accounts.change_mirrorcandidate")
    candidate = MirrorCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != MirrorStatus.SUGGESTED:
        raise Conflict(_("This suggestion was already decided."), code="already_decided")
    candidate.status = MirrorStatus.CONFIRMED if confirm else MirrorStatus.REJECTED
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    audited(candidate, user).save()
    if confirm:
        account = candidate.account
        account.mirror_of = candidate.removed_account
        audited(account, user, "mirror confirmed").save()
    return candidate
