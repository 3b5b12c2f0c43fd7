"""OpenAPI pieces shared by every endpoint: the error document, its responses, the token scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable reason, e.g. illegal_transition.")
    message = serializers.CharField(help_text="A sentence for a person.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per field at fault; nested fields are dotted ("rows.3.handle").',
    )
    existing_id = serializers.IntegerField(
        required=False, help_text="duplicate_account: the record that already exists."
    )
    current_version = serializers.IntegerField(
        required=False, help_text="stale_version: the request's version now."
    )
    rows = serializers.ListField(
        child=inline_serializer(
            "ErrorRow",
            {
                "index": serializers.IntegerField(),
                "field": serializers.CharField(allow_null=True),
                "code": serializers.CharField(),
                "message": serializers.CharField(),
            },
        ),
        required=False,
        help_text="invalid_rows: every refused row of a bulk create.",
    )


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer of the API has this shape."""

    error = ErrorDetailSerializer()


def _example(name: str, code: str, message: str, fields: dict | None = None, **extra):
    body = {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}
    return OpenApiExample(name, value=body, response_only=True)


_ERRORS = {
    400: (
        "Bad input; nothing was changed.",
        _example(
            "Invalid field",
            "invalid",
            "Some fields are invalid: handle.",
            {"handle": ["Choose the platform for “abu_x”, or paste the full profile address."]},
        ),
    ),
    401: (
        "No credentials, or an invalid, expired or revoked token.",
        _example(
            "Not authenticated",
            "not_authenticated",
            "Authentication credentials were not provided.",
        ),
    ),
    403: (
        "The role or the token's scope does not allow this.",
        _example("Not allowed", "permission_denied", "Your role does not allow this action."),
    ),
    404: ("No such resource.", _example("Not found", "not_found", "Not found.")),
    409: (
        "The action clashes with the current state (illegal transition, duplicate).",
        _example(
            "Illegal transition",
            "illegal_transition",
            "Cannot approve a request that is draft.",
        ),
    ),
    412: (
        "If-Match names a version that is no longer current.",
        _example(
            "Stale version",
            "stale_version",
            "The request was changed by someone else (version 4, you had 3). Reload it.",
            current_version=4,
        ),
    ),
    429: (
        "Too many calls from this token, session or address; Retry-After says when to retry.",
        _example(
            "Rate limited",
            "throttled",
            "Request was throttled. Expected available in 12 seconds.",
        ),
    ),
    415: (
        "The body's content type is not accepted here.",
        _example(
            "Unsupported media type",
            "unsupported_media_type",
            'Unsupported media type "text/plain" in request.',
        ),
    ),
}


class TrackerAutoSchema(AutoSchema):
    """Documents the error responses every operation can give, so no view has to list them.

    401, 403 and 429 everywhere, 404 on a path with an id, 400 and 415 on writes, 400 on lists
    (filters, cursor), plus what a view declares in `error_statuses = {action: (409, 412)}`.
    """

    def _error_statuses(self) -> set[int]:
        statuses = {401, 403, 429}
        if "{" in self.path:
            statuses.add(404)
        if self.method in ("POST", "PUT", "PATCH"):
            statuses |= {400, 415}
        elif self.method == "GET" and self._is_list_view():
            statuses.add(400)
        action = getattr(self.view, "action", None) or self.method.lower()
        statuses.update(getattr(self.view, "error_statuses", {}).get(action, ()))
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in sorted(self._error_statuses()):
            if str(status) not in responses:
                description, example = _ERRORS[status]
                responses[str(status)] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description, examples=[example]),
                    str(status),
                    direction=direction,
                )
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tracker.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token <key>`. Issue keys with `manage.py issue_token USERNAME --scope write`; "
                "read-scope tokens may only read."
            ),
        }
