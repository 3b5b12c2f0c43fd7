"""Helpers shared by the staff UI's views of every app: safe redirects, and running a service
and showing its refusal, and stored uploads served as attachments."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .errors import DomainError, NotAllowed
from .uploads import EXTENSIONS, read_head, sniff_type

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_next(request, fallback: str) -> str:
    """The `next` URL sent with a form, if it is a path back into this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path: redirect() takes a bare word ("-1") for a URL name and raises when no route
    # has it, and a control character (NUL) has no place in a Location header.
    if (
        target.startswith("/")
        and not _CONTROL.search(target)
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return fallback


def call_service(request, service, *, form=None, **kwargs):
    """Run a service for a view: NotAllowed becomes the 403 page; any other refusal is shown on
    `form` (a DomainErrorsMixin form) when it names a field or gathers several, else as an error
    message; None is then returned, so that nothing changes and the user is told why."""
    try:
        return service(**kwargs)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        if form is not None and (exc.field is not None or getattr(exc, "errors", None)):
            form.add_domain_error(exc)
        else:
            messages.error(request, exc.message)
        return None


def attachment_response(stored, *, filename: str) -> FileResponse:
    """A stored upload as a download: always an attachment, its type judged from its content
    again (anything unknown is application/octet-stream), named with that type's extension,
    `nosniff`, a sandboxing CSP, and kept out of shared caches."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing.")) from None
    kind = sniff_type(read_head(handle))
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "file"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem}.{EXTENSIONS[kind]}" if kind else stem,
        content_type=kind or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
