"""The browser and development-server tests fail when their server's log shows work that
failed on SQLite's write lock."""

from __future__ import annotations

from tests.support.processes import lock_failures


def test_a_lock_failure_in_a_server_log_is_found_whatever_logged_it():
    log = "\n".join(
        [
            "INFO  App running at: http://0.0.0.0:8000/",
            "sqlite3.OperationalError: database is locked",
            "WARNING fluxent.api.errors: PATCH /api/v1/auth/me/ answered 503: database is locked",
            "WARNING fluxent.state.busy: An event was refused under overload: too many requests or events at once",
        ]
    )
    assert lock_failures(log) == log.splitlines()[1:3]


def test_a_clean_server_log_has_no_lock_failures():
    assert lock_failures("INFO  App running at: http://0.0.0.0:8000/\nGET /api/v1/health/ 200\n") == []
