"""`casecheck calendar`: the due-date arithmetic an investigator checks by hand."""

from __future__ import annotations


import click

from .common import default_calendar
from ..dates import calendar_for, days_between, describe_due, due_date


def calendar_add(start, duration, beginning_with, calendar_name) -> int:
    cal = calendar_for(calendar_name) if calendar_name else default_calendar()
    due = due_date(start, duration, cal, beginning_with)
    click.echo(f"{due.isoformat()} ({due:%A} {due.day} {due:%B %Y})")
    click.echo(f"= {describe_due(duration, cal, beginning_with, 'the start')}, starting from {start} ({start:%A}).")
    if duration.unit == "working_days":
        skipped = cal.holidays_between(start, due)
        if skipped:
            click.echo("Bank holidays skipped: " + ", ".join(f"{d} ({d:%a})" for d in skipped))


def calendar_between(start, end, calendar_name) -> int:
    cal = calendar_for(calendar_name) if calendar_name else default_calendar()
    click.echo(f"{days_between(start, end)} calendar days, {cal.working_days_between(start, end)} working days "
               f"from {start} ({start:%a}) to {end} ({end:%a}).")
    lo, hi = min(start, end), max(start, end)
    skipped = cal.holidays_between(lo, hi)
    if skipped:
        click.echo("Bank holidays in between: " + ", ".join(f"{d} ({d:%a})" for d in skipped))
