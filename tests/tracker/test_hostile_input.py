"""No page answers hostile input with a 500, generated from the URL configuration (the same
walk as tests/tracker/test_route_permissions.py): a form or a list page added anywhere is
attacked without anyone listing it.

Signed in as an administrator (every permission), every HTML route is fetched; the forms its
pages show are read from the HTML (field names, defaults, choices). Then:

- every route that takes POST gets hostile bodies: empty, each field missing in turn, each
  field in turn replaced by an empty, a 100k-character, a NUL-byte, a negative, a huge or an
  unknown-choice value or an id that does not exist, every field at once long, NaN, an
  impossible date or a list, and a body and a query string that are not UTF-8;
- every page gets such values in each parameter its GET forms (filters, search) name and in
  `page`, `ordering`, `sort` and `q`; every route with an id gets an id that does not exist.

The answer is never a 5xx. A refused submission (a 4xx, a form re-shown with errors, or an error
message) changes nothing: the tables it wrote to are hashed and compared with their content
before. Each request runs in a savepoint rolled back afterwards, so every attack starts from the
same data.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms import BaseForm, BaseFormSet
from django.http import HttpResponse
from django.urls import Resolver404, path, resolve

from accounts.models import Tag
from tests.tracker.test_route_permissions import every_object, routes  # noqa: F401

pytestmark = pytest.mark.django_db

# Machine doors are attacked by schemathesis (tests/tracker/test_api_schemathesis.py); the
# admin is Django's own forms.
SKIPPED_PREFIXES = ("/api/", "/taxii2/", "/admin/")
# Routes not attacked, by URL name, each with its reason.
SKIPPED = {
    "logout": "POST signs the test's own user out; it takes no input",
}
# Tables whose rows a refused request may still change, each with its reason.
VOLATILE_TABLES = {
    "django_session": "the signed-in session is saved on each request (messages, last seen)",
}

LONG = "x" * 100_000
# Each field in turn gets each of these (the rest keep the page's defaults).
HOSTILE = {
    "empty": "",
    "long": LONG,
    "nul": "a\x00b",
    "negative": "-1",
    "huge": "9" * 30,
    "unknown": "not-a-choice",
    "missing-id": "987654321",
}
# Every field at once gets each of these.
HOSTILE_TOGETHER = {"long": LONG, "nan": "NaN", "date": "2026-02-31", "list": ["1", "x"]}
# A list page's query: each parameter in turn gets these.
HOSTILE_QUERY = {k: HOSTILE[k] for k in ("long", "nul", "negative", "huge", "unknown")}
QUERY_PARAMETERS = ("page", "ordering", "sort", "q")
# Fields the test client does not check (it skips CSRF): attacking them tests nothing.
NOT_ATTACKED = {"csrfmiddlewaretoken"}
MISSING_ID = re.compile(r"/\d+/")
NOT_UTF8_BODY = b"q=%FF%FE&note=\xff\xfe\xfd&handle=\xc3\x28"
NOT_UTF8_QUERY = "q=%FF%FE%00&page=%C3%28"


@dataclass
class Form:
    """A form as a page shows it: where it posts, and its fields' default values."""

    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)


class FormReader(HTMLParser):
    """The forms of a page, with what a browser would send for each field by default."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_values: list[str] = []
        self._selected: list[str] = []
        self._textarea: str | None = None

    def _add(self, name, value):
        if self._form is not None and name:
            self._form.fields.setdefault(name, [])
            if value is not None:
                self._form.fields[name].append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.page_url).path or self.page_url
            method = (attrs.get("method") or "get").lower()
            self._form = Form(method=method, action=action)
            self.forms.append(self._form)
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            name = attrs.get("name")
            if kind == "file":
                if self._form is not None and name:
                    self._form.files.add(name)
            elif kind in ("checkbox", "radio"):
                self._add(name, attrs.get("value", "on") if "checked" in attrs else None)
            elif kind not in ("submit", "button", "image", "reset"):
                self._add(name, attrs.get("value", ""))
        elif tag == "select":
            self._select = attrs.get("name")
            self._select_values, self._selected = [], []
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self._select_values.append(value)
            if "selected" in attrs:
                self._selected.append(value)
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._add(self._textarea, None)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] = [data.strip()]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            chosen = self._selected or [v for v in self._select_values if v][:1]
            self._add(self._select, None)
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def html_routes():
    """(url, name) of every route the staff UI serves."""
    return [
        (url, name)
        for url, name in routes()
        if not url.startswith(SKIPPED_PREFIXES) and name not in SKIPPED
    ]


def table_hashes(tables=None) -> dict[str, str]:
    """Each table's content as one MD5 (every table, or those named), in one query."""
    with connection.cursor() as cursor:
        if tables is None:
            cursor.execute("SELECT relname FROM pg_stat_xact_user_tables")
            tables = [row[0] for row in cursor.fetchall()]
        tables = sorted(set(tables) - set(VOLATILE_TABLES))
        if not tables:
            return {}
        quote = connection.ops.quote_name
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f" FROM {quote(table)} t"
                for table in tables
            ),
            tables,
        )
        return dict(cursor.fetchall())


