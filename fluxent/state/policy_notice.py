"""The portal's notice of an announced policy version: a thin view of ``services.policies.acknowledgements``.

It is about the signed-in person's own account, so it shows their notices (not a viewed
client's) and the acknowledgement is theirs even while an administrator views as a client.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.models.accounts import User
from fluxent.services.policies import acknowledgements
from fluxent.state.session import SessionState

FORM = "policy_notice"


@dataclasses.dataclass
class NoticeRow:
    announcement_id: int
    title: str
    version: int
    changes: str
    effective: str
    href: str


def _rows(db: Session, user: User) -> list[NoticeRow]:
    return [NoticeRow(**dataclasses.asdict(pending)) for pending in acknowledgements.pending_for(db, user=user)]


class PolicyNoticeState(SessionState):
    notices: list[NoticeRow] = []

    @rx.event
    def load(self) -> None:
        """``on_load`` of every portal page."""
        with read_scope() as db:
            user = self._signed_in_person(db)
            self.notices = [] if user is None else _rows(db, user)

    @rx.event
    def acknowledge(self, announcement_id: int) -> None:
        def action(db: Session, user: User) -> None:
            acknowledgements.acknowledge(db, user=user, announcement_id=announcement_id)
            self.notices = _rows(db, user)

        self.busy = FORM
        self._act(FORM, action, "Thank you: your acknowledgement is recorded.", while_viewing=True)
