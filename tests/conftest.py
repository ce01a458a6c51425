"""Test configuration shared by every folder.

Each database test gets a fresh, fully migrated database: SQLite always, and
PostgreSQL too when ``FLUXENT_TEST_DATABASE_URL`` points at a server (the
``database`` fixture is parametrized over both). Under ``CI=true`` a missing
PostgreSQL is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# The results recorder reads the app's data directory, so it is imported before that is replaced below.
pytest.register_assert_rewrite("tests.support.results_file")
import tests.support.results_file  # noqa: E402, F401

_TMP = Path(tempfile.mkdtemp(prefix="fluxent-tests-"))
os.environ.update(
    {
        "FLUXENT_ENV": "test",
        "FLUXENT_DATA_DIR": str(_TMP / "data"),
        "FLUXENT_DATABASE_URL": f"sqlite:///{_TMP / 'unused.db'}",
        "FLUXENT_SECRET_KEY": "test-secret-key-" + "s" * 40,
        "FLUXENT_AUDIT_KEY": "test-audit-key-" + "a" * 40,
        "FLUXENT_EMAIL_BACKEND": "file",
        "FLUXENT_BASE_URL": "http://testserver",
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
)

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from fluxent.core import db  # noqa: E402
from fluxent.core.settings import reset_settings  # noqa: E402

# Fixtures that several folders use (``outbox``, ``clock``, ``data_dir``, ``world``, ``s3_settings``, ...);
# test modules import from these only the helpers they call.
pytest_plugins = [
    "tests.support.auth",
    "tests.support.billing",
    "tests.support.portal",
    "tests.support.s3",
    "tests.support.results_file",
]

PG_URL = os.environ.get("FLUXENT_TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI") == "true"


def _migrate(url: str) -> None:
    from alembic.config import Config

    from alembic import command
    from fluxent.core.settings import PROJECT_ROOT

    _use_database(url)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    db.dispose_engines()


def _use_database(url: str) -> None:
    db.dispose_engines()
    os.environ["FLUXENT_DATABASE_URL"] = url
    reset_settings()


@pytest.fixture(scope="session")
def sqlite_template() -> Path:
    path = _TMP / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but FLUXENT_TEST_DATABASE_URL is not set: PostgreSQL tests cannot run")
        pytest.skip("FLUXENT_TEST_DATABASE_URL not set")
    name = f"fluxent_tmpl_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    _migrate(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> Iterator[str]:
    """A fresh migrated database, configured as the app's database; yields its URL."""
    if request.param == "sqlite":
        path = tmp_path / "fluxent.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        _use_database(url)
        yield url
        db.dispose_engines()
        return
    template = request.getfixturevalue("postgres_template")
    name = f"fluxent_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    _use_database(url)
    yield url
    db.dispose_engines()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def session(database) -> Iterator[Session]:
    """A session on the test database; commit explicitly where the test needs it."""
    with Session(db.get_engine(), expire_on_commit=False) as s:
        yield s
        s.rollback()


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    reset_settings()
    yield
    reset_settings()
