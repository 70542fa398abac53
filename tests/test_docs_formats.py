"""docs/formats.md is the user-facing contract: it gives every command's exit status and the
outputs' fields, and neither it nor the README sends users outside the repository."""

import re
from pathlib import Path

import click

from casecheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
FORMATS = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = ""):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield prefix + name


def test_the_exit_status_table_has_every_command():
    table = FORMATS.split("## Exit statuses")[1]
    named = {c for row in table.splitlines() if row.startswith("| `") for c in re.findall(r"`([a-z ]+)`", row.split("|")[1])}
    assert set(_commands(main)) - named == set()


def test_the_contract_names_the_outputs_fields_and_tables():
    for word in ("totals", "by_status", "rules_not_applied", "days_late", "working_days_late", "`cite`", "`worker`",
                 "casecheck_runs", "casecheck_findings", "casecheck_rules_not_applied", "`reason`", "`approved_by`",
                 "`approved_on`", "`paused_by`", "`extend`", "`every`", "working days", "check.schema.json"):
        assert word in FORMATS, word


def test_readme_and_docs_never_point_outside_the_repository():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        assert "../shared" not in page.read_text(encoding="utf-8"), page.name
    assert "docs/formats.md" in (ROOT / "README.md").read_text(encoding="utf-8")
