"""The columns of casecheck's own CSVs: the writers in views use them, and inputs.own knows
casecheck's own outputs by them so they are never read as cases.
"""

# A finding's columns: the findings database's, and (with cite) check's and diff's CSV.
CSV_FIELDS = ("case", "rule", "ruleset", "title", "severity", "status", "trigger_type", "trigger_date",
              "due", "actual_type", "actual_date", "days_late", "working_days_late", "worker", "team",
              "extension_type", "extension_date", "clock_stops", "excused", "exception_reason",
              "exception_approved_by", "exception_approved_on")
# check's and diff's CSV: the same, with the rule's citation (every finding has one) beside its title.
CHECK_CSV_FIELDS = CSV_FIELDS[:CSV_FIELDS.index("title") + 1] + ("cite",) + CSV_FIELDS[CSV_FIELDS.index("title") + 1:]
# The due list's CSV.
DUE_FIELDS = ("section", "due", "days_overdue", "working_days_overdue", "paused_since", "worker", "team", "case", "rule",
              "title", "cite", "severity", "status", "trigger_type", "trigger_date", "what", "exception_reason")
