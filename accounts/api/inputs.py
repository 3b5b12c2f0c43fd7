"""What the accounts endpoints read from a request before a service checks it: a body as the
row validator reads it, and the validator's refusal as the API's validation error."""

from contextlib import contextmanager

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from .. import services

# The one file a create may carry (multipart): the service checks and hashes it.
AVATAR = "avatar"


def request_row(data, *, upload: str | None = None):
    """A request body as the row validator reads it: a form-encoded body's list fields hold
    every value sent, a JSON body is passed as it is. An uploaded file named `upload` is left
    out (see request_upload); any other file is a field the validator refuses."""
    if isinstance(data, QueryDict):
        return {
            name: data.getlist(name) if name in services.ACCOUNT_ROW_LIST_FIELDS else data[name]
            for name in data
            if not (name == upload and isinstance(data[name], UploadedFile))
        }
    return data


def request_upload(request, name: str):
    """The file uploaded as `name` (multipart), or None; a text sent under that name is an
    `invalid` error on the field, as no image can be read from it."""
    if name not in request.data:
        return None
    value = request.data[name]
    if not isinstance(value, UploadedFile):
        raise serializers.ValidationError(
            {name: [ErrorDetail(_("Send the picture as a file (multipart)."), code="invalid")]}
        )
    return value


@contextmanager
def invalid_row_as_validation_error():
    """The row validator's refusal as the API's validation error: code "invalid", every field
    at fault with its message (and its code, for DRF)."""
    try:
        yield
    except services.InvalidRow as exc:
        raise serializers.ValidationError(
            {
                error.field or api_settings.NON_FIELD_ERRORS_KEY: [
                    ErrorDetail(error.message, code=error.code)
                ]
                for error in exc.errors
            }
        ) from exc
