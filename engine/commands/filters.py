"""Filters and choices checked against what they name: an unknown name is refused with the
closest one, never taken to mean "nothing" (an empty list and exit 0 for a typo)."""

from __future__ import annotations

import difflib
from typing import Iterable

import click


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """'; did you mean 'W-Birch'?' for the closest known name, or ''."""
    close = difflib.get_close_matches(str(value), sorted({str(k) for k in known}), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_names(option: str, what: str, values: Iterable[str], known: Iterable[str]) -> None:
    """Each value must be one of known: else a click.UsageError (exit 2) naming it, e.g.
    "--worker: no worker 'W-Brich' in these cases; did you mean 'W-Birch'?"."""
    known = {k for k in known if k}
    for value in values:
        if value not in known:
            listed = ", ".join(sorted(known)[:20]) + (", ..." if len(known) > 20 else "")
            raise click.UsageError(f"{option}: no {what} {value!r} in these cases{did_you_mean(value, known)}"
                                   + (f" ({what}s: {listed})" if known else f" (no case names a {what})"))


class SuggestingChoice(click.Choice):
    """click.Choice that names the closest choice of this option: "'jsn' is not one of 'text',
    'json', 'csv'; did you mean 'json'?"."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as e:
            hint = did_you_mean(value, self.choices)
            if hint:
                e.message = e.message.rstrip(".") + hint
            raise
