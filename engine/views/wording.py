"""Plain-language words for event types, statuses and rules, shared by the views for people.

Event types read as words: the vocabulary's meaning where engine/rules/vocabulary.yaml has the type,
and the snake_case name humanised either way ("cin_meeting" -> "CIN meeting").
"""

from __future__ import annotations

from ..rules.explain import window
from ..model import Finding, Rule
from ..rules.vocabulary import vocabulary

# Parts of event type names that are abbreviations, written as people write them.
_WORDS = {"cin": "CIN", "cp": "CP", "lac": "LAC", "icpc": "ICPC", "iro": "IRO", "s47": "section 47",
          "lgsco": "LGSCO", "ombudsman": "Ombudsman", "sm": "service manager", "stage1": "stage 1", "stage2": "stage 2",
          "stage3": "stage 3"}

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


def event_words(event_type: str) -> str:
    """'cin_meeting' -> 'CIN meeting', 'stage1_response' -> 'stage 1 response'."""
    return " ".join(_WORDS.get(part, part) for part in event_type.split("_"))


def types_words(types) -> str:
    """A rule's set of event types as words: 'case closed or CIN plan ended'."""
    return " or ".join(event_words(t) for t in sorted(types))


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
    """What was owed, in words: 'minutes sent after the CIN meeting of 2022-02-15'."""
    rule, trig = f.rule, f.trigger
    if rule.kind == "response":
        return f"{types_words(rule.expect)} after the {event_words(trig.type)} on {trig.date}"
    if rule.kind == "every":
        return f"{types_words(rule.expect)} since the {event_words(trig.type)} on {trig.date}"
    return f"the end of the period from the {event_words(trig.type)} on {trig.date}"


def timescale(rule: Rule) -> str:
    """The rule's window in words: 'within 15 working days', 'every 3 months', 'at most 75 days in any 12 months'."""
    return f"within {window(rule)}" if rule.kind == "response" else window(rule)
