"""The notification centre in the portal: the bell's unread count, the list, marking read, and
the person's e-mail preferences. A thin view of ``services.notifications``.

It is always the signed-in person's own centre (also while an administrator views the portal
as a client); changes are refused while viewing as a client, as for every own-account page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.models.accounts import User
from fluxent.services.notifications import centre, preferences
from fluxent.state.formatting import moment
from fluxent.state.session import SessionState, error_messages

PAGE_SIZE = 50


@dataclasses.dataclass
class NotificationRow:
    id: int
    title: str
    link: str
    at: str
    unread: bool


@dataclasses.dataclass
class PreferenceRow:
    category: str
    label: str
    description: str
    delivery: str
    locked: bool


class NotificationsState(SessionState):
    unread: int = 0
    items: list[NotificationRow] = []
    total: int = 0
    loaded: bool = False
    choices: list[PreferenceRow] = []
    choices_version: int = 0
    errors: dict[str, str] = {}

    @rx.var
    def bell_label(self) -> str:
        return f"Notifications, {self.unread} unread" if self.unread else "Notifications"

    @rx.event
    def count(self, _tick: str = "") -> None:
        """``on_load`` of every portal page and the open tab's periodic check: the bell's count."""
        with read_scope() as db:
            user = self._signed_in_person(db)
            self.unread = 0 if user is None else centre.unread_count(db, user=user)

    @rx.event
    def load(self) -> None:
        with read_scope() as db:
            user = self._signed_in_person(db)
            if user is not None:
                self._fill(db, user)

    def _fill(self, db: Session, user: User) -> None:
        page = centre.list_notifications(db, user=user, page_size=PAGE_SIZE)
        self.items = [
            NotificationRow(n.id, n.title, n.link, moment(n.created_at), n.read_at is None) for n in page.items
        ]
        self.total = page.total
        self.unread = centre.unread_count(db, user=user)
        self.loaded = True

    @rx.event
    def open(self, notification_id: int) -> Iterator[Any]:
        """Mark it read and go where it points (the link this state listed, never one the browser sends)."""
        link = next((row.link for row in self.items if row.id == notification_id), "")
        if link and self._mark([notification_id]):
            yield rx.redirect(link)

    @rx.event
    def mark_read(self, notification_id: int) -> None:
        self._mark([notification_id])

    @rx.event
    def mark_all_read(self) -> None:
        self._mark(None, "Every notification is marked read.")

    def _mark(self, ids: list[int] | None, success: str = "") -> bool:
        def action(db: Session, user: User) -> None:
            centre.mark_read(db, user=user, ids=ids)
            db.flush()
            self._fill(db, user)

        return self._act("notifications", action, success)

    @rx.event
    def load_preferences(self) -> None:
        self.errors = {}
        with read_scope() as db:
            user = self._signed_in_person(db)
            if user is not None:
                self._show_choices(preferences.preferences_of(db, user=user))

    def _show_choices(self, rows: list[preferences.PreferenceRow]) -> None:
        self.choices = [PreferenceRow(**dataclasses.asdict(row)) for row in rows]
        self.choices_version += 1

    @rx.event
    def save_preferences(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy, self.errors = "preferences", {}
        yield
        choices = {
            row.category: str(form[row.category]) for row in self.choices if not row.locked and row.category in form
        }

        def action(db: Session, user: User) -> None:
            self._show_choices(preferences.save_preferences(db, user=user, choices=choices))

        self._act("preferences", action, "E-mail preferences saved.")

    def _refused(self, form: str, error: DomainError) -> None:
        if form == "preferences":
            self.errors = error_messages(error)
        super()._refused(form, error)
