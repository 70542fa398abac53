"""Plain English, no internal shorthand: every --help page, every sentence template for every
event type in the vocabulary, and the citation carried by every finding."""

import re

import click
import pytest
from click.testing import CliRunner

from casecheck.cli import main

# Words that point at the team's design notes, or mark a citation's verification state.
BANNED = re.compile(r"SPEC|§|reference/\S*\.md|\(V2\)|\bV2\b|\(M\)|\(V2, M\)|not verified")


def _commands(cmd=main, path=()):
    yield path
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, path + (name,))


@pytest.mark.parametrize("path", list(_commands()), ids=lambda p: " ".join(p) or "casecheck")
def test_every_help_page_is_free_of_shorthand_and_backticks(path):
    r = CliRunner().invoke(main, [*path, "--help"], terminal_width=100)
    assert r.exit_code == 0
    assert not BANNED.search(r.output), BANNED.search(r.output).group()
    assert "`" not in r.output
