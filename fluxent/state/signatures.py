"""``/portal/signatures``: what waits for the signed-in person's signature, and what is done (of the
organization chosen in the top bar, or all)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.services.esign import completion, listings
from fluxent.state.formatting import day
from fluxent.state.organization import OrganizationState

STATUS_LABELS = {
    "sent": "Waiting for signatures",
    "completed": "Completed",
    "declined": "Declined",
    "voided": "Voided",
    "expired": "Expired",
    "invited": "Waiting for you",
    "signed": "You signed",
    "waiting": "Not your turn yet",
}


@dataclasses.dataclass
class SignatureItem:
    envelope_id: int
    signer_id: int
    title: str
    organization: str
    status: str
    when: str
    download_url: str


def _item(row: listings.SignatureRow) -> SignatureItem:
    status = STATUS_LABELS.get(row.status, row.status)
    if row.my_status in ("signed", "waiting") and row.status == "sent":
        status = f"{status} ({STATUS_LABELS[row.my_status].lower()})"
    return SignatureItem(
        envelope_id=row.envelope_id,
        signer_id=row.signer_id,
        title=row.title,
        organization=row.organization,
        status=status,
        when=day(row.at),
        download_url=routes.api_url(row.download_url) if row.download_url else "",
    )


class SignaturesState(OrganizationState):
    waiting: list[SignatureItem] = []
    finished: list[SignatureItem] = []
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        with read_scope() as db:
            user = self._person(db)
            lists = listings.signatures_of(db, user=user, organization_id=self._chosen()) if user is not None else None
        signed = [row.envelope_id for row in lists.done if row.status == "sent"] if lists else []
        if signed and completion.complete_stuck(signed).completed:
            with read_scope() as db:
                lists = listings.signatures_of(db, user=self._person(db), organization_id=self._chosen())
        self.waiting = [_item(row) for row in lists.waiting] if lists else []
        self.finished = [_item(row) for row in lists.done] if lists else []
        self.loaded = True

    @rx.event
    def open_signing(self, signer_id: int):
        """Go to the signing page with a fresh link; the portal session stands in for the code."""
        tokens: list[str] = []
        if self._act("open", lambda db, user: tokens.append(listings.portal_link(db, user=user, signer_id=signer_id))):
            return rx.redirect(routes.with_token(routes.SIGN, tokens[0]))
        return None
