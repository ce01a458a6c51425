"""Client portal figures, one process, SQLite by default.

1. Document list: p50/p95 of ``GET /api/v1/documents/`` (page 1 and a deep page)
   for a client in an organization holding 10,000 documents. Target p95 < 50 ms.
2. Streamed upload: a 500 MB file posted as multipart to ``POST /api/v1/documents/``
   through the whole ASGI stack (middleware, streamed parser, checks, local
   storage), driven in-process without a network. Prints throughput and the peak
   growth of the process's resident memory. Target growth < 64 MB.
3. Open tabs: the production build (``reflex run --env prod --single-port``) with
   50 browser tabs (Debian's Chromium) on the documents page at once, each holding
   its websocket: time until every tab shows the list, and the server's resident
   memory before and with the tabs open. Skipped with ``--tabs 0``.
4. Websocket events: the production backend (``reflex run --env prod --backend-only``)
   and 50 simulated portal tabs (``tests/support/socket_tabs.py``), each its own client with its own session,
   talking Socket.IO on ``/_event`` as the browser does (client token in the query, the
   ``sessionid`` cookie in the handshake headers, router data in each event). All
   tabs at once open the dashboard (``hydrate_and_load``: the state snapshot, then
   the page's on_load events ending with the dashboard's load), accept a milestone
   from the dashboard, and load the dashboard again; each round trip runs from
   sending the event until the state update showing its result arrives. Prints
   p50/p95 per event. Targets on SQLite: p95 < 300 ms for the burst, < 100 ms spread
   out. Two runs: every tab at the same instant (a burst: the backend works through 50
   events at once; several workers when ``REFLEX_REDIS_URL`` is set),
   and tabs starting at random moments within ``--ws-spread`` seconds (people
   clicking). Before them, the server's CPU per event (the run time of the server's
   threads, read from /proc) with the tabs one after another, the figure the machine's
   load inflates least. Skipped with ``--ws-tabs 0``.

Usage: python bench/portal.py [--documents N] [--upload-mb N] [--tabs N] [--ws-tabs N] [--ws-rounds N]
       [--ws-spread S] [--database-url URL] [--only-ws]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORIGIN = "http://testserver"
CSRF = "bench-csrf-token-0123456789"
BOUNDARY = "benchboundary7MA4YWxkTrZu0gW"
CHUNK = 1024 * 1024


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class PeakRSS:
    """Samples the resident set size every few milliseconds while active."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes())
            self._stop.wait(0.005)

    def __enter__(self) -> PeakRSS:
        self.peak = rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())


def setup(args):
    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-portal-"))
    os.environ.update(
        FLUXENT_ENV="test",
        FLUXENT_DATA_DIR=str(workdir),
        FLUXENT_DATABASE_URL=args.database_url or f"sqlite:///{workdir / 'bench.db'}",
        FLUXENT_BASE_URL=ORIGIN,
        FLUXENT_EMAIL_BACKEND="file",
        FLUXENT_MAX_UPLOAD_MB=str(args.upload_mb + 16),
    )
    from fluxent.cli import main as cli

    cli(["migrate"])
    from fluxent.core.db import session_scope
    from fluxent.models.accounts import OrgRole, Role
    from fluxent.services.accounts import organizations, users
    from fluxent.services.auth import sessions

    with session_scope() as session:
        owner = users.create_user(session, email="owner@bench.test", password=None, role=Role.CLIENT)
        organization = organizations.get_or_create_organization(session, name=f"Bench {workdir.name}")
        organizations.add_membership(session, user=owner, organization=organization, role=OrgRole.OWNER)
        _, raw = sessions.start_session(session, user=owner)
        return workdir, organization.id, raw


def fill_documents(organization_id: int, count: int) -> None:
    from sqlalchemy import insert

    from fluxent.core.clock import now
    from fluxent.core.db import session_scope
    from fluxent.models.documents import Document

    moment = now()
    rows = [
        {
            "organization_id": organization_id,
            "engagement_id": None,
            "filename": f"report-{n:05d}.pdf",
            "current_version": 1,
            "created_at": moment,
            "updated_at": moment,
            "deleted_at": None,
        }
        for n in range(count)
    ]
    with session_scope() as session:
        session.execute(insert(Document), rows)


def client(raw_session: str):
    from fastapi.testclient import TestClient

    from fluxent.api.app import create_api, wrap_asgi
    from fluxent.core.cookies import CSRF_COOKIE, SESSION_COOKIE

    app = wrap_asgi(create_api())
    test_client = TestClient(app, base_url=ORIGIN)
    test_client.cookies.set(SESSION_COOKIE, raw_session)
    test_client.cookies.set(CSRF_COOKIE, CSRF)
    return app, test_client


