"""Reads never wait for the write lock, writes never wait behind a read, overload is
answered 503 at once, and an export stops when its client leaves (real threads, real
databases)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from fluxent import routes
from fluxent.api import create_api, identity, wrap_asgi
from fluxent.core import db
from fluxent.core.clock import now
from fluxent.core.cookies import SESSION_COOKIE
from fluxent.core.settings import reset_settings
from fluxent.models.auth import AuthSession
from fluxent.services.privacy import export as export_module
from fluxent.services.privacy.registry import Registry, Section
from tests.support.auth import PASSWORD
from tests.support.auth_api import ADA, BOB, Browser, error_code
from tests.support.state import run_async

# Long enough for a waiting request to fail the test, never reached when the code is right.
WAIT = 10


@pytest.fixture
def ada(browser, people):
    browser.sign_in(ADA)
    return browser


@pytest.fixture
def slow_export(monkeypatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """The export's only section waits for ``release`` (an export that takes a long time)."""
    entered, release = threading.Event(), threading.Event()

    def build(_context) -> dict:
        entered.set()
        assert release.wait(WAIT)
        return {}

    registry = Registry()
    registry.standing_section(Section("slow", {"type": "object"}, build))
    monkeypatch.setattr(export_module, "default_registry", lambda: registry)
    yield entered, release
    release.set()


def _in_thread(work) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    return thread, result


def test_a_slow_export_delays_neither_a_sign_in_nor_a_write(ada, make_browser, people, slow_export):
    entered, release = slow_export
    exporting, exported = _in_thread(lambda: ada.get(routes.API_ME_EXPORT))
    assert entered.wait(WAIT)
    bob = make_browser()
    signing_in, signed_in = _in_thread(lambda: bob.post(routes.API_LOGIN, {"login": BOB, "password": PASSWORD}))
    signing_in.join(WAIT)
    assert signed_in and signed_in[0].status_code == 200, "the sign-in waited for the export"
    assert exporting.is_alive()  # the export is still being built
    changed = bob.send("PATCH", routes.API_ME, {"name": "Bob Rebuilt"})
    assert changed.status_code == 200
    release.set()
    exporting.join(WAIT)
    assert exported[0].status_code == 200 and "slow" in exported[0].json()


def test_reads_go_on_while_a_write_holds_the_lock(ada, database):
    holding, release = threading.Event(), threading.Event()

    def write() -> None:
        with db.session_scope() as session:
            session.connection()  # the transaction (SQLite: the write lock) is open
            holding.set()
            assert release.wait(WAIT)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert holding.wait(WAIT)
        reading, answers = _in_thread(lambda: [ada.get(routes.API_ME), ada.get(routes.API_SESSIONS)])
        reading.join(WAIT)
        assert answers and [answer.status_code for answer in answers[0]] == [200, 200]
    finally:
        release.set()
        writer.join(WAIT)


@pytest.fixture
def short_lock_wait(database) -> Iterator[str]:
    if not database.startswith("sqlite"):
        pytest.skip("the database-wide write lock is SQLite's")
    os.environ["FLUXENT_DB_LOCK_WAIT_MS"] = "50"
    reset_settings()
    db.dispose_engines()
    yield database.removeprefix("sqlite:///")
    del os.environ["FLUXENT_DB_LOCK_WAIT_MS"]
    reset_settings()
    db.dispose_engines()


