"""State of an engagement's conversation (the portal's messages page and the staff console's
engagement page), the portal page's list of conversations, and the unread total in the portal's
navigation. Thin handlers over ``services.messages``; every event resolves the person again.

An open conversation asks for news every few seconds (``poll``, driven by a hidden clock in the
panel), so new messages arrive without a reload. While an administrator views the portal as a
client the thread is shown as that client sees it, marked read for nobody, and posting is
refused by ``SessionState._act``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.core.ids import parse_id
from fluxent.services.messages import listings, thread
from fluxent.state.admin_console import route_id
from fluxent.state.document_versions import uploader_label
from fluxent.state.formatting import moment
from fluxent.state.organization import OrganizationState
from fluxent.state.session import SessionState, error_messages

# How often an open conversation asks for new messages.
POLL_EVERY_MS = 5_000


@dataclasses.dataclass
class MessageRow:
    id: int
    author: str  # "Priya Raman (Fluxent)", "Dana Whitfield", "Erased user"
    mine: bool
    body: str
    when: str
    quoted: str
    quoted_author: str
    attachment: str
    download_url: str
    unread: bool


@dataclasses.dataclass
class Attachable:
    value: str  # the document's id
    label: str


@dataclasses.dataclass
class ThreadOption:
    engagement_id: int
    title: str
    organization: str
    unread: int


def _row(line: thread.MessageLine) -> MessageRow:
    return MessageRow(
        id=line.id,
        author=uploader_label(line.author, by_staff=line.by_staff),
        mine=line.mine,
        body=line.body,
        when=moment(line.created_at),
        quoted=line.quoted,
        quoted_author=line.quoted_author,
        attachment=line.document_name,
        download_url=routes.api_url(line.download_url) if line.download_url else "",
        unread=line.unread,
    )


class ThreadState(SessionState):
    """One engagement's conversation, as the panel shows it."""

    engagement_id: int = 0
    title: str = ""
    rows: list[MessageRow] = []
    total: int = 0
    # Unread when the thread was opened: the panel says so until the next opening.
    unread_when_opened: int = 0
    can_post: bool = False
    attachable: list[Attachable] = []
    replying_to: int = 0
    replying_quote: str = ""
    body_error: str = ""
    # Bumped after a message is sent, so the composer remounts empty.
    composer_version: int = 0

    def _clear_thread(self) -> None:
        self.engagement_id, self.title, self.rows, self.total, self.can_post = 0, "", [], 0, False
        self.attachable, self.unread_when_opened = [], 0
        self.replying_to, self.replying_quote, self.body_error = 0, "", ""

    def _read(self) -> int | None:
        """Read the open thread again; the unread count it had, or None when it cannot be shown."""
        try:
            with read_scope() as db:
                user = self._person(db)
                found = (
                    None
                    if user is None or not self.engagement_id
                    else listings.conversation(
                        db, actor=user, engagement_id=self.engagement_id, mark_read=not self._viewing_as
                    )
                )
        except DomainError as error:
            self._clear_thread()
            self._tell(error.message, error=True)
            return None
        if found is None:
            self._clear_thread()
            return None
        self.title, self.can_post, self.total = found.title, found.can_post, found.total
        self.rows = [_row(line) for line in found.lines]
        self.attachable = [Attachable(str(document_id), name) for document_id, name in found.attachable]
        return found.unread

    def _open(self, engagement_id: int) -> None:
        if engagement_id != self.engagement_id:
            self._clear_thread()
            self.engagement_id = engagement_id
        self.unread_when_opened = self._read() or 0

    @rx.event
    def open_from_route(self) -> None:
        """``on_load`` of the console's engagement page: the engagement in the address."""
        self._open(route_id(self, "engagement_id"))

    @rx.event
    def poll(self, _tick: str = "") -> None:
        """The panel's clock: new messages appear (and count as read) while the thread is open."""
        if self.signed_in and self.engagement_id:
            self._read()

    @rx.event
    def reply_to(self, message_id: int) -> None:
        for row in self.rows:
            if row.id == message_id:
                self.replying_to, self.replying_quote = row.id, f"{row.author}: {thread.quote(row.body)}"
                return

    @rx.event
    def cancel_reply(self) -> None:
        self.replying_to, self.replying_quote = 0, ""

    @rx.event
    def send(self, form: dict[str, Any]) -> None:
        engagement_id, parent_id = self.engagement_id, self.replying_to or None
        document_id = parse_id(str(form.get("document_id", "")))
        body = str(form.get("body", ""))
        self.body_error = ""
        sent = self._act(
            "message",
            lambda db, user: thread.post_message(
                db, actor=user, engagement_id=engagement_id, body=body, parent_id=parent_id, document_id=document_id
            ),
            "Message sent.",
        )
        if sent:
            self.replying_to, self.replying_quote = 0, ""
            self.composer_version += 1
        self._read()

    def _refused(self, form: str, error: DomainError) -> None:
        """A bad text shows under the text area; other refusals in the status line."""
        body = error_messages(error).get("body", "")
        if form == "message" and body:
            self.body_error = body
        else:
            super()._refused(form, error)


class MessagesState(OrganizationState):
    """The portal's messages page: the person's engagements with their unread counts."""

    threads: list[ThreadOption] = []
    loaded: bool = False

    def _list(self) -> None:
        with read_scope() as db:
            user = self._person(db)
            lines = [] if user is None else listings.threads_for(db, actor=user, organization_id=self._chosen())
        self.threads = [ThreadOption(t.engagement_id, t.title, t.organization, t.unread) for t in lines]
        self.loaded = True

    @rx.event
    async def load(self) -> None:
        """``on_load``: ``?engagement=<id>`` opens that conversation, else the first with unread messages, else the first."""
        self._list()
        wanted = parse_id(str(self.router.page.params.get("engagement", "")))
        listed = [t.engagement_id for t in self.threads]
        unread = [t.engagement_id for t in self.threads if t.unread]
        chosen = wanted if wanted in listed else (unread or listed or [0])[0]
        await self._show(chosen)

    @rx.event
    async def choose(self, engagement_id: int) -> None:
        await self._show(engagement_id)

    @rx.event
    async def refresh(self, _tick: str = "") -> None:
        """The page's clock: the unread counts beside each conversation."""
        if self.signed_in:
            self._list()

    async def _show(self, engagement_id: int) -> None:
        conversation = await self.get_state(ThreadState)
        if engagement_id:
            conversation._open(engagement_id)
        else:
            conversation._clear_thread()
        self._list()  # the opened thread now counts as read
        unread = await self.get_state(UnreadState)
        unread._count()


class UnreadState(SessionState):
    """Unread messages across the person's engagements, for the portal's navigation."""

    total: int = 0

    def _count(self) -> None:
        with read_scope() as db:
            user = self._person(db)
            self.total = 0 if user is None else listings.total_unread(db, actor=user)

    @rx.event
    def refresh(self, _tick: str = "") -> None:
        if self.signed_in:
            self._count()
