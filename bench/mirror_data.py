"""A deterministic generator of removed accounts, their mirrors (every trick, alone and combined)
and hard negatives, with synthetic avatars, for bench/mirrors_quality.py and bench/mirrors.py.

Nothing here touches a database: it yields plain records; the benchmarks store them.
"""

import io
import random
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bench.mirror_words import (
    AFFIXES,
    COMMON,
    HANDLE_TRICKS,
    HOMOGLYPHS,
    LAQAB,
    LEET,
    NEGATIVE_KINDS,
    OUTLETS,
    PERSON,
    PHRASES,
    PLATFORMS,
    SCENARIOS,
    SHORTENERS,
    URDU,
)


@dataclass
class Record:
    """An account as the benchmarks store or check it."""

    key: str
    platform: str
    handle: str
    display_name: str = ""
    bio: str = ""
    avatar: bytes | None = None
    groups: list = field(default_factory=list)
    removed_days_ago: float = 0.0
    # When a mirror or negative is checked: the watch list then holds the earlier removals only.
    checked_days_ago: float = 0.0
    half: str = "tune"  # "tune" or "held"
    target: str | None = None  # the original a mirror re-creates
    scenario: str = ""
    words: list = field(default_factory=list)
    urdu: bool = False
    telegram: str | None = None
    phone: str | None = None


def _pseudo_word(rng: random.Random) -> str:
    consonants, vowels = "bdfghjklmnpqrstvwz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


def _image(rng: random.Random, *, size=256, flat=False) -> Image.Image:
    background = tuple(rng.randint(0, 255) for _ in range(3))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(4, 9)):
        box = sorted(rng.sample(range(size), 2)), sorted(rng.sample(range(size), 2))
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        shape = [box[0][0], box[1][0], box[0][1], box[1][1]]
        if rng.random() < 0.5:
            draw.ellipse(shape, fill=colour)
        else:
            draw.rectangle(shape, fill=colour)
    draw.text((rng.randint(10, 120), rng.randint(10, 200)), _pseudo_word(rng), fill=(0, 0, 0))
    if not flat:
        sigma = rng.randint(10, 40)
        values = np.random.default_rng(rng.getrandbits(64)).normal(128, sigma, (size, size))
        noise = Image.fromarray(values.clip(0, 255).astype(np.uint8), "L").convert("RGB")
        image = Image.blend(image, noise, 0.15)
    return image


