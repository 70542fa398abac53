"""Text files: the one place that decides how a file's bytes become text (docs/formats.md).

UTF-8 with or without a byte-order mark; UTF-16 with a byte-order mark; anything else that is not
valid UTF-8 is read as Windows-1252 (what spreadsheets on Windows save), with a warning naming the
file and the line of the first byte that is not UTF-8. A file with NUL bytes is not text and is
refused with the line of the first one. Every reader of text (CSV event logs and case tables, YAML
and JSON case and rule files, SSDA903 tables, exceptions registers) comes through here, so the
same file reads the same way whatever it holds.
"""

from __future__ import annotations

import codecs
import io
import os
from typing import Iterable, NamedTuple

from ..model import InputError, InputProblem

BLOCK = 1 << 22
MB = 1024 * 1024
RESAVE = "re-save it as UTF-8 (in Excel: Save As, 'CSV UTF-8')"


def _latin1_fallback(err: UnicodeDecodeError):
    # Windows-1252 leaves five bytes undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D); Windows itself maps
    # them to the control characters of the same number, and so do we rather than fail.
    return err.object[err.start:err.end].decode("latin-1"), err.end


codecs.register_error("casecheck-cp1252", _latin1_fallback)


class Encoding(NamedTuple):
    """How to decode a file (arguments for open()), and the warning to give, if any."""

    encoding: str
    errors: str = "strict"
    note: InputError | None = None


UTF8 = Encoding("utf-8-sig")


def _scan(path: str, blocks: Iterable[bytes]) -> Encoding:
    """Read the blocks once: UTF-16 by its mark, else UTF-8 until a byte says otherwise.
    Raises InputProblem at the first NUL (a binary file, or UTF-16/32 with no mark)."""
    line, carry, first = 1, b"", True
    encoding, bad_line = UTF8, None
    utf16 = None
    for block in blocks:
        if first:
            first = False
            if block[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) and not block.startswith(codecs.BOM_UTF32_LE):
                utf16 = codecs.getincrementaldecoder("utf-16")()
                encoding = Encoding("utf-16")
        if utf16 is not None:
            try:
                text = utf16.decode(block)
            except UnicodeDecodeError:
                raise InputProblem(path, line, "not valid UTF-16 text although it starts with a UTF-16 mark; "
                                   + RESAVE) from None
            nul = text.find("\0")
            if nul >= 0:
                raise InputProblem(path, line + text.count("\n", 0, nul), "not a text file (it contains NUL bytes)")
            line += text.count("\n")
            continue
        nul = block.find(b"\0")
        if nul >= 0:
            raise InputProblem(path, line + block.count(b"\n", 0, nul), "not a text file (it contains NUL bytes)")
        if bad_line is None:
            data = carry + block
            # A UTF-8 sequence cut by the block's end is carried into the next block.
            cut = len(data)
            for back in range(1, min(4, len(data)) + 1):
                byte = data[-back]
                if byte & 0xC0 != 0x80:  # the lead byte of the last sequence
                    need = 2 if byte & 0xE0 == 0xC0 else 3 if byte & 0xF0 == 0xE0 else 4 if byte & 0xF8 == 0xF0 else 1
                    cut = len(data) - back if need > back else len(data)
                    break
            try:
                data[:cut].decode("utf-8")
            except UnicodeDecodeError as e:
                bad_line = line + data.count(b"\n", 0, e.start)
            carry = data[cut:]
            line += data.count(b"\n", 0, cut)
        else:
            line += block.count(b"\n")
    if utf16 is not None:
        try:
            utf16.decode(b"", final=True)  # an odd byte left at the end
        except UnicodeDecodeError:
            raise InputProblem(path, line, "not valid UTF-16 text although it starts with a UTF-16 mark; "
                               + RESAVE) from None
        return encoding
    if bad_line is None and carry:
        try:
            carry.decode("utf-8")
        except UnicodeDecodeError:
            bad_line = line
    if bad_line is not None:
        note = InputError(path, bad_line, "not UTF-8 text (first such byte on this line): read as Windows-1252, "
                                          "as a spreadsheet on Windows saves it; if characters look wrong, " + RESAVE)
        return Encoding("cp1252", "casecheck-cp1252", note)
    return encoding


def _blocks(f) -> Iterable[bytes]:
    while block := f.read(BLOCK):
        yield block


def sniff(path: str) -> Encoding:
    """How the file at path is to be decoded. Reads the whole file once, in bounded memory."""
    try:
        with open(path, "rb") as f:
            return _scan(path, _blocks(f))
    except OSError as e:
        raise InputProblem(path, None, f"cannot read file: {e.strerror or e}") from None


def _note(enc: Encoding, notes: list | None) -> None:
    if enc.note is not None and notes is not None:
        notes.append(enc.note)


def open_text(path: str, notes: list | None = None, newline: str | None = "") -> io.TextIOBase:
    """A text stream over the file, decoded as sniff() decides (the warning appended to notes).
    newline="" suits the csv module."""
    enc = sniff(path)
    _note(enc, notes)
    try:
        return open(path, encoding=enc.encoding, errors=enc.errors, newline=newline)
    except OSError as e:
        raise InputProblem(path, None, f"cannot read file: {e.strerror or e}") from None


def decode(path: str, data: bytes, notes: list | None = None) -> str:
    """The text of a file already read into memory (see sniff)."""
    enc = _scan(path, [data])
    _note(enc, notes)
    return data.decode(enc.encoding, enc.errors)


def read_text(path: str, limit: int, notes: list | None = None) -> str:
    """A whole file's text; a file over limit bytes is refused before it is read."""
    try:
        size = os.path.getsize(path)
        if size > limit:
            raise InputProblem(path, None, f"file is {size / MB:.0f} MB, over the {limit / MB:.0f} MB limit "
                                           "for this format (use a CSV event log for large batches)")
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise InputProblem(path, None, f"cannot read file: {e.strerror or e}") from None
    if len(data) > limit:  # grew while we looked, or not a regular file
        raise InputProblem(path, None, f"file is over the {limit / MB:.0f} MB limit for this format")
    return decode(path, data, notes)


def head_text(path: str, size: int = 1 << 16) -> str:
    """The start of a file as text, for telling what a file is by its first line (never fails on
    an odd byte: an undecodable one becomes U+FFFD). Raises OSError when it cannot be read."""
    with open(path, "rb") as f:
        data = f.read(size)
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8-sig", "replace")
