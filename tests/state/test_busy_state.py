"""Under overload a page says "busy, try again" at once: page loads still read while
another connection holds SQLite's write lock, and a write that cannot get the lock
ends in a friendly note instead of a long wait or "An error occurred"."""

from __future__ import annotations

import sqlite3

import pytest

from fluxent.core import db
from fluxent.core.errors import Busy
from fluxent.core.settings import reset_settings
from fluxent.state.busy import backend_exception_handler
from fluxent.state.security import SecurityState
from tests.support.state import person, run, tab


def test_a_page_loads_and_a_refused_write_shows_a_friendly_note(database, monkeypatch, caplog):
    if not database.startswith("sqlite"):
        pytest.skip("the database-wide write lock is SQLite's")
    monkeypatch.setenv("FLUXENT_DB_LOCK_WAIT_MS", "50")
    reset_settings()
    db.dispose_engines()
    _, cookie = person("busy@example.com")
    other = sqlite3.connect(database.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else holds the write lock
    try:
        state = tab(SecurityState, cookie=cookie)
        state.load()
        assert len(state.sessions) == 1  # the page still loads
        with pytest.raises(Busy) as refused:
            run(state.revoke_others())
    finally:
        other.execute("ROLLBACK")
        other.close()
    note = str(backend_exception_handler(refused.value))
    assert Busy.message in note and "An error occurred" not in note
    # The server's log names the lock (the browser tests fail on it), with no stack trace.
    warnings = [record for record in caplog.records if "refused under overload" in record.getMessage()]
    assert warnings and "database is locked" in warnings[-1].getMessage() and not warnings[-1].exc_info
