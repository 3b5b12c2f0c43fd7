"""Schemathesis against /api/schema/: generated requests, valid and invalid, to every operation,
sent by a supervisor's write token. No server error and no response that breaks the schema.

It runs twice: on the world fixture (one of everything), and on the world plus the demo data
set (seed_demo), whose paths reach records in every status (a 500 hid in a removed account's
update that the almost empty database never offered).

The app runs in-process (WSGI) inside the test's transaction, so it sees the world fixture and
leaves nothing behind. Examples per operation are capped to keep the run near a minute or two.
(Schemathesis's own pytest plugin cannot load a schema from a fixture under pytest 9, hence
the loop over operations.)
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import Designation, FlaggedAccount, MirrorCandidate, Platform, ProscribedGroup
from takedowns.models import TakedownRequest
from tests.api_fixtures import token_client
from tracker.demo import DemoSeeder

pytestmark = pytest.mark.django_db

# Ids of records that exist, so generated paths reach real objects, not only 404s.
EXISTING: dict[str, list] = {}


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    path = context.operation.path
    resource = path.removeprefix("/api/v1/").split("/")[0]
    known = EXISTING.get(resource)
    if not known or not path_parameters:
        return st.just(path_parameters)
    key = next(iter(path_parameters))
    # Half real records, half whatever was generated (mostly 404s).
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(known).map(lambda value: {**path_parameters, key: value}),
    )


@pytest.fixture
def in_process_app():
    """The WSGI app, sharing the test's database transaction.

    Django closes "obsolete" connections at each request's start and end, which inside a test
    transaction would throw the transaction away; its own test client unhooks this too.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_header(supervisor):
    return token_client(supervisor)._credentials["HTTP_AUTHORIZATION"]


def one_per_status(queryset, field="status") -> list[int]:
    """The newest record's id for each value of `field`."""
    return list(
        {value: pk for pk, value in queryset.order_by("pk").values_list("pk", field)}.values()
    )


def demo_records() -> dict[str, list]:
    """Load the demo data set; ids that reach one record per status of each resource."""
    DemoSeeder().run()
    return {
        "accounts": one_per_status(FlaggedAccount.objects.all()),
        "groups": list(ProscribedGroup.objects.order_by("pk").values_list("pk", flat=True)[:5]),
        "designations": one_per_status(Designation.objects.all(), "authority"),
        "mirror-candidates": one_per_status(MirrorCandidate.objects.all()),
        "takedowns": one_per_status(TakedownRequest.objects.all()),
        "platforms": list(Platform.objects.values_list("slug", flat=True)),
    }


@pytest.fixture(params=["world", "demo"])
def api_schema(request, in_process_app, auth_header, world):
    EXISTING.clear()
    EXISTING.update(
        {
            "accounts": [world.account.pk, world.removed.pk],
            "groups": [world.group.pk],
            "designations": [world.designation.pk],
            "mirror-candidates": [world.mirror.pk],
            "takedowns": [world.takedown.pk],
            "disclosures": [world.disclosure.pk],
            "webhooks": [world.webhook.pk],
            "notifications": list(n.pk for n in world.notifications.values()),
            "platforms": ["x", "telegram"],
        }
    )
    if request.param == "demo":
        for resource, ids in demo_records().items():
            EXISTING[resource] = sorted(set(EXISTING[resource]) | set(ids), key=str)
    return schemathesis.openapi.from_wsgi(
        "/api/schema/", in_process_app, headers={"Authorization": auth_header}
    )


SETTINGS = settings(
    max_examples=12,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _fuzz(operation, mode, auth_header) -> str | None:
    """Run one operation in one mode; the first failure found, as text, or None."""

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        # "Valid data must be accepted" cannot hold for a domain API: a string the schema
        # allows may still not be a Telegram handle, an id it allows may not exist.
        case.call_and_validate(
            headers={"Authorization": auth_header}, excluded_checks=[positive_data_acceptance]
        )

    try:
        run()
    except Unsatisfiable:
        return None  # nothing in this operation can be made invalid (no parameters, no body)
    except (Exception, BaseExceptionGroup) as exc:  # report every operation's failure at once
        return f"{mode.value} {operation.label}: {exc}"
    return None


def test_api_conforms_to_its_schema(api_schema, auth_header):
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _fuzz(operation, mode, auth_header)
            if failure:
                failures.append(failure)
    assert operations >= 45
    assert failures == [], "\n\n".join(failures)


NO_TOKEN_SETTINGS = settings(SETTINGS, max_examples=4)


def _fuzz_without_token(operation, mode) -> str | None:
    """Call one operation with no credential: the first answer that is not a refusal, a
    server error or a response outside the schema, as text, or None."""

    @NO_TOKEN_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.headers = {k: v for k, v in (case.headers or {}).items() if k != "Authorization"}
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
        assert response.status_code in (401, 403), (
            f"{case.method} {case.formatted_path} {case.query} {case.headers} answered "
            f"{response.status_code} without a token: {response.text[:200]}"
        )

    try:
        run()
    except Unsatisfiable:
        return None
    except (Exception, BaseExceptionGroup) as exc:
        return f"{mode.value} {operation.label}: {exc}"
    return None


def test_api_refuses_every_operation_without_a_token(in_process_app, auth_header, world):
    """The same generated requests, without a token: 401 or 403 from every operation, never a
    server error, and the refusal itself inside the schema (the schema is read with a token,
    as it is behind authentication too)."""
    EXISTING.clear()
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", in_process_app, headers={"Authorization": auth_header}
    )
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _fuzz_without_token(result.ok(), mode)
            if failure:
                failures.append(failure)
    assert operations >= 45
    assert failures == [], "\n\n".join(failures)


def test_the_schema_itself_needs_a_token(in_process_app):
    with pytest.raises(Exception, match=r"401|403"):
        schemathesis.openapi.from_wsgi("/api/schema/", in_process_app).get_all_operations()