def bench_list(test_client, organization_id: int, requests: int, count: int) -> None:
    deep_page = max(1, count // 20 // 2)
    for label, page in (("page 1", 1), (f"page {deep_page}", deep_page)):
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = test_client.get("/api/v1/documents/", params={"organization": organization_id, "page": page})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and response.json()["total"] == count, response.text
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"document list ({count:,} documents, {label}, 20 per page): p50 {statistics.median(timings):.1f} ms, "
            f"p95 {p95:.1f} ms over {requests} requests (target p95 < 50 ms)"
        )


async def post_upload(app, raw_session: str, organization_id: int, megabytes: int) -> tuple[int, bytes]:
    """Drive the ASGI app as a server would: the body arrives in 1 MiB messages."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="organization"\r\n\r\n{organization_id}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    block = b"%PDF-1.7\n" + b"x" * (CHUNK - 9)
    filler = b"y" * CHUNK
    pieces = iter([head, block, *([filler] * (megabytes - 1)), tail])
    total = len(head) + len(tail) + megabytes * CHUNK
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/documents/",
        "raw_path": b"/api/v1/documents/",
        "query_string": b"",
        "root_path": "",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
        "headers": [
            (b"host", b"testserver"),
            (b"origin", ORIGIN.encode()),
            (b"x-csrftoken", CSRF.encode()),
            (b"cookie", f"sessionid={raw_session}; csrftoken={CSRF}".encode()),
            (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
            (b"content-length", str(total).encode()),
        ],
    }
    status, body = 0, bytearray()

    async def receive():
        piece = next(pieces, None)
        if piece is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": piece, "more_body": True}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)


def bench_upload(app, raw_session: str, organization_id: int, megabytes: int) -> None:
    import json

    baseline = rss_bytes()
    with PeakRSS() as peak:
        started = time.perf_counter()
        status, body = asyncio.run(post_upload(app, raw_session, organization_id, megabytes))
        elapsed = time.perf_counter() - started
    assert status == 201, body[:500]
    size = json.loads(body)["versions"][0]["size"]
    assert size == megabytes * CHUNK
    growth = (peak.peak - baseline) / (1024 * 1024)
    print(
        f"streamed upload of {megabytes} MB: {megabytes / elapsed:,.0f} MB/s ({elapsed:.1f} s), "
        f"peak RSS growth {growth:.1f} MB (target < 64 MB)"
    )


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        pending += [int(child) for child in children]
    return total


@contextlib.contextmanager
def running_app(*, mode: str, prepare: str = ""):
    """``reflex run --env prod <mode>`` on a fresh SQLite database (migrated and seeded).

    ``prepare`` is Python run in the app's environment before the start; yields
    ``(base_url, server_process, what prepare printed)``.
    """
    import signal
    import socket
    import subprocess
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-app-"))
    base = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLUXENT_")}
    env.update(
        PATH=os.pathsep.join(
            [str(ROOT / ".tools" / "node_modules" / ".bin"), str(Path(sys.executable).parent), env["PATH"]]
        ),
        FLUXENT_ENV="test",
        FLUXENT_BASE_URL=base,
        FLUXENT_PORT=str(port),
        FLUXENT_DATA_DIR=str(workdir),
        FLUXENT_DATABASE_URL=f"sqlite:///{workdir / 'app.db'}",
        FLUXENT_EMAIL_BACKEND="file",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
    )
    for command in (["migrate"], ["seed"]):
        subprocess.run([sys.executable, "-m", "fluxent", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    prepared = subprocess.run(
        [sys.executable, "-c", prepare], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod", mode, "--backend-port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health/", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"the server did not start; see {workdir / 'server.log'}") from None
                time.sleep(1)
        yield base, server, prepared
    finally:
        os.killpg(os.getpgid(server.pid), signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


START_DEMO_SESSION = (
    "from fluxent.core.db import session_scope\nfrom fluxent.services.accounts import users\nfrom fluxent.services.auth import sessions\n"
    "with session_scope() as db:\n    _, raw = sessions.start_session(db, user=users.user_by_email(db, 'client@demo.fluxent.tech'))\n"
    "print(raw)"
)


def bench_tabs(tabs: int) -> None:
    from playwright.sync_api import sync_playwright

    with running_app(mode="--single-port", prepare=START_DEMO_SESSION) as (base, server, prepared):
        raw = prepared.strip()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(base_url=base)
            context.add_cookies([{"name": "sessionid", "value": raw, "url": base, "httpOnly": True, "sameSite": "Lax"}])
            warm = context.new_page()
            warm.goto("/portal/documents")
            warm.get_by_text("Statement of work.pdf").wait_for()
            before = _tree_rss(server.pid)
            started = time.perf_counter()
            pages = [context.new_page() for _ in range(tabs)]
            for page in pages:
                page.goto("/portal/documents", wait_until="commit")
            ready = []
            for page in pages:
                page.get_by_text("Statement of work.pdf").wait_for(timeout=120_000)
                ready.append(time.perf_counter() - started)
            with_tabs = _tree_rss(server.pid)
            browser.close()
        print(
            f"{tabs} tabs on the documents page: all showing the list after {max(ready):.1f} s "
            f"(median tab {statistics.median(ready):.1f} s); server memory {before / 2**20:,.0f} MB before, "
            f"{with_tabs / 2**20:,.0f} MB with the tabs open"
        )


# 4. Websocket events --------------------------------------------------------------

# Run in the app's environment: one client organization per tab, its owner with a live
# session and an active engagement whose milestones all wait for acceptance.
WS_CLIENTS = """
import json, sys
from fluxent.core.db import session_scope
from fluxent.models.accounts import OrgRole, Role
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import organizations, users
from fluxent.services.auth import sessions
from fluxent.services.portal import engagements, milestones
tabs, rounds = int(sys.argv[1]), int(sys.argv[2])
out = []
with session_scope() as db:
    staff = users.user_by_email(db, "staff@demo.fluxent.tech")
    for n in range(tabs):
        owner = users.create_user(db, email=f"owner{n}@bench.test", password=None, role=Role.CLIENT, name=f"Owner {n}")
        org = organizations.get_or_create_organization(db, name=f"Bench client {n:02d}")
        organizations.add_membership(db, user=owner, organization=org, role=OrgRole.OWNER)
        e = engagements.create_engagement(db, actor=staff, organization_id=org.id, title=f"Build {n}",
                                          fixed_price_minor=100_000 * rounds, currency="USD", staff_ids=[staff.id])
        items = [milestones.add_milestone(db, actor=staff, engagement_id=e.id, title=f"Milestone {r}",
                                           amount_minor=100_000) for r in range(rounds)]
        for status in (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE):
            engagements.change_status(db, actor=staff, engagement_id=e.id, status=status)
        for item in items:
            milestones.start(db, actor=staff, engagement_id=e.id, milestone_id=item.id)
            milestones.submit(db, actor=staff, engagement_id=e.id, milestone_id=item.id)
        _, raw = sessions.start_session(db, user=owner)
        out.append({"cookie": raw, "engagement": e.id, "milestones": [(i.id, i.title) for i in items]})
