"""The branded e-mail layout: both parts, the footer, escaping, and every sender going through it."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from fluxent import routes
from fluxent.components import brand, theme
from fluxent.core import email as mail
from fluxent.core import email_layout
from fluxent.core.email_layout import Content
from fluxent.core.settings import get_settings, load_settings
from fluxent.models.billing import Invoice
from fluxent.models.esign import Envelope, EnvelopeSigner
from fluxent.models.marketing import Lead
from fluxent.models.notifications import Notification
from fluxent.services.auth import emails as auth_emails
from fluxent.services.billing import emails as billing_emails
from fluxent.services.esign import emails as esign_emails
from fluxent.services.marketing import emails as marketing_emails
from fluxent.services.notifications import emails as notification_emails
from fluxent.services.portal import emails as portal_emails
from tests.support.auth import make_user
from tests.unit.test_email import Collector, _free_port

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
TO = "dana@example.com"
PACKAGE = Path(__file__).resolve().parents[2] / "fluxent"


def test_brand_values_match_the_site():
    for name in ("INK", "TEXT", "TEXT_MUTED", "ACCENT", "ACCENT_SOFT", "CANVAS", "LINE", "SURFACE"):
        assert getattr(email_layout, name) == getattr(theme, name), name
    assert email_layout.PRIVACY_POLICY_PATH == routes.PRIVACY_POLICY
    assert email_layout.PORTAL_PATH == routes.PORTAL
    assert email_layout.COMPANY == brand.COMPANY and email_layout.SUPPORT_EMAIL == brand.SUPPORT_EMAIL
    legal = (PACKAGE / "content" / "legal" / "privacy.md").read_text()
    assert all(line in legal for line in ("1024 Peninsula Blvd", "Woodmere, NY 11598, USA"))
    assert (PACKAGE.parent / "assets" / email_layout.LOGO_PATH.lstrip("/")).read_bytes().startswith(b"\x89PNG")


def test_hostile_values_are_escaped_in_html_and_kept_as_text():
    content = Content(
        HOSTILE,
        (HOSTILE, f"line one\n{HOSTILE}"),
        button=(HOSTILE, 'https://portal.example/a?b="><script>'),
        code=HOSTILE,
        details=((HOSTILE, HOSTILE),),
    )
    message = email_layout.compose(TO, HOSTILE, content)
    for raw in ("<script", "<img src=x", "onerror=alert(2)>"):
        assert raw not in message.html
    assert "&lt;script&gt;" in message.html and "&quot;&gt;&lt;img" in message.html
    assert "line one<br>" in message.html
    assert message.text.count(HOSTILE) >= 5
    assert 'https://portal.example/a?b="><script>' in message.text


def test_text_part_carries_the_same_content_in_reading_order():
    content = Content(
        "Heading", ("First.", "Second."), button=("Open", "https://x.example/o"), code="123456", details=(("A", "b"),)
    )
    text = email_layout.render_text(content, "https://x.example")
    order = ["Heading", "First.", "123456", "Open: https://x.example/o", "Second.", "A: b", "— Fluxent"]
    assert [text.index(piece) for piece in order] == sorted(text.index(piece) for piece in order)
    assert "Privacy Policy: https://x.example/legal/privacy" in text and "1024 Peninsula Blvd" in text


def test_a_branded_message_reaches_a_real_smtp_server_as_text_and_html(tmp_path):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings = load_settings(
            email_backend="smtp", smtp_host="127.0.0.1", smtp_port=controller.port, data_dir=tmp_path
        )
        content = Content("Hello", (HOSTILE,), button=("Open", "https://portal.example/o"))
        mail.send(email_layout.compose(TO, "Hello", content), settings=settings)
    finally:
        controller.stop()
    (received,) = handler.messages
    assert received.get_content_type() == "multipart/alternative"
    plain, html = (part.get_payload(decode=True).decode() for part in received.get_payload())
    assert HOSTILE in plain and "https://portal.example/o" in plain and "1024 Peninsula Blvd" in plain
    assert "&lt;script&gt;" in html and "<script" not in html and "1024 Peninsula Blvd" in html


def _assert_branded(message, *, hostile: bool = True) -> None:
    assert message.get_content_type() in ("multipart/alternative", "multipart/mixed")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    base = get_settings().base_url
    for part in (text, html):
        assert "1024 Peninsula Blvd" in part and "Woodmere, NY 11598, USA" in part
        assert base + routes.PRIVACY_POLICY in part and base + routes.PORTAL in part
    assert base + email_layout.LOGO_PATH in html and f"background:{theme.INK}" in html
    if hostile:
        assert HOSTILE in text
        assert "<script" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def _envelope() -> Envelope:
    return Envelope(
        id=1,
        organization_id=1,
        document_id=1,
        document_version=1,
        title=HOSTILE,
        message=HOSTILE,
        page_count=1,
        original_sha256="0" * 64,
        original_storage_key="k",
        expires_at=datetime(2026, 12, 31, tzinfo=UTC),
    )


def _signer() -> EnvelopeSigner:
    return EnvelopeSigner(envelope_id=1, name=HOSTILE, email=TO)


def _invoice() -> Invoice:
    return Invoice(
        id=1,
        organization_id=1,
        number="F-0001",
        currency="USD",
        bill_to_name=HOSTILE,
        dispute_amount_minor=100,
        dispute_reason=HOSTILE,
        dispute_status="won",
        due_date=date(2026, 12, 31),
    )


def _lead() -> Lead:
    return Lead(id=1, source="scope", name=HOSTILE, email=TO, country="US", message=HOSTILE, budget=HOSTILE)


SENDERS = {
    "auth.code_blocked": lambda s, u: auth_emails.send_code_blocked(s, TO, until=datetime(2026, 1, 1, tzinfo=UTC)),
    "auth.no_account": lambda s, u: auth_emails.send_no_account(s, TO),
    "auth.invitation": lambda s, u: auth_emails.send_invitation(
        s, TO, "tok", inviter=HOSTILE, organization=HOSTILE, days=7
    ),
    "auth.reauth_code": lambda s, u: auth_emails.send_reauth_code(s, TO, "123456", minutes=10),
    "auth.two_step": lambda s, u: auth_emails.send_two_step_changed(s, TO, enabled=True),
    "billing.dispute_opened": lambda s, u: billing_emails.dispute_opened(s, _invoice()),
    "billing.dispute_closed": lambda s, u: billing_emails.dispute_closed(s, _invoice()),
    "esign.invitation": lambda s, u: esign_emails.invitation(s, _signer(), _envelope(), token="tok", reminder=False),
    "esign.code": lambda s, u: esign_emails.code(s, TO, "123456", title=HOSTILE, minutes=10),
    "esign.voided": lambda s, u: esign_emails.voided(s, _signer(), _envelope(), reason=HOSTILE),
    "esign.declined": lambda s, u: esign_emails.declined(s, TO, _envelope(), who=HOSTILE, reason=HOSTILE),
    "esign.completed": lambda s, u: esign_emails.completed(s, TO, _envelope(), filename="a.pdf", sealed=b"%PDF"),
    "portal.milestone_submitted": lambda s, u: portal_emails.milestone_submitted(
        s, [u], engagement=HOSTILE, milestone=HOSTILE
    ),
    "portal.receipt": lambda s, u: portal_emails.milestone_accepted_receipt(
        s, u, engagement=HOSTILE, milestone=HOSTILE, amount="USD 1.00", note=HOSTILE
    ),
    "portal.document_added": lambda s, u: portal_emails.document_added(
        s, [u], filename=HOSTILE, where=HOSTILE, by_staff=True
    ),
    "notifications.notice": lambda s, u: notification_emails.notice(s, u, title=HOSTILE, link="/portal"),
    "notifications.digest": lambda s, u: notification_emails.digest(
        s, u, [Notification(user_id=u.id, kind="message", title=HOSTILE, created_at=datetime(2026, 1, 1, tzinfo=UTC))]
    ),
    "marketing.lead": lambda s, u: marketing_emails.send_lead_notification(_lead()),
    "marketing.confirmation": lambda s, u: marketing_emails.send_newsletter_confirmation(TO, "tok"),
    "marketing.issue": lambda s, u: marketing_emails.send_newsletter_issue(
        TO, "tok", subject="Issue", paragraphs=[HOSTILE]
    ),
}
WITHOUT_HOSTILE_VALUES = {"auth.code_blocked", "auth.no_account", "auth.reauth_code", "auth.two_step"}
WITHOUT_HOSTILE_VALUES |= {"marketing.confirmation"}


@pytest.mark.parametrize("name", sorted(SENDERS))
def test_every_sender_uses_the_branded_layout(name, session, outbox):
    user = make_user(session, TO, name=HOSTILE)
    SENDERS[name](session, user)
    messages = outbox.messages()
    assert messages, f"{name} sent nothing"
    for message in messages:
        _assert_branded(message, hostile=name not in WITHOUT_HOSTILE_VALUES)


def _builds_email(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Email"
        for node in ast.walk(tree)
    )


def test_no_module_builds_a_message_outside_the_layout():
    """A new sender must go through ``core.email_layout`` rather than write its own HTML.

    The receipt outbox only re-creates a message it stored after the layout composed it.
    """
    allowed = {PACKAGE / "core" / "email_layout.py", PACKAGE / "services" / "billing" / "receipts.py"}
    builders = {path for path in PACKAGE.rglob("*.py") if _builds_email(path)}
    assert builders == allowed
    for module in PACKAGE.glob("services/*/emails.py"):
        source = module.read_text()
        assert "<p" not in source and "html" not in source.replace("HTML", ""), module
