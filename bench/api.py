"""API throughput and tail latency of the two hot routes, optionally against a reference server.

Serves the real API (``bench/auth.py``'s server: the production ASGI app and middleware
under ``granian``, ``--workers`` processes) over a fresh SQLite database with one
signed-in person who has ``--events`` audit events (or drives ``--url``, a server you
started, with ``--cookie`` its ``sessionid``), then, for ``--seconds`` each, keeps
``GET /api/v1/auth/me/`` busy from 16 connections and ``GET /api/v1/auth/me/export/``
from 4 with ``wrk`` (each connection sends its next request as soon as the previous
one is answered; ``make bench`` installs wrk), and prints req/s, p50, p99, the slowest
request and the answer's size. Right after the export burst it times one more ``me``
request. Before the load, it measures the CPU one ``me`` request costs in-process (raw ASGI
calls through the production app and middleware; not with ``--url``).

To measure ``make prod`` itself: ``--prepare`` migrates the database the ``FLUXENT_*``
environment names and adds the bench's person with ``--events`` audit events (run it with
the same variables as the server: the password pepper and the audit key must match), then
``--url http://127.0.0.1:8000`` without ``--cookie`` signs that person in over HTTP.

``--reference URL`` runs the same load against another server in the same run (the
Django app in /work/shared/peers/, its cookie jar ``--reference-cookies``) and prints
Fluxent's ratio to it. Targets: ``me`` >= 1.5x the reference's req/s with p99 < 100 ms;
the export >= 1.5x with p99 < 2 s; no request over 5 s.

``--scale 2`` or ``--scale 10`` multiplies the connections, to see overload: answers
past ``FLUXENT_API_MAX_IN_FLIGHT`` are 503 (counted as non-2xx).

python bench/api.py [--seconds 10] [--workers N] [--scale 1] [--reference http://127.0.0.1:8900]
python bench/api.py --prepare [--events 10000]; python bench/api.py --url URL [--cookie SESSIONID]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.auth import API, PASSWORD, _free_port, _prepare, _serve, _wait_healthy  # noqa: E402

ROUTES = (("me", f"{API}/me/", 16), ("export", f"{API}/me/export/", 4))


@dataclass
class Load:
    rate: float
    p50: float
    p99: float
    slowest: float
    errors: int


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def _drive(base: str, cookie: str, path: str, connections: int, seconds: float) -> Load:
    """``wrk`` (a C load generator: a Python client would be the bottleneck) with ``connections`` connections."""
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--latency",
            "--timeout",
            "30s",
            "-H",
            f"Cookie: sessionid={cookie}",
            base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    if len(percentiles) != 2:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    slowest = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", output, re.M).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=_seconds(percentiles["50"]),
        p99=_seconds(percentiles["99"]),
        slowest=_seconds(slowest),
        errors=int(errors.group(1)) if errors else 0,
    )


def _one(base: str, cookie: str, path: str) -> tuple[float, int]:
    """One request alone (after a 503, again when ``Retry-After`` says): its time and the answer's size."""
    with httpx.Client(base_url=base, cookies={"sessionid": cookie}, timeout=60) as client:
        while True:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
            if response.status_code != 503:
                response.raise_for_status()
                return elapsed, len(response.content)
            print(f"  (503 in {elapsed * 1000:.1f} ms, Retry-After {response.headers['retry-after']} s)")
            time.sleep(int(response.headers["retry-after"]))


def _measure(name: str, base: str, cookie: str, seconds: float, scale: int = 1) -> dict[str, Load]:
    results = {}
    for route, path, base_connections in ROUTES:
        connections = base_connections * scale
        _, size = _one(base, cookie, path)
        results[route] = load = _drive(base, cookie, path, connections, seconds)
        print(
            f"{name:>9} {route:<6} {connections:>2} conn: {load.rate:7.1f} req/s  p50 {load.p50 * 1000:7.1f} ms  "
            f"p99 {load.p99 * 1000:7.1f} ms  max {load.slowest * 1000:7.1f} ms  {size / 1e6:.2f} MB  "
            f"non-2xx {load.errors}"
        )
    after, _ = _one(base, cookie, ROUTES[0][1])
    print(f"{name:>9} me right after the export burst: {after * 1000:.1f} ms")
    return results


