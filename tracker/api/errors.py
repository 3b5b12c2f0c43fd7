"""One JSON shape for every API error: {"error": {"code", "message", "fields", ...extra}}.

Domain errors raised by services map to HTTP statuses here, so no view decides a status itself.
"""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import Conflict, DomainError, NotAllowed, StaleVersion


def domain_status(exc: DomainError, request=None) -> int:
    """The HTTP status of a domain error: 403 refused by role, 409 clashes with state, else 400.

    A stale version found for a request that sent If-Match is 412, as HTTP defines it.
    """
    if isinstance(exc, StaleVersion) and request is not None and "If-Match" in request.headers:
        return status.HTTP_412_PRECONDITION_FAILED
    if isinstance(exc, NotAllowed):
        return status.HTTP_403_FORBIDDEN
    if isinstance(exc, Conflict):
        return status.HTTP_409_CONFLICT
    return status.HTTP_400_BAD_REQUEST


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    """The error document every API error response carries."""
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {"a.0.b": ["message", ...]}."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            # A nested object's own errors belong to the field holding it.
            path = prefix if key == "non_field_errors" and prefix else str(key)
            if prefix and path != prefix:
                path = f"{prefix}.{key}"
            for name, messages in _flatten(value, path).items():
                flat.setdefault(name, []).extend(messages)
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]} if detail else {}
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def _validation_response(exc: exceptions.ValidationError) -> dict:
    fields = _flatten(exc.detail)
    general = fields.pop("non_field_errors", None)
    if general:
        message = " ".join(general)
    else:
        message = _("Some fields are invalid: %(names)s.") % {"names": ", ".join(sorted(fields))}
    # Field-level reasons are in the messages; the document's code says "bad input".
    return error_body("invalid", message, fields)


def api_exception_handler(exc, context) -> Response | None:
    """DRF EXCEPTION_HANDLER: every failure becomes the one error document."""
    if isinstance(exc, DomainError):
        set_rollback()
        fields = {exc.field: [exc.message]} if exc.field else {}
        for row in exc.extra.get("rows", ()):
            # Bulk rows: the same per-field messages, addressed "rows.<index>.<field>".
            key = f"rows.{row['index']}.{row['field'] or 'non_field_errors'}"
            fields.setdefault(key, []).append(row["message"])
        return Response(
            error_body(exc.code, exc.message, fields, **exc.extra),
            status=domain_status(exc, context.get("request")),
        )
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, SuspiciousOperation):
        # Over-large bodies, too many fields: bad input, never a server error.
        exc = exceptions.ParseError(str(exc) or _("The request could not be read."))
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(max(1, math.ceil(exc.wait)))
    if isinstance(exc, exceptions.ValidationError):
        body = _validation_response(exc)
    else:
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        body = error_body(str(code), str(detail), **getattr(exc, "extra", {}))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
