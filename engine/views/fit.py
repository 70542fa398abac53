"""Text that fits its reader's width: at most 100 columns, unless a terminal says otherwise.

Every text view (check, summary, due, diff, rules list) writes through fitted(out): a line wider
than the width is wrapped at spaces, never inside a word, so numbers and rule ids are never cut.
Tables are laid out by table() to fit before they reach the stream, so it never wraps them.
"""

from __future__ import annotations

import os
import re
import textwrap
from typing import TextIO

DEFAULT_WIDTH = 100  # COLUMNS unset, or the output is a file or a pipe
NARROWEST = 40  # a smaller COLUMNS is taken as this: one word a line helps no one
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NUMBER = re.compile(r"\(?[0-9][0-9,.]*%?$")
_LABEL = re.compile(r"( *\S+ {2,})\S")  # "  missing   RULE-ID: ..." or "  2024-02-19  case ...": hang under the text


def width_for(out: TextIO) -> int:
    """COLUMNS when the output is a terminal that sets it, else DEFAULT_WIDTH."""
    columns = os.environ.get("COLUMNS", "").strip()
    try:
        tty = out.isatty()
    except (AttributeError, ValueError):
        tty = False
    if tty and columns.isdigit():
        return max(NARROWEST, int(columns))
    return DEFAULT_WIDTH


def shown_length(text: str) -> int:
    """Columns a line takes on screen: colour escapes take none."""
    return len(_ANSI.sub("", text))


