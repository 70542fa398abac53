"""A council's own settings: `casecheck.toml` in the working folder, or `[tool.casecheck]` in its
`pyproject.toml`, giving defaults that every command honours (an option on the command line wins).

```toml
rules = ["bundled", "our-standards/"]      # --rules: `bundled` names the library that ships with casecheck
exceptions = ["registers/accepted.yaml"]   # --exceptions
calendar = {base = "england-and-wales", closed = ["2024-12-27"]}   # rulesets naming no calendar
format = "json"                            # --format, for every command that offers it

[summary]                                  # one command's own defaults
format = "xlsx"
```
Paths are relative to the settings file's folder. Nothing in the file runs: it is data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from .dates import Calendar
from .inputs.limits import MAX_DEPTH
from .model import InputProblem

SETTINGS_FILE = "casecheck.toml"
BUNDLED = "bundled"  # in `rules`, the bundled library
KEYS = ("rules", "exceptions", "calendar", "format", "statement_timeout", "busy_timeout")
# The commands whose defaults a table may hold ([summary] format = "xlsx"); a subcommand's by its
# full name joined with `-` ([rules-list], [exceptions-start]) or its own name.
COMMAND_TABLES = ("check", "chronology", "summary", "due", "report", "diff", "convert", "rules-list",
                  "exceptions-start", "list", "start")
COMMAND_KEYS = ("format",)


def _did_you_mean(name: str, known) -> str:
    import difflib
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


@dataclass
class Settings:
    file: str | None = None
    rules: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    calendar: Calendar | None = None
    format: str | None = None
    statement_timeout: float | None = None  # seconds (inputs.database.TIMEOUTS)
    busy_timeout: float | None = None
    commands: dict[str, dict] = field(default_factory=dict)  # command name -> {"format": ...}

    def format_for(self, command: str) -> str | None:
        return self.commands.get(command, {}).get("format", self.format)


def find(folder: str | os.PathLike = ".") -> tuple[Path, dict] | None:
    """The settings file in folder and its table: casecheck.toml first, else pyproject.toml's
    [tool.casecheck]; None when neither is there."""
    folder = Path(folder)
    own = folder / SETTINGS_FILE
    if own.is_file():
        return own, _read(own)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _read(pyproject).get("tool", {}).get("casecheck")
        if table is not None:
            return pyproject, table
    return None


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            table = tomllib.load(f)
    except OSError as e:
        raise InputProblem(str(path), None, f"cannot read settings: {e.strerror or e}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        # TOMLDecodeError's message ends "(at line N, column M)"
        raise InputProblem(str(path), None, f"not valid TOML: {e}") from None
    except RecursionError:
        raise InputProblem(str(path), None, f"nested more than {MAX_DEPTH} levels deep") from None
    if _depth(table) > MAX_DEPTH:
        raise InputProblem(str(path), None, f"nested more than {MAX_DEPTH} levels deep")
    return table


def _depth(value) -> int:
    """How deeply tables and arrays nest (iteratively: the limit is what is being checked)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        v, d = stack.pop()
        deepest = max(deepest, d)
        if d <= MAX_DEPTH:
            children = v.values() if isinstance(v, dict) else v if isinstance(v, list) else ()
            stack.extend((c, d + 1) for c in children)
    return deepest


def load(path: str | os.PathLike | None = None, folder: str | os.PathLike = ".") -> Settings:
    """Settings from path, or from the working folder's settings file; empty Settings when none."""
    if path is not None:
        path = Path(path)
        table = _read(path)
        if path.name == "pyproject.toml":
            table = table.get("tool", {}).get("casecheck", {})
        found = (path, table)
    else:
        found = find(folder)
    if found is None:
        return Settings()
    return from_table(*found)


def _paths(path: Path, table: dict, key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputProblem(str(path), None, f"`{key}` must be a path or a list of paths")
    base = path.parent
    return tuple(v if v == BUNDLED and key == "rules" else str(base / v) for v in value)


def from_table(path: Path, table: dict) -> Settings:
    from .rules.load import calendar_setting  # rules.load reads rule files; settings only borrow its calendar reader
    if not isinstance(table, dict):
        raise InputProblem(str(path), None, "settings must be a table of keys")
    s = Settings(file=str(path))
    commands = {k: v for k, v in table.items() if isinstance(v, dict) and k != "calendar"}
    for k in table:
        if k in commands and k not in COMMAND_TABLES:
            hint = _did_you_mean(k, COMMAND_TABLES)
            raise InputProblem(str(path), None, f"unknown section [{k}]" + (hint.replace("mean ", "mean [")
                                                                             .replace("?", "]?") if hint else
                                                                             f"; sections are {', '.join(COMMAND_TABLES[:-2])}"))
        if k not in KEYS and k not in commands:
            raise InputProblem(str(path), None, f"unknown setting {k!r}" + (
                _did_you_mean(k, KEYS) or f"; known: {', '.join(KEYS)} and a table per command "
                                           "(e.g. [summary] format = \"xlsx\")"))
    s.rules, s.exceptions = _paths(path, table, "rules"), _paths(path, table, "exceptions")
    if "calendar" in table:
        try:
            s.calendar = calendar_setting(table["calendar"])
        except ValueError as e:
            raise InputProblem(str(path), None, f"`calendar`: {e}") from None
    for where, t in [("", table)] + [(f"[{k}] ", v) for k, v in commands.items()]:
        fmt = t.get("format")
        if fmt is not None and not isinstance(fmt, str):
            raise InputProblem(str(path), None, f"{where}`format` must be a name such as \"json\"")
        extra = [k for k in t if k not in COMMAND_KEYS] if where else []
        if extra:
            raise InputProblem(str(path), None, f"{where}has unknown setting {extra[0]!r}" + (
                _did_you_mean(extra[0], COMMAND_KEYS) or "; a command's table takes `format`"))
    s.format = table.get("format")
    from .inputs.database import parse_timeout
    for key in ("statement_timeout", "busy_timeout"):  # seconds, or text such as "5 minutes"
        if key in table:
            try:
                setattr(s, key, parse_timeout(table[key]))
            except ValueError as e:
                raise InputProblem(str(path), None, f"`{key}`: {e}") from None
    s.commands = {k: dict(v) for k, v in commands.items()}
    return s
