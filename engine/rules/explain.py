"""Rules in plain English: a one-line window for listings, and a full explanation."""

from __future__ import annotations

import calendar

from ..dates import describe_due
from ..model import Not, Rule, plain_quotes
from . import coverage, successive
from .verification import describe as describe_verification


def _types(types) -> str:
    names = [f"`{t}`" for t in sorted(types)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def window(rule: Rule) -> str:
    """'15 working days', 'every 3 months (first 20 working days, 3 months)', 'at most 9 months'."""
    if rule.kind == "response":
        return str(rule.within) + (f" (extendable to {rule.extend_to})" if rule.extend_to else "")
    if rule.kind == "every" and rule.windows:
        return "one in each of " + _windows(rule)
    if rule.kind == "every":
        text = f"every {rule.every}"
        if rule.first:
            text += " (first " + ", then ".join(str(d) for d in rule.first) + ")"
        for after, every in rule.then:
            text += f"; every {every} after {after}"
        for under, every in rule.by_age:
            text += f"; every {every} under {under} of age"
        for sw in rule.switch:
            text += f"; every {sw.every} once {_types(sw.on)}"
        return text
    if rule.kind == "max_duration":
        return f"at most {rule.limit}" + (f" (extendable to {rule.extend_to})" if rule.extend_to else
                                          successive.window(rule) if rule.extend_each else "")
    if rule.window_start is not None:
        return f"at most {rule.limit} in each year from {_day_of_year(rule.window_start)}"
    return f"at most {rule.limit} in any {rule.window}"


def _windows(rule: Rule) -> str:
    """'1 September to 31 December, 1 January to 31 March and 1 April to 31 July'."""
    spans = [f"{_day_of_year(a)} to {_day_of_year(b)}" for a, b in rule.windows]
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]


def _day_of_year(start: tuple[int, int]) -> str:
    """(4, 1) -> '1 April'."""
    return f"{start[1]} {calendar.month_name[start[0]]}"


def _where(rule: Rule, conditions: dict | None = None) -> str:
    conditions = rule.where if conditions is None else conditions
    if not conditions:
        return ""
    parts = []
    for k, values in conditions.items():
        shown = sorted("absent" if v is None else repr(v) for v in values)
        if isinstance(values, Not):
            which = f"neither {', '.join(shown[:-1])} nor {shown[-1]}" if len(shown) > 1 else f"not {shown[0]}"
            parts.append(f"`{k}` is {which}" + ("" if None in values else ", or is absent"))
        else:
            parts.append(f"`{k}` is {' or '.join(shown)}")
    return " (only those whose " + " and ".join(parts) + ")"


def scope(rule: Rule) -> str:
    """`applies_to` in words: which cases the rule judges."""
    if not rule.applies_to:
        return "Applies to: every case."
    parts = []
    for k, values in rule.applies_to.items():
        name = "the case identifier" if k == "case" else f"the case attribute `{k}`"
        shown = sorted("absent" if v is None else repr(v) for v in values)
        parts.append(f"{name} is {' or '.join(shown)}")
    # every case has an identifier: only other attributes can be absent
    absent_ok = all(None in values for k, values in rule.applies_to.items() if k != "case")
    return ("Applies to: only cases where " + " and ".join(parts) +
            ("." if absent_ok else "; a case without the attribute is not judged by this rule."))


def _in_force(rule: Rule) -> str:
    lo, hi = rule.in_force
    if lo is None and hi is None:
        text = "In force: always (no dates set)."
    else:
        span = (f"from {lo}" if lo else "") + (" " if lo and hi else "") + (f"until {hi}" if hi else "")
        text = (f"In force {span}: only deadlines falling within these dates are judged; a continuing duty "
                "still unmet when it comes into force is judged from that day.")
    for start, end, by in rule.suspended:
        text += (f" Suspended from {start} to {end} ({by}): deadlines falling due then are not judged; a "
                 "continuing duty still unmet when the suspension ends is judged from the next day.")
        if (start, end, by) in rule.saved:
            text += " Kept on after it by a saving: nothing begun within it is judged, whenever it falls due."
    return text


