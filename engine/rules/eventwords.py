"""Event type names as words ("cin_meeting" -> "CIN meeting"), for the views and for the notes the
replay writes on findings alike: the names are the event vocabulary's, so the words live beside it.
"""

from __future__ import annotations

# Parts of event type names that are abbreviations, written as people write them.
_WORDS = {"cin": "CIN", "cp": "CP", "lac": "LAC", "icpc": "ICPC", "iro": "IRO", "s47": "section 47",
          "lgsco": "LGSCO", "ombudsman": "Ombudsman", "sm": "service manager", "stage1": "stage 1", "stage2": "stage 2",
          "stage3": "stage 3"}


def event_words(event_type: str) -> str:
    """'cin_meeting' -> 'CIN meeting', 'stage1_response' -> 'stage 1 response'."""
    return " ".join(_WORDS.get(part, part) for part in event_type.split("_"))


def types_words(types) -> str:
    """A rule's set of event types as words: 'case closed or CIN plan ended'."""
    return " or ".join(event_words(t) for t in sorted(types))
