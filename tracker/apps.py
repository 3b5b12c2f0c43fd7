from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Tracker")

    def ready(self):
        # Connect the receivers that keep cached permission sets and API tokens current, in
        # every process (not only in those that happen to serve an API call).
        from . import auth_backends, security_log, sessions, user_services  # noqa: F401
        from .api import tokens  # noqa: F401
        from .two_factor import policy, services  # noqa: F401
