"""Dates, durations and working-day calendars: the one place casecheck does date arithmetic.

Everything else in casecheck asks this module for a due date or a count of days; nothing
adds days to a date on its own. Calendar months and years come from pendulum (which clips
31 January + 1 month to the end of February); bank holidays come from the `holidays`
package; working days are looked up in a table, never counted day by day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import holidays as holidays_lib
import pendulum

DEFAULT_CALENDAR = "england-and-wales"

_UNITS = {
    "working day": "working_days",
    "working days": "working_days",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}
_DURATION_RE = re.compile(r"^\s*(\d+)\s+(working\s+days?|days?|weeks?|months?|years?)\s*$", re.I | re.ASCII)
DURATION_HELP = "a duration like '15 working days', '10 days', '6 weeks', '3 months' or '1 year'"

# The supported range (README, "Hostile and broken inputs"). Dates of events, as-at dates and
# in-force dates lie in [MIN_DATE, MAX_DATE]; a duration is at most 100 years in any unit, so
# every due date and look-back computed from them lies between 1800 and 2300 and is well inside
# what Python's dates, pendulum and the working-day table handle.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
MAX_DURATION = {"days": 36_525, "weeks": 5_218, "months": 1_200, "years": 100, "working_days": 26_100}
_TABLE_YEARS = (1700, 2400)  # the working-day table is never built outside these years
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})"
                      r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$",
                      re.ASCII)  # the digits 0-9 only: Arabic-Indic or fullwidth digits are not a date


class DateOutOfRange(ValueError):
    """A real date outside the supported range."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Duration:
    """A whole number of one unit: working_days, days, weeks, months or years."""

    n: int
    unit: str

    def __str__(self) -> str:
        word = self.unit.replace("_", " ")
        return f"{self.n} {word[:-1] if self.n == 1 else word}"


def parse_duration(text: object) -> Duration:
    """Read '15 working days', '1 month', ... ; raise ValueError saying what is wrong."""
    if isinstance(text, bool) or not isinstance(text, str):
        raise ValueError(f"expected {DURATION_HELP}, got {_shown(text)}")
    m = _DURATION_RE.match(text)
    if not m:
        raise ValueError(f"expected {DURATION_HELP}, got {_shown(text)}")
    unit = _UNITS[" ".join(m.group(2).lower().split())]
    digits = m.group(1).lstrip("0") or "0"
    n = int(digits) if len(digits) <= 7 else MAX_DURATION[unit] + 1
    if n < 1:
        raise ValueError(f"a duration must be at least 1, got {_shown(text)}")
    if n > MAX_DURATION[unit]:
        raise ValueError(f"a duration may be at most 100 years ({MAX_DURATION[unit]:,} "
                         f"{unit.replace('_', ' ')}), got {_shown(text)}")
    return Duration(n, unit)


def check_range(d: dt.date) -> dt.date:
    """d, when it is in the supported range; DateOutOfRange otherwise."""
    if not MIN_DATE <= d <= MAX_DATE:
        raise DateOutOfRange(f"date {d.isoformat()} is outside the supported range, {MIN_DATE} to {MAX_DATE}")
    return d


def parse_date(value: object) -> dt.date:
    """The one date parser: YYYY-MM-DD, or a datetime whose date part is that (only the date
    counts), in the supported range. Raise ValueError saying the expected form otherwise."""
    if isinstance(value, dt.datetime):
        return check_range(value.date())
    if isinstance(value, dt.date):
        return check_range(value)
    m = _DATE_RE.match(value.strip()) if isinstance(value, str) else None
    if m is None and isinstance(value, str) and any(c.isdigit() and not c.isascii() for c in value):
        raise ValueError(f"not an ISO date: dates are written with the digits 0-9 only, got {_shown(value)}")
    if m is None:
        raise ValueError(f"not an ISO date (YYYY-MM-DD, or a datetime such as 2022-02-15T09:30 starting "
                         f"with one): {_shown(value)}")
    y, mo, d, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
    try:
        date = dt.date(y, mo, d)
        dt.time(hh, mm, ss)
    except ValueError:
        raise ValueError(f"not an ISO date: no such date or time as {_shown(value)}") from None
    return check_range(date)


