"""What the mirror review page shows of a candidate, computed from its stored features: the two
handles and names with their differences marked, the bios with the shared contact points
marked, the feature bars and the signals a supervisor may suppress. Pure: no query."""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from .choices import WatchSignalKind
from .mirror_labels import feature_label
from .mirrors.avatars import MATCH_DISTANCE
from .mirrors.contacts import contact_spans

# The widest contribution a bar shows in full (logit units); larger ones are capped.
BAR_FULL_CONTRIBUTION = 10.0


@dataclass(frozen=True)
class Segment:
    """A piece of text, marked when it differs (handles, names) or is shared (bios)."""

    text: str
    marked: bool = False
    title: str = ""


def differences(a: str, b: str) -> tuple[list[Segment], list[Segment]]:
    """Both strings cut into equal and differing pieces (case-insensitive comparison)."""
    matcher = SequenceMatcher(None, a.casefold(), b.casefold(), autojunk=False)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        same = op == "equal"
        if i2 > i1:
            left.append(Segment(a[i1:i2], not same))
        if j2 > j1:
            right.append(Segment(b[j1:j2], not same))
    return left, right


def marked_bio(bio: str, shared: set[str]) -> list[Segment]:
    """The bio with each contact point the other account also has marked."""
    segments, at = [], 0
    for start, end, value in contact_spans(bio):
        if value not in shared or start < at:
            continue
        if start > at:
            segments.append(Segment(bio[at:start]))
        segments.append(Segment(bio[start:end], True, value))
        at = end
    if at < len(bio):
        segments.append(Segment(bio[at:]))
    return segments


@dataclass(frozen=True)
class FeatureBar:
    """One feature as a bar: its value in [0, 1], its contribution and what it was read from."""

    name: str
    label: str
    value: float
    contribution: float
    explanation: str

    @property
    def value_percent(self) -> int:
        return round(max(0.0, min(1.0, self.value)) * 100)

    @property
    def contribution_percent(self) -> int:
        return round(
            min(abs(self.contribution), BAR_FULL_CONTRIBUTION) / BAR_FULL_CONTRIBUTION * 100
        )

    @property
    def positive(self) -> bool:
        return self.contribution >= 0


def _explain(name: str, detail: dict) -> str:
    if name == "avatar":
        if "distance" not in detail:
            return _("no avatar to compare")
        text = _("PDQ Hamming distance %(d)d of 256 bits (a match is %(max)d or less)") % {
            "d": detail["distance"],
            "max": MATCH_DISTANCE,
        }
        return text + (" · " + _("suppressed") if detail.get("suppressed") else "")
    if name in ("handle", "display_name"):
        keys = [k for k in detail.get("keys") or [] if k]
        text = _("similarity %(s)d%%") % {"s": round(float(detail.get("similarity", 0)) * 100)}
        return text + (f" · {' ~ '.join(keys)}" if len(keys) == 2 else "")
    if name == "contact":
        return ", ".join(detail.get("shared") or []) or _("none shared")
    if name == "groups":
        text = _("shared") if detail.get("shared") else _("none shared")
        return text + (" · " + _("suppressed") if detail.get("suppressed") else "")
    if name == "recent_removal":
        days = detail.get("days")
        return _("removed %(days)s days before") % {"days": days} if days is not None else ""
    return ""


def feature_bars(features: list[dict]) -> list[FeatureBar]:
    return [
        FeatureBar(
            name=f["name"],
            label=feature_label(f["name"]),
            value=float(f.get("value", 0.0)),
            contribution=float(f.get("contribution", 0.0)),
            explanation=_explain(f["name"], f.get("detail") or {}),
        )
        for f in features
    ]


def feature_detail(features: list[dict], name: str) -> dict:
    return next((f.get("detail") or {} for f in features if f.get("name") == name), {})


@dataclass(frozen=True)
class SharedSignal:
    """A signal both accounts share that a supervisor may declare meaningless."""

    kind: str
    value: str
    label: str


def shared_signals(
    features: list[dict], removed_avatar_pdq: str, group_names: dict | None = None
) -> list[SharedSignal]:
    """The signals that counted for this candidate, as (kind, value) the scorer suppresses;
    `group_names` ({pk: name}) labels the shared groups."""
    signals = []
    for name, kind in (("handle", WatchSignalKind.HANDLE), ("display_name", WatchSignalKind.NAME)):
        detail = feature_detail(features, name)
        keys = detail.get("keys") or []
        if len(keys) == 2 and keys[1] and float(detail.get("similarity", 0)) > 0:
            signals.append(SharedSignal(kind, keys[1], f"{feature_label(name)}: {keys[1]}"))
    avatar = feature_detail(features, "avatar")
    if removed_avatar_pdq and "distance" in avatar and avatar["distance"] <= MATCH_DISTANCE:
        signals.append(
            SharedSignal(WatchSignalKind.AVATAR, removed_avatar_pdq, feature_label("avatar"))
        )
    for value in feature_detail(features, "contact").get("shared") or []:
        signals.append(SharedSignal(WatchSignalKind.CONTACT, value, value))
    for pk in feature_detail(features, "groups").get("shared") or []:
        name = (group_names or {}).get(pk, f"#{pk}")
        signals.append(
            SharedSignal(WatchSignalKind.GROUP, str(pk), f"{feature_label('groups')}: {name}")
        )
    return signals