def explain(rule: Rule, markdown: bool = False) -> str:
    """The rule in plain English, including its exact due-date arithmetic (names as `code` in
    Markdown, in 'quotes' in text, where a backtick would show)."""
    cal = rule.calendar
    bw = rule.beginning_with
    lines = [f"{rule.id}: {rule.title}",
             f"Standard: {rule.ruleset.title or rule.ruleset.name} (ruleset {rule.ruleset.name}, {rule.file})"]
    if rule.cite:
        lines.append(f"Citation: {rule.cite}")
    lines.append(f"Verification: {describe_verification(rule.verification)}")
    lines.append("Severity: " + ("breach: a breach of it makes `casecheck check` exit 1." if rule.severity == "breach"
                                 else "warning: reported, but never makes `casecheck check` fail."))
    if rule.kind == "response":
        text = (f"Each {_types(rule.trigger)} event{_where(rule)} starts a deadline for {_types(rule.expect)}"
                + (f" with the same {', '.join(f'`{m}`' for m in rule.match)}" if rule.match else "") + ". "
                f"It is due on {describe_due(rule.within, cal, bw, 'the ' + _types(rule.trigger))}. "
                "The first such event on or after the trigger answers it: met if on or before the due date, late if after.")
        if rule.optional:
            text += " The expected event need not happen at all: only its timing is judged when it does."
        else:
            text += " If none has come once the due date has passed, it is missing."
        if rule.unless:
            text += (f" A {_types(rule.unless)} event on or before the due date withdraws it; one after the due date, "
                     "while it is still open, ends it as missing on that event's date (the duty lapsed undone).")
        if rule.fallback_trigger:
            text += (f" Where no {_types(rule.trigger)} event" + (" with the same " + ", ".join(f"`{m}`" for m in rule.match)
                                                                 if rule.match else "") +
                     f" is recorded before it, a {_types(rule.fallback_trigger)} event starts the deadline instead, "
                     "and the finding's note says so; a later trigger takes that deadline over.")
        text += _extension(rule, "the trigger", "due date") + _clock_stops(rule)
    elif rule.kind == "every" and rule.windows:
        text = (f"While a period is open, from {_types(rule.start)}{_where(rule)}"
                + (f" until {_types(rule.until)}{_where(rule, rule.until_where)}" if rule.until else " (it never closes)")
                + f", a {_types(rule.expect)} event is needed in each of these windows every year: {_windows(rule)}. "
                "Only a window the period covers throughout is judged (begun on or after the period's first day, "
                "ended before the day it closes). The first such event within a window meets it (due: the "
                "window's last day); a window with none is missing once it has ended, counted to the next such "
                "event, the period's close or the as-at date, whichever comes first.")
    elif rule.kind == "every":
        first = rule.first or (rule.every,)
        text = (f"While a period is open, from {_types(rule.start)}{_where(rule)}"
                + (f" until {_types(rule.until)}{_where(rule, rule.until_where)}" if rule.until else " (it never closes)") + f", a {_types(rule.expect)} "
                f"event is needed regularly. The first is due on {describe_due(first[0], cal, bw, 'the start of the period')}")
        for i, dur in enumerate(first[1:], start=2):
            text += f"; the {_nth(i)} on {describe_due(dur, cal, bw, 'the one before')}"
        text += f"; after that each is due on {describe_due(rule.every, cal, bw, 'the one before')}"
        for after, every in rule.then:
            text += f" ({every} instead once {after} has passed since the start)"
        for under, every in rule.by_age:
            text += (f" ({every} instead for a window that opens before the child is {under} old, by the case's "
                     "`date_of_birth`; without one that limb is not checked and each finding's note says so)")
        for sw in rule.switch:
            text += (f" ({sw.every} instead from the first {_types(sw.on)} event of the period"
                     + (f", but not before {sw.after} after the last {_types(sw.since)} event" if sw.since else "")
                     + (f", until a {_types(sw.off)} event, after which the usual interval runs from the later "
                        "of the last anchor and that event" if sw.off else "")
                     + "; the window open when it comes on runs that long from its anchor, where it was not "
                     "already overdue)")
        text += (". Each is met if on or before its due date, late if after; a window with nothing by its due date "
                 "is missing (when the period closes, or by the as-at date).")
    elif rule.kind == "max_duration":
        text = (f"A period from {_types(rule.start)}{_where(rule)}"
                + (f" to {_types(rule.until)}{_where(rule, rule.until_where)}" if rule.until else "") +
                f" must end by {describe_due(rule.limit, cal, bw, 'its start')}: met if it does, exceeded if it ends later "
                "or is still open after that date." + _extension(rule, "its start", "limit date") + _lift(rule))
    elif rule.window_start is not None:
        first = _day_of_year(rule.window_start)
        text = (f"Periods from {_types(rule.start)}{_where(rule)}" + (f" to {_types(rule.until)}{_where(rule, rule.until_where)}" if rule.until else "") +
                f" may add up to at most {rule.limit} in each year from {first} (fixed years, not rolling; a period "
                "from one date to another counts the days between them). A period with days in two years is judged "
                "in each: exceeded from the first day that year's total passes "
                f"{rule.limit}.")
    else:
        text = (f"Periods from {_types(rule.start)}{_where(rule)}" + (f" to {_types(rule.until)}{_where(rule, rule.until_where)}" if rule.until else "") +
                f" may add up to at most {rule.limit} within any {rule.window} (a period from one date to another counts "
                "the days between them). Each period is exceeded from the first day the total over the "
                f"{rule.window} ending that day passes {rule.limit}.")
    lines += ["", text, "", scope(rule), _in_force(rule)]
    if rule.description:
        lines += ["", rule.description.strip()]
    text = "\n".join(lines)
    return text if markdown else plain_quotes(text)


