"""core.filters: every date-time filter of every FilterSet, through the API and the pages,
answers a date-time the database cannot hold with a 400 naming it (a form error on a page),
never a 500. The filters are found, not listed: a new one is covered."""

import django_filters
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import accounts.filtersets
import takedowns.filtersets
from core.filters import StorableDateTimeFilter

pytestmark = pytest.mark.django_db

FUZZED = "5813-01-07T03:57:37.5-20:28"  # Python reads it; PostgreSQL's offset stops at 15:59


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


FILTERSETS = sorted(
    {
        cls
        for cls in all_subclasses(django_filters.FilterSet)
        if cls.__module__.split(".")[0] in ("core", "accounts", "takedowns", "tracker")
    },
    key=lambda cls: cls.__qualname__,
)
assert {
    accounts.filtersets.FlaggedAccountFilterSet,
    takedowns.filtersets.TakedownRequestFilterSet,
} <= set(FILTERSETS)


def datetime_filters(filterset_class):
    return [
        name
        for name, declared in filterset_class.base_filters.items()
        if isinstance(declared, django_filters.DateTimeFilter)
    ]


def walk(patterns, prefix="", takes_arguments=False):
    """(route name, pattern) of every named URL that takes no arguments."""
    for entry in patterns:
        takes = takes_arguments or bool(entry.pattern.regex.groups)
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from walk(entry.url_patterns, namespace, takes)
        elif isinstance(entry, URLPattern) and entry.name and not takes:
            yield f"{prefix}{entry.name}", entry


def api_lists():
    """(url, FilterSet) of every API list whose viewset filters through a FilterSet."""
    for name, entry in walk(get_resolver().url_patterns):
        view = getattr(entry.callback, "cls", None)
        actions = getattr(entry.callback, "actions", {}) or {}
        if view and actions.get("get") == "list" and getattr(view, "filterset_class", None):
            yield reverse(name), view.filterset_class


API_FILTERS = [
    (url, name) for url, filterset in api_lists() for name in datetime_filters(filterset)
]


def test_every_datetime_filter_refuses_what_the_database_cannot_hold():
    found = {
        f"{cls.__qualname__}.{name}"
        for cls in FILTERSETS
        for name in datetime_filters(cls)
        if not isinstance(cls.base_filters[name], StorableDateTimeFilter)
    }

    assert found == set()
    assert len(API_FILTERS) >= 6  # the accounts' and the takedowns' date-time filters


@pytest.mark.parametrize(("url", "name"), API_FILTERS, ids=[f"{u}?{n}" for u, n in API_FILTERS])
def test_the_api_answers_400_naming_the_filter(url, name, supervisor_api):
    response = supervisor_api.get(url, {name: FUZZED})

    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == [name]


def page_urls():
    """Every page without URL arguments (list pages and their exports among them)."""
    for name, _entry in walk(get_resolver().url_patterns):
        if not name.startswith(("api:", "admin:")) and name != "health":  # 503 without a worker
            yield name


def test_no_page_fails_on_any_datetime_filter(client, supervisor):
    everything = {name: FUZZED for cls in FILTERSETS for name in datetime_filters(cls)}
    client.force_login(supervisor)
    answers = {}
    for name in page_urls():
        answers[name] = client.get(reverse(name), everything).status_code

    assert "accounts:list" in answers and "takedowns:list" in answers
    assert {name: code for name, code in answers.items() if code >= 500} == {}


@pytest.mark.parametrize("name", ["accounts:list", "takedowns:list"])
def test_a_list_page_shows_the_refused_filter_as_a_form_error(name, client, supervisor):
    client.force_login(supervisor)
    param = {"accounts:list": "first_seen_after", "takedowns:list": "due_before"}[name]

    response = client.get(reverse(name), {param: FUZZED})

    assert response.status_code == 200
    assert "with a UTC offset between -12:00 and +14:00" in response.content.decode()
