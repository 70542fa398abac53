"""`casecheck calendar`: the due-date arithmetic an investigator checks by hand, in the calendar
the rules use: a named one, a ruleset's own (with its closure days), or the settings file's."""

from __future__ import annotations


import click

from .common import default_calendar, load_rules_or_bundled, report_errors
from ..dates import Calendar, DateOutOfRange, calendar_for, days_between, describe_due, due_date


def choose(calendar_name, closed, rules_paths, ruleset) -> Calendar:
    """--calendar NAME, else the calendar of --rules (of --ruleset NAME among them), else the
    settings file's; --closed days are added to whichever it is."""
    if ruleset and not rules_paths:
        raise click.UsageError("--ruleset chooses among the rule files given with --rules: give them too")
    if calendar_name:
        cal = calendar_for(calendar_name)
    elif rules_paths:
        cal = _rules_calendar(rules_paths, ruleset)
    else:
        cal = default_calendar()
    return calendar_for(cal.base, set(cal.closures) | set(closed)) if closed else cal


def _rules_calendar(rules_paths, ruleset) -> Calendar:
    rules, errors = load_rules_or_bundled(rules_paths)
    if errors:
        report_errors(errors)
        raise SystemExit(2)
    sets = {r.ruleset.name: r.ruleset for r in rules}
    if ruleset is not None:
        if ruleset not in sets:
            raise click.UsageError(f"no ruleset {ruleset!r} in --rules (rulesets: {', '.join(sorted(sets))})")
        return sets[ruleset].calendar
    cals = {id(rs.calendar): rs.calendar for rs in sets.values()}
    if len(cals) > 1:
        raise click.UsageError("the rule files name different calendars; choose one with --ruleset NAME "
                               f"({', '.join(sorted(sets))})")
    return next(iter(cals.values()))


def calendar_add(start, duration, beginning_with, cal: Calendar) -> int:
    try:
        due = due_date(start, duration, cal, beginning_with)
    except DateOutOfRange as e:
        click.echo(f"casecheck: {e}", err=True)
        return 2
    click.echo(f"{due.isoformat()} ({due:%A} {due.day} {due:%B %Y})")
    click.echo(f"= {describe_due(duration, cal, beginning_with, 'the start')}, starting from {start} ({start:%A}).")
    if duration.unit == "working_days":
        skipped = cal.holidays_between(start, due)
        if skipped:
            click.echo(f"{_days_off(cal)} skipped: " + ", ".join(f"{d} ({d:%a})" for d in skipped))


def calendar_between(start, end, cal: Calendar) -> int:
    click.echo(f"{days_between(start, end)} calendar days, {cal.working_days_between(start, end)} working days "
               f"from {start} ({start:%a}) to {end} ({end:%a}); working days are Monday to Friday"
               + (f" less {cal.days_off}." if cal.days_off != "none" else "."))
    lo, hi = min(start, end), max(start, end)
    skipped = cal.holidays_between(lo, hi)
    if skipped:
        click.echo(f"{_days_off(cal)} in between: " + ", ".join(f"{d} ({d:%a})" for d in skipped))


def _days_off(cal: Calendar) -> str:
    if not cal.closures:
        return "Bank holidays"
    return "Bank holidays and closure days" if cal.subdiv else "Closure days"
