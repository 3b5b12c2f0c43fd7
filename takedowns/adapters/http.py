"""An adapter for platforms with an HTTP API, driven by Platform.adapter_config:

    {"base_url": "https://api.example/v1", "token_env": "X_API_TOKEN", "timeout": 10,
     "retries": 2, "backoff": 0.5, "check_path": "/accounts/{account}",
     "status_field": "status", "status_map": {"banned": "suspended"},
     "submit_path": "/requests", "status_path": "/requests/{ticket}", "ticket_field": "ticket"}

`{account}` is the platform's account id when known, else the handle. A 404 or 410 means the
account is gone. The token is read from the environment variable named by token_env, never
stored in the database.
"""

import os
from urllib.parse import quote

import requests
from urllib3.util.retry import Retry

from accounts.choices import AccountStatus
from core.outbound import outbound_request

from .base import (
    AccountCheck,
    AdapterError,
    PlatformAdapter,
    RequestStatusReport,
    SubmissionReceipt,
)

DEFAULT_STATUS_MAP = {
    "active": AccountStatus.ACTIVE,
    "restricted": AccountStatus.RESTRICTED,
    "suspended": AccountStatus.SUSPENDED,
    "removed": AccountStatus.REMOVED,
    "deleted": AccountStatus.REMOVED,
    "not_found": AccountStatus.REMOVED,
}
GONE = (404, 410)


class HttpAdapter(PlatformAdapter):
    """Checks accounts (and optionally submits requests) through a platform's JSON API."""

    name = "http"
    supports_checks = True

    def __init__(self, platform):
        super().__init__(platform)
        base_url = str(self.config.get("base_url", "")).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise AdapterError(f"{platform.slug}: adapter_config needs an http(s) base_url")
        self.base_url = base_url
        self.timeout = float(self.config.get("timeout", 10))
        # Retries of idempotent calls only: a repeated POST could file a request twice.
        self.retry = Retry(
            total=int(self.config.get("retries", 2)),
            backoff_factor=float(self.config.get("backoff", 0.5)),
            backoff_max=30,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.headers = {"Accept": "application/json"}
        token_env = self.config.get("token_env")
        if token_env and os.environ.get(token_env):
            self.headers["Authorization"] = f"Bearer {os.environ[token_env]}"

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        self.throttle()
        try:
            # Pinned to the checked address (core/outbound.py); a POST never follows a redirect.
            return outbound_request(
                method,
                self.base_url + path,
                headers=self.headers,
                timeout=self.timeout,
                retries=self.retry,
                max_redirects=None if method == "GET" else 0,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise AdapterError(f"{self.platform.slug}: {type(exc).__name__}: {exc}") from exc

    def _json(self, response: requests.Response) -> dict:
        if not 200 <= response.status_code < 300:
            raise AdapterError(f"{self.platform.slug}: HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise AdapterError(f"{self.platform.slug}: the answer is not JSON") from exc
        if not isinstance(data, dict):
            raise AdapterError(f"{self.platform.slug}: the answer is not a JSON object")
        return data

    def check_account(self, account) -> AccountCheck:
        ident = account.platform_account_id or account.handle
        path = self.config.get("check_path", "/accounts/{account}").format(
            account=quote(ident, safe="")
        )
        response = self._call("GET", path)
        if response.status_code in GONE:
            return AccountCheck(status=AccountStatus.REMOVED, detail=f"HTTP {response.status_code}")
        data = self._json(response)
        word = str(data.get(self.config.get("status_field", "status"), "")).lower()
        status = {**DEFAULT_STATUS_MAP, **self.config.get("status_map", {})}.get(word)
        if status not in AccountStatus.values:
            raise AdapterError(f"{self.platform.slug}: unknown account status {word!r}")
        return AccountCheck(status=status, detail=f"platform says {word}", raw=data)

    def submit_request(self, takedown) -> SubmissionReceipt:
        body = {
            "reference": takedown.reference,
            "kind": takedown.kind,
            "priority": takedown.priority,
            "legal_basis": takedown.legal_basis,
            "accounts": [
                {"handle": a.handle, "id": a.platform_account_id, "url": a.profile_url}
                for a in takedown.accounts.all()
            ],
        }
        data = self._json(
            self._call("POST", self.config.get("submit_path", "/requests"), json=body)
        )
        ticket = str(data.get(self.config.get("ticket_field", "ticket"), ""))
        if not ticket:
            raise AdapterError(f"{self.platform.slug}: the answer has no ticket reference")
        return SubmissionReceipt(ticket=ticket, raw=data)

    def fetch_request_status(self, takedown) -> RequestStatusReport:
        if not takedown.platform_ticket:
            raise AdapterError(f"{takedown.reference} has no platform ticket to look up")
        path = self.config.get("status_path", "/requests/{ticket}").format(
            ticket=quote(takedown.platform_ticket, safe="")
        )
        data = self._json(self._call("GET", path))
        return RequestStatusReport(
            status=str(data.get(self.config.get("status_field", "status"), "")), raw=data
        )
