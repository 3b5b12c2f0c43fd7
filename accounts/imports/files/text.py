"""Decoding a CSV list as people save it: UTF-8 with or without a BOM, UTF-16 with its BOM,
or Windows-1256 (what older Excel writes for Urdu and Arabic on Windows).

The decision rule, in order: a BOM names the encoding; else text that is valid UTF-8 is UTF-8;
else text that decodes as Windows-1256 and whose non-ASCII letters are mostly Arabic script is
Windows-1256; anything else is refused with a message that says how to save the file. A
statistical detector (charset-normalizer) guesses short Urdu lists wrongly often enough that an
ordered rule the user can read is the better contract.
"""

import codecs
import unicodedata

from django.utils.translation import gettext as _

from core.errors import DomainError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of the non-ASCII letters that must be Arabic script for a file to be read as
# Windows-1256 (a Western-European file decodes as 1256 too, as mojibake of mostly non-Arabic
# letters).
ARABIC_SHARE = 0.8


def _arabic_share(text: str) -> float:
    letters = [c for c in text if ord(c) > 127 and unicodedata.category(c).startswith("L")]
    if not letters:
        return 0.0
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    return arabic / len(letters)


def decode_text(data: bytes) -> tuple[str, str]:
    """The file's text and the name of the encoding it was read with."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding.removesuffix("-sig")
            except UnicodeDecodeError:
                raise DomainError(
                    _("The file starts with a %s mark but is not valid text in it.")
                    % encoding.removesuffix("-sig").upper(),
                    code="unreadable_file",
                ) from None
    # Text never holds NUL; UTF-16 does in every ASCII character (and is still valid UTF-8).
    if b"\x00" in data[:4096]:
        raise DomainError(
            _(
                "The file looks like UTF-16 text without its byte-order mark; save it as "
                "“CSV UTF-8”."
            ),
            code="unreadable_file",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = None
    if text is not None and _arabic_share(text) >= ARABIC_SHARE:
        return text, "windows-1256"
    raise DomainError(
        _(
            "The file is neither UTF-8, UTF-16 nor Windows-1256 (Urdu) text; save it as "
            "“CSV UTF-8” and try again."
        ),
        code="unreadable_file",
    )