def writes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, by table: a cheap way to
    know which tables a request may have changed (the content hash then says if it did)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


def refused(response) -> bool:
    """Whether the site said no: a 4xx, a form shown again with its errors, an error message
    added by this request."""
    if 400 <= response.status_code < 500:
        return True
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, (BaseForm, BaseFormSet)) and value.is_bound and value.errors:
                return True
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(m.level == message_levels.ERROR for m in queued)


@dataclass
class Attack:
    method: str
    url: str
    label: str
    data: object = None
    content_type: str | None = None


def call(client, attack: Attack, baseline: dict[str, str]) -> str:
    """Run one attack in a savepoint rolled back afterwards; what went wrong, or "". Every
    attack starts from `baseline`, the tables' content before the first."""
    client.cookies.pop("messages", None)  # a message left by an earlier attack is not this one's
    kwargs = {"content_type": attack.content_type} if attack.content_type else {}
    with transaction.atomic():
        written = writes()
        try:
            response = getattr(client, attack.method)(attack.url, attack.data, **kwargs)
            if response.streaming:
                b"".join(response.streaming_content)
        except Exception as exc:  # the test client re-raises the view's exception: a 500
            transaction.set_rollback(True)
            return f"500 {type(exc).__name__}: {str(exc)[:200]}"
        problem = ""
        if response.status_code >= 500:
            problem = f"{response.status_code}"
        elif attack.method == "post" and refused(response):
            touched = [t for t, n in writes().items() if n != written.get(t, 0)]
            changed = sorted(t for t, h in table_hashes(touched).items() if baseline[t] != h)
            if changed:
                problem = f"{response.status_code} refused but changed {', '.join(changed)}"
        transaction.set_rollback(True)
    return problem


def post_attacks(url: str, form: Form | None) -> list[Attack]:
    fields = {n: v for n, v in (form.fields if form else {}).items() if n not in NOT_ATTACKED}
    files = form.files if form else set()
    defaults = {name: values for name, values in fields.items()}
    attacks = [
        Attack("post", url, "empty body", {}),
        Attack("post", url, "not UTF-8 body", NOT_UTF8_BODY, "application/x-www-form-urlencoded"),
        Attack("post", f"{url}?{NOT_UTF8_QUERY}", "not UTF-8 query", dict(defaults)),
    ]
    for label, value in HOSTILE_TOGETHER.items():
        attacks.append(Attack("post", url, f"every field {label}", {n: value for n in fields}))
    for name in fields:
        missing = {k: v for k, v in defaults.items() if k != name}
        attacks.append(Attack("post", url, f"{name} missing", missing))
        for label, value in HOSTILE.items():
            attacks.append(Attack("post", url, f"{name}={label}", {**defaults, name: value}))
    for name in files:
        junk = SimpleUploadedFile("junk.csv", b"\x00\xff" * 512, "text/csv")
        attacks.append(Attack("post", url, f"{name}=junk file", {**defaults, name: junk}))
    return attacks


def get_attacks(url: str, names: set[str]) -> list[Attack]:
    names = sorted(names | set(QUERY_PARAMETERS))
    attacks = [Attack("get", f"{url}?{NOT_UTF8_QUERY}", "not UTF-8 query")]
    for label, value in HOSTILE_TOGETHER.items():
        attacks.append(Attack("get", url, f"every parameter {label}", {n: value for n in names}))
    for name in names:
        for label, value in HOSTILE_QUERY.items():
            attacks.append(Attack("get", url, f"?{name}={label}", {name: value}))
    return attacks


@pytest.fixture
def hostile_client(client, every_object, administrator):  # noqa: F811
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    return client