def test_a_write_that_cannot_get_the_lock_answers_503_at_once_and_reads_still_work(ada, short_lock_wait, caplog):
    other = sqlite3.connect(short_lock_wait, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else holds the write lock
    try:
        refused = ada.send("PATCH", routes.API_ME, {"name": "Ada Busy"})
        assert refused.status_code == 503 and error_code(refused) == "busy"
        assert int(refused.headers["Retry-After"]) >= 1
        # The server's log names the lock, which the browser tests' check of that log looks for.
        assert any("database is locked" in record.getMessage() for record in caplog.records)
        assert ada.get(routes.API_ME).status_code == 200
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ada.send("PATCH", routes.API_ME, {"name": "Ada Again"}).status_code == 200


def test_past_the_in_flight_limit_the_api_answers_503_at_once(ada, slow_export, monkeypatch, caplog):
    monkeypatch.setenv("FLUXENT_API_MAX_IN_FLIGHT", "1")
    reset_settings()
    busy_browser = Browser()  # built with the limit of one request at a time
    busy_browser.client.cookies = ada.client.cookies
    entered, release = slow_export
    try:
        exporting, exported = _in_thread(lambda: busy_browser.get(routes.API_ME_EXPORT))
        assert entered.wait(WAIT)
        refused = busy_browser.get(routes.API_ME)
        assert refused.status_code == 503 and error_code(refused) == "busy"
        assert refused.headers["Retry-After"] == "1"
        assert not any("database is locked" in record.getMessage() for record in caplog.records)
        release.set()
        exporting.join(WAIT)
        assert exported[0].status_code == 200
        assert busy_browser.get(routes.API_ME).status_code == 200
    finally:
        busy_browser.close()


def test_an_export_stops_reading_when_its_client_leaves(ada, monkeypatch):
    """The export is read while it is sent; a client that goes away ends the reading."""
    produced, closed = [], threading.Event()

    def build(_context) -> Iterator[str]:
        try:
            for index in range(100_000):  # about 100 MB if it were all sent
                produced.append(index)
                yield "x" * 1000
        finally:
            closed.set()

    registry = Registry()
    registry.standing_section(Section("many", {"type": "array"}, build))
    monkeypatch.setattr(export_module, "default_registry", lambda: registry)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": routes.API_ME_EXPORT,
        "raw_path": routes.API_ME_EXPORT.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1),
        "headers": [(b"host", b"testserver"), (b"cookie", f"{SESSION_COOKIE}={ada.session_cookie}".encode())],
    }
    bodies: list[bytes] = []

    async def drive() -> None:
        first_body = asyncio.Event()
        requested = False

        async def receive():
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await first_body.wait()  # the client reads one chunk, then closes the connection
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                assert message["status"] == 200
            elif message["type"] == "http.response.body" and message.get("body"):
                bodies.append(message["body"])
                first_body.set()

        await asyncio.wait_for(wrap_asgi(create_api())(scope, receive, send), WAIT)

    run_async(drive())
    assert closed.wait(WAIT)
    assert sum(map(len, bodies)) < 10_000_000 and len(produced) < 10_000


def test_past_the_export_limit_an_export_is_answered_503_while_other_requests_go_on(ada, slow_export, monkeypatch):
    monkeypatch.setenv("FLUXENT_API_MAX_EXPORTS", "1")
    reset_settings()
    limited = Browser()
    limited.client.cookies = ada.client.cookies
    entered, release = slow_export
    try:
        exporting, exported = _in_thread(lambda: limited.get(routes.API_ME_EXPORT))
        assert entered.wait(WAIT)
        second = limited.get(routes.API_ME_EXPORT)
        assert second.status_code == 503 and second.headers["Retry-After"] == "1"
        assert limited.get(routes.API_ME).status_code == 200
        release.set()
        exporting.join(WAIT)
        assert exported[0].status_code == 200
    finally:
        limited.close()


def _last_seen_at(user_id: int) -> datetime:
    with db.read_scope() as session:
        return session.exec(select(AuthSession.last_seen_at).where(AuthSession.user_id == user_id)).one()


def _age_sessions(user_id: int, minutes: int) -> None:
    with db.session_scope() as session:
        session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id)
            .values(last_seen_at=now() - timedelta(minutes=minutes))
        )


@pytest.fixture
def thread_trips(monkeypatch) -> list:
    """Each call ``me`` hands to the thread pool."""
    trips: list = []
    handed = identity.run_in_threadpool

    async def counted(work, *args):
        trips.append(work)
        return await handed(work, *args)

    monkeypatch.setattr(identity, "run_in_threadpool", counted)
    return trips


def test_me_reads_on_the_event_loop_on_sqlite_and_refreshes_last_seen_on_a_thread(ada, people, database, thread_trips):
    assert ada.get(routes.API_ME).status_code == 200
    # SQLite's read costs less than a trip to the thread pool; PostgreSQL's waits for the network.
    assert len(thread_trips) == (0 if database.startswith("sqlite") else 1)
    _age_sessions(people.ada.id, minutes=2)
    before, thread_trips[:] = _last_seen_at(people.ada.id), []
    assert ada.get(routes.API_ME).status_code == 200
    assert len(thread_trips) == 1  # the refresh (with the read, off SQLite)
    assert _last_seen_at(people.ada.id) > before + timedelta(minutes=1)


def test_me_answers_when_its_last_seen_refresh_cannot_get_the_lock(ada, people, short_lock_wait, thread_trips):
    _age_sessions(people.ada.id, minutes=2)
    before = _last_seen_at(people.ada.id)
    other = sqlite3.connect(short_lock_wait, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # someone else holds the write lock
    try:
        answer = ada.get(routes.API_ME)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert answer.status_code == 200 and answer.json()["user"]["email"] == ADA
    assert len(thread_trips) == 1  # the refresh was tried on a thread, given up and logged
    assert _last_seen_at(people.ada.id) == before