class Calendar:
    """Working days: Monday to Friday, less the calendar's holidays and closure days.

    A table of working-day ordinals over a span of years answers "the N-th working day after
    D" and "working days between" by index lookup. The span grows when a date outside it is
    asked about, so any year works and nothing is counted day by day.
    """

    def __init__(self, name: str, subdiv: str | None, closures: frozenset[dt.date] = frozenset()):
        self.name = name
        self.subdiv = subdiv
        self.closures = closures
        self._lo = self._hi = None  # years covered by the table, inclusive
        self._base = 0  # ordinal of 1 January of self._lo
        self._cum: list[int] = []  # _cum[o - base] = working days with ordinal <= o
        self._days: list[int] = []  # ordinals of working days, ascending

    def __repr__(self) -> str:
        return f"Calendar({self.name!r})"

    @property
    def days_off(self) -> str:
        """The weekdays that are not working days, in words: 'England and Wales bank holidays and
        3 closure days of the council's own', or 'none' for weekends only."""
        parts = [f"{_TITLES[self.base]} bank holidays"] if self.subdiv else []
        if self.closures:
            n = len(self.closures)
            parts.append(f"{n} closure day{'' if n == 1 else 's'} of the council's own")
        return " and ".join(parts) or "none"

    @property
    def base(self) -> str:
        return self.name.split("+", 1)[0]

    def holidays(self, year: int) -> list[dt.date]:
        """The weekdays of one year that are not working days (holidays and closures), sorted."""
        days = set(self._bank_holidays(year, year)) | {d for d in self.closures if d.year == year}
        return sorted(d for d in days if d.weekday() < 5)

    def holidays_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The weekday holidays and closures d with start < d <= end."""
        return [d for year in range(start.year, end.year + 1) for d in self.holidays(year) if start < d <= end]

    def _bank_holidays(self, lo: int, hi: int) -> set[dt.date]:
        if self.subdiv is None:
            return set()
        return set(holidays_lib.UnitedKingdom(subdiv=self.subdiv, years=range(lo, hi + 1)))

    def _build(self, lo: int, hi: int) -> None:
        off = self._bank_holidays(lo, hi) | {d for d in self.closures if lo <= d.year <= hi}
        off_ordinals = {d.toordinal() for d in off}
        base = dt.date(lo, 1, 1).toordinal()
        end = dt.date(hi, 12, 31).toordinal()
        cum, days, count = [], [], 0
        for o in range(base, end + 1):
            # date.fromordinal(o).weekday() == (o + 6) % 7; 5 and 6 are Saturday and Sunday.
            if (o + 6) % 7 < 5 and o not in off_ordinals:
                count += 1
                days.append(o)
            cum.append(count)
        self._lo, self._hi, self._base, self._cum, self._days = lo, hi, base, cum, days

    def _cover(self, *years: int) -> None:
        lo, hi = min(years), max(years)
        if lo < _TABLE_YEARS[0] or hi > _TABLE_YEARS[1]:  # unreachable from bounded inputs; a guard
            raise DateOutOfRange(f"working days are counted only from {_TABLE_YEARS[0]} to {_TABLE_YEARS[1]}")
        if self._lo is not None and self._lo <= lo and hi <= self._hi:
            return
        if self._lo is not None:
            lo, hi = min(lo, self._lo), max(hi, self._hi)
        # Build a little beyond what was asked so neighbouring dates need no rebuild.
        self._build(min(lo, 2000), max(hi + 2, 2030))

    def is_working_day(self, d: dt.date) -> bool:
        self._cover(d.year)
        o = d.toordinal()
        i = o - self._base
        return self._cum[i] != (self._cum[i - 1] if i > 0 else 0)

    def _count_to(self, o: int) -> int:
        return self._cum[o - self._base]

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after d (d itself is day 0, working day or not); n >= 0."""
        if n <= 0:
            return d
        # n working days span at most n * 7/5 days plus a few weeks of holidays.
        self._cover(d.year, min((d + dt.timedelta(days=n * 2 + 60)).year, _TABLE_YEARS[1]))
        i = self._count_to(d.toordinal()) + n - 1
        while i >= len(self._days):  # closure days ran past the table: look further, but not for ever
            if self._hi >= _TABLE_YEARS[1]:
                raise DateOutOfRange(f"{n} working days after {d} pass {MAX_DATE} in the calendar {self.name}: "
                                     "its closure days leave no working day")
            self._build(self._lo, min(self._hi + 20, _TABLE_YEARS[1]))
        return dt.date.fromordinal(self._days[i])

    def has_working_day(self) -> bool:
        """Whether any day from MIN_DATE to MAX_DATE is a working day (a calendar whose closure
        days cover every weekday is refused where it is named)."""
        closed = sum(1 for d in self.closures if d.weekday() < 5 and MIN_DATE <= d <= MAX_DATE)
        if closed < 50_000:  # 1900-2199 has 78,260 weekdays and under 3,000 bank holidays
            return True
        self._cover(MIN_DATE.year, MAX_DATE.year)
        i = bisect.bisect_left(self._days, MIN_DATE.toordinal())
        return i < len(self._days) and self._days[i] <= MAX_DATE.toordinal()

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days strictly after start, up to and including end (negative if end < start)."""
        self._cover(start.year, end.year)
        return self._count_to(end.toordinal()) - self._count_to(start.toordinal())

    def working_days_in_range(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days d with start <= d <= end."""
        self._cover(start.year, end.year)
        lo = bisect.bisect_left(self._days, start.toordinal())
        hi = bisect.bisect_right(self._days, end.toordinal())
        return [dt.date.fromordinal(o) for o in self._days[lo:hi]]


