"""The code's shape: layer contract, and migrations that match the models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import fluxent.models  # noqa: F401
from fluxent.core import db
from fluxent.core.settings import PROJECT_ROOT


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted_and_passes_the_linter():
    """ruff (pyproject.toml): the format, pyflakes, import order, bugbear, pyupgrade, line length."""
    for command in (["format", "--check", "."], ["check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_migrations_match_the_models(database):
    with db.get_engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_test_modules_have_names_of_their_own():
    """The test folders are not packages: two modules of one name stop the whole run at collection."""
    seen: dict[str, Path] = {}
    clashes = []
    for path in sorted((PROJECT_ROOT / "tests").rglob("test_*.py")):
        if path.name in seen:
            clashes.append(f"{seen[path.name].relative_to(PROJECT_ROOT)} and {path.relative_to(PROJECT_ROOT)}")
        seen.setdefault(path.name, path)
    assert clashes == []
