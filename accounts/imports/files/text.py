"""Decoding a CSV list as people save it: UTF-8 with or without a BOM, UTF-16 with its BOM,
or Windows-1256 (what older Excel writes for Urdu and Arabic on Windows).

The decision rule, in order: a BOM names the encoding; else text that is valid UTF-8 is UTF-8;
else text that decodes as Windows-1256 and whose non-ASCII letters are mostly Arabic script is
Windows-1256; anything else is refused with a message that says how to save the file. A
statistical detector (charset-normalizer) guesses short Urdu lists wrongly often enough that an
ordered rule the user can read is the better contract.
"""

import codecs
import contextlib
import io
import unicodedata
from collections.abc import Iterator

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


CHUNK_BYTES = 1 << 20  # what the streamed reading decodes at a time


def _letters(text: str) -> tuple[int, int]:
    """The non-ASCII letters of the text, and how many of them are Arabic script."""
    letters = [c for c in text if ord(c) > 127 and unicodedata.category(c).startswith("L")]
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    return len(letters), arabic


def _arabic_share(text: str) -> float:
    letters, arabic = _letters(text)
    return arabic / letters if letters else 0.0


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


def _chunks(stream) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def _decodes(stream, encoding: str, *, count_letters: bool = False) -> tuple[bool, int, int]:
    """Whether the stream, from its start to its end, is valid text in the encoding (decoded a
    chunk at a time), with its non-ASCII letters and Arabic letters when asked."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    letters = arabic = 0
    try:
        for chunk in _chunks(stream):
            text = decoder.decode(chunk)
            if count_letters:
                counted = _letters(text)
                letters, arabic = letters + counted[0], arabic + counted[1]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, letters, arabic
    return True, letters, arabic


def detect_encoding(stream) -> tuple[str, str]:
    """decode_text's rule for a seekable binary file, read a chunk at a time (never whole):
    the codec to read it with and the encoding's name. The stream is left at its start."""
    stream.seek(0)
    prefix = stream.read(4096)
    try:
        for bom, encoding in _BOMS:
            if prefix.startswith(bom):
                if not _decodes(stream, encoding)[0]:
                    raise DomainError(
                        _("The file starts with a %s mark but is not valid text in it.")
                        % encoding.removesuffix("-sig").upper(),
                        code="unreadable_file",
                    )
                return encoding, encoding.removesuffix("-sig")
        if b"\x00" in prefix:
            raise DomainError(
                _(
                    "The file looks like UTF-16 text without its byte-order mark; save it as "
                    "“CSV UTF-8”."
                ),
                code="unreadable_file",
            )
        if _decodes(stream, "utf-8")[0]:
            return "utf-8", "utf-8"
        valid, letters, arabic = _decodes(stream, "cp1256", count_letters=True)
        if valid and letters and arabic / letters >= ARABIC_SHARE:
            return "cp1256", "windows-1256"
        raise DomainError(
            _(
                "The file is neither UTF-8, UTF-16 nor Windows-1256 (Urdu) text; save it as "
                "“CSV UTF-8” and try again."
            ),
            code="unreadable_file",
        )
    finally:
        stream.seek(0)


def text_lines(stream, codec: str) -> Iterator[str]:
    """The stream's text lines as `open(newline="")` gives them (line ends kept, for the csv
    reader), decoded incrementally, the byte-order mark dropped."""
    stream.seek(0)
    wrapper = io.TextIOWrapper(stream, encoding=codec, newline="")
    try:
        first = True
        for line in wrapper:
            if first:
                line, first = line.lstrip("\ufeff"), not line.strip("\ufeff")
                if not line:
                    continue
            yield line
    except UnicodeDecodeError:  # the file changed since its encoding was checked
        raise DomainError(
            _(
                "The file is neither UTF-8, UTF-16 nor Windows-1256 (Urdu) text; save it as "
                "“CSV UTF-8” and try again."
            ),
            code="unreadable_file",
        ) from None
    finally:
        # The caller's file stays open (and is the caller's to close; it may be closed already).
        with contextlib.suppress(ValueError):
            wrapper.detach()
