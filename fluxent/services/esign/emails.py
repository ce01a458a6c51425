"""E-signature e-mails: invitations and reminders with the signer's link, the code that
opens it, voided and declined notices, and the sealed PDF to every party.

Each goes once the caller's transaction commits (a rolled-back change tells no one).
"""

from __future__ import annotations

from sqlmodel import Session

from fluxent.core.email import Attachment
from fluxent.models.esign import Envelope, EnvelopeSigner
from fluxent.routes import PORTAL_SIGNATURES, SIGN, VERIFY, with_token
from fluxent.services.auth.emails import IGNORE_LINE, _deliver, url


def invitation(session: Session, signer: EnvelopeSigner, envelope: Envelope, *, token: str, reminder: bool) -> None:
    subject = f"{'Reminder: p' if reminder else 'P'}lease sign \u201c{envelope.title}\u201d"
    paragraphs = [
        f"Hello {signer.name},",
        f"Fluxent asks you to sign \u201c{envelope.title}\u201d electronically.",
    ]
    if envelope.message:
        paragraphs.append(envelope.message)
    paragraphs += [
        "The link opens a page that e-mails a six-digit code to this address; nothing is shown before you enter it.",
        f"The request is open until {envelope.expires_at:%Y-%m-%d %H:%M} UTC.",
    ]
    _deliver(
        signer.email, subject, paragraphs, link=(url(with_token(SIGN, token)), "Open the document"), session=session
    )


def code(session: Session, to: str, value: str, *, title: str, minutes: int) -> None:
    _deliver(
        to,
        "Your code to open a document for signature",
        [
            f"Your code is {value}.",
            f"Enter it within {minutes} minutes to open \u201c{title}\u201d.",
            IGNORE_LINE,
        ],
        highlight=value,
        session=session,
    )


def voided(session: Session, signer: EnvelopeSigner, envelope: Envelope, *, reason: str, reached: bool = True) -> None:
    """``reached``: the signer had been asked already (not still waiting for an earlier signer)."""
    paragraphs = [
        f"Fluxent has withdrawn the request to sign \u201c{envelope.title}\u201d; nothing more needs signing.",
        f"The reason given: {reason}",
    ]
    if not reached:
        paragraphs.insert(1, "It had not reached you yet: it was waiting for an earlier signer.")
    _deliver(signer.email, f"Signature request withdrawn: {envelope.title}", paragraphs, session=session)


def declined(session: Session, to: str, envelope: Envelope, *, who: str, reason: str) -> None:
    _deliver(
        to,
        f"Signature declined: {envelope.title}",
        [f"{who} declined to sign \u201c{envelope.title}\u201d.", f"Their reason: {reason}"],
        link=(url(PORTAL_SIGNATURES), "Open signatures"),
        session=session,
    )


def completed(session: Session, to: str, envelope: Envelope, *, filename: str, sealed: bytes) -> None:
    _deliver(
        to,
        f"Signed by everyone: {envelope.title}",
        [
            f"Everyone has signed \u201c{envelope.title}\u201d. The signed document, with its completion "
            "certificate and Fluxent's electronic seal, is attached.",
            f"Anyone can check a copy at {url(VERIFY)}.",
        ],
        link=(url(PORTAL_SIGNATURES), "Open signatures"),
        attachments=(Attachment(filename, "application/pdf", sealed),),
        session=session,
    )
