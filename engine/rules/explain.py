"""Rules in plain English: a one-line window for listings, and a full explanation."""

from __future__ import annotations

from ..dates import describe_due
from ..model import Rule, plain_quotes


def _types(types) -> str:
    names = [f"`{t}`" for t in sorted(types)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def window(rule: Rule) -> str:
    """'15 working days', 'every 3 months (first 20 working days, 3 months)', 'at most 9 months'."""
    if rule.kind == "response":
        return str(rule.within) + (f" (extendable to {rule.extend_to})" if rule.extend_to else "")
    if rule.kind == "every":
        text = f"every {rule.every}"
        if rule.first:
            text += " (first " + ", then ".join(str(d) for d in rule.first) + ")"
        for after, every in rule.then:
            text += f"; every {every} after {after}"
        return text
    if rule.kind == "max_duration":
        return f"at most {rule.limit}" + (f" (extendable to {rule.extend_to})" if rule.extend_to else "")
    return f"at most {rule.limit} in any {rule.window}"


def _where(rule: Rule) -> str:
    if not rule.where:
        return ""
    parts = []
    for k, values in rule.where.items():
        shown = sorted("absent" if v is None else repr(v) for v in values)
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
        text += _extension(rule, "the trigger", "due date") + _clock_stops(rule)
    elif rule.kind == "every":
        first = rule.first or (rule.every,)
        text = (f"While a period is open, from {_types(rule.start)}{_where(rule)}"
                + (f" until {_types(rule.until)}" if rule.until else " (it never closes)") + f", a {_types(rule.expect)} "
                f"event is needed regularly. The first is due on {describe_due(first[0], cal, bw, 'the start of the period')}")
        for i, dur in enumerate(first[1:], start=2):
            text += f"; the {_nth(i)} on {describe_due(dur, cal, bw, 'the one before')}"
        text += f"; after that each is due on {describe_due(rule.every, cal, bw, 'the one before')}"
        for after, every in rule.then:
            text += f" ({every} instead once {after} has passed since the start)"
        text += (". Each is met if on or before its due date, late if after; a window with nothing by its due date "
                 "is missing (when the period closes, or by the as-at date).")
    elif rule.kind == "max_duration":
        text = (f"A period from {_types(rule.start)}{_where(rule)}"
                + (f" to {_types(rule.until)}" if rule.until else "") +
                f" must end by {describe_due(rule.limit, cal, bw, 'its start')}: met if it does, exceeded if it ends later "
                "or is still open after that date." + _extension(rule, "its start", "limit date"))
    else:
        text = (f"Periods from {_types(rule.start)}{_where(rule)}" + (f" to {_types(rule.until)}" if rule.until else "") +
                f" may add up to at most {rule.limit} within any {rule.window} (a period from one date to another counts "
                "the days between them). Each period is exceeded from the first day the total over the "
                f"{rule.window} ending that day passes {rule.limit}.")
    lines += ["", text, "", scope(rule), _in_force(rule)]
    if rule.description:
        lines += ["", rule.description.strip()]
    text = "\n".join(lines)
    return text if markdown else plain_quotes(text)


def _extension(rule: Rule, start: str, what: str) -> str:
    if rule.extend_to is None:
        return ""
    return (f" A {_types(rule.extend_by)} event" + (" with the same " + ", ".join(f"`{m}`" for m in rule.match)
                                                     if rule.match else "") +
            f" on or before the {what} extends it, once or more, to at most "
            f"{describe_due(rule.extend_to, rule.calendar, rule.beginning_with, start)}; if the event carries a `due` "
            f"date, to that date instead (never past that cap, never earlier than the {what} it replaces). An "
            f"extension after the {what} has passed extends nothing.")


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
    current = None
    for r in rules:
        if r.ruleset.name != current:
            current = r.ruleset.name
            out += [f"## {r.ruleset.title}", "", f"Ruleset `{r.ruleset.name}`" +
                    (f". Source: {r.ruleset.source.strip()}" if r.ruleset.source else ""), ""]
        out += [f"### {r.id}: {r.title}", "",
                f"{r.severity.capitalize()}, `{r.kind}`, {window(r)}." + (f" Citation: {r.cite}" if r.cite else ""), ""]
        out += [explain(r, markdown=True).split("\n\n", 1)[1].strip(), ""]
        if r.examples:
            out += ["```yaml", yaml.safe_dump(_plain(r.examples), sort_keys=False, allow_unicode=True,
                                              default_flow_style=None, width=100).rstrip(), "```", ""]
    return "\n".join(out)