# Named calendars. The default is the gov.uk England and Wales list (moved and one-off bank
# holidays included, as the `holidays` package has them). A ruleset may name another, or
# add a council's own closure days to one (see calendar_for).
_SUBDIVS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR", "weekends-only": None}
CALENDAR_NAMES = tuple(_SUBDIVS)
_TITLES = {"england-and-wales": "England and Wales", "scotland": "Scotland", "northern-ireland": "Northern Ireland",
           "weekends-only": "no"}


@lru_cache(maxsize=None)
def _calendar(base: str, closures: frozenset[dt.date]) -> Calendar:
    name = base if not closures else f"{base}+{len(closures)} closure days"
    return Calendar(name, _SUBDIVS[base], closures)


def calendar_for(base: str = DEFAULT_CALENDAR, closures=()) -> Calendar:
    """The shared Calendar for a base name plus optional extra closure days."""
    if base not in _SUBDIVS:
        raise ValueError(f"unknown calendar {base!r}; known: {', '.join(CALENDAR_NAMES)}")
    return _calendar(base, frozenset(closures))


def _add_calendar(d: dt.date, dur: Duration) -> dt.date:
    if dur.unit == "days":
        return d + dt.timedelta(days=dur.n)
    if dur.unit == "weeks":
        return d + dt.timedelta(weeks=dur.n)
    p = pendulum.Date(d.year, d.month, d.day)
    p = p.add(months=dur.n) if dur.unit == "months" else p.add(years=dur.n)
    return dt.date(p.year, p.month, p.day)


def subtract(d: dt.date, dur: Duration) -> dt.date:
    """d minus a calendar duration (days, weeks, months or years; months clip like add)."""
    if dur.unit == "working_days":
        raise ValueError("a working-day duration cannot be subtracted")
    if dur.unit in ("days", "weeks"):
        return d - dt.timedelta(days=dur.n * (7 if dur.unit == "weeks" else 1))
    p = pendulum.Date(d.year, d.month, d.day)
    p = p.subtract(months=dur.n) if dur.unit == "months" else p.subtract(years=dur.n)
    return dt.date(p.year, p.month, p.day)


@lru_cache(maxsize=1 << 16)
def due_date(start: dt.date, dur: Duration, calendar: Calendar, beginning_with: bool = False) -> dt.date:
    """The last day of a window of `dur` from `start`.

    By default `start` is day 0 (docs/rules.md). With beginning_with, `start` is the window's first
    day: one day earlier for calendar units; for working days the (N-1)-th working day after
    a working-day start (the N-th after a non-working one).
    """
    if dur.unit == "working_days":
        n = dur.n
        if beginning_with and calendar.is_working_day(start):
            n -= 1
        return calendar.add_working_days(start, n)
    end = _add_calendar(start, dur)
    return end - dt.timedelta(days=1) if beginning_with else end


def stop_length(start: dt.date, end: dt.date, calendar: Calendar, working: bool) -> int:
    """How far a clock stop from start to end moves a due date (docs/rules.md): the days from start up
    to but not including end, or with `working` the working days among them."""
    if end <= start:
        return 0
    if working:
        return calendar.working_days_between(start - dt.timedelta(days=1), end - dt.timedelta(days=1))
    return (end - start).days


def moved_due(due: dt.date, n: int, calendar: Calendar, working: bool) -> dt.date:
    """A due date moved later by n days (n working days with `working`) of stopped clock."""
    if n <= 0:
        return due
    return calendar.add_working_days(due, n) if working else due + dt.timedelta(days=n)


def year_window(d: dt.date, start: tuple[int, int]) -> tuple[dt.date, dt.date]:
    """The fixed year-long window holding d, beginning each year on start (month, day; never 29
    February): (its first day, the next window's first day). (4, 1): 1 April to 31 March."""
    first = dt.date(d.year, *start)
    if d < first:
        first = dt.date(d.year - 1, *start)
    return first, dt.date(first.year + 1, *start)


def yearly_windows(after: dt.date, windows):
    """Fixed windows recurring each year, such as school terms, in date order from the first that
    begins on or after `after`: (first day, last day) pairs. `windows` holds ((month, day), (month,
    day)) pairs, never 29 February; one whose last day comes before its first in the year runs over
    the year's end. Endless: take what is needed."""
    ordered = sorted(windows)
    year = after.year - 1
    while year < 9999:
        for (m1, d1), (m2, d2) in ordered:
            first = dt.date(year, m1, d1)
            if first >= after:
                yield first, dt.date(year + ((m2, d2) < (m1, d1)), m2, d2)
        year += 1