def _encode(image: Image.Image, fmt="PNG", **options) -> bytes:
    if fmt == "PNG":
        options.setdefault("compress_level", 1)
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def perturb_avatar(rng: random.Random, data: bytes) -> bytes:
    """The same picture re-compressed, resized, slightly cropped, maybe mirrored."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = image.size
    if rng.random() < 0.6:
        c = rng.uniform(0.01, 0.06)
        image = image.crop((int(w * c), int(h * c), int(w * (1 - c)), int(h * (1 - c))))
    if rng.random() < 0.7:
        scale = rng.uniform(0.4, 0.9)
        image = image.resize((max(32, int(w * scale)), max(32, int(h * scale))))
    if rng.random() < 0.15:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if rng.random() < 0.2:
        image = image.filter(ImageFilter.GaussianBlur(0.8))
    return _encode(image, "JPEG", quality=rng.randint(40, 85))


def _phone(rng: random.Random) -> str:
    return f"3{rng.randint(0, 4)}{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}"


def phone_format(rng: random.Random, digits: str) -> str:
    return rng.choice(
        [
            f"+92 {digits[:3]} {digits[3:]}",
            f"0{digits[:3]}-{digits[3:]}",
            f"wa.me/92{digits}",
            f"+92{digits}",
            f"0092 {digits[:3]} {digits[3:]}",
        ]
    )


def telegram_format(rng: random.Random, name: str) -> str:
    return rng.choice(
        [
            f"t.me/{name}",
            f"https://t.me/{name}/",
            f"telegram.me/{name}",
            f"@{name}",
            f"https://t.me/{name}?utm_source=x",
            f"https://telegram.me/s/{name}",
        ]
    )


def _title(words) -> str:
    return " ".join(w.title() for w in words)


def apply_trick(rng: random.Random, trick: str, handle: str) -> str:
    """The handle after one mirror trick (digits, separators, affix, leet, typo, ...)."""
    letters = [i for i, c in enumerate(handle) if c.isalpha()]
    if trick == "digits":
        return rng.choice(
            [
                f"{handle}{rng.randint(1, 99)}",
                f"{handle}_{rng.randint(1, 9)}",
                f"{handle}{rng.choice([2024, 2025, 786])}",
            ]
        )
    if trick == "separators":
        bare = handle.replace("_", "").replace(".", "")
        return rng.choice([bare, f"{handle}__", handle.replace("_", "."), f"_{handle}_"])
    if trick == "affix":
        affix = rng.choice(AFFIXES)
        return rng.choice([f"{handle}_{affix}", f"{affix}_{handle}", f"{handle}{affix}"])
    if trick == "leet":
        chars = list(handle)
        spots = [i for i in letters if chars[i] in LEET]
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
            chars[i] = LEET[chars[i]]
        return "".join(chars)
    if trick in ("typo", "transposition", "doubled", "homoglyph") and len(letters) > 3:
        chars = list(handle)
        i = rng.choice(letters[1:-1])
        if trick == "typo":
            op = rng.choice(["sub", "del", "ins"])
            if op == "sub":
                chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
            elif op == "del":
                del chars[i]
            else:
                chars.insert(i, rng.choice("aeiou"))
        elif trick == "transposition":
            if i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif trick == "doubled":
            chars.insert(i, chars[i])
        else:
            spots = [j for j in letters if chars[j] in HOMOGLYPHS]
            for j in rng.sample(spots, min(len(spots), rng.randint(1, 3))):
                chars[j] = HOMOGLYPHS[chars[j]]
        return "".join(chars)
    return handle


class Generator:
    """Originals (removed), decoys (removed, never re-created), mirrors and hard negatives."""

    def __init__(self, seed: int = 20261201, originals: int = 4400, decoys: int = 3000):
        self.rng = random.Random(seed)
        self.defaults = {p: _encode(_image(random.Random(p), flat=True)) for p in PLATFORMS}
        self.groups = list(range(30))
        self.originals = [self._original(i) for i in range(originals)]
        self.decoys = [self._decoy(i) for i in range(decoys)]

    # --- removed accounts ---------------------------------------------------------------------
    def _identity(self):
        rng = self.rng
        words = [rng.choice(PERSON), rng.choice(LAQAB)]
        if rng.random() < 0.5:
            words.append(_pseudo_word(rng))
        elif rng.random() < 0.3:
            words.insert(0, rng.choice(COMMON))
        return words

    def _original(self, index: int) -> Record:
        rng = self.rng
        words = self._identity()
        sep = rng.choice(["_", "", ".", "_"])
        handle = sep.join(words)[:30]
        urdu = rng.random() < 0.25 and all(w in URDU for w in words)
        name = " ".join(URDU[w] for w in words) if urdu else _title(words)
        bio = [rng.choice(PHRASES)]
        telegram = phone = None
        if rng.random() < 0.45:
            telegram = f"{words[0]}{words[1]}{rng.randint(1, 999)}"
            bio.append(telegram_format(rng, telegram))
        if rng.random() < 0.3:
            phone = _phone(rng)
            bio.append(phone_format(rng, phone))
        if rng.random() < 0.08:
            bio.append(f"{rng.choice(SHORTENERS)}")
        roll = rng.random()
        platform = rng.choice(PLATFORMS)
        avatar = (
            _encode(_image(rng))
            if roll < 0.7
            else (self.defaults[platform] if roll < 0.85 else None)
        )
        record = Record(
            key=f"o{index}",
            platform=platform,
            handle=handle,
            display_name=name,
            bio=" ".join(bio),
            avatar=avatar,
            groups=rng.sample(self.groups, rng.choice([1, 1, 2])),
            removed_days_ago=rng.uniform(0, 720),
            half="tune" if index % 2 == 0 else "held",
            words=words,
            urdu=urdu,
            telegram=telegram,
            phone=phone,
        )
        return record

    def _decoy(self, index: int) -> Record:
        rng = self.rng
        kind = rng.random()
        if kind < 0.4:
            words = rng.sample(COMMON, rng.randint(2, 3))
        elif kind < 0.7:
            words = [*rng.choice(OUTLETS).split(), rng.choice(["leaks", "exposed", "fans", "pk"])]
        else:
            words = [rng.choice(PERSON), rng.choice(COMMON)]
        platform = rng.choice(PLATFORMS)
        bio = rng.choice(PHRASES) + (f" {rng.choice(SHORTENERS)}" if rng.random() < 0.3 else "")
        avatar = self.defaults[platform] if rng.random() < 0.4 else None
        return Record(
            key=f"d{index}",
            platform=platform,
            handle="_".join(words)[:30],
            display_name=_title(words),
            bio=bio,
            avatar=avatar,
            groups=rng.sample(self.groups, 1),
            removed_days_ago=rng.uniform(0, 720),
        )

    # --- mirrors ------------------------------------------------------------------------------
    def _trick(self, trick: str, handle: str) -> str:
        return apply_trick(self.rng, trick, handle)

    def _homoglyph_name(self, name: str) -> str:
        chars = list(name)
        spots = [i for i, c in enumerate(chars) if c.lower() in HOMOGLYPHS and c.islower()]
        for i in self.rng.sample(spots, min(len(spots), 2)):
            chars[i] = HOMOGLYPHS[chars[i]]
        return "".join(chars)

    def mirror(self, original: Record, scenario: str) -> Record:
        rng = self.rng
        handle, name = original.handle, original.display_name
        platform, bio, avatar = original.platform, rng.choice(PHRASES), None
        keep = {
            "name": rng.random() < 0.6,
            "avatar": rng.random() < 0.4,
            "contact": rng.random() < 0.4,
        }
        if scenario in HANDLE_TRICKS:
            handle = self._trick(scenario, handle)
        elif scenario == "urdu_name":
            words = [w for w in original.words if w in URDU]
            handle = "_".join(_pseudo_word(rng) for _ in range(2))
            name = " ".join(URDU[w] for w in words) if len(words) >= 2 else name
            keep = {"name": True, "avatar": False, "contact": False}
        elif scenario == "latin_name_of_urdu":
            handle = self._trick(rng.choice(HANDLE_TRICKS), handle)
            name = _title(original.words)
            keep = {"name": True, "avatar": False, "contact": False}
        elif scenario in ("cross_platform", "combined_cross_platform"):
            platform = rng.choice([p for p in PLATFORMS if p != original.platform])
        if scenario in ("combined", "combined_cross_platform"):
            for trick in rng.sample(HANDLE_TRICKS, rng.randint(2, 3)):
                handle = self._trick(trick, handle)
            name = self._homoglyph_name(name) if rng.random() < 0.5 else name
            keep = {
                "name": rng.random() < 0.7,
                "avatar": rng.random() < 0.6,
                "contact": rng.random() < 0.5,
            }
        if scenario in ("avatar_only", "contact_only"):
            handle = "_".join(_pseudo_word(rng) for _ in range(2))
            name = _title([_pseudo_word(rng)])
            keep = {
                "name": True,
                "avatar": scenario == "avatar_only",
                "contact": scenario == "contact_only",
            }
        if not keep["name"]:
            name = ""
        if (
            keep["avatar"]
            and original.avatar
            and original.avatar is not self.defaults[original.platform]
        ):
            avatar = perturb_avatar(rng, original.avatar)
        if keep["contact"] and (original.telegram or original.phone):
            if original.telegram:
                bio += " " + telegram_format(rng, original.telegram)
            if original.phone:
                bio += " " + phone_format(rng, original.phone)
        return Record(
            key=f"m{original.key}",
            platform=platform,
            handle=handle[:40],
            display_name=name,
            bio=bio,
            avatar=avatar,
            groups=list(original.groups) if rng.random() < 0.7 else [],
            half=original.half,
            target=original.key,
            scenario=scenario,
            # Mirrors reappear within hours or days of the removal.
            checked_days_ago=max(0.0, original.removed_days_ago - rng.expovariate(1 / 3)),
        )

    def mirrors(self) -> list[Record]:
        """One mirror per original, scenarios in turn (so each has about 1/15 of them)."""
        out = []
        for index, original in enumerate(self.originals):
            scenario = SCENARIOS[index % len(SCENARIOS)]
            if scenario == "urdu_name" and not all(w in URDU for w in original.words):
                scenario = "combined"
            if scenario == "latin_name_of_urdu" and not original.urdu:
                scenario = "homoglyph"
            if scenario == "avatar_only" and (
                not original.avatar or original.avatar is self.defaults[original.platform]
            ):
                scenario = "contact_only"
            if scenario == "contact_only" and not (original.telegram or original.phone):
                scenario = "digits"
            out.append(self.mirror(original, scenario))
        return out

    # --- hard negatives -----------------------------------------------------------------------
    def negative(self, index: int) -> Record:
        rng = self.rng
        kind = NEGATIVE_KINDS[index % len(NEGATIVE_KINDS)]
        near = rng.choice(self.originals)
        platform = rng.choice([near.platform] * 2 + PLATFORMS)
        groups = list(near.groups) if rng.random() < 0.5 else rng.sample(self.groups, 1)
        bio, avatar = rng.choice(PHRASES), None
        if kind == "similar_name":
            # One word shared with a removed account, the others its own.
            words = [
                near.words[0],
                rng.choice([w for w in LAQAB if w not in near.words]),
                _pseudo_word(rng),
            ]
        elif kind in ("common_words", "same_group_common"):
            words = rng.sample(COMMON, rng.randint(2, 3))
        elif kind == "popular_outlet":
            words = rng.choice(OUTLETS).split() + rng.choice([[], ["live"], ["official"], ["urdu"]])
        else:
            words = [rng.choice(PERSON), _pseudo_word(rng)]
        if kind == "default_avatar" or rng.random() < 0.2:
            avatar = self.defaults[platform]
        if kind == "shortener" or rng.random() < 0.15:
            bio += f" {rng.choice(SHORTENERS)}"
        if kind == "same_group_common":
            groups = list(near.groups)
        handle = rng.choice(["_", "", "."]).join(words)[:30]
        return Record(
            key=f"n{index}",
            platform=platform,
            handle=handle,
            display_name=_title(words),
            bio=bio,
            avatar=avatar,
            groups=groups,
            half="tune" if (index // len(NEGATIVE_KINDS)) % 2 == 0 else "held",
            scenario=kind,
            checked_days_ago=rng.uniform(0, 700),
        )

    def negatives(self, count: int) -> list[Record]:
        return [self.negative(i) for i in range(count)]
