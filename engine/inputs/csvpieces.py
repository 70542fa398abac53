"""Cutting a plain CSV event log into pieces at case boundaries, so workers can read it in parallel."""

from __future__ import annotations

import codecs

from .values import from_spreadsheet


def case_boundary(data: bytes, ic: int) -> int:
    """Where to cut data: after the last whole line whose case differs from the next line's.
    0 when the data hold no such place yet (one case's rows, or no whole line)."""
    end = data.rfind(b"\n") + 1
    if end == 0:
        return 0
    last_start = data.rfind(b"\n", 0, end - 1) + 1
    last_case = _line_case(data[last_start:end], ic)
    pos = last_start
    while pos > 0:
        start = data.rfind(b"\n", 0, pos - 1) + 1
        if _line_case(data[start:pos], ic) != last_case:
            return pos
        pos = start
    return 0


def _line_case(line: bytes, ic: int) -> bytes:
    cells = line.split(b",")
    return cells[ic].strip() if len(cells) > ic else b""


def plain_csv(file: str) -> bool:
    """True when every line of the file is one row (no quotes, NULs or lone CRs) and it is UTF-8,
    so it can be cut at any line end and read in pieces."""
    dec = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(file, "rb") as f:
            while block := f.read(1 << 22):
                if block.endswith(b"\r"):
                    block += f.read(1)
                if b'"' in block or b"\0" in block:
                    return False
                cr = block.count(b"\r")  # (a log without CRs spares the slower count of CRLFs)
                if cr and cr != block.count(b"\r\n"):
                    return False
                # ASCII is UTF-8: decoding a log's every block (most are ASCII) was most of the cost
                if not (block.isascii() and not dec.getstate()[0]):
                    dec.decode(block)
            dec.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False
    return True


# What case_ids' loop would change in an id: whitespace at either end (Python's, which counts
# U+001C to U+001F too), or a spreadsheet's ' before it; and the empty id.
_EDGES = r"^$|^[\s\x1c-\x1f']|[\s\x1c-\x1f]$"


def case_ids(data: bytes, ic: int) -> list[str]:
    """The case ids of a piece's lines (column ic), each once, as the usual reader reads them
    (stripped, a spreadsheet's quote taken off); bad lines may give ids no case has."""
    try:  # polars reads one column of a megabyte in about 3 ms, a Python loop in 7
        import io

        import polars as pl
        col = pl.read_csv(io.BytesIO(data), has_header=False, columns=[ic], infer_schema=False,
                          truncate_ragged_lines=True)[:, 0].drop_nulls().unique()
        # ids with nothing to strip or take off (the usual): as they are, without a loop here
        if not col.str.contains(_EDGES).any():
            return col.to_list()
        raw = col.to_list()
    except Exception:  # noqa: BLE001 - any row polars cannot read: the plain way, which reads every line
        raw = {_line_case(line, ic).decode("utf-8", "replace") for line in data.splitlines()}
    out = set()
    for cid in raw:
        cid = cid.strip()
        if cid:  # a line with no case cell (too few cells) names no case
            out.add(from_spreadsheet(cid) if cid[:1] == "'" else cid)
    return list(out)
