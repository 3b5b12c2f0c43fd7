"""What the accounts endpoints read from a request before a service checks it: a body as the
row validator reads it, and the validator's refusal as the API's validation error."""

from contextlib import contextmanager

from django.http import QueryDict
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

from .. import services


def request_row(data):
    """A request body as the row validator reads it: a form-encoded body's list fields hold
    every value sent, a JSON body is passed as it is."""
    if isinstance(data, QueryDict):
        return {
            name: data.getlist(name) if name in services.ACCOUNT_ROW_LIST_FIELDS else data[name]
            for name in data
        }
    return data


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
