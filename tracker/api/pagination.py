"""Keyset ("cursor") pagination with a choice of ordering: a page a million rows deep costs what
the first page costs, because the cursor names a position in an index, never an offset.

Every ordering is (field, primary key) in the same direction, so positions are unique and
match the composite indexes ("-first_seen_at", "-id"). Nullable fields sort their NULLs last.
"""

import base64
import binascii
import json
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


def _to_json(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _model_field(model, path: str):
    """The model field at the end of a (possibly related, "platform__name") path."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _row_value(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name, None)
    return row


class KeysetPagination(BasePagination):
    """`?cursor=` pages through `?ordering=` (one of the view's `ordering_fields`). The view
    declares its list's core.ordering.Ordering as `ordering_spec` (or, older style,
    `ordering_fields = {public name: model field}` and a default `ordering` such as
    "-first_seen_at"); without them, lists go by id, newest first."""

    page_size = 50
    max_page_size = 500
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"

    # -- request parsing ------------------------------------------------------------------

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %d.") % self.max_page_size
                    ]
                }
            )
        return size

    @staticmethod
    def _fields(view) -> dict[str, str]:
        spec = getattr(view, "ordering_spec", None)
        if spec is not None:
            return spec.fields
        return getattr(view, "ordering_fields", None) or {"id": "id"}

    @staticmethod
    def _default(view) -> str:
        spec = getattr(view, "ordering_spec", None)
        if spec is not None:
            return spec.default
        return getattr(view, "ordering", None) or "-id"

    def ordering_choices(self, view) -> list[str]:
        return [choice for name in self._fields(view) for choice in (name, f"-{name}")]

    def _ordering(self, request, view, model) -> tuple[str, str, bool, bool]:
        name = request.query_params.get(self.ordering_query_param, self._default(view))
        choices = self.ordering_choices(view)
        if name not in choices:
            raise ValidationError(
                {
                    self.ordering_query_param: [
                        _("Order by one of: %s.") % ", ".join(choices),
                    ]
                }
            )
        field = self._fields(view)[name.lstrip("-")]
        try:
            nullable = _model_field(model, field).null
        except FieldDoesNotExist:
            nullable = False  # an annotation the selector adds; never NULL by construction
        return name, field, name.startswith("-"), nullable

    def _decode(self, request, ordering: str, model, field: str):
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        invalid = ValidationError(
            {self.cursor_query_param: [_("This cursor is not valid; start again from the list.")]}
        )
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==="))
            if not isinstance(data, dict) or data.get("o") != ordering:
                raise invalid
            value = data["v"]
            if value is not None:
                value = _model_field(model, field).to_python(value)
            key = model._meta.pk.to_python(data["k"])
            if key is None or isinstance(value, (dict, list)):
                raise invalid
            return value, key, bool(data.get("r"))
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            binascii.Error,
            DjangoValidationError,
            FieldDoesNotExist,
        ):
            raise invalid from None

    @staticmethod
    def cursor_after(row, *, ordering: str, field: str, reverse: bool = False) -> str:
        """The cursor of the page that follows `row` under `ordering` (whose model field is
        `field`); what the `next` link carries."""
        data = {
            "o": ordering,
            "v": _to_json(_row_value(row, field)),
            "k": _to_json(row.pk),
            "r": int(reverse),
        }
        raw = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode())
        return raw.decode("ascii").rstrip("=")

    def _encode(self, row, reverse: bool) -> str:
        return self.cursor_after(
            row, ordering=self._ordering_name, field=self._field, reverse=reverse
        )

    # -- the query ------------------------------------------------------------------------

    def _order_by(self, descending: bool, nullable: bool, reverse: bool) -> list:
        desc = descending != reverse
        pk = "-pk" if desc else "pk"
        if not nullable:
            return [f"-{self._field}" if desc else self._field, pk]
        # NULLs last going forward, so first when walking backwards to a previous page.
        nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        expression = F(self._field).desc(**nulls) if desc else F(self._field).asc(**nulls)
        return [expression, pk]

    def _after(self, value, key, descending: bool, nullable: bool, reverse: bool) -> Q:
        desc = descending != reverse
        strict, loose = ("lt", "lte") if desc else ("gt", "gte")
        field = self._field
        if value is None:
            after = Q(**{f"{field}__isnull": True, f"pk__{strict}": key})
            # Walking backwards, NULLs come first: every non-NULL row is still ahead.
            return after | Q(**{f"{field}__isnull": False}) if reverse else after
        # The redundant "field <= value" lets the database start an index range scan there.
        after = Q(**{f"{field}__{loose}": value}) & (
            Q(**{f"{field}__{strict}": value}) | Q(**{f"pk__{strict}": key})
        )
        if nullable and not reverse:
            after |= Q(**{f"{field}__isnull": True})
        return after

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        model = queryset.model
        size = self._page_size(request)
        self._ordering_name, self._field, descending, nullable = self._ordering(
            request, view, model
        )
        cursor = self._decode(request, self._ordering_name, model, self._field)
        reverse = bool(cursor and cursor[2])
        if cursor:
            queryset = queryset.filter(
                self._after(cursor[0], cursor[1], descending, nullable, reverse)
            )
        rows = list(queryset.order_by(*self._order_by(descending, nullable, reverse))[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
        self._next = self._previous = None
        if rows:
            # Walking backwards there is always the page we came from ahead of us.
            if has_more or reverse:
                self._next = self._encode(rows[-1], reverse=False)
            if (cursor and not reverse) or (reverse and has_more):
                self._previous = self._encode(rows[0], reverse=True)
        return rows

    # -- the response ---------------------------------------------------------------------

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self._next),
                "previous": self._link(self._previous),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        example = "https://tracker.example.org/api/v1/accounts/?cursor=eyJvIjoiLWZpcnN0X3NlZW4ifQ"
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    **link,
                    "description": "The next page, or null on the last one.",
                    "example": example,
                },
                "previous": {
                    **link,
                    "description": "The page before, or null on the first.",
                    "example": None,
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        choices = self.ordering_choices(view)
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
            {
                "name": self.ordering_query_param,
                "in": "query",
                "required": False,
                "description": f"Sort order; '-' reverses it. Default `{self._default(view)}`.",
                "schema": {"type": "string", "enum": choices},
            },
        ]
