"""Shared helpers: build rules through the real validator and cases from compact tuples."""

import datetime as dt

import pytest

from casecheck.inputs.values import normalise_value
from casecheck.model import Case, Event
from casecheck.replay import check
from casecheck.rules.load import ruleset_from_data

D = dt.date.fromisoformat


def make_rules(*rule_dicts, **ruleset_fields):
    """Rules validated exactly as a rule file would be; fails the test on any error."""
    data = {"ruleset": ruleset_fields.pop("ruleset", "test-rules"), "rules": list(rule_dicts), **ruleset_fields}
    rules, errors = ruleset_from_data(data, "<test>")
    assert not errors, [str(e) for e in errors]
    return rules


def make_case(*events, case_id="C-1", **attrs):
    """events: (date, type) or (date, type, {attrs}); file order is the order given."""
    evs = []
    for i, e in enumerate(events, start=1):
        date, etype = e[0], e[1]
        extra = e[2] if len(e) > 2 else {}
        evs.append(Event(D(date), etype, {k: normalise_value(v) for k, v in extra.items()}, seq=i))
    return Case(case_id, {k: normalise_value(v) for k, v in attrs.items()}, evs)


def outcomes(rules, case, as_at):
    """(status, trigger date, due, actual date or None, days late, working days late) per finding."""
    return [(f.status, str(f.trigger.date), str(f.due), str(f.actual.date) if f.actual else None,
             f.days_late, f.working_days_late)
            for f in check([case], rules, D(as_at))]


@pytest.fixture
def write(tmp_path):
    """write('name.yaml', text) -> path string, in a fresh temporary folder."""
    def _write(name, text, mode="w"):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if mode == "wb":
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
        return str(p)
    return _write


def run_cli(*args):
    """`casecheck ARGS` in this process; fails the test on a traceback (anything but an exit)."""
    from click.testing import CliRunner
    from casecheck.cli import main

    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(autouse=True)
def _passwords_forgotten_after_each_test():
    """Each test starts with no password remembered, as a fresh `casecheck` process does: a
    password another test gave (a property test's may be any text, ".yaml" among them) would
    otherwise be masked out of this test's messages."""
    from casecheck.inputs import secrets
    seen = set(secrets._SEEN)
    yield
    secrets._SEEN.clear()
    secrets._SEEN.update(seen)


def due_items(text):
    """A `due` list's items, each unwrapped onto one line (text output is wrapped at 100 columns)."""
    import re
    return [" ".join(block.split()) for block in re.split(r"\n(?=  \d{4}-\d\d-\d\d  case )", text)]
