"""Checked cases kept as compact findings, spilled to disk in sorted runs and merged by case id,
so output keeps the findings' order (docs/formats.md) in bounded memory."""

from __future__ import annotations

import heapq
import pickle
import tempfile
from typing import Iterator

# Cases' entries pickled (and read back while merging) at once: every run holds one such batch
# while the runs are merged, and a million cases make forty runs.
READ_BATCH = 256

# --- sorted runs of findings ------------------------------------------------------------------

class Runs:
    """Checked cases kept as compact findings, spilled to disk in sorted runs, merged by case id."""

    def __init__(self, spill_records: int):
        self.buf: list[tuple] = []
        self.n = 0
        self.limit = spill_records
        self.files: list = []

    def add(self, entry):
        if entry[2]:
            self.buf.append(entry)
            self.n += len(entry[2])
            if self.n >= self.limit:
                self._spill()

    def _spill(self):
        self.buf.sort(key=entry_id)
        f = tempfile.TemporaryFile(prefix="casecheck-run-")
        for i in range(0, len(self.buf), READ_BATCH):
            pickle.dump(self.buf[i:i + READ_BATCH], f, protocol=pickle.HIGHEST_PROTOCOL)
        f.seek(0)
        self.files.append(f)
        self.buf, self.n = [], 0

    def merged(self, extra: list[tuple]) -> Iterator[tuple]:
        self.buf.sort(key=entry_id)
        extra.sort(key=entry_id)
        return heapq.merge(*[read_run(f) for f in self.files], self.buf, extra, key=entry_id)

    def close(self):
        for f in self.files:
            f.close()


def entry_id(entry):
    return entry[0]


def read_run(f) -> Iterator[tuple]:
    while True:
        try:
            yield from pickle.load(f)
        except EOFError:
            return
