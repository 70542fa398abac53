"""The data casecheck works on: events, cases, rules and the findings a replay produces."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .dates import Calendar, Duration

BREACHES = ("late", "missing", "exceeded")
STATUSES = ("met", "due", "withdrawn") + BREACHES
KINDS = ("response", "every", "max_duration", "max_total")
# The event that says who holds a case from its date (docs/rules.md, "Who held the case"): it reaches
# every replay although no rule names it.
WORKER_ALLOCATED = "worker_allocated"
SEVERITIES = ("breach", "warning")


@dataclass(slots=True)
class Event:
    date: dt.date
    type: str
    attrs: dict = field(default_factory=dict)
    seq: int = 0  # position in the input (file order, then order within the file): breaks date ties
    source: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class SourceKind:
    """A kind of source a case was read from (a council return), and the event types it can record.

    A rule whose expected events such a source cannot record is not judged on its cases: its
    findings would say what the return leaves out, not what practice did (a decision the README records)."""

    name: str
    event_types: frozenset[str]

    def merged(self, other: "SourceKind") -> "SourceKind":
        """One child read from two returns (a census and an Annex A workbook) can hold either's events."""
        if other == self:
            return self
        return SourceKind(" + ".join(sorted(set(self.name.split(" + ")) | set(other.name.split(" + ")))),
                          self.event_types | other.event_types)


@dataclass(slots=True)
class Case:
    id: str
    attrs: dict = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    source: str = ""
    source_kind: SourceKind | None = None  # None: a case file or event log, which can record any event


@dataclass(slots=True)
class Ruleset:
    name: str
    title: str = ""
    source: str = ""
    file: str = ""
    calendar: Calendar | None = None
    in_force: tuple[dt.date | None, dt.date | None] = (None, None)
    applies_to: dict[str, frozenset] = field(default_factory=dict)


class Not(frozenset):
    """`where: {attribute: {not: values}}`: the values an event's attribute must not have (an event
    without the attribute matches, unless the values list null). Equal only to another Not."""

    __slots__ = ()

    def __eq__(self, other):
        return isinstance(other, Not) and frozenset.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(("not", frozenset(self)))

    def __repr__(self):
        return f"Not({set(self)!r})"

    def __reduce__(self):
        return Not, (frozenset(self),)


def attrs_match(conditions: dict, attrs: dict) -> bool:
    """`where` (or `until_where`) against an event's attributes: each named attribute's value among
    the listed values (null standing for absent), or, for a Not, not among them."""
    return all((attrs.get(k) in values) != isinstance(values, Not) for k, values in conditions.items())
@dataclass(frozen=True, slots=True)
class Switch:
    """`every` rules: a change of interval an event brings (reg 28(4): 4-weekly from the first
    review; reg 28(3A): 6-monthly once the child agrees, a year after long-term fostering was
    confirmed). On from the later of the first `on` (`switch.from`) event in the period and `after`
    past the last `since` event (if given), until an `off` (`switch.until`) event."""

    on: frozenset[str]
    every: Duration
    off: frozenset[str] = frozenset()
    since: frozenset[str] = frozenset()
    after: Duration | None = None

    def event_types(self) -> frozenset[str]:
        return self.on | self.off | self.since


@dataclass(slots=True, eq=False)
class Rule:
    """One timescale, validated and ready to replay (see docs/rules.md)."""

    id: str
    kind: str
    ruleset: Ruleset
    calendar: Calendar
    title: str = ""
    cite: str = ""
    severity: str = "breach"
    trigger: frozenset[str] = frozenset()
    expect: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    start: frozenset[str] = frozenset()  # `from`
    until: frozenset[str] = frozenset()
    within: Duration | None = None
    lookback: Duration | None = None  # response: an expect this long before the trigger answers it too
    every: Duration | None = None
    first: tuple[Duration, ...] = ()  # the first windows of a period, in order; then `every`
    then: tuple[tuple[Duration, Duration], ...] = ()  # (after, every): intervals once a phase begins
    limit: Duration | None = None
    window: Duration | None = None  # max_total: the rolling window the limit applies in
    match: tuple[str, ...] = ()
    where: dict[str, frozenset[str]] = field(default_factory=dict)  # on the trigger or `from` events
    until_where: dict[str, frozenset[str]] = field(default_factory=dict)  # on the `until` events
    window_start: tuple[int, int] | None = None  # max_total: (month, day) fixed windows begin; None: rolling
    beginning_with: bool = False
    optional: bool = False  # response only: the expected event may never come (judge timing only)
    extend_by: frozenset[str] = frozenset()  # response, max_duration: events that extend the deadline
    extend_to: Duration | None = None  # ... up to this long after the trigger (or period start)
    extend_each: Duration | None = None  # or (max_duration) by up to this long at a time, repeatedly
    extend_after: str = "end"  # ... measured from the end of the period extended, or the "extension" event
    # response: events that start the obligation only where no `trigger` event agreeing on `match`
    # was recorded (stage 2 counted from its start where the request is not recorded); noted.
    fallback_trigger: frozenset[str] = frozenset()
    # max_duration: an event on or before the limit lifts it until a `lift_until` event (reg 25(3):
    # approval extended "until the outcome of the review is known"); the limit is then that date.
    lift_by: frozenset[str] = frozenset()
    lift_until: frozenset[str] = frozenset()
    # max_duration: a period opened while one of these is running counts from that one's start
    # (Children Act 1989 s45(3): an EPO made during police protection): (from types, until types).
    counts_from: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    # every: (under age, every) - a window anchored while the child (case attribute `date_of_birth`)
    # is under that age uses that interval instead of `every`/`then`.
    by_age: tuple[tuple[Duration, Duration], ...] = ()
    switch: tuple[Switch, ...] = ()  # every: intervals an event switches on (and off)
    # every: fixed windows recurring each year (school terms), ((month, day), (month, day)) each,
    # instead of intervals: each window wholly within a period needs an `expect` within it
    windows: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    paused_by: frozenset[str] = frozenset()  # response: events that stop the clock
    resumed_by: frozenset[str] = frozenset()  # ... and those that restart it
    in_force: tuple[dt.date | None, dt.date | None] = (None, None)
    applies_to: dict[str, frozenset] = field(default_factory=dict)  # case attribute -> values: the cases it judges
    # Periods the timescale did not apply (a temporary relaxation: SI 2020/445 replaced "within 7
    # days" by "as soon as reasonably practicable"): (from, until, what relaxed it), both ends included.
    suspended: tuple[tuple[dt.date, dt.date, str], ...] = ()
    # Those of them a saving provision keeps on for what began within them (SI 2020/445 Part 13):
    # an obligation or window whose trigger (or anchor) falls in one is not judged, whenever due.
    saved: tuple[tuple[dt.date, dt.date, str], ...] = ()
    description: str = ""
    # Whether the citation was read in the primary text: {"status": verified|secondary|unverified,
    # "where": what was read, "when": date read}; None where the rule file gives none.
    verification: dict | None = None
    examples: list = field(default_factory=list)
    file: str = ""
    line: int | None = None

    def event_types(self) -> frozenset[str]:
        """Every event type this rule reacts to."""
        return (self.trigger | self.expect | self.unless | self.start | self.until | self.extend_by
                | self.paused_by | self.resumed_by | self.fallback_trigger | self.lift_by | self.lift_until
                | self.counts_from[0] | self.counts_from[1] | frozenset().union(*(s.event_types() for s in self.switch)))

    def in_force_on(self, d: dt.date) -> bool:
        lo, hi = self.in_force
        return (lo is None or lo <= d) and (hi is None or d <= hi) and not any(
            start <= d <= end for start, end, _ in self.suspended)


