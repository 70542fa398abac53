"""The bundled rule library tests itself: every rule has examples that pass, and lint is clean."""

from click.testing import CliRunner

from casecheck.cli import main
from casecheck.replay.examples import run_examples
from casecheck.rules.load import load_rules


def test_every_bundled_rule_has_a_passing_and_a_breaching_example_and_all_pass():
    from casecheck.inputs import bundled
    from casecheck.model import BREACHES
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == []
    results = run_examples(rules)
    failures = [(r.rule.id, r.name, r.error or (r.expected, r.actual)) for r in results if not r.passed]
    assert failures == []
    for rule in rules:
        statuses = {f.get("status") for r in results if r.rule is rule for f in r.expected}
        assert statuses & {"met"}, f"{rule.id} has no passing example"
        assert statuses & set(BREACHES), f"{rule.id} has no breaching example"


def test_rules_lint_on_the_bundled_library_is_clean():
    r = CliRunner().invoke(main, ["rules", "lint"])
    assert r.exit_code == 0, r.stdout
    assert "0 errors, 0 warnings" in r.stdout


def test_docs_library_md_is_written_from_the_rule_files():
    from pathlib import Path
    from casecheck.inputs import bundled
    from casecheck.rules.explain import library_markdown
    rules, _ = load_rules([str(bundled.rules_dir())])
    doc = Path(__file__).resolve().parent.parent / "docs" / "library.md"
    assert doc.read_text(encoding="utf-8") == library_markdown(rules), \
        "docs/library.md is stale: casecheck rules list --format markdown > docs/library.md"


def test_every_bundled_rule_has_a_passing_and_a_breaching_example_and_shows_its_extension_or_relaxation():
    from casecheck.inputs import bundled
    from casecheck.replay.examples import run_examples
    from casecheck.rules.load import load_rules
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == [] and len(rules) >= 40
    for r in rules:
        results = run_examples([r])
        assert all(x.passed for x in results), r.id
        statuses = {f["status"] for x in results for f in x.actual}
        assert "met" in statuses and statuses & {"late", "missing", "exceeded"}, (r.id, statuses)
        if r.extend_by:  # an example where the extension is used
            assert any(e["type"] in r.extend_by for x in r.examples for e in x["events"]), r.id
        for start, end, _ in r.suspended:  # an example whose deadline falls in the relaxation
            assert any(start.isoformat() <= str(e["date"]) <= end.isoformat() for x in r.examples
                       for e in x["events"]), r.id
