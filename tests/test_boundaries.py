"""The domain stays pure: no web framework, no database, no app modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parent.parent / "breachdesk" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "werkzeug", "jinja2", "nh3", "wtforms", "alembic")
FORBIDDEN_OWN = (
    "breachdesk.models",
    "breachdesk.services",
    "breachdesk.web",
    "breachdesk.extensions",
    "breachdesk.app",
    "breachdesk.desk",
)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_module_imports_neither_the_web_stack_nor_the_database(path):
    for name in imported_modules(path):
        root = name.split(".")[0]
        assert root not in FORBIDDEN, f"{path.name}: {name}"
        assert not root.startswith("flask_"), f"{path.name}: {name}"
        assert not name.startswith(FORBIDDEN_OWN), f"{path.name}: {name}"


def test_importing_the_whole_domain_loads_no_web_or_database_module():
    modules = ", ".join(f"breachdesk.domain.{p.stem}" for p in DOMAIN.glob("*.py"))
    code = (
        f"import sys; import {modules}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        f"{FORBIDDEN!r} or m.startswith('flask')]; print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
