"""Background jobs of the sharing app: thin wrappers that call services."""

from celery import shared_task

from .services import stix_previews_expire


@shared_task(name="sharing.stix_previews_expire")
def stix_previews_expire_task() -> int:
    """Delete the STIX import previews never confirmed; safe to run twice. Returns how many."""
    return stix_previews_expire()
