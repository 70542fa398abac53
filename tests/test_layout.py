"""The package's folders read the data's way: inputs -> rules -> replay -> history and views ->
commands. A module imports from its own folder, the root modules (model, dates, settings, ...) and
earlier folders only; never a later folder, never another module's private name, and never the
package by its installed name (`casecheck.`) from inside it."""

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "engine"
ORDER = {"inputs": 0, "rules": 1, "replay": 2, "history": 3, "views": 3, "commands": 4}
PACKAGE_NAMES = ("casecheck", "engine")


def layout_problems(relative: str, source: str) -> list[str]:
    """What breaks the layout in one module, `relative` its path inside engine/ ('replay/stream.py')."""
    parts = relative.split("/")
    package = parts[:-1]  # the module's folders inside engine/ ([] for a root module)
    folder = package[0] if package else None
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGE_NAMES:
                    problems.append(f"ABSOLUTE {relative}: import {alias.name}")
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 0:
            if (node.module or "").split(".")[0] in PACKAGE_NAMES:
                problems.append(f"ABSOLUTE {relative}: from {node.module} import ...")
            continue
        base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
        target = base + [p for p in (node.module or "").split(".") if p]
        for alias in node.names:
            # `from .. import views` imports the folder itself
            where = target if target else [alias.name]
            if folder in ORDER and where[0] in ORDER and ORDER[where[0]] > ORDER[folder]:
                problems.append(f"UP {relative}: {'.'.join(where)} ({alias.name})")
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                problems.append(f"PRIVATE {relative}: {'.'.join(target)}.{alias.name}")
    return problems


def _modules():
    for path in sorted(ENGINE.rglob("*.py")):
        yield path.relative_to(ENGINE).as_posix(), path.read_text(encoding="utf-8")


def test_no_module_imports_from_a_later_folder():
    assert [p for rel, src in _modules() for p in layout_problems(rel, src) if p.startswith("UP")] == []


def test_no_module_imports_another_modules_private_name():
    assert [p for rel, src in _modules() for p in layout_problems(rel, src) if p.startswith("PRIVATE")] == []


def test_no_module_imports_the_package_by_its_installed_name():
    assert [p for rel, src in _modules() for p in layout_problems(rel, src) if p.startswith("ABSOLUTE")] == []


def test_the_layout_check_finds_each_kind_of_wrong_import():
    # The same check on modules written to break the layout, so the tests above can fail.
    assert layout_problems("replay/response.py", "from ..views.wording import types_words\n") == [
        "UP replay/response.py: views.wording (types_words)"]
    assert layout_problems("inputs/runs.py", "def f():\n    from ..views.database import schema\n") == [
        "UP inputs/runs.py: views.database (schema)"]
    assert layout_problems("replay/columnar/piece.py", "from ...commands import interrupts\n") == [
        "UP replay/columnar/piece.py: commands (interrupts)"]
    assert layout_problems("rules/x.py", "from .. import replay\n") == ["UP rules/x.py: replay (replay)"]
    assert layout_problems("rules/lint.py", "from .fields import (Bad,\n    _suggest)\n") == [
        "PRIVATE rules/lint.py: rules.fields._suggest"]
    assert layout_problems("commands/options.py", "from casecheck.inputs.files import TABLES_KEY\n") == [
        "ABSOLUTE commands/options.py: from casecheck.inputs.files import ..."]
    assert layout_problems("views/x.py", "import engine.model\n") == ["ABSOLUTE views/x.py: import engine.model"]


def test_the_layout_check_allows_the_data_s_way():
    allowed = ("from __future__ import annotations\nfrom ..model import Case\nfrom ..inputs.files import find_files\n"
               "from ..rules.scope import applies\nfrom . import progress\nfrom .engine import MACHINES\n"
               "from ..replay.judged import NONE_APPLIED\nfrom .. import interrupts\n"
               '"""\n    import casecheck\n"""\n')  # a docstring's example is not an import
    assert layout_problems("views/x.py", allowed) == []
    assert layout_problems("settings.py", "from .rules.load import calendar_setting\n") == []  # a root module
