"""Public verification: is this PDF one that Fluxent sealed?

The upload is hashed as it streams in and never stored; the SHA-256 is looked up
among completed envelopes. Requests are counted per IP address in the database
(``auth.throttle``), every one of them, not only failures, since each costs a
full read of a file. A changed byte changes the hash, so a tampered copy is "no match".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.core.errors import TooLarge
from fluxent.core.settings import get_settings
from fluxent.models.esign import Envelope, EnvelopeStatus
from fluxent.services.auth import throttle
from fluxent.services.esign.envelopes import signers_of

VERIFY_IP = throttle.Policy("verify-ip", free=30, window=timedelta(minutes=10), first_lock=timedelta(seconds=30))


@dataclass(frozen=True)
class SignedBy:
    name: str
    signed_at: datetime | None


@dataclass(frozen=True)
class Match:
    envelope_id: int
    title: str
    completed_at: datetime
    sha256: str  # of the sealed file, the final document
    original_sha256: str
    signers: tuple[SignedBy, ...]


@dataclass(frozen=True)
class Verdict:
    sha256: str
    size: int
    match: Match | None


def hash_stream(chunks: Iterable[bytes], *, limit_bytes: int) -> tuple[str, int]:
    """SHA-256 and size of the stream; TooLarge as soon as it passes ``limit_bytes``."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit_bytes:
            raise TooLarge(f"The file is larger than {limit_bytes // (1024 * 1024)} MB.")
        digest.update(chunk)
    return digest.hexdigest(), size


def count_request(ip: str, *, clock: Clock = now) -> None:
    """RateLimited when this address has asked too often; otherwise count the request."""
    with session_scope() as session:
        throttle.check(session, (VERIFY_IP, ip), clock=clock)
        throttle.record(session, VERIFY_IP, ip, clock=clock)


def find(sha256: str) -> Match | None:
    """The completed envelope whose sealed PDF has this SHA-256 (64 hex digits), or None."""
    if len(sha256) != 64 or any(char not in "0123456789abcdef" for char in sha256):
        return None
    with read_scope() as session:
        envelope = session.scalars(
            select(Envelope).where(Envelope.final_sha256 == sha256, Envelope.status == EnvelopeStatus.COMPLETED)
        ).first()
        if envelope is None:
            return None
        return Match(
            envelope_id=envelope.id,
            title=envelope.title,
            completed_at=envelope.completed_at,
            sha256=sha256,
            original_sha256=envelope.original_sha256,
            signers=tuple(SignedBy(s.name, s.signed_at) for s in signers_of(session, envelope.id)),
        )


def check_stream(chunks: Iterable[bytes], *, limit_bytes: int | None = None) -> Verdict:
    """Hash the stream (no transaction open meanwhile) and look the hash up."""
    limit = limit_bytes if limit_bytes is not None else get_settings().max_upload_mb * 1024 * 1024
    sha256, size = hash_stream(chunks, limit_bytes=limit)
    return Verdict(sha256=sha256, size=size, match=find(sha256))


def verify_upload(*, ip: str, chunks: Iterable[bytes], limit_bytes: int | None = None, clock: Clock = now) -> Verdict:
    """Count the request, then check the stream. The caller must not hold a transaction itself."""
    count_request(ip, clock=clock)
    return check_stream(chunks, limit_bytes=limit_bytes)
