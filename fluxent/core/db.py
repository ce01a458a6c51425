"""Database engine and session helpers.

Two kinds of unit of work:

- :func:`read_scope` only reads. On SQLite (WAL) it begins a deferred transaction
  with ``PRAGMA query_only`` on, so it never takes the database's single write lock
  and runs alongside a writer; a write attempted in it fails at once instead of
  trying a lock upgrade that can fail half-way. On PostgreSQL it is a
  ``READ ONLY`` transaction.
- :func:`session_scope` may write. On SQLite it begins with ``BEGIN IMMEDIATE``: it
  takes the write lock up front, so a unit that reads and then writes can never fail
  half-way because another connection wrote in between. Keep it short: no password
  hashing, export building or mail while it is open (mail goes through
  :func:`after_commit`).

A writer that cannot get the lock within ``FLUXENT_DB_LOCK_WAIT_MS`` (writers hold it
for milliseconds; seconds of waiting mean overload), or a unit that waits as long for a
pooled connection, raises
:class:`~fluxent.core.errors.Busy` (the API answers 503 with ``Retry-After``, the
pages a "busy, try again" message) instead of queueing for longer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, event, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlalchemy.pool import QueuePool
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, create_engine

from fluxent.core.errors import Busy
from fluxent.core.settings import get_settings

BUSY_RETRY_AFTER_SECONDS = 2
# Execution option and Session.info key marking a read-only unit of work.
_READ_ONLY = "fluxent_read_only"
log = logging.getLogger(__name__)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC (fluxent.core.clock.now)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with this project's connection settings."""
    if url.startswith("sqlite"):
        settings = get_settings()
        wait_ms = settings.db_lock_wait_ms
        # A streamed export keeps its connection while it is sent: room for every request
        # the process admits (SQLite connections are cheap), and never a long wait for one.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": wait_ms / 1000},
            poolclass=QueuePool,
            pool_size=settings.api_max_in_flight,
            max_overflow=settings.api_max_in_flight,
            pool_timeout=wait_ms / 1000,
        )
        _configure_sqlite(engine, wait_ms)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=5)
    _configure_postgresql(engine)
    return engine