def _cpu_per_request(path: str, cookie: str, requests: int) -> float:
    """CPU seconds per ``GET path`` in this process, through the production app and middleware
    with raw ASGI calls (no network, no server), after 200 unmeasured: the figure the
    machine's load inflates least. Counts every thread of the process (the thread pool too)."""
    import asyncio

    from fluxent.api import create_api, wrap_asgi

    app = wrap_asgi(create_api())
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"cookie", f"sessionid={cookie}".encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise SystemExit(f"GET {path} answered {message['status']}")

    async def run(count: int) -> None:
        for _ in range(count):
            await app(dict(scope), receive, send)

    asyncio.run(run(200))
    started = time.process_time()
    asyncio.run(run(requests))
    return (time.process_time() - started) / requests


def _sessionid(jar_path: str) -> str:
    jar = http.cookiejar.MozillaCookieJar(jar_path)
    jar.load(ignore_discard=True, ignore_expires=True)
    return next(cookie.value for cookie in jar if cookie.name == "sessionid")


def _sign_in(base: str) -> str:
    with httpx.Client(base_url=base, timeout=60) as client:
        token = client.get(f"{API}/csrf/").json()["csrftoken"]
        response = client.post(
            f"{API}/login/",
            json={"login": "exporter@example.com", "password": PASSWORD},
            headers={"Origin": base, "X-CSRFToken": token},
        )
        response.raise_for_status()
        return response.cookies["sessionid"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--url", default="", help="a running Fluxent instead of starting one")
    parser.add_argument(
        "--cookie", default="", help="with --url: the sessionid of a person with --events events (default: sign in)"
    )
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="only migrate the FLUXENT_* database and add the bench's person with --events events, for --url",
    )
    parser.add_argument(
        "--reference", default="", help="another server to load the same way, e.g. http://127.0.0.1:8900"
    )
    parser.add_argument("--reference-cookies", default=os.path.join(tempfile.gettempdir(), "peer.cookies"))
    parser.add_argument("--scale", type=int, default=1, help="multiply the connections (2, 10: overload)")
    parser.add_argument("--cpu-requests", type=int, default=3000, help="me requests for the in-process CPU figure")
    args = parser.parse_args()

    if args.prepare:
        _prepare(0, args.events)
        print(f"exporter@example.com has {args.events:,} audit events in {os.environ.get('FLUXENT_DATABASE_URL')}")
        return
    print("load average at start: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    server = None
    base, cookie = args.url, args.cookie
    if base and not cookie:
        cookie = _sign_in(base)
    if not base:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-api-"))
        os.environ.update(
            FLUXENT_ENV="test",
            FLUXENT_DATA_DIR=str(workdir),
            FLUXENT_BASE_URL=base,
            FLUXENT_DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}",
            FLUXENT_EMAIL_BACKEND="file",
        )
        _prepare(0, args.events)
        server = _serve(port, args.workers, workdir)
    try:
        if server is not None:
            _wait_healthy(base, server)
            cookie = _sign_in(base)
            cpu = _cpu_per_request(ROUTES[0][1], cookie, args.cpu_requests)
            print(f"CPU per me request in-process (raw ASGI, {args.cpu_requests} requests): {cpu * 1e6:.0f} us")
        ours = _measure("fluxent", base, cookie, args.seconds, args.scale)
        if args.reference:
            theirs = _measure("reference", args.reference, _sessionid(args.reference_cookies), args.seconds, args.scale)
            for route, _, _ in ROUTES:
                print(
                    f"ratio {route:<6} req/s {ours[route].rate / theirs[route].rate:.2f}x  "
                    f"p99 {ours[route].p99 * 1000:.0f} vs {theirs[route].p99 * 1000:.0f} ms"
                )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        print("load average at end: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
