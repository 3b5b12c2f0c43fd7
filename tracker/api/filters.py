"""django-filter for the API, strict about values a browser form would send loosely.

A form sends `?status=` for "any", and a yes/no select turns anything unknown into "any".
A system that sends an empty or unreadable value has a bug, and silently ignoring the filter
would hand it more rows than it asked for, so the API refuses both.
"""

from functools import lru_cache

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"true", "false", "True", "False", "1", "0"}


@lru_cache(maxsize=256)
def _narrowed(filterset_class, names: frozenset[str]) -> type:
    """The FilterSet with only the filters a request names. An absent parameter filters
    nothing, yet copying its filter and building and validating its form field cost more than
    a page's query; each filter keeps its parameter's name, so nothing else changes."""
    narrowed = type(filterset_class.__name__, (filterset_class,), {})
    narrowed.base_filters = {
        name: declared for name, declared in filterset_class.base_filters.items() if name in names
    }
    return narrowed


class StrictFilterBackend(DjangoFilterBackend):
    """The viewset's FilterSet (shared with the UI), refusing empty and unreadable values."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        names = frozenset(request.query_params).intersection(
            filterset_class.base_filters if filterset_class else ()
        )
        if not names:
            return queryset  # nothing to filter on: skip building and validating the form
        errors = {}
        for name in names:
            values = request.query_params.getlist(name)
            if "" in values:
                errors[name] = [_("Give a value, or leave the parameter out.")]
            elif isinstance(
                filterset_class.base_filters[name], django_filters.BooleanFilter
            ) and not set(values) <= (BOOLEAN_VALUES):
                errors[name] = [_("Give true or false.")]
        if errors:
            raise ValidationError(errors)
        filterset = _narrowed(filterset_class, names)(
            **self.get_filterset_kwargs(request, queryset, view)
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs
