"""Webhook subscriptions: who may subscribe which URL to which events, and their secrets."""

import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import audited
from core.permissions import require_permission

from ..choices import WebhookEvent
from ..models import WebhookSubscription


def _webhook_fields(*, name=None, url=None, events=None) -> dict:
    fields = {}
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise DomainError(_("A subscription needs a name."), field="name")
        fields["name"] = name[:100]
    if url is not None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise DomainError(_("Webhooks are delivered over http or https only."), field="url")
        fields["url"] = url
    if events is not None:
        unknown = sorted(set(events) - set(WebhookEvent.values))
        if unknown:
            raise DomainError(
                _("Unknown events: %s.") % ", ".join(unknown), code="invalid_choice", field="events"
            )
        if not events:
            raise DomainError(_("Subscribe to at least one event."), field="events")
        fields["events"] = sorted(set(events))
    return fields


@transaction.atomic
def webhook_subscription_create(
    *, user, name: str, url: str, events: Iterable[str], is_active: bool = True
) -> tuple[WebhookSubscription, str]:
    """Subscribe a URL to events; returns the subscription and its signing secret (shown once)."""
    require_permission(
        user, "takedowns.add_webhooksubscription", _("Your role does not allow managing webhooks.")
    )
    secret = secrets.token_urlsafe(32)
    subscription = WebhookSubscription(
        **_webhook_fields(name=name, url=url, events=list(events)),
        secret=secret,
        is_active=is_active,
        created_by=user,
    )
    audited(subscription, user).save()
    return subscription, secret


@transaction.atomic
def webhook_subscription_update(
    *, subscription: WebhookSubscription, user, **changes
) -> WebhookSubscription:
    """Change a subscription's name, URL, events or active flag."""
    require_permission(
        user,
        "takedowns.change_webhooksubscription",
        _("Your role does not allow managing webhooks."),
    )
    unknown = set(changes) - {"name", "url", "events", "is_active"}
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s.") % ", ".join(sorted(unknown)))
    is_active = changes.pop("is_active", None)
    for key, value in _webhook_fields(**changes).items():
        setattr(subscription, key, value)
    if is_active is not None:
        subscription.is_active = bool(is_active)
    audited(subscription, user).save()
    return subscription


@transaction.atomic
def webhook_subscription_rotate_secret(
    *, subscription: WebhookSubscription, user
) -> tuple[WebhookSubscription, str]:
    """Give a subscription a new signing secret; returns it, shown this once."""
    require_permission(
        user,
        "takedowns.change_webhooksubscription",
        _("Your role does not allow managing webhooks."),
    )
    secret = secrets.token_urlsafe(32)
    subscription.secret = secret
    audited(subscription, user, "secret rotated").save(update_fields=["secret"])
    return subscription, secret


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription, user) -> None:
    """Remove a subscription and its delivery log."""
    require_permission(
        user,
        "takedowns.delete_webhooksubscription",
        _("Your role does not allow managing webhooks."),
    )
    audited(subscription, user).delete()
