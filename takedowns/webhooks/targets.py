"""Calling a webhook's address: http(s) only, public addresses only unless
OUTBOUND_ALLOW_PRIVATE (a subscription must not reach into the server's network), through
`core.outbound` so the address checked is the address connected to. Redirects are not
followed: a signed payload goes to the address subscribed and nowhere else."""

import requests

from core.outbound import OutboundRefused, outbound_request

__all__ = ["OutboundRefused", "webhook_post"]


def webhook_post(url: str, *, body: bytes, headers: dict, timeout: float) -> requests.Response:
    """POST to the subscribed URL's checked address; OutboundRefused when it may not be called."""
    return outbound_request(
        "POST", url, data=body, headers=headers, timeout=timeout, stream=True, max_redirects=0
    )
