from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    """Sharing signals with platforms and partners: prevention feeds, STIX/TAXII, MISP."""

    name = "sharing"
    verbose_name = _("Sharing")

    def ready(self):
        # The prevention feed follows account and mirror changes (sharing/receivers.py).
        from . import receivers  # noqa: F401