def windows_overlap(windows) -> tuple[dt.date, dt.date] | None:
    """Where yearly windows ((month, day), (month, day)) overlap: (the end of one, the start of the
    next that begins on or before it), else None. Laid out over three years in date order."""
    spans = sorted((dt.date(y, *a), dt.date(y + (b < a), *b)) for y in (2001, 2002, 2003) for a, b in windows)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        if start <= end:
            return end, start
    return None


def next_day(d: dt.date) -> dt.date:
    return d + dt.timedelta(days=1)


def days_between(start: dt.date, end: dt.date) -> int:
    """Calendar days from start to end."""
    return (end - start).days


def describe_due(dur: Duration, calendar: Calendar, beginning_with: bool = False, what: str = "the trigger") -> str:
    """The due-date arithmetic in plain English, for explanations and chronologies."""
    if dur.unit == "working_days":
        if beginning_with:
            text = (f"the {_ordinal(dur.n)} working day counting {what} as day 1 "
                    f"(the {_ordinal(dur.n)} after it if {what} is not a working day)")
        else:
            text = f"the {_ordinal(dur.n)} working day after {what}"
        if calendar.subdiv is None and not calendar.closures:
            return text + ", weekends excluded"
        return text + f", weekends and {calendar.days_off} excluded"
    base = f"{dur} after {what}"
    if dur.unit in ("months", "years"):
        base += " (the same day of the month, or the month's last day if it is shorter)"
    if beginning_with:
        return f"the day before the date {base} ({what} counts as the first day)"
    return "the date " + base


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- the same arithmetic over arrays of day ordinals (date.toordinal()), for the columnar path --

def _ordinals_table(calendar: Calendar, lo: int, hi: int):
    """The calendar's working-day tables as numpy arrays, covering ordinals lo..hi."""
    import numpy as np
    calendar._cover(dt.date.fromordinal(lo).year, dt.date.fromordinal(hi).year)
    return np.asarray(calendar._cum, dtype=np.int64), np.asarray(calendar._days, dtype=np.int64), calendar._base


def due_dates(starts, dur: Duration, calendar: Calendar, beginning_with: bool = False):
    """due_date for each ordinal in the int64 array `starts`: the same answers, as ordinals."""
    import numpy as np
    starts = np.asarray(starts, dtype=np.int64)
    if len(starts) == 0:
        return starts
    if dur.unit == "working_days":
        cum, days, base = _ordinals_table(calendar, int(starts.min()), int(starts.max()) + dur.n * 2 + 60)
        before = cum[starts - base]  # working days up to and including the start
        n = np.full(len(starts), dur.n, dtype=np.int64)
        if beginning_with:
            prev = np.where(starts - base > 0, cum[np.maximum(starts - base - 1, 0)], 0)
            n -= (before != prev)  # the start is a working day: it is day 1
        return np.where(n <= 0, starts, days[np.maximum(before + n - 1, 0)])
    end = _shift_ordinals(starts, dur, 1)
    return end - 1 if beginning_with else end


def subtract_ordinals(days, dur: Duration):
    """subtract for each ordinal in the int64 array `days` (calendar units only)."""
    import numpy as np
    days = np.asarray(days, dtype=np.int64)
    if dur.unit == "working_days":
        raise ValueError("a working-day duration cannot be subtracted")
    return _shift_ordinals(days, dur, -1) if len(days) else days


def _shift_ordinals(days, dur: Duration, sign: int):
    """days plus (sign 1) or minus (sign -1) a calendar duration, as ordinals."""
    import numpy as np
    if dur.unit in ("days", "weeks"):
        return days + sign * dur.n * (7 if dur.unit == "weeks" else 1)
    # Months and years clip to the end of a shorter month, as pendulum's add and subtract do.
    epoch = dt.date(1970, 1, 1).toordinal()
    d64 = (days - epoch).astype("datetime64[D]")
    month = d64.astype("datetime64[M]")
    day = (d64 - month.astype("datetime64[D]")).astype(np.int64)  # 0-based day of the month
    target = month + sign * dur.n * (12 if dur.unit == "years" else 1)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (target.astype("datetime64[D]").astype(np.int64) + np.minimum(day, length - 1)) + epoch


def working_days_between_ordinals(starts, ends, calendar: Calendar):
    """Calendar.working_days_between for arrays of ordinals."""
    import numpy as np
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    if len(starts) == 0:
        return starts
    cum, _, base = _ordinals_table(calendar, int(min(starts.min(), ends.min())), int(max(starts.max(), ends.max())))
    return cum[ends - base] - cum[starts - base]
