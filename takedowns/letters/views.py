"""The request page's package download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from core.errors import DomainError, NotAllowed

from ..models import TakedownRequest
from .services import PACKAGE_PERMISSION, RequestPackage, takedown_package_build


def package_response(package: RequestPackage) -> FileResponse:
    """The ZIP streamed from its temporary file, with its SHA-256 in a header."""
    response = FileResponse(
        package.file, as_attachment=True, filename=package.filename, content_type="application/zip"
    )
    response["X-Package-SHA256"] = package.sha256
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required(["takedowns.view_takedownrequest", PACKAGE_PERMISSION], raise_exception=True)
@require_GET
def takedown_package(request, pk: int):
    """Build and download the request package (letter, accounts CSV, evidence files)."""
    takedown = get_object_or_404(TakedownRequest.objects.select_related("platform"), pk=pk)
    try:
        package = takedown_package_build(takedown=takedown, user=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("takedowns:detail", pk=pk)
    return package_response(package)
