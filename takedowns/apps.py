from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TakedownsConfig(AppConfig):
    name = "takedowns"
    verbose_name = _("Takedowns")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the account alert receivers)