def _forms_by_action(client, urls) -> tuple[dict[str, Form], dict[str, set[str]], set[str]]:
    """The POST forms of every page by the route they post to, the GET forms' field names by
    route, and the routes that answered GET with a page."""
    posts: dict[str, Form] = {}
    queries: dict[str, set[str]] = {}
    pages = set()
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.streaming:
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        pages.add(url)
        reader = FormReader(url)
        reader.feed(response.content.decode())
        for form in reader.forms:
            if form.method == "post":
                known = posts.setdefault(form.action, Form("post", form.action))
                for name, values in form.fields.items():
                    known.fields.setdefault(name, values)
                known.files |= form.files
            else:
                queries.setdefault(form.action, set()).update(form.fields)
    return posts, queries, pages


def _attacked(url: str) -> bool:
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return match.view_name not in SKIPPED and not url.startswith(SKIPPED_PREFIXES)


def _call_counted(client, attack, baseline, counted) -> str:
    if counted is not None:
        counted.append(f"{attack.method} {attack.url}")
    return call(client, attack, baseline)


def hostile_problems(client, counted: list | None = None) -> list[str]:
    """What went wrong, one line an attack; `counted` gets one entry per attack made."""
    urls = [url for url, _ in html_routes()]
    posts, queries, pages = _forms_by_action(client, urls)
    baseline = table_hashes()
    problems = []
    for url in urls:
        for attack in post_attacks(url, posts.get(url)):
            problem = _call_counted(client, attack, baseline, counted)
            if problem:
                problems.append(f"POST {url} [{attack.label}]: {problem}")
        if url in pages:  # its filter form's parameters, and page, ordering, sort and q
            for attack in get_attacks(url, queries.get(url, set())):
                problem = _call_counted(client, attack, baseline, counted)
                if problem:
                    problems.append(f"GET {url} [{attack.label}]: {problem}")
    for url in sorted({MISSING_ID.sub("/987654321/", url) for url in urls} - set(urls)):
        for attack in (Attack("get", url, "no such object"), Attack("post", url, "no such object")):
            problem = _call_counted(client, attack, baseline, counted)
            if problem:
                problems.append(f"{attack.method.upper()} {url} [{attack.label}]: {problem}")
    # A form posting to a route the walk did not give (another object's id) is attacked too.
    for action, form in posts.items():
        if action not in urls and _attacked(action):
            for attack in post_attacks(action, form):
                problem = _call_counted(client, attack, baseline, counted)
                if problem:
                    problems.append(f"POST {action} [{attack.label}]: {problem}")
    return problems


def test_the_pages_show_forms_to_attack(hostile_client):
    urls = [url for url, _ in html_routes()]
    posts, queries, pages = _forms_by_action(hostile_client, urls)

    assert len(pages) > 20
    assert sum(len(form.fields) for form in posts.values()) > 50
    assert any(url.startswith("/accounts/") for url in queries)


def test_no_hostile_input_gets_a_server_error_or_changes_data_when_refused(hostile_client):
    counted = []

    problems = hostile_problems(hostile_client, counted)

    assert problems == []
    posted = {a.split(" ", 1)[1].split("?")[0] for a in counted if a.startswith("post")}
    print(f"{len(counted)} attacks, {len(posted)} routes posted to")
    assert len(posted) > 40 and len(counted) > 1000


def planted_form(request):
    """A page whose form a careless view reads by hand: int() of whatever is sent."""
    if request.method == "POST":
        return HttpResponse(f"{int(request.POST.get('count', '0')) + 1}")
    return HttpResponse(
        '<form method="post" action="/planted/count/"><input name="count" value="1"></form>'
        '<form method="post" action="/planted/refuse/"><input name="name" value="a"></form>'
    )


def planted_refusal(request):
    """A view that writes, then says no without undoing it."""
    Tag.objects.create(name=f"planted {Tag.objects.count()}")
    return HttpResponse("no", status=400)


urlpatterns = [
    path("planted/", planted_form, name="planted_form"),
    path("planted/count/", planted_form, name="planted_count"),
    path("planted/refuse/", planted_refusal, name="planted_refuse"),
]


def test_a_server_error_and_a_refusal_that_writes_are_caught(client, settings, administrator):
    settings.ROOT_URLCONF = __name__
    client.force_login(administrator)

    problems = hostile_problems(client)

    assert "POST /planted/count/ [count=unknown]: 500 ValueError" in "\n".join(problems)
    assert "POST /planted/count/ [count=negative]" not in "\n".join(problems)
    assert "POST /planted/refuse/ [empty body]: 400 refused but changed accounts_tag" in problems
