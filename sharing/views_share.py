"""The "Share" menu's downloads (STIX 2.1 and MISP of the account list's filtered set, of a
group, of a request) and the STIX import page (upload, preview, confirm). Every download is
security-logged; every page checks the role's permission."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.filtersets import FlaggedAccountFilterSet
from accounts.models import FlaggedAccount, ProscribedGroup
from core.errors import DomainError, NotAllowed
from core.security import security_report
from takedowns.models import TakedownRequest

from .misp import misp_event, misp_json
from .services import STIX_PREVIEWS
from .stix.bundle import check_size, parse_bundle, read_limited
from .stix.export import MEDIA_TYPE, bundle_chunks, bundle_objects
from .stix.imports import stix_import

FORMATS = ("stix", "misp")
SESSION_KEY = "stix_import"


def _export(request, fmt: str, name: str, **sets):
    if fmt not in FORMATS:
        raise Http404
    filename = f"{name}.{fmt}.json"
    security_report("export", request=request, detail=filename)
    if fmt == "stix":
        response = StreamingHttpResponse(
            bundle_chunks(bundle_objects(**sets)), content_type=MEDIA_TYPE
        )
    else:
        try:
            event = misp_event(info=_("Tracker export: %s") % name, **sets)
        except DomainError as exc:
            return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(misp_json(event), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required("accounts.view_flaggedaccount", raise_exception=True)
def share_accounts(request, fmt):
    """The accounts matching the list's filters."""
    filterset = FlaggedAccountFilterSet(request.GET or None, queryset=FlaggedAccount.objects.all())
    return _export(request, fmt, "accounts", accounts=filterset.qs)


@login_required
@permission_required(
    ["accounts.view_flaggedaccount", "accounts.view_proscribedgroup"], raise_exception=True
)
def share_group(request, fmt, pk):
    """A group, its designations and its accounts."""
    group = get_object_or_404(ProscribedGroup, pk=pk)
    return _export(
        request,
        fmt,
        f"group-{group.pk}",
        accounts=FlaggedAccount.objects.filter(groups=group),
        groups=ProscribedGroup.objects.filter(pk=group.pk),
    )


@login_required
@permission_required(
    ["accounts.view_flaggedaccount", "takedowns.view_takedownrequest"], raise_exception=True
)
def share_takedown(request, fmt, pk):
    """A request (as a note) and the accounts it covers."""
    takedown = get_object_or_404(TakedownRequest, pk=pk)
    return _export(
        request, fmt, f"request-{takedown.pk}", requests=TakedownRequest.objects.filter(pk=pk)
    )


def _forget_upload(request) -> None:
    held = request.session.pop(SESSION_KEY, None)
    if held and default_storage.exists(held["name"]):
        default_storage.delete(held["name"])


def _run(request, data: bytes, *, partial: bool, dry_run: bool):
    try:
        return stix_import(
            user=request.user, bundle=parse_bundle(data), partial=partial, dry_run=dry_run
        ), None
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        return None, exc


@login_required
@permission_required("accounts.add_flaggedaccount", raise_exception=True)
def stix_import_page(request):
    """Upload a bundle and see what it would create and what cannot be imported, with why."""
    context = {"result": None, "error": None}
    if request.method == "POST":
        upload = request.FILES.get("file")
        partial = request.POST.get("partial") == "on"
        try:
            if upload is None:
                raise DomainError(_("Choose a STIX 2.1 bundle (a .json file)."), field="file")
            check_size(upload.size)
            data = read_limited(upload, upload.size)
            result, error = _run(request, data, partial=partial, dry_run=True)
        except DomainError as exc:
            result, error = None, exc
        context.update(result=result, error=error, partial=partial)
        if result is not None:
            _forget_upload(request)
            name = default_storage.save(f"{STIX_PREVIEWS}{uuid.uuid4()}.json", ContentFile(data))
            request.session[SESSION_KEY] = {"name": name, "partial": partial}
            context["fatal"] = [p for p in result.problems if p.fatal]
            context["notes"] = [p for p in result.problems if not p.fatal]
            context["can_import"] = bool(result.accounts) and (partial or not context["fatal"])
    context["max_mb"] = settings.STIX_IMPORT_MAX_BYTES // (1024 * 1024)
    return render(request, "sharing/share_import.html", context)


@require_POST
@login_required
@permission_required("accounts.add_flaggedaccount", raise_exception=True)
def stix_import_confirm(request):
    """Import the previewed bundle."""
    held = request.session.get(SESSION_KEY)
    if not held or not default_storage.exists(held["name"]):
        messages.error(request, _("Upload the bundle again: its preview has expired."))
        return redirect("sharing:stix_import")
    with default_storage.open(held["name"], "rb") as stored:
        data = stored.read()
    result, error = _run(request, data, partial=held["partial"], dry_run=False)
    _forget_upload(request)
    if error is not None:
        messages.error(request, error.message)
        return redirect("sharing:stix_import")
    messages.success(
        request,
        _("%(count)d accounts imported from the STIX bundle.") % {"count": len(result.accounts)},
    )
    return redirect(reverse("accounts:list"))
