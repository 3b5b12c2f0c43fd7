"""The adapter interface, its results and errors, and the per-platform rate limit."""

import time
from dataclasses import dataclass, field

from django.core.cache import cache


class AdapterError(Exception):
    """The platform could not be asked (network, timeout, bad answer); worth retrying later."""


class RateLimited(AdapterError):
    """The platform's calls-per-minute budget is spent; try again after `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class AccountCheck:
    """What the platform says about an account: one of our AccountStatus values, or None when
    the adapter cannot tell (the manual adapter always)."""

    status: str | None
    detail: str = ""
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SubmissionReceipt:
    """The platform's answer to a submitted request."""

    ticket: str
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RequestStatusReport:
    """The platform's view of a request it holds (its own words in `status`)."""

    status: str
    raw: dict = field(default_factory=dict)


class PlatformAdapter:
    """Talks to one platform. check_account is required; the others are optional."""

    name = "base"
    supports_checks = False

    def __init__(self, platform):
        self.platform = platform
        self.config = platform.adapter_config or {}

    def check_account(self, account) -> AccountCheck:
        """Ask the platform whether the account is up, restricted, suspended or gone."""
        raise NotImplementedError

    def submit_request(self, takedown) -> SubmissionReceipt:
        """Send a takedown request through the platform's API (optional)."""
        raise NotImplementedError(f"{self.name} adapter cannot submit requests")

    def fetch_request_status(self, takedown) -> RequestStatusReport:
        """Ask the platform how far it got with a request (optional)."""
        raise NotImplementedError(f"{self.name} adapter cannot fetch request status")

    def throttle(self) -> None:
        """Take one call from the platform's per-minute budget (shared through the cache)."""
        limit = self.platform.rate_limit_per_minute
        if not limit:
            return
        now = time.time()
        key = f"adapter-rate:{self.platform.pk}:{int(now // 60)}"
        cache.add(key, 0, timeout=120)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            used = 1
        if used is not None and used > limit:  # None: the cache is unreachable, go on
            raise RateLimited(
                f"{self.platform.slug}: {limit} calls per minute used",
                retry_after=60 - now % 60,
            )
