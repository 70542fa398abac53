"""casecheck: replay dated case timelines against timescale rules and report every breach.

The public API, for scripts and notebooks (the command line is built on the same calls)::

    import datetime as dt
    import casecheck

    rules, rule_errors = casecheck.load_rules(["rules/"])          # or [casecheck.bundled_rules()]
    cases, case_errors = casecheck.load_cases(["cases/"])
    register, register_errors = casecheck.load_registers(["register.yaml"])   # exceptions (docs/formats.md)
    for f in casecheck.check(cases, rules, as_at=dt.date(2024, 10, 14)):
        register.excuse(f)  # an excused breach keeps its status; f.exception says who accepted it
        if f.is_breach:
            print(f.case, f.rule.id, f.status, f.due, f.days_late, f.excused)

    cal = casecheck.calendar_for("england-and-wales")
    casecheck.due_date(dt.date(2022, 2, 15), casecheck.parse_duration("15 working days"), cal)

The data's way through the package: `inputs` reads files into Cases (and `rules` reads rule
files into Rules), `replay` checks each case against the rules (all date arithmetic in `dates`),
and `views` writes findings out for each user. `model` holds the types they pass along.
"""

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path as _Path

# In a checkout (an editable install) cli.py sits beside engine/, not inside it: casecheck.cli is
# found there. Appended, so engine/'s own modules always come first.
_checkout = _Path(__file__).resolve().parent.parent
if not (_Path(__file__).resolve().parent / "cli.py").exists() and (_checkout / "cli.py").is_file():
    __path__.append(str(_checkout))  # noqa: F821 (a package's __path__)

from .dates import Calendar, Duration, calendar_for, due_date, parse_date, parse_duration
from .inputs.bundled import cases_dir as bundled_cases
from .inputs.bundled import rules_dir as bundled_rules
from .inputs.cases import load_cases
from .inputs.exceptions import Register, load_registers
from .model import BREACHES, STATUSES, Case, ClockStop, Event, ExceptionEntry, Finding, InputError, Rule
from .replay import Replayer, check
from .rules.load import load_rules

try:
    __version__ = version("casecheck")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["load_cases", "load_rules", "load_registers", "Register", "check", "Replayer", "Case", "Event", "Finding", "InputError", "Rule",
           "ClockStop", "ExceptionEntry", "BREACHES", "STATUSES", "Calendar", "Duration", "calendar_for",
           "due_date", "parse_date", "parse_duration", "bundled_rules", "bundled_cases", "__version__"]
