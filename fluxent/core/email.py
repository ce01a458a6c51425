"""Outgoing e-mail with three backends: ``console``, ``file`` (one ``.eml`` per
message, read by the development outbox page) and ``smtp``.

Every message has a plain-text and an HTML part. SMTP speaks STARTTLS
(``FLUXENT_SMTP_TLS``) or implicit TLS (``FLUXENT_SMTP_SSL``), verifying the server's
certificate; production refuses plain SMTP except to a relay on this machine. Callers build links from the
base URL themselves; this module only delivers. Services that write to the
database send with :func:`send_after_commit`, so a transaction that fails to
commit sends nothing. Mail that must survive the process stopping (billing receipts)
goes through an outbox table instead (``services.billing.receipts``).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from sqlmodel import Session

from fluxent.core.clock import now
from fluxent.core.db import after_commit
from fluxent.core.settings import EmailBackend, Settings, get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "maintype/subtype"
    data: bytes


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()


def build_message(email: Email, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="fluxent.tech")
    for name, value in email.headers.items():
        message[name] = value
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:
        maintype, subtype = attachment.content_type.split("/", 1)
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


def send(email: Email, *, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    message = build_message(email, sender=settings.email_from)
    backend = settings.email_backend
    if backend is EmailBackend.FILE:
        _write_file(message, settings.resolved_email_file_dir)
    elif backend is EmailBackend.SMTP:
        _send_smtp(message, settings)
    else:
        print(message.as_string(), flush=True)


def send_after_commit(session: Session, email: Email) -> None:
    """Send ``email`` once ``session`` commits; nothing if it rolls back."""
    after_commit(session, lambda: send(email))


def outbox_files_before(cutoff: datetime) -> list[Path]:
    """Messages the ``file`` backend wrote before ``cutoff`` (by the file's modification time)."""
    directory = get_settings().resolved_email_file_dir
    if not directory.is_dir():
        return []
    stamp = cutoff.timestamp()
    return [path for path in directory.glob("*.eml") if path.is_file() and path.stat().st_mtime < stamp]


def purge_outbox(*, before: datetime, limit: int) -> int:
    """Delete up to ``limit`` outbox messages written before ``before`` (retention); returns how many."""
    doomed = outbox_files_before(before)[:limit]
    for path in doomed:
        path.unlink(missing_ok=True)
    return len(doomed)


def _write_file(message: EmailMessage, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    return path


def tls_context(settings: Settings) -> ssl.SSLContext:
    """Verifies the server's certificate and name, against ``FLUXENT_SMTP_CA_FILE`` when set."""
    cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
    return ssl.create_default_context(cafile=cafile)


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_ssl:
        return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=30, context=tls_context(settings))
    client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    if settings.smtp_tls:
        try:
            client.starttls(context=tls_context(settings))  # refuses a server that does not offer it
        except BaseException:
            client.close()
            raise
    return client


def _send_smtp(message: EmailMessage, settings: Settings) -> None:
    with _connect(settings) as client:
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
        client.send_message(message)
    log.info("e-mail sent via SMTP", extra={"subject": message["Subject"]})
