"""The event vocabulary is one list, used everywhere, and its documentation is written from it."""

from pathlib import Path

from casecheck.inputs import bundled
from casecheck.inputs.cases import load_cases
from casecheck.inputs.values import EVENT_TYPE_RE
from casecheck.rules.load import load_rules
from casecheck.rules.vocabulary import markdown, vocabulary

ROOT = Path(__file__).resolve().parent.parent


def test_docs_events_md_is_written_from_the_vocabulary():
    assert (ROOT / "docs" / "events.md").read_text(encoding="utf-8") == markdown(), \
        "docs/events.md is stale: run python -m casecheck.rules.vocabulary > docs/events.md"


def test_every_name_is_a_valid_event_type_with_a_meaning_and_a_source():
    for ev in vocabulary().values():
        assert EVENT_TYPE_RE.match(ev.name) and ev.meaning.endswith(".") and ev.sources, ev.name


def test_bundled_rules_and_cases_use_only_the_vocabulary():
    rules, _ = load_rules([str(bundled.rules_dir())])
    cases, _ = load_cases([str(bundled.cases_dir())])
    used = {e.type for c in cases for e in c.events} | set().union(*(r.event_types() for r in rules))
    assert used - set(vocabulary()) == set()
