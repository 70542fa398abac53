"""Where the bundled rules/ and cases/ are: inside the installed package (casecheck/_bundled), or,
for an editable install, beside engine/ in the checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _find(name: str) -> Path:
    installed = _PACKAGE / "_bundled" / name  # placed there by the wheel build (pyproject.toml)
    return installed if installed.is_dir() else _PACKAGE.parent / name


def rules_dir() -> Path:
    return _find("rules")


def cases_dir() -> Path:
    return _find("cases")
