"""The shared formatting module and the upload streaming helper, on their own."""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from fluxent.core.db import session_scope
from fluxent.core.errors import ValidationFailed
from fluxent.models.documents import Document
from fluxent.services.auth import sessions
from fluxent.state import portal
from fluxent.state.formatting import STATUS_LABELS, day, money, size_label
from fluxent.state.uploads import stream_upload
from tests.support.portal import build_world
from tests.support.state import cookie_for, run_async


def test_amounts_sizes_days_and_labels():
    assert money(4_800_000, "USD") == "USD 48,000.00" and money(-5, "EUR") == "EUR -0.05"
    assert [size_label(n) for n in (0, 1023, 1024, 5 << 20, 3 << 30)] == ["0 B", "1023 B", "1.0 KB", "5.0 MB", "3.0 GB"]
    assert day(date(2026, 3, 5)) == "5 Mar 2026" and day(datetime(2026, 3, 5, 23, tzinfo=UTC)) == "5 Mar 2026"
    assert day(None) == ""
    assert STATUS_LABELS["submitted"] == "Waiting for your acceptance"


def test_the_portal_state_module_keeps_only_its_states():
    source = inspect.getsource(portal)
    for definition in ("STATUS_LABELS = {", "def money(", "def size_label(", "def stream_upload("):
        assert definition not in source, definition


@dataclass
class Chunk:
    filename: str
    data: bytes


def _upload(cookie: str, target: str, parts: list[Chunk]) -> str:
    """Runs the helper as an upload handler does: chunks from the event loop, work in a thread."""

    async def chunks():
        for part in parts:
            yield part

    async def main() -> str:
        return await asyncio.to_thread(
            stream_upload, cookie, target, chunks(), asyncio.get_running_loop(), viewing_as=0
        )

    return run_async(main())


def test_streams_a_file_for_the_signed_in_person_and_refuses_the_rest(database, data_dir):
    with session_scope() as db:
        world = build_world(db)
        _, raw = sessions.start_session(db, user=world.owner_a)
    cookie = cookie_for(raw)
    name = _upload(cookie, f"org:{world.org_a}", [Chunk("notes.txt", b"first "), Chunk("notes.txt", b"second")])
    assert name == "notes.txt"
    for cookie_, target, parts, message in (
        (cookie, "bogus:1", [Chunk("a.txt", b"x")], "Choose where the document belongs."),
        (cookie, f"org:{world.org_a}", [], "Choose a file to upload."),
        ("sessionid=forged", f"org:{world.org_a}", [Chunk("a.txt", b"x")], "Your session has ended"),
        (cookie, f"org:{world.org_a}", [Chunk("a.txt", b"x"), Chunk("b.txt", b"y")], "Upload one file at a time."),
    ):
        with pytest.raises(ValidationFailed, match=message):
            _upload(cookie_, target, parts)
    with session_scope() as db:
        assert [d.filename for d in db.exec(select(Document)).all()].count("a.txt") == 0
        assert [d.filename for d in db.exec(select(Document).where(Document.filename == "notes.txt")).all()] == [
            "notes.txt"
        ]
