"""Where the bundled rules/ and cases/ are: inside the installed package (casecheck/_bundled)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _find(name: str) -> Path:
    return _PACKAGE / "_bundled" / name  # placed there by the wheel build (pyproject.toml)


def rules_dir() -> Path:
    return _find("rules")


def cases_dir() -> Path:
    return _find("cases")
