"""`casecheck rules`: list, explain, test and lint rules."""

from __future__ import annotations

import difflib
import json

import click

from ..replay.examples import run_examples
from ..rules.explain import explain as explain_rule
from ..rules.explain import library_markdown
from ..rules.explain import window as window_text
from ..replay.orphans import lint_orphans
from ..rules.lint import lint_cases, lint_rules
from ..rules.verification import as_json as verification_json
from ..views.findings import spreadsheet_writer
from ..inputs.own import generator
from ..views.fit import fitted
from ..views.wording import plural
from .common import (EXIT_BREACH, EXIT_INPUT, EXIT_OK, load_inputs, load_rules_or_bundled,
                     output_stream, report_errors, split_rule_files)
from .sameness import refuse_output_among_inputs, run_inputs


def run_list(rules_paths, fmt, output) -> int:
    refuse_output_among_inputs(output, run_inputs((), rules_paths, cases=False, registers=False))
    rules, errors = load_rules_or_bundled(rules_paths)
    if fmt == "markdown":
        with output_stream(output) as out:
            out.write(library_markdown(rules))
        report_errors(errors)
        return (EXIT_INPUT if errors else EXIT_OK)
    rows = [{"id": r.id, "ruleset": r.ruleset.name, "title": r.title, "kind": r.kind, "window": window_text(r),
             "severity": r.severity, "cite": r.cite} for r in rules]
    with output_stream(output, newline="" if fmt == "csv" else None) as out:
        if fmt == "json":
            for r, row in zip(rules, rows):
                row["verification"] = verification_json(r.verification)
            json.dump({"generator": generator(), "rules": rows}, out, indent=2, ensure_ascii=False)
            out.write("\n")
        elif fmt == "csv":
            for r, row in zip(rules, rows):  # a CSV cell holds the status; JSON gives the whole record
                row["verification"] = (r.verification or {}).get("status", "")
            w = spreadsheet_writer(out, list(rows[0]) if rows else ["id"])
            w.writeheader()
            w.writerows(rows)
        else:
            out, current = fitted(out), None
            for r, row in zip(rules, rows):
                if r.ruleset.name != current:
                    out.write(("\n" if current is not None else "") + f"{r.ruleset.title} ({r.ruleset.name})\n")
                    current = r.ruleset.name
                sev = " [warning]" if r.severity == "warning" else ""
                out.write(f"  {r.id}{sev}: {r.title}\n    {r.kind}, {row['window']}; {r.cite}\n")
    report_errors(errors)
    return (EXIT_INPUT if errors else EXIT_OK)


def run_explain(rule_id, rules_paths) -> int:
    rules, errors = load_rules_or_bundled(rules_paths)
    found = [r for r in rules if r.id == rule_id]
    if not found:
        close = difflib.get_close_matches(rule_id, [r.id for r in rules], n=3)
        report_errors(errors)
        raise click.UsageError(f"no rule {rule_id!r}" + (f"; did you mean {', '.join(close)}?" if close else
                                                          "; 'casecheck rules list' shows them all"))
    click.echo(explain_rule(found[0]))
    report_errors(errors)
    return (EXIT_INPUT if errors else EXIT_OK)


def run_test(rule_files, verbose, rules_paths=()) -> int:
    """Rule files come as arguments (as ever) or with --rules, as for every other command."""
    rules, errors = load_rules_or_bundled(tuple(rules_paths) + tuple(rule_files))
    results = run_examples(rules)
    failed = [r for r in results if not r.passed]
    for res in results:
        where = f"{res.rule.file}:{res.line}" if res.line else res.rule.file
        if res.passed:
            if verbose:
                click.echo(f"PASS {res.rule.id}: {res.name}")
            continue
        click.echo(f"FAIL {res.rule.id}: {res.name} ({where})")
        if res.error:
            click.echo(f"     example is malformed: {res.error}")
            continue
        click.echo("     expected: " + _facts(res.expected))
        click.echo("     actual:   " + _facts(res.actual))
    untested = [r.id for r in rules if not r.examples]
    if untested:
        click.echo(f"{len(untested)} rule{'s' if len(untested) != 1 else ''} without examples: {', '.join(untested)}")
    report_errors(errors)
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return (EXIT_INPUT if errors else EXIT_BREACH if failed else EXIT_OK)


def _facts(findings) -> str:
    if not findings:
        return "no finding"
    return "; ".join(", ".join(f"{k} {v}" for k, v in f.items()) for f in findings)


def run_lint(paths, rules_paths) -> int:
    """PATHS are case files, except rule files among them (told by their `ruleset:`), which are
    linted as rules as if given with --rules; with only rule files, no cases are linted."""
    case_paths, rules_paths = split_rule_files(paths, rules_paths)
    if paths and not case_paths:
        rules, errors = load_rules_or_bundled(rules_paths)
        cases = []
    else:
        cases, rules, errors = load_inputs(case_paths, rules_paths)
    warnings = lint_rules(rules) + lint_cases(cases) + lint_orphans(cases, rules)
    for e in errors:
        click.echo(f"error: {e}")
    for w in warnings:
        click.echo(f"warning: {w}")
    click.echo(", ".join(plural(n, w) for n, w in ((len(rules), "rule"), (len(cases), "case")))
               + f": {plural(len(errors), 'error')}, {plural(len(warnings), 'warning')}")
    return (EXIT_INPUT if errors else EXIT_BREACH if warnings else EXIT_OK)