def _extension(rule: Rule, start: str, what: str) -> str:
    if rule.extend_each is not None:
        return successive.describe(rule)
    if rule.extend_to is None:
        return ""
    return (f" A {_types(rule.extend_by)} event" + (" with the same " + ", ".join(f"`{m}`" for m in rule.match)
                                                     if rule.match else "") +
            f" on or before the {what} extends it, once or more, to at most "
            f"{describe_due(rule.extend_to, rule.calendar, rule.beginning_with, start)}; if the event carries a `due` "
            f"date, to that date instead (never past that cap, never earlier than the {what} it replaces). An "
            f"extension after the {what} has passed extends nothing.")


def _lift(rule: Rule) -> str:
    text = ""
    if rule.counts_from[0]:
        text += (f" A period that starts while a {_types(rule.counts_from[0])} period is running (begun on or before "
                 f"its day, not ended by {_types(rule.counts_from[1])} on an earlier day) counts from that period's "
                 "start instead, and the finding's note says so.")
    if rule.lift_by:
        text += (f" A {_types(rule.lift_by)} event on or before the limit date lifts the limit until a "
                 f"{_types(rule.lift_until)} event; the limit is then the later of that event's date and the limit "
                 "it had. One after the limit date lifts nothing.")
    return text


def _clock_stops(rule: Rule) -> str:
    if not rule.paused_by:
        return ""
    unit = "working days" if rule.within.unit == "working_days" else "days"
    return (f" A {_types(rule.paused_by)} event on or before the due date stops the clock and a "
            f"{_types(rule.resumed_by)} event starts it again; the due date moves later by the {unit} it was stopped. "
            f"A deadline that starts while the clock is stopped starts stopped, and while it is stopped it is "
            "never late or missing.")


def _nth(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth"}.get(n, f"{n}th")


def _plain(value):
    """Loader data (LineDicts, dates) as plain YAML-dumpable values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def library_markdown(rules: list[Rule]) -> str:
    """docs/library.md: every rule with its explanation and its examples, ruleset by ruleset."""
    import yaml

    out = ["# Rule library", "",
           "Every bundled rule: what it checks, where it comes from, and the examples it is tested with",
           "(`casecheck rules test`). Written by `casecheck rules list --format markdown > docs/library.md`;",
           "edit the rule files, not this page.", ""]
    if coverage.covers_bundled(rules):
        out += coverage.table(rules)
    out += [verification_counts(rules), ""]
    current = None
    for r in rules:
        if r.ruleset.name != current:
            current = r.ruleset.name
            out += [f"## {r.ruleset.title}", "", f"Ruleset `{r.ruleset.name}`" +
                    (f". Source: {r.ruleset.source.strip()}" if r.ruleset.source else ""), ""]
        out += [f"### {r.id}: {r.title}", "",
                f"{r.severity.capitalize()}, `{r.kind}`, {window(r)}." + (f" Citation: {r.cite}" if r.cite else ""), "",
                f"Verification: {describe_verification(r.verification)}", ""]
        out += [explain(r, markdown=True).split("\n\n", 1)[1].strip(), ""]
        if r.examples:
            out += ["```yaml", yaml.safe_dump(_plain(r.examples), sort_keys=False, allow_unicode=True,
                                              default_flow_style=None, width=100).rstrip(), "```", ""]
    return "\n".join(out)


def verification_counts(rules: list[Rule]) -> str:
    """'33 of 48 rules' citations verified in the primary text; 10 from a secondary source only; 5 not verified.'"""
    counts = {s: 0 for s in ("verified", "secondary", "unverified", None)}
    for r in rules:
        counts[(r.verification or {}).get("status")] += 1
    text = (f"{counts['verified']} of {len(rules)} rules' citations verified in the primary text; "
            f"{counts['secondary']} from a secondary source only; {counts['unverified']} not verified")
    if counts[None]:
        text += f"; {counts[None]} with no verification recorded"
    return text + "."
