import pytest

from accounts.choices import AccountStatus, AdapterKind
from takedowns.adapters import (
    AdapterError,
    HttpAdapter,
    ManualAdapter,
    RateLimited,
    adapter_for,
)
from tests.factories import AccountFactory, PlatformFactory, TakedownFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings, request):
    # Rate-limit counters live in the cache: give each test an empty one of its own.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }


def http_platform(url, **config):
    return PlatformFactory(
        slug="x",
        adapter=AdapterKind.HTTP,
        adapter_config={"base_url": url, "backoff": 0, **config},
        rate_limit_per_minute=100,
    )


def test_platforms_use_the_manual_adapter_by_default():
    platform = PlatformFactory(slug="x")

    adapter = adapter_for(platform)

    assert isinstance(adapter, ManualAdapter)
    assert adapter.check_account(AccountFactory(platform=platform)).status is None


@pytest.mark.parametrize(
    ("answer", "config", "expected"),
    [
        ({"status": "active"}, {}, AccountStatus.ACTIVE),
        ({"status": "SUSPENDED"}, {}, AccountStatus.SUSPENDED),
        (
            {"state": "banned"},
            {"status_field": "state", "status_map": {"banned": "removed"}},
            "removed",
        ),
    ],
)
def test_http_adapter_maps_the_platforms_answer_to_a_status(http_server, answer, config, expected):
    api = http_server(body=answer)
    account = AccountFactory(platform=http_platform(api.url, **config), handle="lashkar news")

    check = adapter_for(account.platform).check_account(account)

    assert check.status == expected
    assert api.requests[0]["path"] == "/accounts/lashkar%20news"


def test_http_adapter_prefers_the_platform_account_id(http_server):
    api = http_server(body={"status": "active"})
    account = AccountFactory(platform=http_platform(api.url), platform_account_id="1234567")

    adapter_for(account.platform).check_account(account)

    assert api.requests[0]["path"] == "/accounts/1234567"


def test_http_adapter_reads_a_404_as_removed(http_server):
    api = http_server(statuses=(404,))
    account = AccountFactory(platform=http_platform(api.url))

    assert adapter_for(account.platform).check_account(account).status == AccountStatus.REMOVED


def test_http_adapter_retries_a_failing_call_then_succeeds(http_server):
    api = http_server(statuses=(503, 502, 200), body={"status": "restricted"})
    account = AccountFactory(platform=http_platform(api.url, retries=2))

    assert adapter_for(account.platform).check_account(account).status == "restricted"
    assert len(api.requests) == 3


def test_http_adapter_gives_up_after_its_retries(http_server):
    api = http_server(statuses=(503,))
    account = AccountFactory(platform=http_platform(api.url, retries=1))

    with pytest.raises(AdapterError, match="HTTP 503"):
        adapter_for(account.platform).check_account(account)
    assert len(api.requests) == 2


def test_http_adapter_times_out(http_server):
    api = http_server(hold_first=True)
    account = AccountFactory(platform=http_platform(api.url, timeout=0.3, retries=0))

    with pytest.raises(AdapterError, match="Timeout"):
        adapter_for(account.platform).check_account(account)


def test_http_adapter_refuses_an_unknown_status(http_server):
    api = http_server(body={"status": "sleeping"})
    account = AccountFactory(platform=http_platform(api.url))

    with pytest.raises(AdapterError, match="sleeping"):
        adapter_for(account.platform).check_account(account)


def test_http_adapter_sends_the_token_from_the_environment(http_server, monkeypatch):
    monkeypatch.setenv("X_TRACKER_TOKEN", "tok-123")
    api = http_server(body={"status": "active"})
    account = AccountFactory(platform=http_platform(api.url, token_env="X_TRACKER_TOKEN"))

    adapter_for(account.platform).check_account(account)

    assert api.requests[0]["headers"]["Authorization"] == "Bearer tok-123"


def test_http_adapter_needs_a_base_url():
    platform = PlatformFactory(slug="x", adapter=AdapterKind.HTTP, adapter_config={})

    with pytest.raises(AdapterError, match="base_url"):
        adapter_for(platform)


def test_rate_limit_is_per_platform_per_minute(http_server):
    api = http_server(body={"status": "active"})
    platform = http_platform(api.url)
    platform.rate_limit_per_minute = 2
    account = AccountFactory(platform=platform)
    other = AccountFactory(platform=http_platform_named("telegram", api.url))
    adapter = adapter_for(platform)

    adapter.check_account(account)
    adapter.check_account(account)
    with pytest.raises(RateLimited) as exc:
        adapter.check_account(account)

    assert 0 < exc.value.retry_after <= 60
    assert len(api.requests) == 2
    assert adapter_for(other.platform).check_account(other).status == "active"


def http_platform_named(slug, url):
    return PlatformFactory(
        slug=slug,
        adapter=AdapterKind.HTTP,
        adapter_config={"base_url": url},
        rate_limit_per_minute=5,
    )


def test_submit_request_returns_the_platforms_ticket_and_is_never_retried(http_server):
    api = http_server(statuses=(503, 200), body={"ticket": "CASE-42"})
    platform = http_platform(api.url)
    takedown = TakedownFactory(platform=platform)
    adapter = adapter_for(platform)

    with pytest.raises(AdapterError):
        adapter.submit_request(takedown)
    assert adapter.submit_request(takedown).ticket == "CASE-42"
    assert [r["method"] for r in api.requests] == ["POST", "POST"]


def test_fetch_request_status_reads_the_platforms_word(http_server):
    api = http_server(body={"status": "in_review"})
    platform = http_platform(api.url)
    takedown = TakedownFactory(platform=platform, platform_ticket="CASE/7")

    report = adapter_for(platform).fetch_request_status(takedown)

    assert report.status == "in_review"
    assert api.requests[0]["path"] == "/requests/CASE%2F7"


def test_manual_adapter_cannot_submit():
    adapter = ManualAdapter(PlatformFactory(slug="x"))

    with pytest.raises(NotImplementedError):
        adapter.submit_request(None)
    assert not isinstance(adapter, HttpAdapter)
