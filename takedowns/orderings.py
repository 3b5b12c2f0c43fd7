"""The sortable columns of each takedowns list, declared once: the request list page's sort
links and the API's `?ordering=` read the same keys (the API's public names)."""

from core.ordering import Ordering

TAKEDOWN_ORDERING = Ordering(
    fields={
        "id": "id",
        "platform": "platform__name",
        "status": "status",
        "due_at": "due_at",
        "created_at": "created_at",
    },
    default="-created_at",
)
# The keys the request list page used before it spoke the API's vocabulary (old links).
TAKEDOWN_PAGE_ALIASES = {"ref": "id", "due": "due_at", "created": "created_at"}

PLATFORM_ORDERING = Ordering(fields={"name": "name", "slug": "slug"}, default="name")
DISCLOSURE_ORDERING = Ordering(
    fields={"received_at": "received_at", "id": "id"}, default="-received_at"
)
WEBHOOK_ORDERING = Ordering(fields={"name": "name", "id": "id"}, default="name")
WEBHOOK_DELIVERY_ORDERING = Ordering(
    fields={"created_at": "created_at", "id": "id"}, default="-created_at"
)
NOTIFICATION_ORDERING = Ordering(
    fields={"created_at": "created_at", "id": "id"}, default="-created_at"
)


def takedown_sort_key(requested: str | None) -> str | None:
    """The request list page's `?sort=` in the list's vocabulary, old page keys ("-due")
    translated."""
    if not requested:
        return requested
    sign = "-" if requested.startswith("-") else ""
    key = requested.lstrip("-")
    return sign + TAKEDOWN_PAGE_ALIASES.get(key, key)
