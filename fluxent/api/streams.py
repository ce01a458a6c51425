"""Streamed answers whose content a generator reads from the database as it is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from typing import AnyStr

from starlette.concurrency import iterate_in_threadpool


async def closing_stream(chunks: Generator[AnyStr]) -> AsyncIterator[AnyStr]:
    """``chunks``, each made in the thread pool; closed (its reading ends) as soon as the client leaves."""
    try:
        async for chunk in iterate_in_threadpool(chunks):
            yield chunk
    finally:
        chunks.close()
