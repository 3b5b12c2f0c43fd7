"""Background jobs of the accounts app: thin wrappers that call services."""

import logging

from celery import shared_task
from django.conf import settings

from core.errors import DomainError

from .importers.sources import parse_source_config
from .imports.services import account_upload_check, account_upload_run
from .services.designation_imports import designation_import
from .services.mirrors import mirror_model_refit
from .signals import mirror_refit_ran

logger = logging.getLogger(__name__)


@shared_task(name="accounts.refresh_designations", soft_time_limit=1800)
def refresh_designations() -> list[dict]:
    """Import every list configured in DESIGNATION_SOURCES, one run each; safe to run twice
    (an unchanged list changes nothing). Returns what each run did."""
    try:
        sources = parse_source_config(settings.DESIGNATION_SOURCES)
    except ValueError as exc:
        logger.error("Designation refresh not run: %s", exc)
        return []
    if not sources:
        logger.info("No designation list configured in DESIGNATION_SOURCES; nothing to refresh.")
        return []
    results = []
    for source, url in sources:
        try:
            run = designation_import(source=source, path_or_url=url, user=None)
        except DomainError as exc:
            # One list failing (a site down, a broken file) must not stop the others.
            logger.error("Designation refresh of %s from %s failed: %s", source, url, exc.message)
            results.append({"source": source, "url": url, "import_id": exc.extra.get("import_id"),
                            "status": "failed", "error": exc.message})  # fmt: skip
            continue
        logger.info("Designation refresh of %s from %s: %s.", source, url, run.summary)
        results.append({"source": source, "url": url, "import_id": run.pk, "status": run.status})
    return results


@shared_task(name="accounts.mirror_model_refit")
def mirror_model_refit_task() -> dict | None:
    """Refit the mirror score from supervisors' decisions, then let the apps above refit what
    they learn from them (mirror_refit_ran); safe to run twice (the same decisions give back the
    same versions). Returns the active version and its held-back figures."""
    model = mirror_model_refit()
    for receiver, response in mirror_refit_ran.send(sender=mirror_model_refit_task, model=model):
        logger.info("After the mirror refit, %s: %s", receiver.__qualname__, response)
    if model is None:
        logger.info("Mirror model not refitted: too few confirmed and rejected decisions.")
        return None
    return {
        "version": model.version,
        "trained_on": model.trained_on,
        "held_back": model.held_back,
        "precision": model.precision,
        "recall": model.recall,
    }


@shared_task(name="accounts.upload_check", acks_late=True, soft_time_limit=3600)
def upload_check_task(upload_id: int) -> str:
    """Check every row of a big uploaded list (the preview); safe to run twice (a checked
    upload is left as it is). Returns the upload's state."""
    return account_upload_check(upload_id=upload_id).state


@shared_task(name="accounts.upload_import", acks_late=True, soft_time_limit=3600)
def upload_import_task(upload_id: int) -> str:
    """Import a big uploaded list; safe to run twice (only an upload still importing is
    imported, under a row lock). Returns the upload's state."""
    return account_upload_run(upload_id=upload_id).state
