"""Every route of the URL configuration refuses an anonymous user and a signed-in user with no
role, generated from django.urls.get_resolver(): a route added anywhere (a page, the API, the
admin, a feed) is checked without anyone listing it, and a forgotten check fails here.

Each route gets real ids (one of everything, from the `world` fixture) so a view that finds the
object before checking the permission is caught too. It is called with GET and POST:

- anonymous: a redirect to the sign-in page (the site's or the admin's), or 401/403 (API);
- no role: 403 or 404, or the admin's sign-in page (not staff);
- 405 is a refusal too (the view did not run), but some method must reach the check.

The allow-lists below are the only exceptions, each with its reason.
"""

import re
from datetime import date

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve, reverse

from accounts.models import AccountUpload, DesignationImport, Evidence, GroupMatchReview
from sharing.feeds.keys import feed_token_issue
from sharing.feeds.log import feed_for
from sharing.stix.objects import account_stix_id
from sharing.taxii.collections import ALL, collection_id
from tests.factories import UserFactory
from tracker.reports.models import ComplianceReport

pytestmark = pytest.mark.django_db

# Routes an anonymous visitor may reach, by URL name.
PUBLIC = {
    "login": "the sign-in page itself",
    "logout": "signing out ends a session; anonymous, it only redirects",
    "set_language": "the language choice is a cookie, needed on the sign-in page",
    "health": "liveness and readiness for the load balancer; says nothing about the data",
    "admin:login": "the admin's sign-in page",
    "admin:logout": "signing out of the admin",
}
# Routes any signed-in user reaches whatever their role: their own settings and notifications.
SELF_SERVICE = {
    "home": "sends each user to the page their role starts on",
    "preferences": "the user's own language, time zone and page size",
    "language_switch": "the user's own language",
    "sessions_end_others": "signs the user out of their own other sessions",
    "notification_bell": "the user's own notifications (a query on request.user)",
    "notifications_read_all": "marks the user's own notifications read",
    "otp_verify": "the second factor of the user's own sign-in",
    "otp_setup": "enrolling the user's own authenticator",
    "password_change": "the user's own password",
    "password_change_done": "the page after changing one's own password",
    "api:me": "who the caller is: the token's or session's own user",
    "api:root": "the list of API links, no data",
    "api:notification-list": "the caller's own notifications",
    "api:notification-read-all": "marks the caller's own notifications read",
    "api:schema": "the API's description, no data (an integrating system's user may have no role)",
    "api:docs": "the schema drawn as a page",
    "api:redoc": "the schema drawn as a page",
}

# The object a parameter names, by the path segment before it (or the admin's model name).
SEGMENT_OBJECTS = {
    "accounts": "accounts.flaggedaccount",
    "evidence": "accounts.evidence",
    "mirrors": "accounts.mirrorcandidate",
    "mirror-candidates": "accounts.mirrorcandidate",
    "groups": "accounts.proscribedgroup",
    "designations": "accounts.designation",
    "reviews": "accounts.groupmatchreview",
    "takedowns": "takedowns.takedownrequest",
    "disclosures": "takedowns.disclosure",
    "webhooks": "takedowns.webhooksubscription",
    "notifications": "takedowns.notification",
    "reports": ComplianceReport._meta.label_lower,
    "upload": "accounts.accountupload",
    "tokens": "sharing.feedtoken",
}
# Parameters that are not ids.
PARAMETER_VALUES = {
    "slug": "x",  # a platform
    "action": "approve",
    "kind": "pdf",
    "format": "json",
    "app_label": "accounts",
    "url": "not-a-page/",
    "platform": "x",  # a platform's feed
    "fmt": "stix",  # a Share menu download
}


def _view_on_site():
    account = apps.get_model("accounts.flaggedaccount").objects.order_by("pk").first()
    return {
        "content_type_id": ContentType.objects.get_for_model(account).pk,
        "object_id": account.pk,
    }


def _taxii_collection():
    return {"pk": collection_id(ALL)}


def _taxii_object():
    account = apps.get_model("accounts.flaggedaccount").objects.order_by("pk").first()
    return {
        "pk": collection_id(ALL),
        "object_id": account_stix_id(account.platform.slug, account.handle),
    }


# Routes whose parameters the rules above cannot name, by URL name.
ROUTE_PARAMETERS = {
    "admin:view_on_site": _view_on_site,
    **{f"taxii:{name}": _taxii_collection for name in ("collection", "objects", "manifest")},
    **{f"taxii:{name}": _taxii_object for name in ("object", "object_versions")},
}
API_PREFIX = ("/api/", "/taxii2/")  # machine clients: 401/403, never the sign-in page


