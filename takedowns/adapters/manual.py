"""The default adapter: a person checks the platform and records what they see."""

from .base import AccountCheck, PlatformAdapter


class ManualAdapter(PlatformAdapter):
    """Knows nothing by itself; status changes come from people through the UI and API."""

    name = "manual"
    supports_checks = False

    def check_account(self, account) -> AccountCheck:
        return AccountCheck(status=None, detail="checked by a person")
