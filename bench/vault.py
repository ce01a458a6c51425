"""Credential vault figures on SQLite, one process, the API in-process over ASGI.

1. Reveal through the API (``POST /api/v1/vault/items/<id>/reveal/``), step-up already done:
   p95 wall time and CPU per reveal. Target p95 < 30 ms.
2. ``rotate-keys`` over 10,000 engagements' data keys (each unwrapped with the old key and
   wrapped with the new one, one transaction). Target < 5 s.
3. Encrypt and decrypt throughput for 1,000 items of 4 KB: the AES-GCM layer alone, and
   creating the items through the service (one transaction, audit events included).

The machine is shared, so CPU time per operation (``time.process_time``) is printed beside
wall time; compare figures measured in the same run.

Usage: python bench/vault.py [--reveals N] [--engagements N] [--items N]
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "bench vault lantern meadow 2026"
BASE_URL = "http://testserver"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def _key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reveals", type=int, default=300)
    parser.add_argument("--engagements", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=1_000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-"))
    old_key = _key("old")
    os.environ.update(
        FLUXENT_ENV="test",
        FLUXENT_DATA_DIR=str(workdir),
        FLUXENT_DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}",
        FLUXENT_EMAIL_BACKEND="file",
        FLUXENT_BASE_URL=BASE_URL,
        FLUXENT_VAULT_KEYS=old_key,
    )
    from fluxent.cli import main as cli

    cli(["migrate"])
    world = _world()
    reveal(world, args.reveals)
    throughput(world, args.items)
    rotation(world, args.engagements, old_key)


def _world() -> dict[str, int]:
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import OrgRole, Role
    from fluxent.services.accounts import organizations, users
    from fluxent.services.portal import engagements

    with session_scope() as db:
        staff = users.create_user(db, email="staff@bench.test", password=PASSWORD, role=Role.STAFF, name="Staff")
        owner = users.create_user(db, email="owner@bench.test", password=None, role=Role.CLIENT, name="Owner")
        org = organizations.get_or_create_organization(db, name="Bench Robotics")
        organizations.add_membership(db, user=owner, organization=org, role=OrgRole.OWNER)
        engagement = engagements.create_engagement(
            db,
            actor=staff,
            organization_id=org.id,
            title="Bench build",
            fixed_price_minor=100_000,
            currency="USD",
            staff_ids=[staff.id],
        )
        return {"staff": staff.id, "owner": owner.id, "org": org.id, "engagement": engagement.id}


def reveal(world: dict[str, int], count: int) -> None:
    from fastapi.testclient import TestClient

    from fluxent.api.app import create_api, wrap_asgi
    from fluxent.core.cookies import CSRF_COOKIE, SESSION_COOKIE
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import User
    from fluxent.services.auth import sessions
    from fluxent.services.vault import items

    with session_scope() as db:
        owner, staff = db.get(User, world["owner"]), db.get(User, world["staff"])
        item = items.create_item(
            db,
            actor=owner,
            engagement_id=world["engagement"],
            kind="login",
            name="AWS production",
            value={"username": "deploy", "password": "s3cret-value", "url": "", "totp_seed": ""},
        )
        _, raw = sessions.start_session(db, user=staff)
        item_id = item.id
    client = TestClient(wrap_asgi(create_api()), base_url=BASE_URL)
    client.cookies.set(SESSION_COOKIE, raw)
    client.cookies.set(CSRF_COOKIE, "bench-csrf-token-0123456789")
    client.headers.update({"Origin": BASE_URL, "X-CSRFToken": "bench-csrf-token-0123456789"})
    assert client.post(f"/api/v1/vault/items/{item_id}/reveal/").status_code == 403  # no step-up yet
    assert client.post("/api/v1/auth/reauth/", json={"password": PASSWORD}).status_code == 200
    url = f"/api/v1/vault/items/{item_id}/reveal/"
    for _ in range(20):  # warm up
        assert client.post(url).status_code == 200
    # Side by side with the API's hottest read, so the figure means something on a loaded machine.
    for label, send in (
        ("reveal via API", lambda: client.post(url)),
        ("GET auth/me/ (baseline)", lambda: client.get("/api/v1/auth/me/")),
    ):
        walls = []
        cpu_start = time.process_time()
        for _ in range(count):
            started = time.perf_counter()
            answer = send()
            walls.append(time.perf_counter() - started)
            assert answer.status_code == 200
        cpu = (time.process_time() - cpu_start) / count
        print(
            f"{label}: {count} requests, p50 {statistics.median(walls) * 1000:.1f} ms, "
            f"p95 {p95(walls) * 1000:.1f} ms (reveal target < 30 ms), CPU {cpu * 1000:.2f} ms per request"
        )


def throughput(world: dict[str, int], count: int) -> None:
    from fluxent.core import vault_crypto as crypto
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import User
    from fluxent.services.vault import items, keys

    note = os.urandom(3072).hex()[:4096]
    with session_scope() as db:
        data_key = keys.data_key(db, organization_id=world["org"], engagement_id=world["engagement"])
    contexts = [f"bench|item={n}".encode() for n in range(count)]
    plaintext = note.encode()
    started, cpu = time.perf_counter(), time.process_time()
    sealed = [crypto.seal(data_key.key, data_key.key_id, plaintext, context) for context in contexts]
    seal_wall, seal_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    for blob, context in zip(sealed, contexts, strict=True):
        crypto.open_sealed(data_key.lookup, blob, context)
    open_wall, open_cpu = time.perf_counter() - started, time.process_time() - cpu
    megabytes = count * len(plaintext) / 1e6
    print(
        f"AES-GCM, {count} items of 4 KB: encrypt {count / seal_wall:,.0f} items/s ({megabytes / seal_wall:.0f} MB/s, "
        f"CPU {seal_cpu / count * 1e6:.1f} us each); decrypt {count / open_wall:,.0f} items/s "
        f"({megabytes / open_wall:.0f} MB/s, CPU {open_cpu / count * 1e6:.1f} us each)"
    )
    started, cpu = time.perf_counter(), time.process_time()
    with session_scope() as db:
        owner = db.get(User, world["owner"])
        for n in range(count):
            items.create_item(
                db,
                actor=owner,
                engagement_id=world["engagement"],
                kind="secure_note",
                name=f"Note {n}",
                value={"note": note},
            )
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"create_item, {count} notes of 4 KB in one transaction: {count / wall:,.0f} items/s, "
        f"CPU {used / count * 1000:.2f} ms each (validation, AES-GCM, insert, audit event)"
    )


def rotation(world: dict[str, int], count: int, old_key: str) -> None:
    from sqlalchemy import insert

    from fluxent.core.clock import now
    from fluxent.core.db import session_scope
    from fluxent.core.settings import reset_settings
    from fluxent.models.engagements import Engagement
    from fluxent.services.vault import keys

    moment = now()
    with session_scope() as db:
        rows = [
            {
                "organization_id": world["org"],
                "title": f"Engagement {n}",
                "scope_summary": "",
                "fixed_price_minor": 1000,
                "currency": "USD",
                "status": "active",
                "created_at": moment,
                "updated_at": moment,
            }
            for n in range(count)
        ]
        db.execute(insert(Engagement), rows)
    with session_scope() as db:
        ids = [row[0] for row in db.execute(Engagement.__table__.select().with_only_columns(Engagement.id))]
        for engagement_id in ids:
            keys.data_key(db, organization_id=world["org"], engagement_id=engagement_id)
    os.environ["FLUXENT_VAULT_KEYS"] = f"{_key('new')},{old_key}"
    reset_settings()
    started, cpu = time.perf_counter(), time.process_time()
    with session_scope() as db:
        changed = keys.rotate(db)
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"rotate-keys: {changed:,} data keys re-wrapped in {wall:.2f} s (target < 5 s), "
        f"CPU {used:.2f} s ({used / max(changed, 1) * 1e6:.0f} us per key)"
    )


if __name__ == "__main__":
    main()
