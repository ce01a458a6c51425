"""The public ``/verify`` page: the answer for the SHA-256 the verification route sent back."""

from __future__ import annotations

import reflex as rx

from fluxent.services.esign import verify
from fluxent.state.formatting import moment

ERRORS = {
    "rate_limited": "Too many checks from your address. Try again in a few minutes.",
    "payload_too_large": "The file is too large to check.",
    "validation_failed": "Choose a PDF file to check.",
}


class VerifyState(rx.State):
    answered: bool = False
    matched: bool = False
    sha256: str = ""
    envelope: str = ""
    title: str = ""
    completed: str = ""
    original_sha256: str = ""
    signers: list[str] = []
    error: str = ""

    @rx.event
    def load(self) -> None:
        query = self.router.url.query_parameters
        self.error = ERRORS.get(query.get("error", ""), "Something went wrong; try again." if "error" in query else "")
        self.sha256 = query.get("sha256", "").lower()[:64]
        self.answered = bool(self.sha256)
        match = verify.find(self.sha256) if self.sha256 else None
        self.matched = match is not None
        self.envelope = str(match.envelope_id) if match else ""
        self.title = match.title if match else ""
        self.completed = moment(match.completed_at) if match else ""
        self.original_sha256 = match.original_sha256 if match else ""
        self.signers = [
            f"{signer.name}, {moment(signer.signed_at)}" if signer.signed_at else signer.name
            for signer in (match.signers if match else ())
        ]
