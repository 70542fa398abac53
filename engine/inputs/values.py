"""Values as casecheck keeps them: attribute values as text, event types as lower_snake_case."""

from __future__ import annotations

import datetime as dt
import re

from ..dates import parse_date

EVENT_TYPE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
# What a spreadsheet runs as a formula when a cell starts with it. casecheck's CSV writers put a '
# before such text, and its CSV reader takes that ' off again (a leading ' marks text in a
# spreadsheet), so a CSV casecheck wrote reads back as the values it was written from.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def normalise_value(value) -> str | None:
    """Attribute values are kept as text, so YAML `2`, JSON 2 and CSV "2" compare equal."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    what = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else type(value).__name__
    raise ValueError(f"must be a string, number or boolean, got {what}")


def event_type(value) -> str:
    if not isinstance(value, str) or not EVENT_TYPE_RE.match(value):
        raise ValueError(f"event type must be lower_snake_case, got {value!r}")
    return value


def from_spreadsheet(text: str) -> str:
    """A CSV cell with the ' that neutralised a formula taken off ("'=1+1" -> "=1+1")."""
    return text[1:] if text[:1] == "'" and text[1:2] and text[1] in FORMULA_START else text


DATE_ATTRIBUTES = ("date_of_birth",)  # case attributes rules read as dates (`by_age`)


def bad_date_attribute(case_id: str, key: str, value) -> str | None:
    """The error for a date attribute that is not a date, else None."""
    if key not in DATE_ATTRIBUTES or value is None:
        return None
    try:
        parse_date(value)
    except ValueError:
        return (f"case {case_id}: {key} {value!r} is not a date (write it YYYY-MM-DD); the case is checked "
                "as if its date of birth were not known")
    return None