def wrap_line(line: str, width: int) -> list[str]:
    """The line, or its words over several lines of at most width columns: broken between clauses
    where it can, else between words, a number kept with the word after it; a word longer than
    the width alone on its line, whole. Continuation lines hang 2 columns in from the text after
    a label ("  missing   ..."), else 4 columns further in than the line, or at 0 for a paragraph."""
    shown = _ANSI.sub("", line)
    if len(shown) <= width:
        return [line]
    lead = len(shown) - len(shown.lstrip(" "))
    label = _LABEL.match(shown)
    if label and label.end() - 1 <= width // 2:
        hang = label.end() + 1
    else:
        hang = lead + 4 if lead else 0
    hang = min(hang, width // 2)
    pieces = _units(re.split(r"( +)", line), width - hang)
    lines, current = [], pieces[0]
    used, has_word = shown_length(current), bool(pieces[0])
    for space, word in zip(pieces[1::2], pieces[2::2]):
        n = shown_length(word)
        if not has_word or used + len(space) + n <= width:
            current += space + word
            used += len(space) + n
            has_word = has_word or bool(word)
        else:
            lines.append(current.rstrip())
            current, used = " " * hang + word, hang + n
    lines.append(current.rstrip())
    return lines


def _units(pieces: list[str], room: int) -> list[str]:
    """Words and the spaces between them, alternately (as re.split gives them), with the words of
    a clause ("...; 35 days (25 working days) late") made one unit where it fits in room columns,
    so that a line breaks between clauses; else a number kept with the word after it."""
    words, spaces = pieces[0::2], pieces[1::2]
    clauses = [[words[0]]]  # each: its words; a clause ends at a word ending ";" or a wider space
    gaps = []  # the space before each clause
    for space, word in zip(spaces, words[1:]):
        if space == " " and not clauses[-1][-1].endswith(";") and clauses[-1][-1]:
            clauses[-1].append(word)
        else:
            gaps.append(space)
            clauses.append([word])
    out = []
    for i, clause in enumerate(clauses):
        if i:
            out.append(gaps[i - 1])
        if shown_length(" ".join(clause)) <= room:
            out.append(" ".join(clause))
            continue
        k = 0
        while k < len(clause):  # a number stays with the word after it ("0 excused", "2,408 days")
            if k + 1 < len(clause) and _NUMBER.match(_ANSI.sub("", clause[k])):
                out.append(clause[k] + " " + clause[k + 1])
                k += 2
            else:
                out.append(clause[k])
                k += 1
            if k < len(clause):
                out.append(" ")
    return out


class Fitted:
    """A text stream whose lines are wrapped to a width as they are written."""

    def __init__(self, out: TextIO, width: int | None = None):
        self._out = out
        self.width = width or width_for(out)
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        *done, self._pending = self._pending.split("\n")
        for line in done:
            self._out.write("\n".join(wrap_line(line, self.width)) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._out.write("\n".join(wrap_line(self._pending, self.width)))
            self._pending = ""
        self._out.flush()

    def isatty(self) -> bool:
        return self._out.isatty()

    def __getattr__(self, name):
        return getattr(self._out, name)


def fitted(out: TextIO, width: int | None = None) -> Fitted:
    return out if isinstance(out, Fitted) else Fitted(out, width)


def short(text: str, width: int) -> str:
    """text cut to width columns, with … where it was cut (for titles only: never numbers or ids)."""
    return text if len(text) <= width else text[:max(1, width - 1)].rstrip() + "…"


def table(heads: list[str], rows: list[list[str]], width: int, keys: int = 1, shorten: int | None = None,
          fewest: int = 16, longest: int = 40, sep: str = "  ") -> list[str]:
    """A table's lines, at most width columns wide where that can be done without cutting a number.

    The first `keys` columns name a row (left-aligned, never cut but for `shorten`), the rest are
    numbers (right-aligned, never cut). A table too wide for one piece has its number headings
    on up to three lines, and its title column (the key column `shorten`) cut with … to between
    `fewest` and `longest` columns, the longest that needs fewest panels: a table still too wide
    is split into panels one under another, each repeating the key columns (but the title) with
    as many number columns as fit."""
    n = len(heads)
    heads = [[h] for h in heads]  # each heading's lines
    rows = [[str(c) for c in r] for r in rows]

    def natural(i):
        return max([len(x) for x in heads[i]] + [len(r[i]) for r in rows])

    widths = [natural(i) for i in range(n)]
    if sum(widths) + len(sep) * (n - 1) > width:
        for i in range(keys, n):
            heads[i] = _stacked(heads[i][0])
            widths[i] = natural(i)
        if shorten is not None:
            others = sum(w for i, w in enumerate(widths) if i != shorten) + len(sep) * (n - 1)
            least = max(fewest, len(heads[shorten][0]))
            if width - others >= least:  # the title shortened, the table fits in one piece
                widths[shorten] = min(widths[shorten], width - others)
            else:
                tries = range(max(least, min(widths[shorten], longest)), least - 1, -1)
                # the first panel must hold the key columns and at least one number column
                first = sum(w for i, w in enumerate(widths[:keys]) if i != shorten) + len(sep) * keys + \
                    (widths[keys] if keys < n else 0)
                tries = [t for t in tries if first + t <= width] or [least]
                widths[shorten] = min(tries, key=lambda t: len(_panels(widths[:shorten] + [t] + widths[shorten + 1:],
                                                                         keys, shorten, width, sep)))
    fixed = list(range(keys))
    repeated = [i for i in fixed if i != shorten]  # what names a row in the later panels
    out = []
    for p, numbers in enumerate(_panels(widths, keys, shorten, width, sep)):
        columns = (fixed if p == 0 else repeated) + numbers
        depth = max(len(heads[i]) for i in columns)
        head_rows = [[""] * (depth - len(h)) + h for h in heads]  # a short heading sits on the lowest lines
        if p:
            out.append("")
        for j in range(depth + len(rows)):
            row = [head_rows[i][j] for i in range(n)] if j < depth else rows[j - depth]
            cells = []
            for i in columns:
                cell = short(row[i], widths[i]) if i == shorten else row[i]
                cells.append(cell.ljust(widths[i]) if i in fixed else cell.rjust(widths[i]))
            out.append(sep.join(cells).rstrip())
            if j == depth - 1:
                out.append(sep.join("-" * widths[i] for i in columns))
    return out


def _panels(widths: list[int], keys: int, shorten: int | None, width: int, sep: str) -> list[list[int]]:
    """The number columns of each panel: as many as fit beside the key columns, in order."""
    repeated = [i for i in range(keys) if i != shorten]
    panels, current = [], []
    used = sum(widths[:keys]) + len(sep) * (keys - 1)
    for i in range(keys, len(widths)):
        if current and used + len(sep) + widths[i] > width:
            panels.append(current)
            current, used = [], sum(widths[k] for k in repeated) + len(sep) * (len(repeated) - 1)
        current.append(i)
        used += len(sep) + widths[i]
    panels.append(current)
    return panels


def _stacked(heading: str) -> list[str]:
    """A heading on up to three lines, as narrow as that makes it ("median days late": "median",
    "days", "late")."""
    longest_word = max(len(w) for w in heading.split(" "))
    for w in range(longest_word, len(heading) + 1):
        lines = textwrap.wrap(heading, w, break_long_words=False)
        if len(lines) <= 3:
            return lines
    return [heading]
