"""A small stand-in for Stripe's HTTP API, for tests and local demos.

It speaks the part of Stripe's API that billing calls (customers, Checkout Sessions,
PaymentIntents, charges, refunds, disputes, events), with Stripe's form encoding, API-key
check, ``Idempotency-Key`` replay and error shape, and serves a hosted payment page
(``/pay/<session>``) standing in for Checkout. Paying there (or through the control routes
under ``/_standin/``) makes the charges, refunds and disputes and their events; events are
signed with the stripe library's ``WebhookSignature`` and posted to the webhook URL, if one
is set. localstripe has no Checkout Sessions or disputes, hence this server.

Run it for a local demo (then start the app with the two variables it prints)::

    python -m tests.support.stripe_standin
"""

from __future__ import annotations

import argparse
import html
import json
import re
import secrets
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

DEMO_PORT = 12111
DEMO_API_KEY = "sk_test_standin"
DEMO_WEBHOOK_SECRET = "whsec_standin_demo"
DECLINED = "Your card was declined."


def decode_form(body: str) -> dict[str, Any]:
    """Stripe's bracket form encoding (``a[b][0][c]=1``) as nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = [key.split("[", 1)[0], *re.findall(r"\[([^\]]*)\]", key)]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


class StripeStandIn:
    """The server and its objects; ``start()`` serves on a free loopback port in a thread."""

    def __init__(
        self, *, api_key: str, webhook_url: str | None = None, webhook_secret: str | None = None, port: int = 0
    ) -> None:
        self.api_key = api_key
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.objects: dict[str, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.idempotent: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        self.lock = threading.RLock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def start(self) -> StripeStandIn:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # Objects ------------------------------------------------------------------

    def new(self, prefix: str, kind: str, **fields: Any) -> dict[str, Any]:
        obj = {"id": f"{prefix}_{secrets.token_hex(12)}", "object": kind, "created": int(time.time()), **fields}
        self.objects[obj["id"]] = obj
        return obj

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects.values() if obj["object"] == kind]

    def create_customer(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.new(
            "cus", "customer", email=params.get("email"), name=params.get("name"), metadata=params.get("metadata", {})
        )

    def create_checkout_session(self, params: dict[str, Any]) -> dict[str, Any]:
        items = params.get("line_items") or []
        if params.get("mode") != "payment" or not items:
            raise _StripeError(400, "Checkout needs mode=payment and line_items.")
        currency = items[0]["price_data"]["currency"]
        amount = sum(int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1)) for item in items)
        intent = self.new(
            "pi",
            "payment_intent",
            amount=amount,
            amount_received=0,
            currency=currency,
            status="requires_payment_method",
            customer=params.get("customer"),
            metadata=(params.get("payment_intent_data") or {}).get("metadata", {}),
            latest_charge=None,
            last_payment_error=None,
        )
        checkout = self.new(
            "cs_test",
            "checkout.session",
            mode="payment",
            status="open",
            payment_status="unpaid",
            amount_total=amount,
            currency=currency,
            customer=params.get("customer"),
            client_reference_id=params.get("client_reference_id"),
            metadata=params.get("metadata", {}),
            payment_intent=intent["id"],
            success_url=params.get("success_url"),
            cancel_url=params.get("cancel_url"),
        )
        checkout["url"] = f"{self.url}/pay/{checkout['id']}"
        return checkout

    # What a payer or Stripe does ----------------------------------------------

    def pay(self, session_id: str, *, succeed: bool) -> list[dict[str, Any]]:
        """A card payment attempt on the hosted page: a charge, the intent and session updated."""
        checkout = self.objects[session_id]
        intent = self.objects[checkout["payment_intent"]]
        if checkout["status"] != "open":
            raise _StripeError(400, "This Checkout Session is no longer open.")
        charge = self.new(
            "ch",
            "charge",
            amount=intent["amount"],
            amount_refunded=0,
            currency=intent["currency"],
            payment_intent=intent["id"],
            status="succeeded" if succeed else "failed",
            paid=succeed,
            refunded=False,
            dispute=None,
            failure_message=None if succeed else DECLINED,
        )
        intent["latest_charge"] = charge["id"]
        if succeed:
            intent.update(status="succeeded", amount_received=intent["amount"], last_payment_error=None)
            checkout.update(status="complete", payment_status="paid")
            return [
                self.event("charge.succeeded", charge),
                self.event("payment_intent.succeeded", intent),
                self.event("checkout.session.completed", checkout),
            ]
        intent.update(status="requires_payment_method", last_payment_error={"message": DECLINED})
        return [self.event("charge.failed", charge), self.event("payment_intent.payment_failed", intent)]

    def refund(self, intent_id: str, amount: int | None = None) -> list[dict[str, Any]]:
        intent = self.objects[intent_id]
        charge = self.objects[intent["latest_charge"]]
        amount = amount or charge["amount"] - charge["amount_refunded"]
        refund = self.new(
            "re", "refund", amount=amount, charge=charge["id"], payment_intent=intent_id, status="succeeded"
        )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        return [self.event("refund.created", refund), self.event("charge.refunded", charge)]

    def dispute(self, intent_id: str, reason: str = "fraudulent") -> list[dict[str, Any]]:
        intent = self.objects[intent_id]
        charge = self.objects[intent["latest_charge"]]
        dispute = self.new(
            "dp",
            "dispute",
            amount=charge["amount"],
            charge=charge["id"],
            payment_intent=intent_id,
            currency=charge["currency"],
            status="needs_response",
            reason=reason,
            evidence_details={"due_by": int(time.time()) + 14 * 86_400, "has_evidence": False},
        )
        charge["dispute"] = dispute["id"]
        return [self.event("charge.dispute.created", dispute)]

    def close_dispute(self, dispute_id: str, outcome: str) -> list[dict[str, Any]]:
        """The card issuer decides: ``won`` (the money comes back to the merchant) or ``lost``."""
        if outcome not in ("won", "lost"):
            raise _StripeError(400, "A dispute closes as won or lost.")
        dispute = self.objects[dispute_id]
        dispute["status"] = outcome
        return [self.event("charge.dispute.closed", dispute)]

    def event(self, event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
        event = self.new("evt", "event", type=event_type, data={"object": json.loads(json.dumps(obj))})
        self.events.append(event)
        return event

    def deliver(self, events: list[dict[str, Any]]) -> None:
        """Post the events, signed, to the webhook URL, in order, in the background."""
        if not (self.webhook_url and self.webhook_secret):
            return

        def send() -> None:
            for event in events:
                payload = json.dumps(event)
                header = stripe.WebhookSignature.generate_signature_header(payload, self.webhook_secret)
                request = urllib.request.Request(
                    self.webhook_url,
                    data=payload.encode(),
                    headers={"Content-Type": "application/json", "Stripe-Signature": header},
                    method="POST",
                )
                try:
                    urllib.request.urlopen(request, timeout=10).close()
                except OSError as error:
                    print(f"webhook {event['type']} not delivered: {error}")

        threading.Thread(target=send, daemon=True).start()

    # Reads ----------------------------------------------------------------------

    def retrieve(self, kind: str, object_id: str, expand: list[str]) -> dict[str, Any]:
        obj = self.objects.get(object_id)
        if obj is None or obj["object"] != kind:
            raise _StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing")
        found = dict(obj)
        for path in expand:
            self._expand(found, path.split("."))
        return found

    def _expand(self, obj: dict[str, Any], path: list[str]) -> None:
        """Replace an id by its object (a charge's ``refunds`` by their list), along ``a.b.c``."""
        field, rest = path[0], path[1:]
        if obj.get("object") == "charge" and field == "refunds":
            obj[field] = self.list_of("refund", {"charge": obj["id"]}, f"/v1/charges/{obj['id']}/refunds")
            return
        if isinstance(obj.get(field), str) and obj[field] in self.objects:
            obj[field] = dict(self.objects[obj[field]])
        if rest and isinstance(obj.get(field), dict):
            self._expand(obj[field], rest)

    def list_of(self, kind: str, filters: dict[str, Any], path: str) -> dict[str, Any]:
        matching = [obj for obj in self.of_kind(kind) if all(obj.get(k) == v for k, v in filters.items())]
        return {"object": "list", "data": matching, "has_more": False, "url": path}


class _StripeError(Exception):
    def __init__(self, status: int, message: str, *, code: str = "", kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": kind, "message": message, "code": code or None}}


ROUTES = {
    "customers": "customer",
    "checkout/sessions": "checkout.session",
    "payment_intents": "payment_intent",
    "charges": "charge",
    "refunds": "refund",
    "disputes": "dispute",
    "events": "event",
}


def _handler(standin: StripeStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Stripe's API

        def log_message(self, *_args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._run("GET")

        def do_POST(self) -> None:
            self._run("POST")

        def _run(self, method: str) -> None:
            parts = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            try:
                with standin.lock:
                    if parts.path.startswith("/pay/"):
                        return self._hosted_page(method, parts.path.removeprefix("/pay/"), body)
                    if parts.path.startswith("/_standin/"):
                        return self._json(200, self._control(parts.path, json.loads(body or "{}")))
                    self._check_key()
                    params = decode_form(body if method == "POST" else parts.query)
                    self._json(200, self._api(method, parts.path, params))
            except _StripeError as error:
                self._json(error.status, error.body)

        def _check_key(self) -> None:
            if self.headers.get("Authorization") != f"Bearer {standin.api_key}":
                raise _StripeError(401, "Invalid API Key provided.")

        def _api(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
            match = re.fullmatch(
                r"/v1/(customers|checkout/sessions|payment_intents|charges|refunds|disputes|events)"
                r"(?:/([A-Za-z0-9_]+))?",
                path,
            )
            if match is None:
                raise _StripeError(404, f"Unrecognized request URL ({method}: {path}).")
            resource, object_id = match.groups()
            kind = ROUTES[resource]
            expand = params.pop("expand", [])
            if method == "GET" and object_id:
                return standin.retrieve(kind, object_id, expand)
            if method == "GET":
                params.pop("limit", None)
                return standin.list_of(kind, params, path)
            creators = {"customer": standin.create_customer, "checkout.session": standin.create_checkout_session}
            if object_id or kind not in creators:
                raise _StripeError(404, f"Unrecognized request URL ({method}: {path}).")
            return self._idempotent(params, lambda: creators[kind](params))

        def _idempotent(self, params: dict[str, Any], create) -> dict[str, Any]:
            key = self.headers.get("Idempotency-Key")
            if not key:
                return create()
            if key in standin.idempotent:
                seen_params, answer = standin.idempotent[key]
                if seen_params != params:
                    raise _StripeError(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters they were first "
                        "used with.",
                        kind="idempotency_error",
                    )
                return answer
            answer = create()
            standin.idempotent[key] = (params, answer)
            return answer

        def _control(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
            match = re.fullmatch(
                r"/_standin/(checkout|payment_intents|disputes)/([A-Za-z0-9_]+)/(pay|refund|dispute|close)", path
            )
            if match is None:
                raise _StripeError(404, f"No control route {path}.")
            _, object_id, action = match.groups()
            if object_id not in standin.objects:
                raise _StripeError(404, f"No such object: '{object_id}'")
            if action == "pay":
                events = standin.pay(object_id, succeed=body.get("outcome", "succeed") == "succeed")
            elif action == "refund":
                events = standin.refund(object_id, body.get("amount"))
            elif action == "close":
                events = standin.close_dispute(object_id, body.get("outcome", ""))
            else:
                events = standin.dispute(object_id, body.get("reason", "fraudulent"))
            standin.deliver(events)
            return {"events": events}

        def _hosted_page(self, method: str, session_id: str, body: str) -> None:
            checkout = standin.objects.get(session_id)
            if checkout is None or checkout["object"] != "checkout.session":
                return self._html(404, "<h1>No such payment page</h1>")
            message = ""
            if method == "POST" and checkout["status"] == "open":
                succeed = dict(parse_qsl(body)).get("outcome") == "succeed"
                events = standin.pay(session_id, succeed=succeed)
                standin.deliver(events)
                if succeed:
                    self.send_response(303)
                    self.send_header("Location", checkout["success_url"])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                message = f'<p class="error" role="alert">{DECLINED} Try another card.</p>'
            return self._html(200, _page(checkout, message))

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_{secrets.token_hex(8)}")
            self.end_headers()
            self.wfile.write(data)

        def _html(self, status: int, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _page(checkout: dict[str, Any], message: str) -> str:
    amount = f"{checkout['currency'].upper()} {checkout['amount_total'] / 100:,.2f}"
    name = html.escape(str((checkout.get("metadata") or {}).get("invoice_number") or "Payment"))
    if checkout["status"] != "open":
        body = "<p>This payment is complete.</p>"
    else:
        body = (
            f"{message}<form method='post'><p>Test card <code>4242 4242 4242 4242</code></p>"
            "<button name='outcome' value='succeed'>Pay</button> "
            "<button name='outcome' value='fail'>Use a declined card</button></form>"
            f"<p><a href='{html.escape(checkout['cancel_url'] or '', quote=True)}'>Cancel and go back</a></p>"
        )
    return (
        "<!doctype html><html><head><title>Pay (Stripe stand-in)</title><link rel='icon' href='data:,'>"
        "<style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}"
        ".error{color:#b00020}button{font-size:1rem;padding:.5rem 1rem}</style></head>"
        f"<body><p>Stripe stand-in: test payment page</p><h1>{name}</h1><p>Amount: <strong>{amount}</strong></p>"
        f"{body}</body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="A local stand-in for Stripe's API and hosted payment page.")
    parser.add_argument("--port", type=int, default=DEMO_PORT)
    parser.add_argument("--api-key", default=DEMO_API_KEY)
    parser.add_argument(
        "--webhook-url",
        default="http://localhost:8000/api/v1/webhooks/stripe/",
        help="where events are posted; empty: nowhere (the control routes answer with them)",
    )
    parser.add_argument("--webhook-secret", default=DEMO_WEBHOOK_SECRET)
    args = parser.parse_args()
    standin = StripeStandIn(
        api_key=args.api_key, webhook_url=args.webhook_url or None, webhook_secret=args.webhook_secret, port=args.port
    )
    target = f"posting webhooks to {args.webhook_url}" if args.webhook_url else "posting no webhooks"
    print(f"Stripe stand-in at {standin.url}, {target}. Start the app with:", flush=True)
    print(
        f"  FLUXENT_STRIPE_API_BASE={standin.url} FLUXENT_STRIPE_SECRET_KEY={args.api_key} "
        f"FLUXENT_STRIPE_WEBHOOK_SECRET={args.webhook_secret} make run"
    )
    try:
        standin.server.serve_forever()
    except KeyboardInterrupt:
        standin.stop()


if __name__ == "__main__":
    main()
