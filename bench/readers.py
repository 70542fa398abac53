"""Is a columnar CSV reader worth it? Time to turn a log into the Python rows the engine replays.

    python3 -m venv /tmp/arrow && /tmp/arrow/bin/pip install pyarrow && /tmp/arrow/bin/python bench/readers.py LOG

(Not in bench/.venv: with pyarrow installed, pandas stores strings in Arrow and the peers, which
read the log with pandas, run about 1.7x slower and use twice the memory.)

The engine needs, per row, Python objects (case id, date, type, attributes): the standard csv
module gives strings at once; pyarrow reads columns in C, but its rows must then be turned into
Python objects, which is where the time goes.
"""

import csv
import datetime as dt
import sys
import time


def stdlib(path):
    dates = {}
    out = 0
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            d = dates.get(row[1])
            if d is None:
                d = dates[row[1]] = dt.date.fromisoformat(row[1])
            out += 1
    return out


def arrow(path):
    import pyarrow.csv as pc
    t = pc.read_csv(path, convert_options=pc.ConvertOptions(column_types={"date": "date32"},
                                                            strings_can_be_null=False))
    out = 0
    for case, date, etype in zip(t.column("case").to_pylist(), t.column("date").to_pylist(),
                                 t.column("type").to_pylist()):
        out += 1
    return out


if __name__ == "__main__":
    for name, fn in (("csv module", stdlib), ("pyarrow", arrow)):
        t = time.perf_counter()
        n = fn(sys.argv[1])
        print(f"{name}: {n} rows in {time.perf_counter() - t:.2f} s")
