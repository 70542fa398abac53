"""Case text never acts on a terminal: control characters in it are shown, not obeyed.

A case id, team or event type holding ESC [2J (clear the screen), OSC 52 (write the clipboard),
OSC 0 (the window title), a one-character C1 CSI (U+009B) or a bidi override (U+202E) would act
on the terminal that shows it. Text output and every message on stderr show each such character
as an escape (`\\x1b`, `\\x9b`, `\\u202e`) and keep the rest, so the case can still be found:
C0 controls but newline and tab, DEL, the C1 controls U+0080-U+009F, and the bidi embeddings,
overrides and isolates U+202A-U+202E and U+2066-U+2069. JSON, and CSV to a file or a pipe, are
data and keep every character exactly.
"""

from __future__ import annotations

import io
import re

from .inputs.secrets import scrub

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SGR = re.compile("(\x1b\\[[0-9;]*m)")  # casecheck's own colours (click.style): select graphic rendition only


def _show(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: str) -> str:
    """text with every control character (but newline and tab) made visible."""
    return _CONTROL.sub(_show, text)


def visible_keeping_colour(text: str) -> str:
    """visible(), keeping colour sequences: for text whose case data was made visible before it
    was coloured, so that only casecheck's own sequences remain."""
    return "".join(part if i % 2 else visible(part) for i, part in enumerate(_SGR.split(text)))


class VisibleStream(io.TextIOBase):
    """A text stream writing through to `raw` with control characters made visible."""

    def __init__(self, raw, keep_colour: bool = False, scrubbing: bool = False):
        self.raw = raw
        self.scrubbing = scrubbing  # messages: no password seen in this run is ever shown
        self._show = visible_keeping_colour if keep_colour else visible

    def write(self, s: str) -> int:
        if not self.scrubbing:
            self.raw.write(self._show(s))
            return len(s)
        try:  # stderr: a message that cannot be shown (a full device, a pipe nobody reads) never
            self.raw.write(self._show(scrub(s)))  # changes the exit status, nor ends in a traceback
            self.raw.flush()
        except (OSError, ValueError):
            pass
        return len(s)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self.raw.flush()
        except (OSError, ValueError):
            if not self.scrubbing:
                raise

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self):
        return getattr(self.raw, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self.raw, "errors", "strict")

    def close(self) -> None:  # the raw stream belongs to whoever opened it
        self.flush()


def raw_stream(stream):
    """The stream under a VisibleStream (for casecheck's own progress bar), else stream."""
    return stream.raw if isinstance(stream, VisibleStream) else stream


def guard_stderr() -> None:
    """Every message on stderr from here on has its control characters made visible."""
    import sys
    if not isinstance(sys.stderr, VisibleStream) and sys.stderr is not None:
        sys.stderr = VisibleStream(sys.stderr, scrubbing=True)
