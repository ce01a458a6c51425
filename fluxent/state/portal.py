"""State of the portal's engagements and documents pages: thin handlers over the services.

Every event resolves the person again from the ``sessionid`` cookie of the
websocket handshake (``SessionState._identity``); rules (who may see or decide what) live in the services.
Both pages show the organization chosen in the top bar (``OrganizationState``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.services.accounts import organizations
from fluxent.services.messages import thread as messages
from fluxent.services.portal import engagements, listings, milestones
from fluxent.state.acceptance import DeliverableRow, MilestoneAcceptanceMixin, deliverable_row
from fluxent.state.document_preview import DocumentPreviewMixin
from fluxent.state.document_versions import DocumentVersionsMixin, uploader_label
from fluxent.state.formatting import MILESTONE_TONES, STATUS_LABELS, day, money, size_label
from fluxent.state.organization import OrganizationState
from fluxent.state.session import error_messages
from fluxent.state.uploads import upload


@dataclasses.dataclass
class MilestoneRow:
    id: int
    engagement_id: int
    title: str
    description: str
    acceptance_criteria: str
    deliverables: list[DeliverableRow]
    status: str
    status_label: str
    tone: str  # the pill's colour
    amount: str
    due: str
    note: str
    can_decide: bool


@dataclasses.dataclass
class EngagementRow:
    id: int
    title: str
    organization: str
    scope_summary: str
    status_label: str
    price: str
    accepted: str
    progress: int
    milestones: list[MilestoneRow]
    unread_messages: int
    messages_href: str


class EngagementsState(OrganizationState, MilestoneAcceptanceMixin):
    rows: list[EngagementRow] = []
    loaded: bool = False
    # The refusal of a request for changes, next to that milestone's text area.
    reason_for: int = 0
    reason_error: str = ""

    @rx.event
    def load(self) -> None:
        with read_scope() as db:
            user = self._person(db)
            lines = [] if user is None else listings.engagement_lines(db, actor=user, organization_id=self._chosen())
            unread = (
                {} if user is None else messages.unread_counts(db, actor=user, engagement_ids=[e.id for e in lines])
            )
        self.rows = [_engagement_row(line, unread.get(line.id, 0)) for line in lines]
        self.loaded = True

    @rx.event
    def request_changes(self, form: dict[str, Any]):
        """Ask for changes to a milestone; a refused reason is shown under its text area, which
        takes the focus."""
        milestone_id = parse_id(str(form.get("milestone_id", ""))) or 0
        self.reason_for, self.reason_error = milestone_id, ""
        self._decide(
            "changes",
            lambda db, user: milestones.request_changes(
                db,
                actor=user,
                engagement_id=parse_id(str(form.get("engagement_id", ""))) or 0,
                milestone_id=milestone_id,
                reason=str(form.get("reason", "")),
            ),
            "We have your note; the team will follow up.",
        )
        return rx.set_focus(reason_field(milestone_id)) if self.reason_error else None

    def _refused(self, form: str, error: DomainError) -> None:
        """A bad reason shows under its text area; other refusals in the status line."""
        reason = error_messages(error).get("reason", "")
        if form == "changes" and reason:
            self.reason_error = reason
        else:
            super()._refused(form, error)

    def _milestone_decided(self) -> None:
        self.load()

    def _decide(self, form: str, action, success: str) -> None:
        if self._act(form, action, success):
            self.reason_for, self.reason_error = 0, ""
        self.load()


REASON_FIELD = "reason-"  # + the milestone's id: the id of its "What should change?" text area


def reason_field(milestone_id: int) -> str:
    return f"{REASON_FIELD}{milestone_id}"


def _engagement_row(line: listings.EngagementLine, unread_messages: int) -> EngagementRow:
    return EngagementRow(
        id=line.id,
        title=line.title,
        organization=line.organization,
        scope_summary=line.scope_summary,
        status_label=STATUS_LABELS[line.status],
        price=money(line.fixed_price_minor, line.currency),
        accepted=money(line.accepted_minor, line.currency),
        progress=line.progress_percent,
        milestones=[_milestone_row(m, line) for m in line.milestones],
        unread_messages=unread_messages,
        messages_href=routes.portal_messages(line.id),
    )


def _milestone_row(milestone: listings.MilestoneLine, engagement: listings.EngagementLine) -> MilestoneRow:
    status = milestone.status
    # Only an owner is asked to accept; others see that it waits for the owners.
    label = STATUS_LABELS[status] if engagement.viewer_owns or status != "submitted" else "Submitted for acceptance"
    return MilestoneRow(
        id=milestone.id,
        engagement_id=engagement.id,
        title=milestone.title,
        description=milestone.description,
        acceptance_criteria=milestone.acceptance_criteria,
        deliverables=[deliverable_row(item) for item in milestone.deliverables],
        status=status,
        status_label=label,
        tone=MILESTONE_TONES[status],
        amount=money(milestone.amount_minor, engagement.currency),
        due=day(milestone.due_date),
        note=milestone.client_note,
        can_decide=milestone.can_decide,
    )


@dataclasses.dataclass
class DocumentRow:
    id: int
    filename: str
    where: str
    version: int
    updated: str
    size: str
    download_url: str
    by: str  # who uploaded the current version
    previewable: bool  # a PDF or an image: the row offers a preview


@dataclasses.dataclass
class Target:
    value: str  # "org:<id>" or "eng:<id>"
    label: str


UPLOAD_ID = "portal-document-upload"


class DocumentsState(OrganizationState, DocumentVersionsMixin, DocumentPreviewMixin):
    rows: list[DocumentRow] = []
    targets: list[Target] = []
    target: str = ""
    target_query: str = ""  # narrows ``targets`` as the person types (a long list for staff)
    many_targets: bool = False  # too many destinations to read through: the search box shows
    loaded: bool = False
    uploading: bool = False
    progress: int = 0
    # Why the last file was refused, shown beside the uploader; or that it was accepted.
    upload_error: str = ""
    uploaded: bool = False

    @rx.event
    def load(self) -> None:
        """``on_load``; ``?engagement=<id>`` (from an engagement's page) makes it the destination."""
        self._close_versions()
        self.upload_error, self.uploaded, self.progress = "", False, 0
        self._documents_changed(viewing=f"eng:{self.router.page.params.get('engagement', '')}")

    def _documents_changed(self, *, viewing: str = "") -> None:
        with read_scope() as db:
            user = self._person(db)
            chosen = self._chosen()
            lines = [] if user is None else listings.document_lines(db, actor=user, organization_id=chosen)
            everywhere = [] if user is None else _targets(db, user, chosen)
            self.targets = everywhere if not self.target_query else _targets(db, user, chosen, self.target_query)
        self.rows = [document_row(line) for line in lines]
        self.target = _destination(everywhere, self.target, viewing=viewing, chosen=chosen)
        self._keep_target(everywhere)
        self.many_targets = len(everywhere) > SHORT_LIST or self.target_query != ""
        self.loaded = True

    def _keep_target(self, everywhere: list[Target]) -> None:
        """The chosen destination stays in the narrowed list, first."""
        if self.target and all(option.value != self.target for option in self.targets):
            self.targets = [*(o for o in everywhere if o.value == self.target), *self.targets]

    @rx.event
    def narrow_targets(self, text: str) -> None:
        self.target_query = str(text or "")[:200]
        with read_scope() as db:
            user = self._person(db)
            chosen = self._chosen()
            everywhere = [] if user is None else _targets(db, user, chosen)
            self.targets = [] if user is None else _targets(db, user, chosen, self.target_query)
        self._keep_target(everywhere)

    @rx.event
    def set_target(self, value: str) -> None:
        self.target, self.upload_error = value, ""

    @rx.event
    def upload_progress(self, progress: dict[str, Any]) -> None:
        """The browser's progress; one arriving after the answer (a refusal resets the bar) is ignored."""
        if self.uploading:
            self.progress = round(100 * float(progress.get("progress", 0)))

    @rx.event(background=True)
    async def upload(self, chunks: rx.UploadChunkIterator) -> None:
        async with self:
            self.uploading, self.uploaded, self.progress, self.notice = True, False, 0, ""
            cookie, target, viewing_as = self.router.headers.cookie, self.target, self._viewing_as
        message, problem = await upload(cookie, target, chunks, viewing_as=viewing_as)
        async with self:
            self.uploading, self.upload_error, self.uploaded = False, problem, not problem
            self.progress = 100 if message else 0
            if message:
                self._tell(message)
                self._documents_changed()


SHORT_LIST = 8  # choices people read through without searching


def _destination(targets: list[Target], current: str, *, viewing: str, chosen: int | None) -> str:
    """Where an upload goes unless the person picks: the engagement being viewed, else the
    organization being viewed, else the one organization there is; else nothing (the person
    chooses) rather than whichever comes first."""
    values = {target.value for target in targets}
    organizations_listed = [value for value in values if value.startswith("org:")]
    for candidate in (
        viewing,
        current,
        f"org:{chosen}" if chosen is not None else "",
        organizations_listed[0] if len(organizations_listed) == 1 else "",
    ):
        if candidate in values:
            return candidate
    return ""


def document_row(line: listings.DocumentLine, *, general: str = "") -> DocumentRow:
    """The row of a document; ``where`` is its engagement, else ``general`` (else its organization)."""
    return DocumentRow(
        id=line.id,
        filename=line.filename,
        where=line.engagement or general or line.organization,
        version=line.version,
        updated=day(line.updated_at),
        size=size_label(line.size),
        download_url=routes.api_url(line.download_url),
        by=uploader_label(line.uploaded_by, by_staff=line.by_staff),
        previewable=line.previewable,
    )


def _targets(db, user: User, organization_id: int | None, query: str = "") -> list[Target]:
    """Where an upload may go: each organization (general) and its engagements; with ``query``,
    the organizations whose name contains it (with all their engagements) and the engagements
    whose title contains it. Control characters in ``query`` match nothing."""
    options: list[Target] = []
    try:
        found = organizations.list_organizations(db, actor=user, query=query, page_size=50).items
        titled = (
            engagements.list_engagements(db, actor=user, organization_id=organization_id, query=query).items
            if query
            else []
        )
    except ValidationFailed:
        return options
    for organization in found:
        if organization_id is not None and organization.id != organization_id:
            continue
        options.append(Target(f"org:{organization.id}", f"{organization.name} (general)"))
        for engagement in engagements.list_engagements(
            db, actor=user, organization_id=organization.id, page_size=50
        ).items:
            options.append(Target(f"eng:{engagement.id}", f"{organization.name}: {engagement.title}"))
    if titled:
        listed = {option.value for option in options}
        names = {organization.id: organization.name for organization in found}
        for engagement in titled:
            if f"eng:{engagement.id}" not in listed:
                name = (
                    names.get(engagement.organization_id)
                    or organizations.get_organization(db, actor=user, organization_id=engagement.organization_id).name
                )
                options.append(Target(f"eng:{engagement.id}", f"{name}: {engagement.title}"))
    return options
