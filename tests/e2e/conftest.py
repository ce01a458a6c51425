"""Real-browser tests against the production build.

One server per test run: ``reflex run --env prod --single-port`` on a free port,
with its own data directory and a migrated, seeded SQLite database, and card payments
pointed at the Stripe stand-in (``tests/support/stripe_standin.py``), which posts its
signed webhooks back to the server, and staff single sign-on at a local OpenID Connect
provider (``tests/support/oidc.py``) for the demo staff's domain. Chromium is Debian's (``/usr/bin/chromium``); every
page a test opens fails the test on a browser console error or on any request leaving the
server's own origin (only going to the stand-in's hosted payment page, or to the
identity provider's sign-in page, is allowed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fluxent import routes
from tests.support.browser_storage import check_browser_storage
from tests.support.oidc import Provider, running_provider
from tests.support.processes import free_port, lock_failures, stop_group
from tests.support.stripe_standin import StripeStandIn


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests marked ``adds_to_demo_data`` run after the others, which read the demo
    data as the seed made it (the server, and so its database, is shared by every test)."""
    positions = [i for i, item in enumerate(items) if item.get_closest_marker("e2e")]
    ordered = sorted((items[i] for i in positions), key=lambda item: bool(item.get_closest_marker("adds_to_demo_data")))
    for position, item in zip(positions, ordered, strict=True):
        items[position] = item


PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT_S = 240
EXPECT_TIMEOUT_MS = 15_000
IN_CI = os.environ.get("CI") == "true"


