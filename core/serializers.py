"""Django REST framework fields shared by every app's API."""

from rest_framework import serializers

from .datetimes import OUT_OF_RANGE_MESSAGE, DateTimeOutOfRange, storable_utc


class StorableDateTimeField(serializers.DateTimeField):
    """DRF's date-time, refused with a 400 naming the field when the database cannot hold it
    (see core.datetimes); the input of every date-time the API accepts."""

    default_error_messages = {"out_of_range": OUT_OF_RANGE_MESSAGE}

    def enforce_timezone(self, value):
        try:
            storable_utc(value)
        except DateTimeOutOfRange:
            self.fail("out_of_range")
        return super().enforce_timezone(value)
