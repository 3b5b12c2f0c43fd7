"""core.datetimes and the fields built on it: a date-time the database cannot hold is refused
by every kind of field, never passed on to PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django import forms
from rest_framework import serializers

from core.datetimes import DateTimeOutOfRange, parse, storable_utc
from core.filters import StorableIsoDateTimeField
from core.forms import StorableDateTimeField as FormField
from core.serializers import StorableDateTimeField as ApiField

# Python reads each of these; the database cannot hold it, or a zone cannot show it.
UNSTORABLE = [
    "5813-01-07T03:57:37.5-20:28",  # found by fuzzing: PostgreSQL's displacement is at most 15:59
    "2026-01-07T03:57:37+16:00",
    "2026-01-07T03:57:37-12:01",
    "9999-12-31T23:00:00-05:00",  # in UTC, year 10000
    "0001-01-01T01:00:00+05:00",  # in UTC, year 0
    "0001-01-01T00:00:00",  # read in Asia/Karachi (+05:00): year 0 in UTC
    "9999-12-31T12:00:00Z",  # storable, but shown in Karachi it is year 10000
]
STORABLE = [
    ("2026-01-07T03:57:37+05:00", datetime(2026, 1, 6, 22, 57, 37, tzinfo=UTC)),
    ("2026-01-07T03:57:37.5-12:00", datetime(2026, 1, 7, 15, 57, 37, 500000, tzinfo=UTC)),
    ("2026-01-07T03:57:37+14:00", datetime(2026, 1, 6, 13, 57, 37, tzinfo=UTC)),
    ("2026-01-07 10:00", datetime(2026, 1, 7, 5, 0, tzinfo=UTC)),  # naive: Asia/Karachi
    ("2026-01-07", datetime(2026, 1, 6, 19, 0, tzinfo=UTC)),
    ("0001-01-03T00:00:00Z", datetime(1, 1, 3, tzinfo=UTC)),
    ("9999-12-30T00:00:00Z", datetime(9999, 12, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize("text", UNSTORABLE)
def test_parse_refuses_what_the_database_or_a_zone_cannot_hold(text):
    with pytest.raises(DateTimeOutOfRange):
        parse(text)


@pytest.mark.parametrize(("text", "utc"), STORABLE)
def test_parse_gives_the_moment_in_utc(text, utc):
    moment = parse(text)

    assert (moment, moment.tzinfo) == (utc, UTC)


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T00:00", "2026-01-07T25:00"])
def test_parse_says_none_for_what_is_no_date_time(text):
    assert parse(text) is None


def test_storable_utc_reads_a_naive_moment_in_the_current_zone():
    assert storable_utc(datetime(2026, 1, 7, 10)) == datetime(2026, 1, 7, 5, tzinfo=UTC)
    with pytest.raises(DateTimeOutOfRange):
        storable_utc(datetime(2026, 1, 7, tzinfo=timezone(timedelta(hours=-13))))


@pytest.mark.parametrize("field_class", [FormField, StorableIsoDateTimeField])
@pytest.mark.parametrize("text", UNSTORABLE)
def test_form_and_filter_fields_refuse_it_as_out_of_range(field_class, text):
    with pytest.raises(forms.ValidationError) as refused:
        field_class().clean(text)

    assert refused.value.code == "out_of_range"


@pytest.mark.parametrize("field_class", [FormField, StorableIsoDateTimeField])
@pytest.mark.parametrize(("text", "utc"), STORABLE)
def test_form_and_filter_fields_clean_to_utc(field_class, text, utc):
    assert field_class().clean(text) == utc


@pytest.mark.parametrize("text", UNSTORABLE)
def test_the_api_field_refuses_it_as_out_of_range(text):
    with pytest.raises(serializers.ValidationError) as refused:
        ApiField().run_validation(text)

    assert refused.value.get_codes() == ["out_of_range"]


@pytest.mark.parametrize(("text", "utc"), STORABLE)
def test_the_api_field_keeps_drfs_reading(text, utc):
    assert ApiField().run_validation(text) == utc
