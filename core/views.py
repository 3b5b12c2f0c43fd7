"""Helpers shared by the staff UI's views of every app: ordering, safe redirects, running a
service and showing its refusal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError, NotAllowed


def ordered(queryset, sort: str | None, sorts: dict[str, str], default: str):
    """Order by a whitelisted column key ("-key" for descending), empty values last either way,
    with id as the tie-breaker."""
    sort = sort if sort and sort.lstrip("-") in sorts else default
    column = sorts[sort.lstrip("-")]
    if sort.startswith("-"):
        return queryset.order_by(F(column).desc(nulls_last=True), "-id")
    return queryset.order_by(F(column).asc(nulls_last=True), "id")


def safe_next(request, fallback: str) -> str:
    """The `next` URL sent with a form, if it points back into this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def call_service(request, service, *, form=None, **kwargs):
    """Run a service for a view: NotAllowed becomes the 403 page, any other refusal is shown on
    `form` (the field it names, see DomainErrorsMixin) or else as an error message, and None is
    returned, so that nothing changes and the user is told why."""
    try:
        return service(**kwargs)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        if form is not None:
            form.add_domain_error(exc)
        else:
            messages.error(request, exc.message)
        return None
