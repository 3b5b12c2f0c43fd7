"""One reading of a date-time for every door (filters and inputs of the API and the pages):
a moment is accepted only when the database can hold it and every time zone can show it.

Python reads offsets up to ±23:59 and years 1 to 9999; PostgreSQL refuses a time zone
displacement beyond ±15:59 (a DataError, once a 500), and a moment at the edge of Python's
range overflows when it is converted to UTC or to the reader's zone. Real zones lie between
UTC-12:00 and UTC+14:00, so that is the offset accepted, and the moment, in UTC, must lie a day
inside years 1 to 9999.
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

MIN_OFFSET = timedelta(hours=-12)
MAX_OFFSET = timedelta(hours=14)
# A day inside Python's range, so that converting to any zone (at most 14 h away) cannot overflow.
EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)

OUT_OF_RANGE_MESSAGE = _(
    "Give a date and time between the years 1 and 9999, with a UTC offset between -12:00 and "
    "+14:00."
)


class DateTimeOutOfRange(ValueError):
    """A date-time that Python reads but the database cannot hold (or a zone cannot show)."""


def storable_utc(moment: datetime, zone=None) -> datetime:
    """The moment in UTC (a naive one is read in `zone`, by default the current time zone);
    DateTimeOutOfRange when its offset or year is outside what the database and every zone
    can hold. A caller reading many moments passes the zone it read once (looking the current
    zone up was a sixth of an import's row check)."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=zone or timezone.get_current_timezone())
    offset = moment.utcoffset()
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise DateTimeOutOfRange(f"UTC offset {offset} out of range")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError as exc:
        raise DateTimeOutOfRange(f"{moment.isoformat()} is outside years 1 to 9999") from exc
    if not EARLIEST <= utc <= LATEST:
        raise DateTimeOutOfRange(f"{utc.isoformat()} is too close to year 1 or 9999")
    return utc


def parse(text: str) -> datetime | None:
    """An ISO 8601 date-time (as Django reads it) in UTC; None when the text is not one,
    DateTimeOutOfRange when it is one the database cannot hold."""
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        return None
    return None if moment is None else storable_utc(moment)
