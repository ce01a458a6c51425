"""What a milestone hands over: links (http or https only) and documents of its engagement.

Staff set a milestone's deliverables as a whole list with its other details
(``milestones.update_milestone``); clients read them where they accept the milestone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlmodel import Session

from fluxent import routes
from fluxent.core.errors import ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.documents import Document
from fluxent.models.engagements import Engagement, Milestone, MilestoneDeliverable
from fluxent.services.portal.engagements import clean_line, get_engagement

MAX_DELIVERABLES = 20
MAX_URL = 2000
MAX_LABEL = 200


@dataclass(frozen=True)
class Deliverable:
    """One deliverable as staff give it: a ``url`` or a ``document_id`` (not both), with an optional label."""

    label: str = ""
    url: str | None = None
    document_id: int | None = None


@dataclass(frozen=True)
class DeliverableLine:
    label: str  # the label given, else the link or the document's name
    href: str  # the link, or the document's download route (a path)
    is_document: bool


def check_url(url: str) -> str:
    """The link as given when it is an absolute http(s) address without spaces or control characters."""
    parts = urlsplit(url)
    if (
        len(url) > MAX_URL
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(not ch.isprintable() or ch.isspace() for ch in url)
    ):
        raise ValueError(url)
    return url


def links_text(items: Sequence[Deliverable]) -> str:
    """The links among ``items`` as ``parse_links`` reads them back, one a line."""
    return "\n".join(" ".join(filter(None, (d.label, d.url))) for d in items if d.url is not None)


def parse_links(text: str) -> list[Deliverable]:
    """Links as staff type them, one a line: ``https://…`` or ``Label https://…`` (the address last)."""
    found = []
    for line in (text or "").splitlines():
        words = line.split()
        if words:
            found.append(Deliverable(label=" ".join(words[:-1]), url=words[-1]))
    return found


def check_deliverables(
    session: Session, engagement: Engagement, deliverables: Sequence[Deliverable]
) -> list[Deliverable]:
    """The cleaned deliverables; ValidationFailed naming each bad one (``deliverables``)."""
    problems: list[str] = []
    cleaned: list[Deliverable] = []
    if len(deliverables) > MAX_DELIVERABLES:
        problems.append(f"Give at most {MAX_DELIVERABLES} deliverables (there are {len(deliverables)}).")
    for number, item in enumerate(deliverables[:MAX_DELIVERABLES], start=1):
        label = clean_line(item.label)
        if len(label) > MAX_LABEL:
            problems.append(f"Deliverable {number}: keep the label under {MAX_LABEL} characters.")
        if (item.url is None) == (item.document_id is None):
            problems.append(f"Deliverable {number}: give either a link or a document.")
        elif item.url is not None:
            try:
                cleaned.append(Deliverable(label=label, url=check_url(item.url.strip())))
            except ValueError:
                problems.append(f"Deliverable {number}: a link starts with http:// or https:// and has no spaces.")
        else:
            document = session.get(Document, item.document_id)
            if document is None or document.engagement_id != engagement.id or document.deleted_at is not None:
                problems.append(f"Deliverable {number}: that document is not one of this engagement's.")
            else:
                cleaned.append(Deliverable(label=label, document_id=document.id))
    if problems:
        raise ValidationFailed("Some deliverables are invalid.", fields={"deliverables": " ".join(problems)})
    return cleaned


def replace_deliverables(session: Session, milestone: Milestone, deliverables: Sequence[Deliverable]) -> bool:
    """Store already checked ``deliverables`` as the milestone's list; True when it changed."""
    if [(d.label, d.url, d.document_id) for d in deliverables] == [
        (row.label, row.url, row.document_id) for row in _rows(session, milestone.id)
    ]:
        return False
    session.execute(delete(MilestoneDeliverable).where(MilestoneDeliverable.milestone_id == milestone.id))
    for position, item in enumerate(deliverables, start=1):
        session.add(
            MilestoneDeliverable(
                milestone_id=milestone.id,
                position=position,
                label=item.label,
                url=item.url,
                document_id=item.document_id,
            )
        )
    session.flush()
    return True


def deliverables_of(session: Session, milestone_id: int) -> list[Deliverable]:
    return [Deliverable(row.label, row.url, row.document_id) for row in _rows(session, milestone_id)]


def deliverable_lines(session: Session, milestone_id: int) -> list[DeliverableLine]:
    """The deliverables as clients see them; a document deleted since is left out."""
    lines = []
    for row in _rows(session, milestone_id):
        if row.url is not None:
            lines.append(DeliverableLine(row.label or row.url, row.url, False))
            continue
        document = session.get(Document, row.document_id)
        if document is not None and document.deleted_at is None:
            lines.append(
                DeliverableLine(row.label or document.filename, routes.api_document_download(document.id), True)
            )
    return lines


def document_choices(session: Session, *, actor: User, engagement_id: int) -> list[tuple[int, str]]:
    """The engagement's documents a deliverable may name, as (id, file name), for those who may see it."""
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    found = session.scalars(
        select(Document)
        .where(Document.engagement_id == engagement.id, Document.deleted_at.is_(None))
        .order_by(Document.filename, Document.id)
    )
    return [(document.id, document.filename) for document in found]


def _rows(session: Session, milestone_id: int) -> list[MilestoneDeliverable]:
    return list(
        session.scalars(
            select(MilestoneDeliverable)
            .where(MilestoneDeliverable.milestone_id == milestone_id)
            .order_by(MilestoneDeliverable.position, MilestoneDeliverable.id)
        )
    )
