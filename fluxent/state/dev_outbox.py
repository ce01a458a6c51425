"""The development outbox page: the e-mails the file backend wrote, and one of them opened."""

from __future__ import annotations

import reflex as rx

from fluxent.core.errors import NotFound
from fluxent.core.settings import get_settings
from fluxent.services import dev_outbox
from fluxent.state.formatting import moment


class DevOutboxState(rx.State):
    checked: bool = False
    available: bool = False
    messages: list[dict[str, str]] = []
    opened_id: str = ""
    opened_subject: str = ""
    opened_to: str = ""
    opened_time: str = ""
    opened_pieces: list[dict[str, str]] = []  # {"text", "href"}: href is "" for plain text
    error: str = ""

    @rx.event
    def load(self) -> None:
        settings = get_settings()
        self.available = dev_outbox.available(settings)
        self.messages = []
        if self.available:
            self.messages = [
                {
                    "id": message.message_id,
                    "to": message.to,
                    "subject": message.subject,
                    "time": moment(message.sent_at, seconds=True),
                }
                for message in dev_outbox.list_messages(settings.resolved_email_file_dir)
            ]
        self.checked = True
        if self.opened_id not in {message["id"] for message in self.messages}:
            self._close()

    @rx.event
    def open_message(self, message_id: str) -> None:
        settings = get_settings()
        if not dev_outbox.available(settings):
            return
        try:
            message = dev_outbox.read_message(settings.resolved_email_file_dir, message_id)
        except NotFound as missing:
            self._close()
            self.error = missing.message
            return
        self.error = ""
        self.opened_id, self.opened_subject, self.opened_to = message.message_id, message.subject, message.to
        self.opened_time = moment(message.sent_at, seconds=True)
        self.opened_pieces = [
            {"text": text, "href": text if is_link else ""}
            for text, is_link in dev_outbox.text_with_links(message.text)
        ]

    def _close(self) -> None:
        self.opened_id = self.opened_subject = self.opened_to = self.opened_time = self.error = ""
        self.opened_pieces = []