@dataclass(frozen=True)
class Server:
    base_url: str
    origin_netloc: str
    env: dict[str, str]
    log_path: Path
    payments: StripeStandIn
    identity: Provider

    def url(self, route: str) -> str:
        return self.base_url + route

    def python(self, code: str) -> str:
        """Run a Python snippet in the server's environment (same database); its stdout."""
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            pytest.fail(f"snippet failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout


# The site's host in the browser: "localhost", a secure context that WebAuthn accepts as a
# relying party (an IP address is not one), so passkeys can be tested.
HOST = "localhost"
STRIPE_KEY = "sk_test_e2e"
WEBHOOK_SECRET = "whsec_e2e"
STAFF_DOMAIN = "demo.fluxent.tech"


def _server_env(port: int, data_dir: Path, payments: StripeStandIn, identity: Provider) -> dict[str, str]:
    """The parent's environment without any FLUXENT_* (tests/conftest.py sets some), plus the server's own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLUXENT_", "__REFLEX"))}
    tools = [str(PROJECT_ROOT / ".tools" / "node_modules" / ".bin"), str(Path(sys.executable).parent)]
    env.update(
        {
            "PATH": os.pathsep.join([*tools, env.get("PATH", "")]),
            "FLUXENT_ENV": "test",
            "FLUXENT_BASE_URL": f"http://{HOST}:{port}",
            "FLUXENT_PORT": str(port),
            "FLUXENT_DATA_DIR": str(data_dir),
            "FLUXENT_DATABASE_URL": f"sqlite:///{data_dir / 'e2e.db'}",
            "FLUXENT_EMAIL_BACKEND": "file",
            "FLUXENT_STRIPE_API_BASE": payments.url,
            "FLUXENT_STRIPE_SECRET_KEY": STRIPE_KEY,
            "FLUXENT_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "FLUXENT_OIDC_ISSUER": identity.issuer,
            "FLUXENT_OIDC_CLIENT_ID": "fluxent-e2e",
            "FLUXENT_OIDC_CLIENT_SECRET": "e2e-client-secret",
            "FLUXENT_OIDC_STAFF_DOMAINS": STAFF_DOMAIN,
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_CHECK_LATEST_VERSION": "false",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _run_cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fluxent", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    if done.returncode != 0:
        pytest.fail(f"python -m fluxent {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _wait_healthy(process: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode} before it was healthy:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(1)
    pytest.fail(f"the server was not healthy within {STARTUP_TIMEOUT_S}s at {url}:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def identity() -> Iterator[Provider]:
    with running_provider() as provider:
        yield provider


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, identity: Provider) -> Iterator[Server]:
    port = free_port()
    root = tmp_path_factory.mktemp("e2e")
    data_dir = root / "data"
    data_dir.mkdir()
    payments = StripeStandIn(
        api_key=STRIPE_KEY,
        webhook_url=f"http://127.0.0.1:{port}{routes.API_STRIPE_WEBHOOK}",
        webhook_secret=WEBHOOK_SECRET,
    ).start()
    env = _server_env(port, data_dir, payments, identity)
    _run_cli(env, "migrate")
    _run_cli(env, "seed")
    log_path = root / "server.log"
    reflex = str(Path(sys.executable).parent / "reflex")
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [reflex, "run", "--env", "prod", "--single-port", "--backend-port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so teardown stops the whole tree
        )
    try:
        base_url = f"http://{HOST}:{port}"
        _wait_healthy(process, base_url + routes.API_HEALTH, log_path)
        yield Server(
            base_url=base_url,
            origin_netloc=f"{HOST}:{port}",
            env=env,
            log_path=log_path,
            payments=payments,
            identity=identity,
        )
    finally:
        stop_group(process)
        payments.stop()
    # Every browser test ran against this server: no request or event may have failed on
    # SQLite's write lock (reads never take it; writes hold it briefly).
    failures = lock_failures(log_path.read_text(errors="replace"))
    assert not failures, f"{len(failures)} lock failure(s) in {log_path}:\n" + "\n".join(failures[:10])


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class BrowserWatch:
    """Problems seen by every page of one test: console errors and foreign requests."""

    origin_netloc: str
    payments_netloc: str = ""  # the hosted payment page: a page may go there, never load from it
    identity_netloc: str = ""  # the identity provider's sign-in page: likewise
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def check_url(self, url: str, *, navigation: bool = False) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if navigation and parts.netloc in (self.payments_netloc, self.identity_netloc):
            return
        if parts.netloc != self.origin_netloc:
            self.foreign_requests.append(url)

    def watch(self, context) -> None:
        context.on("request", lambda request: self.check_url(request.url, navigation=request.is_navigation_request()))
        context.on("page", self.watch_page)

    def watch_page(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        page.on("websocket", lambda socket: self.check_url(socket.url))


@pytest.fixture
def new_page(browser, server: Server) -> Iterator[Callable[..., object]]:
    """``new_page(width, height=..., session_cookie=None)``: a fresh, watched context and page."""
    watch = BrowserWatch(
        server.origin_netloc, urlsplit(server.payments.url).netloc, urlsplit(server.identity.issuer).netloc
    )
    contexts = []

    def make(width: int, height: int = 900, *, session_cookie: str | None = None):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            base_url=server.base_url,
            color_scheme="light",
            reduced_motion="reduce",
        )
        contexts.append(context)
        watch.watch(context)
        if session_cookie:
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": session_cookie,
                        "url": server.base_url,
                        "httpOnly": True,
                        "sameSite": "Lax",
                    }
                ]
            )
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert not watch.console_errors, "browser console errors:\n" + "\n".join(watch.console_errors)
    assert not watch.foreign_requests, "requests to other hosts:\n" + "\n".join(watch.foreign_requests)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def assert_browser_storage() -> Callable[[object], None]:
    """``assert_browser_storage(page)``: the cookie and localStorage promise, after any flow."""
    return check_browser_storage


@pytest.fixture
def outbox(server: Server) -> Callable[..., str]:
    """``outbox(to, subject)``: the text of the newest e-mail to ``to`` whose subject contains ``subject``, that the
    server's file backend wrote during this test (waits a little for it to arrive)."""
    from fluxent.services import dev_outbox

    directory = Path(server.env["FLUXENT_DATA_DIR"]) / "outbox"
    before = {message.message_id for message in dev_outbox.list_messages(directory)}

    def newest(to: str, subject: str) -> str:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for message in dev_outbox.list_messages(directory):
                if message.message_id not in before and message.to == to and subject in message.subject:
                    return dev_outbox.read_message(directory, message.message_id).text
            time.sleep(0.2)
        pytest.fail(f"no new e-mail {subject!r} to {to} in {directory}")

    return newest
