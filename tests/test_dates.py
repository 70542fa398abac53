"""Calendar arithmetic (SPEC §2 Durations): every unit, bank holidays, beginning_with."""

import datetime as dt

import pytest

from casecheck.dates import Duration, calendar_for, describe_due, due_date, parse_date, parse_duration

D = dt.date.fromisoformat
EW = calendar_for("england-and-wales")


def due(start, text, counting=False, cal=EW):
    return str(due_date(D(start), parse_duration(text), cal, counting))


@pytest.mark.parametrize("text,expected", [
    ("15 working days", Duration(15, "working_days")),
    ("1 working day", Duration(1, "working_days")),
    ("10 days", Duration(10, "days")),
    ("1 day", Duration(1, "days")),
    ("6 weeks", Duration(6, "weeks")),
    ("1 month", Duration(1, "months")),
    ("3 Months", Duration(3, "months")),
    ("12 months", Duration(12, "months")),
    ("1 year", Duration(1, "years")),
    ("  2 years ", Duration(2, "years")),
    ("20 working  days", Duration(20, "working_days")),
])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["0 days", "fifteen days", "15", "days", "-1 days", "1.5 months",
                                  "15 business days", "", "3 fortnights"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_parse_duration_rejects_non_text():
    for value in (15, None, True, ["1 day"]):
        with pytest.raises(ValueError):
            parse_duration(value)


def test_duration_prints_as_written():
    assert str(parse_duration("1 month")) == "1 month"
    assert str(parse_duration("15 working days")) == "15 working days"


def test_parse_date_accepts_datetimes_and_keeps_only_the_date():
    assert parse_date("2022-02-15") == D("2022-02-15")
    assert parse_date("2022-02-15T23:59:00") == D("2022-02-15")
    assert parse_date("2022-02-15T10:00:00Z") == D("2022-02-15")
    assert parse_date(dt.datetime(2022, 2, 15, 9, 30)) == D("2022-02-15")
    for bad in ("2022-02-30", "15/02/2022", "", None, 20220215):
        with pytest.raises(ValueError):
            parse_date(bad)


# Calendar units: D + N days / 7N days; months and years clip to the end of a shorter month.
@pytest.mark.parametrize("start,text,expected", [
    ("2022-02-15", "10 days", "2022-02-25"),
    ("2022-12-25", "7 days", "2023-01-01"),
    ("2022-02-15", "6 weeks", "2022-03-29"),
    ("2022-01-15", "3 months", "2022-04-15"),
    ("2022-01-31", "1 month", "2022-02-28"),   # clipped
    ("2024-01-31", "1 month", "2024-02-29"),   # leap year
    ("2022-08-31", "3 months", "2022-11-30"),
    ("2022-03-31", "1 month", "2022-04-30"),
    ("2024-02-29", "1 year", "2025-02-28"),    # leap day + 1 year
    ("2024-02-29", "4 years", "2028-02-29"),
    ("2023-02-28", "12 months", "2024-02-28"),
    ("2022-05-16", "12 months", "2023-05-16"),
])
def test_calendar_units(start, text, expected):
    assert due(start, text) == expected


def test_york_minutes_due_date():
    # Tue 15 Feb 2022 + 15 working days: 16,17,18 (3), 21-25 (8), 28 (9), 1-4 Mar (13), 7 (14), 8 (15).
    assert due("2022-02-15", "15 working days") == "2022-03-08"


@pytest.mark.parametrize("start,text,expected,why", [
    ("2022-02-18", "1 working day", "2022-02-21", "Friday -> Monday"),
    ("2022-02-19", "1 working day", "2022-02-21", "a Saturday start is day 0 too"),
    ("2022-05-27", "5 working days", "2022-06-07",
     "Spring bank holiday moved to Thu 2 June and Platinum Jubilee Fri 3 June 2022"),
    ("2022-05-27", "1 working day", "2022-05-30", "Mon 30 May 2022 was NOT a bank holiday (moved)"),
    ("2022-09-16", "1 working day", "2022-09-20", "State funeral Mon 19 Sep 2022"),
    ("2023-05-05", "1 working day", "2023-05-09", "Coronation Mon 8 May 2023"),
    ("2020-05-07", "1 working day", "2020-05-11", "Early May moved to Fri 8 May 2020 (VE Day)"),
    ("2020-05-01", "1 working day", "2020-05-04", "Mon 4 May 2020 was a working day"),
    ("2012-06-01", "1 working day", "2012-06-06", "Spring moved to 4 June + Diamond Jubilee 5 June 2012"),
    ("2022-12-23", "1 working day", "2022-12-28", "Christmas on Sunday: Mon 26 and Tue 27 (substitute)"),
    ("2021-12-24", "1 working day", "2021-12-29", "27 and 28 Dec 2021 substitutes"),
    ("2022-04-14", "1 working day", "2022-04-19", "Good Friday and Easter Monday"),
    ("2022-12-30", "1 working day", "2023-01-03", "New Year substitute Mon 2 Jan 2023"),
    ("2022-07-29", "1 working day", "2022-08-01", "1 Aug 2022 is a Scottish holiday only"),
    ("2022-11-29", "1 working day", "2022-11-30", "St Andrew's Day is Scottish only"),
    ("2022-01-03", "1 working day", "2022-01-04", "4 Jan 2022 is a Scottish holiday only"),
])
def test_working_days_england_and_wales(start, text, expected, why):
    assert due(start, text) == expected, why


def test_scotland_calendar_differs_where_it_should():
    scot = calendar_for("scotland")
    assert due("2022-07-29", "1 working day", cal=scot) == "2022-08-02"
    assert not scot.is_working_day(D("2022-11-30"))
    assert EW.is_working_day(D("2022-11-30"))


def test_working_days_over_long_spans_and_far_years():
    # 2023 has 260 weekdays less 9 E&W bank holidays = 251 working days.
    assert EW.working_days_between(D("2022-12-31"), D("2023-12-31")) == 251
    # The table grows on demand: a historic and a far-future date both work.
    assert due("1995-05-05", "1 working day") == "1995-05-09"  # VE Day 50: Early May moved to Mon 8 May
    assert EW.is_working_day(D("2061-03-01"))
    assert not EW.is_working_day(D("2061-12-25"))


def test_working_days_between_counts_strictly_after_up_to_and_including():
    # After Tue 8 Mar 2022 up to and including Tue 12 Apr 2022: 9-11 (3), 14-18 (8), 21-25 (13),
    # 28 Mar-1 Apr (18), 4-8 (23), 11, 12 (25).
    assert EW.working_days_between(D("2022-03-08"), D("2022-04-12")) == 25
    assert EW.working_days_between(D("2022-03-08"), D("2022-03-08")) == 0
    assert EW.working_days_between(D("2022-03-11"), D("2022-03-13")) == 0  # Fri -> Sun
    assert EW.working_days_between(D("2022-03-12"), D("2022-03-14")) == 1  # Sat -> Mon


# beginning_with: the trigger's date is day 1.
@pytest.mark.parametrize("start,text,expected", [
    ("2022-05-16", "12 months", "2023-05-15"),   # LGA 1974 s26B: the day before the anniversary
    ("2022-05-16", "10 days", "2022-05-25"),
    ("2022-05-16", "2 weeks", "2022-05-29"),
    ("2024-03-01", "1 year", "2025-02-28"),
    ("2022-03-31", "1 month", "2022-04-29"),     # clip to 30 April, then one day earlier
    # Working trigger day (Tue 15 Feb): the (N-1)-th working day after it.
    ("2022-02-15", "15 working days", "2022-03-07"),
    ("2022-02-15", "1 working day", "2022-02-15"),
    # Non-working trigger day (Sat 19 Feb): still the N-th working day after it.
    ("2022-02-19", "15 working days", "2022-03-11"),
    ("2022-02-19", "1 working day", "2022-02-21"),
    # Bank holiday trigger (Fri 3 June 2022) is non-working too.
    ("2022-06-03", "1 working day", "2022-06-06"),
])
def test_beginning_with(start, text, expected):
    assert due(start, text, counting=True) == expected


def test_closure_days_extend_a_calendar_without_changing_the_base():
    closed = calendar_for("england-and-wales", [D("2022-12-28"), D("2022-12-29"), D("2022-12-30")])
    assert due("2022-12-23", "1 working day", cal=closed) == "2023-01-03"
    assert due("2022-12-23", "1 working day") == "2022-12-28"
    assert calendar_for("england-and-wales", [D("2022-12-28")]) is calendar_for("england-and-wales", [D("2022-12-28")])


def test_unknown_calendar_is_refused():
    with pytest.raises(ValueError, match="unknown calendar"):
        calendar_for("narnia")


def test_holiday_list_of_a_year():
    days = [str(d) for d in EW.holidays(2022)]
    assert days == ["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03",
                    "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"]


def test_describe_due_explains_the_arithmetic():
    text = describe_due(parse_duration("15 working days"), EW, what="the meeting")
    assert text == "the 15th working day after the meeting, weekends and England and Wales bank holidays excluded"
    assert "day before" in describe_due(parse_duration("12 months"), EW, beginning_with=True)


def test_a_councils_own_calendar_is_worded_for_people():
    own = calendar_for("england-and-wales", [D("2022-12-28"), D("2022-12-29"), D("2022-12-30")])
    text = describe_due(parse_duration("15 working days"), own)
    assert text.endswith("weekends and England and Wales bank holidays and 3 closure days of the council's own excluded")
    assert "+" not in text and "england-and-wales" not in text
    one = calendar_for("weekends-only", [D("2022-12-28")])
    assert describe_due(parse_duration("2 working days"), one).endswith(
        "weekends and 1 closure day of the council's own excluded")
