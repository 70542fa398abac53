"""The columnar path: rules checked over a whole chunk of cases at once, as column operations.

The replay engine (casecheck.replay.engine) is the reference. This path computes, for the rule
shapes it can express, exactly the findings the replay engine gives (every field: differential
property tests, tests/test_columnar_diff.py and tests/test_columnar_periods.py, run both on random
cases and rules); every other rule is handed to the replay engine, per rule. What it expresses
today (`supports`):

- `response` rules with `trigger`, `expect`, `within` in any unit (days, weeks, months, years,
  working days, with or without `beginning_with`), `match`, `optional`, `where` on the trigger
  and `unless` (lapses: withdrawn, or missing to the unless event), `lookback` (a trigger met by
  an earlier expect), `fallback_trigger` (with its note; not with clock stops), `extend: {by, to}`
  (extend.py), clock stops (`paused_by`/`resumed_by`: the columns pick the obligations a stop or extension can touch, and a replay Clock folds
  only those, stops.py), events playing several parts in the order docs/rules.md gives (response.py);
- `every` rules with every option: `from` (and `where`), `until` (and `until_where`), `expect`,
  `every`, `first`, `then`, any unit, `counting: beginning_with`, `by_age` (each case's date of
  birth, from the case attributes given with the chunk, and its note) (periods.py, every.py), and
  fixed `windows` (school terms, windows.py);
- `where` and `until_where` with `{not: ...}` (attrs.where);
- `max_duration` rules, `extend: {by, to}` (a cap), successive extensions (`extend: {by, each}`),
  `counts_from` (with its note) and `lift` (the periods a lift touches folded through a replay
  Clock) included (periods.py, max_duration.py);
- `max_total` rules, rolling windows and fixed ones (`window_start`), with `where` and
  `until_where` (periods.py, max_total.py);
- for every kind it expresses: `in_force`, `suspended` (relaxations) and `applies_to` (scope, on
  the case attributes given with the chunk).

Each kind gives its outcomes (outcomes.OUTCOME_SCHEMA); outcomes.judged turns them into findings
as replay.outcomes.Out does, so in force, breaches only and lateness are decided in one place.

Every finding is given its `worker` and `team` (docs/rules.md, "Who held the case") by as-of joins of
its due date against `worker_allocated` events (holders.py).

Handed to the replay engine: `response` rules with `fallback_trigger` and clock stops; `every`
rules with `switch` (intervals switched by events); and any rule with a `match`, `where` or `until_where` on an attribute
named like one of the chunk's own columns (case, date, type, ord, seq, run, pos).

check_paths takes this path by default (`columnar_path=False` is the replay engine alone): each
clean piece of a plain CSV log, read in this process or by a worker or Dask, is checked here
(piece.py) and answered as the usual piece reader answers, so deferral, tainting, spilling, the
tally and the census are shared (tests/test_stream.py, tests/test_columnar_route.py). check_log
checks a whole clean log, holding every finding (the benchmark's "columnar path alone").

A chunk is a polars DataFrame of events (frame.py): whole cases, so each chunk is checked on its
own in bounded memory (the unit the workers and Dask already share).
"""

from __future__ import annotations

from .check import check_frame, expand, fails_check, merged, supports
from .frame import NotColumnar, check_log, frame_from_cases
from .piece import check_piece

__all__ = ["NotColumnar", "check_frame", "check_log", "check_piece", "expand", "fails_check", "frame_from_cases",
           "merged", "supports"]
