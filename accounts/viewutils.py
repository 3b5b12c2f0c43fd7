"""Small helpers shared by the staff UI's views (accounts and takedowns)."""

from django.utils.http import url_has_allowed_host_and_scheme


def ordered(queryset, sort: str | None, sorts: dict[str, str], default: str):
    """Order by a whitelisted column key ("-key" for descending), with id as the tie-breaker."""
    sort = sort if sort and sort.lstrip("-") in sorts else default
    descending = sort.startswith("-")
    column = sorts[sort.lstrip("-")]
    prefix = "-" if descending else ""
    return queryset.order_by(f"{prefix}{column}", f"{prefix}id")


def safe_next(request, fallback: str) -> str:
    """The `next` URL sent with a form, if it points back into this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback
