from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Tracker")

    def ready(self):
        # Connects the receivers that keep cached permission sets current, in every process.
        from . import auth_backends  # noqa: F401
