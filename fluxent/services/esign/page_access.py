"""The document's pages by URL, for the signer's view and the field editor.

Page images are plain ``<img>`` URLs, not data held in the page's state (which travels
with every update and is stored after every event). Each URL carries a grant: who may
see the pages of one envelope (a signer, or a staff user) and until when, keyed with
the secret key. A signer's grant is also bound to the signer's current link, so a
link that was replaced, used up or ended ends it. Every request checks the grant and
then the right itself again: the signer's turn still open and the disclosure accepted,
or the user still active staff.

Grants run to the end of the next whole ten minutes (10 to 20 minutes): within a
window every request for a page gets the same URL, which the browser's cache serves.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlmodel import Session

from fluxent import routes
from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, NotFound
from fluxent.core.ids import parse_id
from fluxent.core.storage import Storage, get_storage
from fluxent.core.tokens import token_hash
from fluxent.models.accounts import User
from fluxent.models.esign import Envelope, EnvelopeSigner
from fluxent.services.accounts import authz
from fluxent.services.esign import envelopes, signing
from fluxent.services.esign.page_images import DEFAULT_WIDTH, MAX_PAGES, render_page
from fluxent.services.esign.signing import Access

WINDOW_SECONDS = 600
SIGNER, STAFF = "s", "u"
_PURPOSE = "esign-pages"
NO_PAGE = "No such page."


@dataclass(frozen=True)
class PageSource:
    """A page someone may see now: where its document is, its cache tag, how long it may be kept."""

    storage_key: str
    page: int
    etag: str
    max_age: int  # seconds: until the grant ends


def signer_pages(session: Session, *, access: Access, clock: Clock = now) -> list[str]:
    """The page URLs for the signer behind ``access``, once the disclosure is accepted."""
    signer, envelope = signing.consented_signer(session, access=access, clock=clock)
    return _urls(envelope, SIGNER, signer.id, signer.link_hash or "", clock)


def staff_pages(session: Session, *, actor: User, envelope_id: int, clock: Clock = now) -> list[str]:
    """The page URLs for staff placing fields (PermissionDenied for anyone else)."""
    authz.require_staff(actor)
    envelope = envelopes.get_envelope(session, actor=actor, envelope_id=envelope_id)
    return _urls(envelope, STAFF, actor.id, "", clock)


def open_page(*, envelope_id: int, page: int, grant: str, clock: Clock = now) -> PageSource:
    """Page ``page`` of the envelope's original, if ``grant`` still gives the right to see it;
    NotFound for anything else (no grant, another envelope's, a stale one, an ended turn)."""
    with read_scope() as session:
        envelope = session.get(Envelope, envelope_id)
        expires = _check(session, envelope, grant, clock)
        if not 0 <= page < min(envelope.page_count, MAX_PAGES):
            raise NotFound(NO_PAGE)
        return PageSource(
            storage_key=envelope.original_storage_key,
            page=page,
            etag=f'"{envelope.original_sha256[:32]}-{page}-{DEFAULT_WIDTH}"',
            max_age=max(0, int(expires - clock().timestamp())),
        )


def page_jpeg(source: PageSource, *, storage: Storage | None = None) -> bytes:
    """The page rendered (CPU work: call it with no transaction open)."""
    return render_page(b"".join((storage or get_storage()).read(source.storage_key)), source.page)


def _urls(envelope: Envelope, party: str, party_id: int, binding: str, clock: Clock) -> list[str]:
    expires = (int(clock().timestamp()) // WINDOW_SECONDS + 2) * WINDOW_SECONDS
    grant = f"{party}{party_id}.{expires}.{_mac(party, party_id, envelope.id, expires, binding)}"
    return [
        routes.api_url(routes.api_envelope_page(envelope.id, number, grant))
        for number in range(min(envelope.page_count, MAX_PAGES))
    ]


def _mac(party: str, party_id: int, envelope_id: int, expires: int, binding: str) -> str:
    return token_hash(f"{party}.{party_id}.{envelope_id}.{expires}.{binding}", purpose=_PURPOSE)[:32]


def _check(session: Session, envelope: Envelope | None, grant: str, clock: Clock) -> int:
    """When a valid ``grant`` for ``envelope`` ends; NotFound when it is not valid now."""
    parts = (grant or "").split(".")
    if envelope is None or len(parts) != 3 or parts[0][:1] not in (SIGNER, STAFF):
        raise NotFound(NO_PAGE)
    party, party_id, expires = parts[0][:1], parse_id(parts[0][1:]), parts[1]
    if party_id is None or not (expires.isascii() and expires.isdigit() and len(expires) <= 12):
        raise NotFound(NO_PAGE)
    if int(expires) <= clock().timestamp():
        raise NotFound(NO_PAGE)
    binding = _right(session, envelope, party, party_id, clock)
    if not hmac.compare_digest(parts[2].encode(), _mac(party, party_id, envelope.id, int(expires), binding).encode()):
        raise NotFound(NO_PAGE)
    return int(expires)


def _right(session: Session, envelope: Envelope, party: str, party_id: int, clock: Clock) -> str:
    """The right behind a grant, checked now; returns what the grant is bound to."""
    if party == STAFF:
        user = session.get(User, party_id)
        try:
            if user is None or not user.is_active:
                raise NotFound(NO_PAGE)
            authz.require_staff(user)
            envelopes.get_envelope(session, actor=user, envelope_id=envelope.id)
        except DomainError:
            raise NotFound(NO_PAGE) from None
        return ""
    signer = session.get(EnvelopeSigner, party_id)
    try:
        signing.check_turn(signer, envelope, clock=clock)
    except DomainError:
        raise NotFound(NO_PAGE) from None
    if signer.consented_at is None or not signer.link_hash:
        raise NotFound(NO_PAGE)
    return signer.link_hash
