"""Plain-language words for event types, statuses and rules, shared by the views for people.

Event types read as words: the vocabulary's meaning where engine/rules/vocabulary.yaml has the type,
and the snake_case name humanised either way ("cin_meeting" -> "CIN meeting").
"""

from __future__ import annotations

from ..rules.explain import window
from ..model import WORKER_ALLOCATED, Finding, Rule
from ..rules.eventwords import event_words, types_words  # the views' words for event types too
from ..rules.vocabulary import vocabulary

# A mark per status, so that no view tells a status by colour alone.
STATUS_MARKS = {"met": "✓", "due": "…", "withdrawn": "–", "late": "!", "missing": "✗", "exceeded": "»"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '1 breach', '3 breaches' (many: the plural where it is not word + s)."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def days_words(days: int, working_days: int) -> str:
    """'1 day (1 working day)', '35 days (25 working days)'."""
    return f"{plural(days, 'day')} ({plural(working_days, 'working day')})"


def long_date(d) -> str:
    """A date as people read it: 'Tuesday 15 February 2022'."""
    return f"{d:%A} {d.day} {d:%B %Y}"


def short_date(d) -> str:
    """'15 February 2022'."""
    return f"{d.day} {d:%B %Y}"


def holder(f: Finding, level: str) -> str | None:
    """Who held the case on the due date (`worker` or `team`): the finding's, else the case attribute."""
    value = getattr(f, level)
    return value if value is not None else f.case_attrs.get(level)


def event_phrase(event_type: str) -> str:
    """How an event reads after "after", "since" or at a sentence's start, with its article: the
    vocabulary's phrase ("the child became looked after"), else "the CIN meeting"."""
    entry = vocabulary().get(event_type)
    return entry.phrase if entry is not None and entry.phrase else "the " + event_words(event_type)


def who(worker: str | None, team: str | None) -> str:
    """'W-Cedar (CIN North)', 'W-Cedar', 'team CIN North', or '' when neither is known."""
    if worker:
        return worker + (f" ({team})" if team else "")
    return f"team {team}" if team else ""


def held_on_due_date(f: Finding, as_at=None) -> str:
    """'W-Cedar (CIN North) held the case on the due date', as the JSON's worker and team say
    ('holds the case' when the due date is not yet past), or '' when neither is known."""
    name = who(holder(f, "worker"), holder(f, "team"))
    if not name:
        return ""
    return f"{name} holds the case" if as_at is not None and f.due >= as_at else \
        f"{name} held the case on the due date"


def current_holder(case, as_at) -> tuple[str | None, str | None, object]:
    """(worker, team, since) holding the case at as_at, as a finding due that day would be held:
    each from the last `worker_allocated` event on or before as_at that gives it, else the case's
    attribute; `since` is the date the current worker (or team) took the case, None when no
    allocation says."""
    allocations = sorted((e for e in case.events if e.type == WORKER_ALLOCATED and e.date <= as_at),
                         key=lambda e: (e.date, e.seq))
    found: dict = {}
    for level in ("worker", "team"):
        value, since = case.attrs.get(level), None
        for ev in allocations:
            new = ev.attrs.get(level)
            if new is None or new == "":
                continue
            if since is None or str(new) != value:
                since = ev.date
            value = str(new)
        found[level] = (value if value not in (None, "") else None, since)
    worker, team = found["worker"][0], found["team"][0]
    since = found["worker"][1] if worker else found["team"][1]
    return worker, team, since


def held_now(case, as_at) -> str:
    """'Held now by W-Birch (CIN South), since 12 August 2024' (no date when no allocation gives
    one), or 'Held now by: not recorded'."""
    worker, team, since = current_holder(case, as_at)
    name = who(worker, team)
    if not name:
        return "Held now by: not recorded"
    return f"Held now by {name}" + (f", since {short_date(since)}" if since is not None else "")


def event_meaning(event_type: str) -> str:
    """The vocabulary's meaning of an event type, or '' for a type it does not list."""
    entry = vocabulary().get(event_type)
    return entry.meaning if entry else ""


def standard(rule: Rule) -> str:
    """The rule's title with its ruleset and citation: what to quote in a report."""
    text = rule.title or rule.id
    where = "; ".join(x for x in (rule.ruleset.title or rule.ruleset.name, rule.cite) if x)
    return f"{text} ({where})" if where else text


def obligation(f: Finding) -> str:
    """What was owed, in words: 'minutes sent after the CIN meeting on 15 February 2022'."""
    rule, trig = f.rule, f.trigger
    when = f"{event_phrase(trig.type)} on {short_date(trig.date)}"
    if rule.kind == "response":
        return f"{types_words(rule.expect)} after {when}"
    if rule.kind == "every":
        return f"{types_words(rule.expect)} since {when}"
    return f"the end of the period since {when}"


def timescale(rule: Rule) -> str:
    """The rule's window in words: 'within 15 working days', 'every 3 months', 'at most 75 days in any 12 months'."""
    return f"within {window(rule)}" if rule.kind == "response" else window(rule)
