"""What the mirror features are called on pages, in notifications and e-mails: one place for
the review page, the dashboard, the entry form and the supervisors' alerts."""

from django.utils.translation import gettext_lazy as _

FEATURE_LABELS = {
    "handle": _("similar handle"),
    "display_name": _("similar display name"),
    "avatar": _("same avatar"),
    "contact": _("shared contact point"),
    "groups": _("same linked group"),
    "same_platform": _("same platform"),
    "recent_removal": _("recent removal"),
}
# A feature that adds less than this to the logit did not drive the score.
DRIVING_CONTRIBUTION = 0.5


def feature_label(name: str) -> str:
    return str(FEATURE_LABELS.get(name, name))


def mirror_reasons(features) -> str:
    """The features that drove a mirror score, strongest first: "same avatar, similar handle"."""
    driving = sorted(
        (
            f
            for f in features or ()
            if isinstance(f, dict) and f.get("contribution", 0) >= DRIVING_CONTRIBUTION
        ),
        key=lambda f: -f["contribution"],
    )
    return ", ".join(feature_label(f["name"]) for f in driving)
