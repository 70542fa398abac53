"""The event vocabulary (engine/rules/vocabulary.yaml): names, meanings and data sources.

`python -m casecheck.rules.vocabulary` prints docs/events.md from the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

SOURCES = {"annex_a": "Annex A", "cin_census": "CIN census", "ssda903": "SSDA903", "ssd": "SSD", "local": "Local records"}
_FILE = Path(__file__).with_name("vocabulary.yaml")
ATTRIBUTES = "case attributes"  # a group of case attributes, documented beside the events but not event types


@dataclass(frozen=True)
class EventType:
    name: str
    group: str
    meaning: str
    sources: dict
    phrase: str = ""  # how the event reads after "after" or "since": "the child became looked after"


ATTRIBUTES = "case attributes"  # the group that names case attributes, not event types


@lru_cache(maxsize=1)
def case_attributes() -> dict[str, EventType]:
    """The case attributes rules read (`date_of_birth`), as the vocabulary names them."""
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    return {name: EventType(name, ATTRIBUTES, entry["meaning"], {k: v for k, v in entry.items() if k in SOURCES})
            for name, entry in (data.get(ATTRIBUTES) or {}).items()}


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, EventType]:
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    out = {}
    for group, events in data.items():
        if group == ATTRIBUTES:
            continue
        for name, entry in events.items():
            out[name] = EventType(name, group, entry["meaning"],
                                  {k: v for k, v in entry.items() if k in SOURCES}, entry.get("phrase", ""))
    return out


def markdown() -> str:
    """docs/events.md: the vocabulary as a table per group."""
    lines = ["# Event vocabulary", "",
             "The event types casecheck's rules, example cases and importers use: what each means and",
             "where it comes from in the data councils already hold. Written from `engine/rules/vocabulary.yaml`",
             "by `python -m casecheck.rules.vocabulary > docs/events.md`; edit the YAML, not this page.",
             "`casecheck rules lint` warns about any other name in a rule or a case (a likely typo).", ""]
    groups: dict[str, list[EventType]] = {}
    for ev in [*vocabulary().values(), *case_attributes().values()]:
        groups.setdefault(ev.group, []).append(ev)
    for group, events in groups.items():
        lines += [f"## {group[0].upper()}{group[1:]}", "",
                  f"| {'attribute' if group == ATTRIBUTES else 'event type'} | meaning | " + " | ".join(SOURCES.values()) + " |",
                  "| --- | --- | " + " | ".join("---" for _ in SOURCES) + " |"]
        lines += [f"| `{ev.name}` | {ev.meaning} | " + " | ".join(ev.sources.get(k, "") for k in SOURCES) + " |"
                  for ev in events]
        lines.append("")
    attributes = yaml.safe_load(_FILE.read_text(encoding="utf-8")).get(ATTRIBUTES) or {}
    if attributes:
        lines += ["## Case attributes", "", "Facts about the case rather than dated events.", "",
                  "| attribute | meaning | " + " | ".join(SOURCES.values()) + " |",
                  "| --- | --- | " + " | ".join("---" for _ in SOURCES) + " |"]
        lines += [f"| `{name}` | {entry['meaning']} | " + " | ".join(entry.get(k, "") for k in SOURCES) + " |"
                  for name, entry in attributes.items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
