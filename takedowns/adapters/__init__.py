"""Per-platform clients behind one small interface; Platform.adapter picks one."""

from accounts.choices import AdapterKind

from .base import (
    AccountCheck,
    AdapterError,
    PlatformAdapter,
    RateLimited,
    RequestStatusReport,
    SubmissionReceipt,
)
from .http import HttpAdapter
from .manual import ManualAdapter

ADAPTERS: dict[str, type[PlatformAdapter]] = {
    AdapterKind.MANUAL: ManualAdapter,
    AdapterKind.HTTP: HttpAdapter,
}


def adapter_for(platform) -> PlatformAdapter:
    """The configured adapter of a platform (manual when unknown)."""
    return ADAPTERS.get(platform.adapter, ManualAdapter)(platform)


__all__ = [
    "ADAPTERS",
    "AccountCheck",
    "AdapterError",
    "HttpAdapter",
    "ManualAdapter",
    "PlatformAdapter",
    "RateLimited",
    "RequestStatusReport",
    "SubmissionReceipt",
    "adapter_for",
]
