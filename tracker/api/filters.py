"""django-filter for the API, strict about values a browser form would send loosely.

A form sends `?status=` for "any", and a yes/no select turns anything unknown into "any".
A system that sends an empty or unreadable value has a bug, and silently ignoring the filter
would hand it more rows than it asked for, so the API refuses both.
"""

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"true", "false", "True", "False", "1", "0"}


class StrictFilterBackend(DjangoFilterBackend):
    """The viewset's FilterSet (shared with the UI), refusing empty and unreadable values."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not any(
            name in request.query_params for name in filterset_class.base_filters
        ):
            return queryset  # nothing to filter on: skip building and validating the form
        errors = {}
        for name, declared in filterset_class.base_filters.items():
            values = request.query_params.getlist(name)
            if "" in values:
                errors[name] = [_("Give a value, or leave the parameter out.")]
            elif isinstance(declared, django_filters.BooleanFilter) and not set(values) <= (
                BOOLEAN_VALUES
            ):
                errors[name] = [_("Give true or false.")]
        if errors:
            raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)
