"""The domain stays pure: no web framework, no database, no app modules."""

from __future__ import annotations

import ast
import re
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


@pytest.mark.parametrize(
    "path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: str(p.relative_to(DOMAIN))
)
def test_domain_module_imports_neither_the_web_stack_nor_the_database(path):
    for name in imported_modules(path):
        root = name.split(".")[0]
        assert root not in FORBIDDEN, f"{path.name}: {name}"
        assert not root.startswith("flask_"), f"{path.name}: {name}"
        assert not name.startswith(FORBIDDEN_OWN), f"{path.name}: {name}"


def test_importing_the_whole_domain_loads_no_web_or_database_module():
    modules = ", ".join(_dotted(path) for path in sorted(DOMAIN.rglob("*.py")))
    code = (
        f"import sys; import {modules}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        f"{FORBIDDEN!r} or m.startswith('flask')]; print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def _dotted(path: Path) -> str:
    parts = path.relative_to(DOMAIN).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("breachdesk", "domain", *parts))


PACKAGES = ("assessment", "drafting", "profile")
PROJECT = DOMAIN.parent.parent


@pytest.mark.parametrize("package", PACKAGES)
def test_code_outside_a_domain_package_imports_only_what_its_init_exports(package):
    inner = re.compile(rf"^\s*(from|import) breachdesk\.domain\.{package}\.\w+", re.M)
    offenders = [
        str(path.relative_to(PROJECT))
        for folder in ("breachdesk", "tests", "benchmarks")
        for path in (PROJECT / folder).rglob("*.py")
        if DOMAIN / package not in path.parents and inner.search(path.read_text())
    ]
    assert offenders == []


SERVICES = DOMAIN.parent / "services"


@pytest.mark.parametrize(
    "path", sorted(SERVICES.rglob("*.py")), ids=lambda p: str(p.relative_to(SERVICES))
)
def test_service_module_is_given_its_settings_and_reads_no_flask_globals(path):
    # Folders, limits and the instance path come from the view or the command as arguments.
    flask_imports = [name for name in imported_modules(path) if name.split(".")[0] == "flask"]
    assert flask_imports == [], path.name
