"""Attribution of simple-history rows, for the services of every app."""


def audited(instance, user, reason: str = ""):
    """Attribute the next history row of `instance` to `user` and give it a reason."""
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    return instance