def _configure_sqlite(engine: Engine, wait_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        # query_only belongs to the driver connection and outlives the transaction:
        # switch it only when this unit's kind differs from the last one's.
        if connection.info.get(_READ_ONLY, False) != read_only:
            connection.exec_driver_sql(f"PRAGMA query_only={int(read_only)}")
            connection.info[_READ_ONLY] = read_only
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if connection.get_execution_options().get(_READ_ONLY, False):
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")


# One engine (connection pool) per database URL and process.
_engines: dict[str, Engine] = {}


def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    url = get_settings().resolved_database_url
    if url not in _engines:
        _engines[url] = make_engine(url)
    return _engines[url]


def dispose_engines() -> None:
    """Close every pooled connection (tests, and after a fork)."""
    while _engines:
        _engines.popitem()[1].dispose()


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A unit of work that may write: commits on success, rolls back on any error."""
    with _unit(engine or get_engine(), read_only=False) as session:
        yield session


@contextmanager
def read_scope(
    engine: Engine | None = None, *, writes_later: list[Callable[[], None]] | None = None
) -> Iterator[Session]:
    """A unit of work that only reads: never takes SQLite's write lock.

    Writes a read needs on the side (a session's last-seen time, an audit event)
    go through :func:`write_soon`. They run once the read commits, or, with
    ``writes_later``, are appended to it then (each logging its own failure, as an
    action after commit does): for a read on the event loop, which must not wait for
    the write lock itself and runs them on a thread.
    """
    with _unit(engine or get_engine(), read_only=True, writes_later=writes_later) as session:
        yield session


def reads_on_event_loop(engine: Engine | None = None) -> bool:
    """Whether a short read may run on the event loop instead of a worker thread.

    On SQLite a read is answered from a local file in microseconds and, in WAL mode,
    never waits for a lock, so a trip to the thread pool costs more than the read
    itself. A PostgreSQL read waits for the network: it stays on a thread.
    """
    return (engine or get_engine()).dialect.name == "sqlite"


def is_read_only(session: Session) -> bool:
    return bool(session.info.get(_READ_ONLY))


def insert_unless_present(session: Session, table: Any, values: dict[str, Any], *, unique: list[str]) -> bool:
    """Insert a row, or nothing when one with the same ``unique`` columns exists (also when a
    concurrent transaction just committed it): for rows two requests may both create.
    True when this call inserted it."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=unique)
    # The driver's row count of an insert is not reliable on every backend: ask for the inserted row instead.
    return session.execute(statement.returning(literal_column("1"))).first() is not None


def engine_of(session: Session) -> Engine:
    """The engine ``session``'s unit of work was opened on (the configured one otherwise)."""
    return session.info.get(_ENGINE) or get_engine()


def write_soon(session: Session, work: Callable[[Session], object]) -> None:
    """Run ``work`` in ``session`` now if it may write; after a read unit, in a brief write unit of its own.

    The read's transaction never upgrades to a write (on SQLite that can fail at
    once); the write runs only once the read has committed.
    """
    if not is_read_only(session):
        work(session)
        return
    engine = engine_of(session)

    def _write() -> None:
        with session_scope(engine) as writer:
            work(writer)

    later = session.info.get(_WRITES_LATER)
    after_commit(session, _write if later is None else lambda: later.append(lambda: _logged(_write)))


_ENGINE = "fluxent.engine"
_WRITES_LATER = "fluxent.writes_later"


def _read_only_bind(engine: Engine) -> Engine:
    """``engine`` marked read-only, made once per engine and kept on it (each unit reusing it
    saves building one)."""
    bind = engine.__dict__.get(_READ_ONLY)
    if bind is None:
        bind = engine.__dict__[_READ_ONLY] = engine.execution_options(**{_READ_ONLY: True})
    return bind


@contextmanager
def _unit(
    engine: Engine, *, read_only: bool, writes_later: list[Callable[[], None]] | None = None
) -> Iterator[Session]:
    bind = _read_only_bind(engine) if read_only else engine
    info = {_READ_ONLY: read_only, _ENGINE: engine, _WRITES_LATER: writes_later}
    with Session(bind, expire_on_commit=False, info=info) as session:
        try:
            yield session
            session.commit()
        except PoolTimeout as error:  # every pooled connection stayed in use
            session.rollback()
            raise Busy(retry_after=BUSY_RETRY_AFTER_SECONDS) from error
        except OperationalError as error:
            session.rollback()
            if is_lock_timeout(error):
                raise Busy(retry_after=BUSY_RETRY_AFTER_SECONDS) from error
            raise
        except BaseException:
            session.rollback()
            raise


def is_lock_timeout(error: BaseException) -> bool:
    """SQLite's "database is locked": the busy timeout ran out waiting for the write lock."""
    text = str(getattr(error, "orig", error))
    return "database is locked" in text or "database is busy" in text


# After commit ---------------------------------------------------------------------

_AFTER_COMMIT = "fluxent.after_commit"


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once ``session``'s transaction has committed; a rollback drops it.

    For effects the database cannot take back, such as e-mail: a transaction that
    fails to commit must not have told anyone. A rolled-back savepoint drops only
    what was queued inside it. A failing action is logged; it cannot undo the commit.
    """
    queued = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_AFTER_COMMIT, []).append((queued, action))


def _inside(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(OrmSession, "after_commit")
def _run_after_commit(session: OrmSession) -> None:
    for _, action in session.info.pop(_AFTER_COMMIT, []):
        _logged(action)


def _logged(action: Callable[[], None]) -> None:
    """Run an action that follows a commit: a failure is logged, since it cannot undo the commit."""
    try:
        action()
    except Exception:
        log.exception("an action after commit failed")


@event.listens_for(OrmSession, "after_soft_rollback")
def _drop_rolled_back(session: OrmSession, previous_transaction: SessionTransaction) -> None:
    queued = session.info.get(_AFTER_COMMIT)
    if queued:
        queued[:] = [(where, action) for where, action in queued if not _inside(where, previous_transaction)]


@event.listens_for(OrmSession, "after_transaction_end")
def _drop_uncommitted(session: OrmSession, transaction: SessionTransaction) -> None:
    """A session closed without committing drops what it queued."""
    if transaction.parent is None:
        session.info.pop(_AFTER_COMMIT, None)