print(json.dumps(out))
"""


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms"


def bench_websocket(tabs: int, rounds: int, spreads: tuple[float, ...]) -> None:
    import json

    # The states are declared here, in the main thread: Reflex registers them in a context
    # variable that the tabs' threads would not see.
    import fluxent.state.dashboard  # noqa: F401

    # One milestone per round and run, one for the warm-up, one for the CPU pass.
    milestones = rounds * len(spreads) + 2
    prepare = f"import sys; sys.argv = ['', '{tabs}', '{milestones}']\n" + WS_CLIENTS
    with running_app(mode="--backend-only", prepare=prepare) as (base, server, prepared):
        clients = json.loads(prepared.strip().splitlines()[-1])
        # One tab through the four events first (not measured): the process's first events pay for imports and caches.
        _websocket_run(base, clients[:1], first_milestone=milestones - 1, rounds=1, spread=0)
        cpu = _server_cpu_per_event(base, clients, milestone=milestones - 2, server_pid=server.pid)
        figures = "; ".join(f"{what} {ms:.1f} ms" for what, ms in cpu.items())
        print(f"server CPU per event, {len(clients)} tabs one after another: {figures}")
        for run, spread in enumerate(spreads):
            timings = _websocket_run(base, clients, first_milestone=run * rounds, rounds=rounds, spread=spread)
            figures = "; ".join(f"{what} {_percentiles(values)}" for what, values in timings.items())
            how = "at the same instant" if not spread else f"starting within {spread:g} s"
            target = "p95 < 100 ms" if spread else "p95 < 300 ms"
            print(f"websocket events, {tabs} tabs {how} x {rounds} rounds (SQLite): {figures} (target {target})")


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by the threads of a process and of all its descendants.

    From each thread's ``schedstat`` (nanoseconds; ``stat``'s clock ticks are 10 ms, as
    long as an event).
    """
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            threads = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for thread in threads:
            with contextlib.suppress(OSError):  # a thread that just ended
                total += int((thread / "schedstat").read_text().split()[0])
        pending += [int(child) for child in children]
    return total / 1e9


