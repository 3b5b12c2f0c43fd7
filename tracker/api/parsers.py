"""JSON bodies a database can store: `"\\ud800"` (a lone surrogate) and `"\\u0000"` are valid
JSON, but PostgreSQL keeps neither in text or JSON columns."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _unstorable(value) -> str | None:
    """What makes a parsed JSON value unstorable, or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return _("JSON parse error - the text holds a NUL character (\\u0000).")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("JSON parse error - the text holds an unpaired surrogate (\\ud800).")
        return None
    if isinstance(value, dict):
        parts = [part for pair in value.items() for part in pair]
    elif isinstance(value, list):
        parts = value
    else:
        return None
    return next((problem for part in parts if (problem := _unstorable(part))), None)


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing text no database column can hold."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        problem = _unstorable(data)
        if problem:
            raise ParseError(problem)
        return data