def walk(resolver, prefix="", namespaces=()):
    """(route text, full URL name or None, URLPattern) for every route, depth first."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from walk(entry, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield prefix + str(entry.pattern), name, entry


PARAMETER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def _segment_before(route: str, start: int) -> str:
    before = re.sub(r"[\^$\\]", "", route[:start]).rstrip("/")
    return before.rsplit("/", 1)[-1]


def _object_id(label: str):
    model = apps.get_model(label)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the route test needs one {label}: add it to the fixture"
    return obj.pk


def build_url(route: str, url_name: str | None = None) -> str:
    """The route with every parameter filled from the fixture; AssertionError if one is not
    known (add it above, so a new route never goes unchecked)."""
    given = ROUTE_PARAMETERS[url_name]() if url_name in ROUTE_PARAMETERS else {}

    def fill(match):
        name = match.group("name") or match.group("group")
        if name in given:
            return str(given[name])
        if name in PARAMETER_VALUES:
            return PARAMETER_VALUES[name]
        segment = _segment_before(route, match.start())
        if segment in SEGMENT_OBJECTS:
            return str(_object_id(SEGMENT_OBJECTS[segment]))
        for model in apps.get_models():  # the admin: .../<app>/<model>/<object_id>/...
            if model._meta.model_name == segment:
                # The admin refuses before it looks the object up: any id will do.
                first = model._default_manager.order_by("pk").first()
                return str(first.pk if first else 1)
        raise AssertionError(f"{route}: no value for the parameter {name!r} after {segment!r}")

    url = PARAMETER.sub(fill, route)
    url = re.sub(r"\([^)]*\)", "1", url)  # unnamed groups (simple-history's admin pages)
    url = url.replace(".*", "not-a-page").replace("^", "").replace("$", "").replace("\\", "")
    return "/" + url


def routes():
    """(url, name, view) for every route; the URL resolves back to the route's own view."""
    found = []
    for route, name, pattern in walk(get_resolver()):
        url = build_url(route, name)
        match = resolve(url)
        assert match.func == pattern.callback, f"{route} -> {url} resolves to {match.func}"
        found.append((url, name or route))
    return found


def _to_login(response, admin: bool) -> bool:
    if response.status_code != 302:
        return False
    target = reverse("admin:login") if admin else reverse(settings.LOGIN_URL)
    return response["Location"].startswith(target)


def refusal_problem(url: str, response, *, anonymous: bool) -> str:
    """Why the response is not a refusal, or "" when it is."""
    code = response.status_code
    admin = url.startswith("/admin/")
    if code == 405:
        return ""
    if url.startswith(API_PREFIX):
        ok = code in ((401, 403) if anonymous else (401, 403, 404))
        ok = ok or (anonymous and _to_login(response, admin=False))  # the docs pages
    elif admin:
        ok = _to_login(response, admin=True)
    else:
        ok = _to_login(response, admin=False) if anonymous else code in (403, 404)
    if ok:
        return ""
    where = f" -> {response['Location']}" if code in (301, 302, 303) else ""
    return f"{code}{where}"


def unprotected_routes(client, allowed: dict, *, anonymous: bool) -> list[str]:
    """Every route, called with GET and POST, that answers anything but a refusal."""
    problems = []
    for url, name in routes():
        if name in allowed:
            continue
        answers = {}
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            answers[method] = response
            problem = refusal_problem(url, response, anonymous=anonymous)
            if problem:
                problems.append(f"{method.upper()} {url} ({name}): {problem}")
        if all(a.status_code == 405 for a in answers.values()):
            problems.append(f"{url} ({name}): 405 to GET and POST, the check was never reached")
    return problems


@pytest.fixture
def every_object(world, analyst, supervisor, administrator, platforms):
    """One of each object a route can name, beyond the world fixture's."""
    Evidence.objects.create(
        account=world.account,
        kind="file",
        file=ContentFile(b"%PDF-1.4 evidence", name="e.pdf"),
        sha256="0" * 64,
        captured_by=analyst,
    )
    GroupMatchReview.objects.create(
        import_run=DesignationImport.objects.create(source="nacta", file_name="nacta.csv"),
        designation=world.designation,
        candidate=world.group,
        score=0.8,
    )
    ComplianceReport.objects.create(
        period_start=date(2026, 1, 1),
        period_end=date(2026, 2, 1),
        figures={},
        pdf=ContentFile(b"%PDF-1.4", name="r.pdf"),
        csv=ContentFile(b"a,b", name="r.csv"),
        created_by=supervisor,
    )
    AccountUpload.objects.create(
        owner=analyst,
        file=ContentFile(b"handle\n@someone\n", name="list.csv"),
        original_name="list.csv",
        sha256="0" * 64,
        size=18,
    )
    feed_token_issue(feed=feed_for(platforms["x"]), user=administrator, name="route test")
    return world


@pytest.fixture
def no_role_client(client):
    client.force_login(UserFactory(username="norole"))
    return client


def test_the_walk_finds_pages_api_admin_and_every_app(every_object):
    urls = [url for url, _ in routes()]

    assert len(urls) > 150
    for prefix in ("/accounts/", "/takedowns/", "/reports/", "/imports/", "/api/v1/", "/admin/"):
        assert any(url.startswith(prefix) for url in urls), prefix


def test_every_route_refuses_an_anonymous_user(client, every_object):
    assert unprotected_routes(client, PUBLIC, anonymous=True) == []


def test_every_route_refuses_a_user_without_a_role(no_role_client, every_object):
    allowed = PUBLIC | SELF_SERVICE
    assert unprotected_routes(no_role_client, allowed, anonymous=False) == []


def test_the_allow_lists_name_only_routes_that_exist(every_object):
    names = {name for _, name in routes()}

    assert set(PUBLIC) - names == set()
    assert set(SELF_SERVICE) - names == set()


def forgotten_view(request):
    """A view someone forgot to protect."""
    return HttpResponse(f"hello {request.user or AnonymousUser()}")


urlpatterns = [
    *get_resolver(settings.ROOT_URLCONF).url_patterns,
    path("forgotten/", forgotten_view, name="forgotten"),
]


def test_a_forgotten_route_is_caught(client, settings, every_object):
    settings.ROOT_URLCONF = __name__
    client.force_login(UserFactory(username="norole"))

    problems = unprotected_routes(client, PUBLIC | SELF_SERVICE, anonymous=False)

    assert problems == ["GET /forgotten/ (forgotten): 200", "POST /forgotten/ (forgotten): 200"]


def test_a_route_with_a_parameter_nobody_knows_fails_loudly():
    with pytest.raises(AssertionError, match="no value for the parameter 'ticket'"):
        build_url("things/<int:ticket>/")
