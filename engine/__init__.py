"""casecheck: replay dated case timelines against timescale rules and report every breach.

The data's way through the package: `caseload` and `ruleload` read files into Cases and
Rules (via `structured` for safe YAML/JSON), `replay` checks each case against the rules
(with all date arithmetic in `dates`), and `report` writes the findings out.
"""

from .inputs.cases import load_cases
from .model import BREACHES, STATUSES, Case, Event, Finding, InputError, Rule
from .replay import Replayer, check
from .rules.load import load_rules

__all__ = ["load_cases", "load_rules", "check", "Replayer", "Case", "Event", "Finding", "InputError",
           "Rule", "BREACHES", "STATUSES"]
