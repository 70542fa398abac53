"""Checked cases' findings kept as frames (replay.findings_frame), spilled to disk in sorted runs
and merged by case id, so output keeps the findings' order (docs/formats.md) in bounded memory.

Within a case the findings arrive already in order (the checkers sort them), and after deferred and
unreadable cases are dropped only one entry of each case remains, so a stable sort by case id
alone gives the findings' order; polars sorts text by its UTF-8 bytes, which is Python's order.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import deque
from typing import Iterator

import polars as pl

from .findings_frame import COLUMNS, FRAME_SCHEMA, from_compact

MERGE_BATCH_ROWS = 100_000  # findings in a batch the merge gives (about: it takes whole cases)
CHUNK_ROWS = 50_000  # findings in each file of a sorted run


class Runs:
    """Findings, case by case, from frames (pieces of logs) and checked entries (cases checked as
    objects), spilled in sorted runs past `limit` findings."""

    def __init__(self, spill_records: int):
        self.frames: list[pl.DataFrame] = []
        self.entries: list[tuple] = []  # (case id, attributes, compact findings, phase)
        self.n = 0
        self.limit = spill_records
        self.attrs: dict[str, dict] = {}  # a case's own attributes, where its entry carried them
        self._dir: str | None = None
        self.files: list[list[str]] = []  # each sorted run's files, in order

    def add(self, entry: tuple) -> None:
        """A checked entry (case id, attributes or None for the case table's, compact findings, phase)."""
        if entry[2]:
            if entry[1] is not None:
                self.attrs[entry[0]] = entry[1]
            elif self.attrs:  # a case checked again (deferred) takes the attributes of its last check
                self.attrs.pop(entry[0], None)
            self.entries.append(entry)
            self.n += len(entry[2])
            if self.n >= self.limit:
                self._spill()

    def add_frame(self, frame: pl.DataFrame) -> None:
        """A piece's findings (FRAME_SCHEMA), each case's together and in order."""
        if frame.height:
            self.frames.append(frame)
            self.n += frame.height
            if self.n >= self.limit:
                self._spill()

    def _gathered(self) -> pl.DataFrame:
        if self.entries:
            self.frames.append(from_compact(self.entries))
        frames, self.frames, self.entries, self.n = self.frames, [], [], 0
        if not frames:
            return pl.DataFrame(schema=FRAME_SCHEMA)
        return pl.concat(frames, rechunk=True).sort("case", maintain_order=True)

    def _spill(self) -> None:
        """The findings held, sorted by case, written as a sorted run: files of CHUNK_ROWS findings
        each, read back one at a time while merging (so merging holds a few per run)."""
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="casecheck-runs-")
        frame, paths = self._gathered(), []
        for at in range(0, frame.height, CHUNK_ROWS):
            path = os.path.join(self._dir, f"run-{len(self.files)}-{len(paths)}.arrow")
            frame.slice(at, CHUNK_ROWS).write_ipc(path, compression="uncompressed")
            paths.append(path)
        self.files.append(paths)

    def merged(self, tainted: set, deferred: set) -> Iterator[pl.DataFrame]:
        """Every kept finding, in batches of whole cases, in the findings' order: none of a tainted
        case, and of a deferred case only those from checking it whole (phase 1)."""
        runs = [_Run(paths) for paths in self.files] + [_Run((), self._gathered())]
        for batch in _merge(runs):
            if tainted or deferred:
                ids = batch["case"].unique().to_list()
                if tainted and (gone := [c for c in ids if c in tainted]):
                    batch = batch.filter(~pl.col("case").is_in(gone))
                if deferred and (again := [c for c in ids if c in deferred]):
                    batch = batch.filter((pl.col("phase") == 1) | ~pl.col("case").is_in(again))
            if batch.height:
                yield batch.select(COLUMNS)

    def close(self) -> None:
        self.frames, self.entries = [], []
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


class _Run:
    """A sorted run being merged: its findings not yet taken, read a file at a time."""

    def __init__(self, paths, frame: pl.DataFrame | None = None):
        self.paths = deque(paths)
        self.buf = frame if frame is not None else pl.DataFrame(schema=FRAME_SCHEMA)

    @property
    def done(self) -> bool:
        return not self.buf.height and not self.paths

    def fill(self, rows: int) -> None:
        """At least `rows` findings held, or all that are left."""
        parts, n = [self.buf], self.buf.height
        while n < rows and self.paths:
            path = self.paths.popleft()
            part = pl.read_ipc(path)
            os.remove(path)  # read whole: the disk is freed as the merge goes
            parts.append(part)
            n += part.height
        if len(parts) > 1:
            self.buf = pl.concat(parts)

    def take(self, bound: str) -> pl.DataFrame:
        """Every finding left whose case id is at most `bound`."""
        while True:
            end = self.buf["case"].search_sorted(bound, side="right")
            if end < self.buf.height or not self.paths:
                break
            self.fill(self.buf.height + 1)  # its cases may go on in the next file
        out, self.buf = self.buf.slice(0, end), self.buf.slice(end)
        return out


def _merge(runs: list[_Run]) -> Iterator[pl.DataFrame]:
    """Runs each sorted by case, merged into batches of whole cases in case order: each step takes,
    from every run, the cases up to the smallest case id that ends some run's next rows."""
    # each run's share of a batch: the runs all span the whole range of case ids, so each step
    # takes about this many from every one
    rows = max(1_000, MERGE_BATCH_ROWS // max(1, len(runs)))
    while live := [r for r in runs if not r.done]:
        for r in live:
            r.fill(rows)
        bound = min(r.buf["case"][min(rows, r.buf.height) - 1] for r in live)
        parts = [part for r in live if (part := r.take(bound)).height]
        yield pl.concat(parts).sort("case", maintain_order=True) if len(parts) > 1 else parts[0]
