"""django-filter pieces shared by every app's FilterSets (pages and API alike)."""

import django_filters
from django_filters.fields import IsoDateTimeField

from .forms import StorableDateTimeField


class StorableIsoDateTimeField(StorableDateTimeField, IsoDateTimeField):
    """ISO 8601 as django-filter reads it, refused when the database cannot hold it."""


class StorableDateTimeFilter(django_filters.IsoDateTimeFilter):
    """The date-time filter of every FilterSet: a value the database cannot compare with (an
    offset beyond UTC-12/+14, a year at the edge of 1..9999) is a 400 naming the filter, or a
    form error on a page, never a DataError."""

    field_class = StorableIsoDateTimeField
