"""One ordering declaration per list, read by the page's sort links and by the API's
`?ordering=`, so that both speak the same vocabulary and sort the same way."""

from dataclasses import dataclass

from django.db.models import F, QuerySet


@dataclass(frozen=True)
class Ordering:
    """The sortable columns of one list (public key -> model field) and its default key
    ("-key" for descending). The primary key breaks ties, so every order is total."""

    fields: dict[str, str]
    default: str

    def __post_init__(self):
        if self.default.lstrip("-") not in self.fields:
            raise ValueError(f"default ordering {self.default!r} is not one of {self.fields}")

    def key(self, requested: str | None) -> str:
        """The requested key if it is one of this list's, else the default."""
        if requested and requested.lstrip("-") in self.fields:
            return requested
        return self.default

    def field(self, key: str) -> str:
        """The model field behind a (possibly "-"-prefixed) key."""
        return self.fields[key.lstrip("-")]

    def apply(self, queryset: QuerySet, requested: str | None) -> QuerySet:
        """Order `queryset` by the requested key (empty values last either way), id breaking
        ties."""
        key = self.key(requested)
        column = self.field(key)
        if key.startswith("-"):
            return queryset.order_by(F(column).desc(nulls_last=True), "-id")
        return queryset.order_by(F(column).asc(nulls_last=True), "id")