# What each tab does, in order: (what, event, its payload, the update that shows its result).
def _tab_events(client: dict, milestone: int) -> list[tuple[str, str, dict, Callable[[dict], bool]]]:
    import reflex as rx

    from fluxent.state.dashboard import DashboardState
    from fluxent.state.session import SessionState
    from tests.support.socket_tabs import state_values

    state_name, session_name = DashboardState.get_full_name(), SessionState.get_full_name()
    milestone_id, title = client["milestones"][milestone]
    return [
        (
            "page open",
            f"{rx.State.get_full_name()}.hydrate_and_load",
            {},
            lambda u: state_values(u, state_name).get("loaded") is True,
        ),
        # Accept asks first: the confirmation names the milestone, then the owner confirms.
        (
            "accept dialog",
            f"{state_name}.ask_accept",
            {"engagement_id": client["engagement"], "milestone_id": milestone_id},
            lambda u: state_values(u, state_name).get("confirming") == milestone_id,
        ),
        # The status line (the session's state) says so once the decision is saved.
        (
            "milestone accept",
            f"{state_name}.accept",
            {},
            lambda u: (
                state_values(u, session_name).get("notice")
                == f"{title} accepted. Thank you! A receipt is on its way by e-mail."
            ),
        ),
        # Coming back to the dashboard: its lists, read again.
        ("dashboard load", f"{state_name}.load", {}, lambda u: "cards" in state_values(u, state_name)),
    ]


def _server_cpu_per_event(base: str, clients: list[dict], *, milestone: int, server_pid: int) -> dict[str, float]:
    """The server's CPU per event in ms, the tabs one after another, so the server does nothing else.

    The figure the machine's load inflates least (wall-clock latencies wait for a core).
    """
    from tests.support.socket_tabs import SocketTab

    spent: dict[str, float] = {}
    for client in clients:
        tab = SocketTab(base, cookie=f"sessionid={client['cookie']}").connect()
        try:
            for what, name, payload, done in _tab_events(client, milestone):
                before = _tree_cpu(server_pid)
                tab.round_trip(name, payload, done, path="/portal")
                time.sleep(0.05)  # what the event sends after its result (the page's hydrated flag)
                spent[what] = spent.get(what, 0.0) + _tree_cpu(server_pid) - before
        finally:
            tab.close()
    return {what: seconds * 1000 / len(clients) for what, seconds in spent.items()}


def _websocket_run(
    base: str, clients: list[dict], *, first_milestone: int, rounds: int, spread: float
) -> dict[str, list[float]]:
    """Each round, a fresh tab per client (its first load always changes what it shows) runs the four events."""
    import random

    from tests.support.socket_tabs import SocketTab

    timings: dict[str, list[float]] = {
        what: [] for what in ("page open", "accept dialog", "milestone accept", "dashboard load")
    }
    lock = threading.Lock()
    failures: list[BaseException] = []
    for round_number in range(first_milestone, first_milestone + rounds):
        barrier = threading.Barrier(len(clients))

        def one_tab(client: dict, round_number: int = round_number, barrier: threading.Barrier = barrier) -> None:
            tab = SocketTab(base, cookie=f"sessionid={client['cookie']}")
            try:
                tab.connect()
                barrier.wait(60)
                time.sleep(random.uniform(0, spread))
                measured = {
                    what: tab.round_trip(name, payload, done, path="/portal")
                    for what, name, payload, done in _tab_events(client, round_number)
                }
                with lock:
                    for what, ms in measured.items():
                        timings[what].append(ms)
            except BaseException as error:  # reported below; the other tabs go on
                failures.append(error)
            finally:
                tab.close()

        threads = [threading.Thread(target=one_tab, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} tab rounds failed, the first: {failures[0]!r}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--upload-mb", type=int, default=500)
    parser.add_argument("--tabs", type=int, default=50)
    parser.add_argument("--ws-tabs", type=int, default=50)
    parser.add_argument("--ws-rounds", type=int, default=3)
    parser.add_argument("--ws-spread", type=float, default=10.0, help="seconds over which tabs start (the second run)")
    parser.add_argument("--only-ws", action="store_true", help="only the websocket events (4)")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.only_ws:
        bench_websocket(args.ws_tabs, args.ws_rounds, (0.0, args.ws_spread))
        return

    workdir, organization_id, raw = setup(args)
    if args.database_url:
        print("(PostgreSQL: the database must be empty and migratable; it is not dropped afterwards)")
    fill_documents(organization_id, args.documents)
    app, test_client = client(raw)
    bench_list(test_client, organization_id, args.requests, args.documents)
    bench_upload(app, raw, organization_id, args.upload_mb)
    shutil.rmtree(workdir)  # the 500 MB file included
    if args.tabs:
        bench_tabs(args.tabs)
    if args.ws_tabs:
        bench_websocket(args.ws_tabs, args.ws_rounds, (0.0, args.ws_spread))


if __name__ == "__main__":
    main()
