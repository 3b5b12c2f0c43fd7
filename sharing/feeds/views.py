"""The feeds page for administrators: every platform's feed, its signing key, its tokens and
who pulled what when; rotating a key and issuing or revoking a token (the secret or the token
is shown once, on the page that answers the POST, and never stored in the clear)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Platform
from core.views import call_service

from ..models import FeedToken
from .keys import feed_key_rotate, feed_token_issue, feed_token_revoke
from .pages import KEY_ID_HEADER, SIGNATURE_HEADER
from .selectors import feeds_overview, recent_pulls


def _page(request, *, shown=None, status=200):
    context = {
        "platforms": feeds_overview(),
        "pulls": recent_pulls(),
        "shown": shown,
        "signature_header": SIGNATURE_HEADER,
        "key_id_header": KEY_ID_HEADER,
    }
    response = render(request, "sharing/feeds.html", context, status=status)
    if shown:
        response["Cache-Control"] = "no-store"  # a secret shown once stays out of caches
    return response


def _shown_once(request, result, *, title: str, label):
    """The page with a service's (record, secret) shown once; the refusal's page without."""
    if result is None:
        return _page(request, status=400)
    record, secret = result
    return _page(request, shown={"title": title, "label": label(record), "value": secret})


@login_required
@permission_required("sharing.view_platformfeed", raise_exception=True)
def feeds_page(request):
    return _page(request)


@require_POST
@login_required
@permission_required("sharing.change_platformfeed", raise_exception=True)
def feed_key_rotate_view(request, platform: str):
    platform = get_object_or_404(Platform, slug=platform)
    result = call_service(request, feed_key_rotate, platform=platform, user=request.user)
    return _shown_once(
        request,
        result,
        title=_("New signing key for %(platform)s") % {"platform": platform.name},
        label=lambda key: _("Key %(key)s") % {"key": key.key_id},
    )


@require_POST
@login_required
@permission_required("sharing.add_feedtoken", raise_exception=True)
def feed_token_issue_view(request, platform: str):
    platform = get_object_or_404(Platform, slug=platform)
    name = request.POST.get("name", "")
    result = call_service(
        request, feed_token_issue, platform=platform, user=request.user, name=name
    )
    return _shown_once(
        request,
        result,
        title=_("New feed token for %(platform)s") % {"platform": platform.name},
        label=lambda token: token.name,
    )


@require_POST
@login_required
@permission_required("sharing.change_feedtoken", raise_exception=True)
def feed_token_revoke_view(request, pk: int):
    token = get_object_or_404(FeedToken, pk=pk)
    call_service(request, feed_token_revoke, token=token, user=request.user)
    return _page(request)
