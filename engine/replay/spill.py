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
from typing import Iterator

import polars as pl

from .findings_frame import COLUMNS, FRAME_SCHEMA, from_compact

MERGE_BATCH_ROWS = 100_000  # findings taken from each sorted run at once while merging


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
        self.files: list[str] = []

    def add(self, entry: tuple) -> None:
        """A checked entry (case id, attributes or None for the case table's, compact findings, phase)."""
        if entry[2]:
            if entry[1] is not None:
                self.attrs[entry[0]] = entry[1]
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
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="casecheck-runs-")
        path = os.path.join(self._dir, f"run-{len(self.files)}.arrow")
        self._gathered().write_ipc(path, compression="uncompressed")
        self.files.append(path)

    def merged(self, tainted: set, deferred: set) -> Iterator[pl.DataFrame]:
        """Every kept finding, in batches of whole cases, in the findings' order: none of a tainted
        case, and of a deferred case only those from checking it whole (phase 1)."""
        # an uncompressed Arrow file is memory-mapped, not read into memory
        runs = [pl.read_ipc(p) for p in self.files] + [self._gathered()]
        runs = [r for r in runs if r.height]
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


def _merge(runs: list[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """Runs each sorted by case, merged into batches of whole cases in case order: each step takes,
    from every run, the cases up to the smallest case id that ends some run's next rows."""
    rows = MERGE_BATCH_ROWS
    if len(runs) == 1:  # one run: slices of it, cut between cases
        run, at = runs[0], 0
        cases = run["case"]
        while at < run.height:
            end = min(at + rows, run.height)
            if end < run.height:
                end = cases.search_sorted(cases[end - 1], side="right")
            yield run.slice(at, end - at)
            at = end
        return
    at = [0] * len(runs)
    cases = [r["case"] for r in runs]
    while True:
        live = [i for i, r in enumerate(runs) if at[i] < r.height]
        if not live:
            return
        bound = min(cases[i][min(at[i] + rows, runs[i].height) - 1] for i in live)
        parts = []
        for i in live:
            end = cases[i].search_sorted(bound, side="right")
            if end > at[i]:
                parts.append(runs[i].slice(at[i], end - at[i]))
                at[i] = end
        yield pl.concat(parts).sort("case", maintain_order=True) if len(parts) > 1 else parts[0]