@dataclass(frozen=True, slots=True)
class ClockStop:
    """A stop of an obligation's clock (docs/rules.md): from a `paused_by` event's date until a
    `resumed_by` event's date, or None while it was still running when the finding was judged."""

    start: dt.date
    until: dt.date | None = None

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "until": None if self.until is None else self.until.isoformat()}


@dataclass(frozen=True, slots=True)
class ExceptionEntry:
    """One entry of an exceptions register (docs/formats.md): a breach accepted with a recorded reason."""

    case: str
    rule: str
    trigger: dt.date
    reason: str
    approved_by: str
    approved_on: dt.date
    due: dt.date | None = None
    file: str = ""
    line: int | None = None

    def as_dict(self) -> dict:
        """As the JSON `exception` field of an excused finding."""
        return {"reason": self.reason, "approved_by": self.approved_by, "approved_on": self.approved_on.isoformat(),
                "file": self.file, "line": self.line}


@dataclass(slots=True)
class Finding:
    case: str
    rule: Rule
    status: str
    trigger: Event
    due: dt.date
    actual: Event | None = None
    days_late: int = 0
    working_days_late: int = 0
    case_attrs: dict = field(default_factory=dict)
    worker: str | None = None  # who held the case on the due date (docs/rules.md, "Who held the case")
    team: str | None = None
    extension: Event | None = None  # the event that extended the deadline
    clock_stops: tuple[ClockStop, ...] = ()
    exception: ExceptionEntry | None = None  # set when an exceptions register excuses this breach
    # What the reader should know about how it was judged (a limb not checked for want of a date
    # of birth; a deadline counted from a later event than the law's): JSON `note`, a text line.
    note: str | None = None

    @property
    def is_breach(self) -> bool:
        return self.status in BREACHES

    @property
    def excused(self) -> bool:
        """A breach recorded in an exceptions register: still reported, never counted as a breach."""
        return self.exception is not None

    @property
    def fails_check(self) -> bool:
        """A breach of a `breach`-severity rule, not excused: what makes `casecheck check` exit 1."""
        return self.status in BREACHES and self.rule.severity == "breach" and self.exception is None

    @property
    def severity(self) -> str:
        return self.rule.severity

    def sort_key(self):
        return (self.case, self.due, self.rule.id, self.trigger.date, self.trigger.seq)


# More bad records than this in one file (or one council return) and the rest is not read: a
# source that bad is probably not what it seems. Shared by every reader.
MAX_ERRORS_PER_FILE = 50


def plain_quotes(message: str) -> str:
    """A message as people read it outside Markdown: a name the code writes as `field` in 'quotes'."""
    return message.replace("`", "'")


@dataclass(frozen=True, slots=True)
class InputError:
    """Input that could not be read: which file, which line where there is one, and what."""

    file: str
    line: int | None
    message: str

    def __post_init__(self):
        object.__setattr__(self, "message", plain_quotes(self.message))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}


class InputProblem(Exception):
    """Raised by the loaders for a bad file or record; carries the InputError to report."""

    def __init__(self, file: str, line: int | None, message: str):
        super().__init__(plain_quotes(message))
        self.error = InputError(file, line, message)

    def __reduce__(self):
        # Rebuilt whole when raised in a worker process and passed back to the parent.
        return (InputProblem, (self.error.file, self.error.line, self.error.message))
