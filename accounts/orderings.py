"""The sortable columns of each list of this app, declared once: the pages' sort links
(`?sort=`) and the API's `?ordering=` read these, with the same keys (the API's public names).
"""

from core.ordering import Ordering

ACCOUNT_ORDERING = Ordering(
    {
        "first_seen_at": "first_seen_at",
        "handle": "handle_normalized",
        "id": "id",
        "platform": "platform__name",
        "status": "status",
        "flagged_by": "flagged_by__username",
    },
    default="-first_seen_at",
)
GROUP_ORDERING = Ordering({"name": "name", "id": "id"}, default="name")
DESIGNATION_ORDERING = Ordering(
    {"authority": "authority", "listed_on": "listed_on", "id": "id"}, default="authority"
)
MIRROR_CANDIDATE_ORDERING = Ordering(
    {"score": "score", "created_at": "created_at", "id": "id"}, default="-score"
)


def keyset_fields(ordering: Ordering) -> dict[str, str]:
    """The keys of `ordering` whose field is a column of the list's own model: the API's
    keyset pagination pages through those (a cursor holds one column's value), so sorting by a
    joined name (an account's platform or flagger) is offered by the page alone."""
    return {key: field for key, field in ordering.fields.items() if "__" not in field}
