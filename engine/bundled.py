"""Where the bundled rules/ and cases/ are: beside engine/ in a checkout, inside it when installed."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    installed = _HERE / "_bundled" / name  # placed there by the wheel build (pyproject.toml)
    return installed if installed.is_dir() else _HERE.parent / name


def rules_dir() -> Path:
    return _find("rules")


def cases_dir() -> Path:
    return _find("cases")
