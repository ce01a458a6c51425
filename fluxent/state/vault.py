"""``/portal/vault`` and its engagement pages, and the vault panel of the staff engagement page.

A revealed value lives in this state for ``REVEAL_SECONDS`` at most: ``hide_later`` clears
it, and revealing another item or leaving the page clears it sooner. A reveal or copy
without a recent step-up opens the step-up dialog and runs once the person confirms.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, ReauthRequired
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import step_up
from fluxent.services.vault import activity, items, listings, offboarding
from fluxent.services.vault.access import vault_access
from fluxent.state.admin_console import route_id
from fluxent.state.form_focus import first_error
from fluxent.state.formatting import day, moment
from fluxent.state.session import SessionState, error_messages

REVEAL_SECONDS = 30
FIELD_LABELS = {
    "username": "Username",
    "password": "Password",
    "url": "URL",
    "totp_seed": "TOTP seed",
    "key": "Key",
    "private_key": "Private key",
    "passphrase": "Passphrase",
    "note": "Note",
}
# The add form's fields as its error summary names them.
ADD_LABELS = (("name", "Name"), *FIELD_LABELS.items(), ("tags", "Tags"))
KIND_CHOICES = [(kind.value, label) for kind, label in items.KIND_LABELS.items()]
KIND_FIELDS = {kind.value: names for kind, names in items.KIND_FIELDS.items()}


@dataclasses.dataclass
class VaultEngagement:
    id: int
    title: str
    organization: str
    item_count: int
    href: str


@dataclasses.dataclass
class VaultItemLine:
    id: int
    name: str
    kind: str
    tags: str
    version: int
    updated: str
    updated_by: str
    kind_code: str = ""


@dataclasses.dataclass
class VersionLine:
    version: int
    stored: str
    stored_by: str
    current: bool


@dataclasses.dataclass
class SecretField:
    label: str
    value: str


@dataclasses.dataclass
class ActivityLine:
    when: str
    who: str
    what: str
    item: str
    by_fluxent: bool


class VaultState(SessionState):
    engagements: list[VaultEngagement] = []
    engagement_id: int = 0
    engagement_title: str = ""
    vault_href: str = ""
    activity_href: str = ""
    manages: bool = False
    is_owner: bool = False
    # "loading", "ok" or "missing" (no vault for this person)
    access: str = "loading"
    lines: list[VaultItemLine] = []
    activity: list[ActivityLine] = []
    errors: dict[str, str] = {}
    edit_errors: dict[str, str] = {}
    new_kind: str = "login"
    form_version: int = 0
    # The value on screen (cleared after REVEAL_SECONDS), which item it is and which earlier
    # version (0: the current one).
    revealed_item: int = 0
    revealed_version: int = 0
    revealed: list[SecretField] = []
    reveal_count: int = 0
    # The item whose edit form is open (its id, else 0).
    editing_item: int = 0
    # One item's version history, when opened (its id, else 0).
    history_item: int = 0
    history: list[VersionLine] = []
    # The step-up dialog: what waits for it ("reveal:<id>:<version>", "copy:<id>", "delete"), "" when closed.
    pending: str = ""
    stepup_method: str = "password"
    code_sent: bool = False
    # What the step-up dialog should run when an action of this event is refused for want of a step-up.
    _pending_on_refusal: str = ""

    # Loading -------------------------------------------------------------------

    @rx.event
    def load_index(self) -> None:
        self._hide()
        with read_scope() as db:
            user = self._person(db)
            rows = listings.vault_engagements(db, user=user) if user is not None else []
        self.engagements = [
            VaultEngagement(r.id, r.title, r.organization, r.items, routes.portal_vault(r.id)) for r in rows
        ]
        self.access = "ok"

    @rx.event
    def load_vault(self) -> None:
        self._open(route_id(self, "engagement_id"), with_activity=False)

    @rx.event
    def load_activity(self) -> None:
        self._open(route_id(self, "engagement_id"), with_activity=True)

    def _open(self, engagement_id: int, *, with_activity: bool) -> None:
        self._hide()
        self.engagement_id, self.pending, self.errors = engagement_id, "", {}
        self.vault_href, self.activity_href = (
            routes.portal_vault(engagement_id),
            routes.portal_vault_activity(engagement_id),
        )
        self._refresh(with_activity=with_activity)

    def _refresh(self, *, with_activity: bool = False) -> None:
        try:
            with read_scope() as db:
                user = self._person(db)
                granted = vault_access(db, user, self.engagement_id)
                rows = items.list_items(db, actor=user, engagement_id=self.engagement_id)
                log = activity.access_log(db, actor=user, engagement_id=self.engagement_id) if with_activity else []
        except DomainError:
            self.access, self.lines, self.activity = "missing", [], []
            return
        self.access, self.engagement_title = "ok", granted.engagement.title
        self.history_item, self.history, self.editing_item = 0, [], 0
        self.manages, self.is_owner = granted.manages, granted.is_owner
        self.lines = [
            VaultItemLine(
                r.id, r.name, r.kind_label, ", ".join(r.tags), r.version, day(r.updated_at), r.updated_by, r.kind
            )
            for r in rows
        ]
        self.activity = [ActivityLine(moment(r.at), r.who, r.label, r.item or "", r.by_fluxent) for r in log]

    # Reveal and copy -------------------------------------------------------------

    def _hide(self) -> None:
        self.revealed_item, self.revealed_version, self.revealed = 0, 0, []

    @rx.event
    def hide(self) -> None:
        self._hide()

    @rx.event
    def reveal(self, item_id: int) -> Iterator[Any]:
        yield from self._reveal(item_id, 0)

    @rx.event
    def reveal_version(self, item_id: int, version: int) -> Iterator[Any]:
        """Reveal an earlier version from the item's history."""
        yield from self._reveal(item_id, version)

    def _reveal(self, item_id: int, version: int) -> Iterator[Any]:
        """The item's current value (``version`` 0) or an earlier version, behind the step-up."""
        self._hide()
        found: list[dict[str, str]] = []
        self._pending_on_refusal = f"reveal:{item_id}:{version}" if version else f"reveal:{item_id}"
        if (
            self._act(
                "reveal",
                lambda db, user, browser: found.append(
                    items.reveal(db, actor=user, auth_session=browser, item_id=item_id, version=version or None)
                ),
                with_session=True,
            )
            and found
        ):
            self.revealed_item, self.revealed_version = item_id, version
            self.revealed = [SecretField(FIELD_LABELS[name], value) for name, value in found[0].items() if value]
            self.reveal_count += 1
            yield VaultState.hide_later(self.reveal_count)

    @rx.event
    def toggle_history(self, item_id: int) -> None:
        """Open (or close) the list of the item's stored versions: who stored each and when."""
        if self.history_item == item_id:
            self.history_item, self.history = 0, []
            return
        found: list[list[items.VersionRow]] = []
        if self._act("history", lambda db, user: found.append(items.list_versions(db, actor=user, item_id=item_id))):
            self.history_item = item_id
            self.history = [
                VersionLine(row.version, moment(row.created_at), row.created_by, row.current) for row in found[0]
            ]

    @rx.event(background=True)
    async def hide_later(self, count: int) -> None:
        """Clear the value ``REVEAL_SECONDS`` after the reveal that set it (unless another one replaced it)."""
        await asyncio.sleep(REVEAL_SECONDS)
        async with self:
            self._expire(count)

    def _expire(self, count: int) -> None:
        if self.reveal_count == count:
            self._hide()

    @rx.event
    def copied(self, item_id: int) -> None:
        """The browser copied a revealed value: the same checks as a reveal, audited as a copy."""
        version = self.revealed_version if self.revealed_item == item_id else 0
        self._pending_on_refusal = f"copy:{item_id}"
        self._act(
            "reveal",
            lambda db, user, browser: items.reveal(
                db, actor=user, auth_session=browser, item_id=item_id, version=version or None, copied=True
            ),
            "Copied to the clipboard.",
            with_session=True,
        )

    # Step-up ---------------------------------------------------------------------

    def _refused(self, form: str, error: DomainError) -> None:
        if isinstance(error, ReauthRequired):
            self.pending, self.errors = self._pending_on_refusal, {}
            return
        messages = error_messages(error, shown=("name", "tags", *FIELD_LABELS, "confirm"))
        if form in ("add", "edit"):  # the form's summary: its message, then each field in error
            messages = {"form": error.message} | messages
        if form == "edit":
            self.edit_errors = messages
        elif form == "stepup":
            self.errors = {"secret": next(iter(messages.values()), error.message)}
        else:
            self.errors = messages
        super()._refused(form, error)

    @rx.event
    def use_method(self, method: str) -> None:
        self.stepup_method = "code" if method == "code" else "password"
        self.errors = {}

    @rx.event
    def cancel_step_up(self) -> None:
        self.pending, self.errors = "", {}

    @rx.event
    def send_code(self) -> None:
        ip, user_agent = self._client()
        if self._act(
            "code", lambda db, user: step_up.request_code(db, user=user, pii=Personal(ip, user_agent, user.email))
        ):
            self.code_sent = True
            self._tell("We e-mailed you a 6-digit code.")

    @rx.event
    def confirm_step_up(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy, self.errors = "stepup", {}
        yield
        secret = str(form.get("secret", ""))
        password, code = (None, secret) if self.stepup_method == "code" else (secret, None)
        ip, user_agent = self._client()
        if not self._act(
            "stepup",
            lambda db, user, browser: step_up.reauthenticate(
                db,
                user=user,
                auth_session=browser,
                password=password,
                code=code,
                pii=Personal(ip, user_agent, user.email),
            ),
            with_session=True,
        ):
            return
        waiting, self.pending, self.code_sent = self.pending, "", False
        kind, _, rest = waiting.partition(":")
        ident, _, version = rest.partition(":")
        if kind in ("reveal", "copy") and ident.isdigit():
            yield (
                VaultState.reveal_version(int(ident), int(version))
                if version.isdigit()
                else VaultState.reveal(int(ident))
            )
        else:
            self._tell("Confirmed. You can go on for the next 10 minutes.")

    # Changes (the client's people) ------------------------------------------------

    @rx.event
    def set_new_kind(self, kind: str) -> None:
        self.new_kind = kind if kind in dict(KIND_CHOICES) else "login"

    @rx.event
    def add_item(self, form: dict[str, Any]) -> EventSpec | None:
        """Store a new item; when refused, focus moves to the first field in error."""
        kind = self.new_kind
        value = {name: str(form.get(name, "")) for name in KIND_FIELDS[kind]}
        tags = [tag for tag in str(form.get("tags", "")).split(",") if tag.strip()]
        name = str(form.get("name", ""))
        engagement_id = self.engagement_id
        self.errors = {}
        if self._act(
            "add",
            lambda db, user: items.create_item(
                db, actor=user, engagement_id=engagement_id, kind=kind, name=name, value=value, tags=tags
            ),
            "Saved, encrypted.",
        ):
            self.form_version += 1
            self._refresh()
            return None
        order = ("name", *KIND_FIELDS[kind], "tags")
        return first_error({name: self.errors[name] for name in order if name in self.errors}, form_id="add")

    @rx.event
    def toggle_edit(self, item_id: int) -> None:
        """Open (or close) the item's edit form: its name, tags, and optionally a new value."""
        self.editing_item = 0 if self.editing_item == item_id else item_id
        self.edit_errors = {}

    @rx.event
    def save_item(self, form: dict[str, Any]) -> EventSpec | None:
        """Rename or retag the item being edited; any value field filled in stores a new version
        (the earlier one stays in the history). The current value is never sent to the form."""
        item_id = self.editing_item
        line = next((line for line in self.lines if line.id == item_id), None)
        if line is None:
            return None
        names = KIND_FIELDS.get(line.kind_code, ())
        entered = {name: str(form.get(name, "")) for name in names}
        value = entered if any(text.strip() for text in entered.values()) else None
        tags = [tag for tag in str(form.get("tags", "")).split(",") if tag.strip()]
        name = str(form.get("name", ""))
        self.edit_errors = {}
        if self._act(
            "edit",
            lambda db, user: items.update_item(db, actor=user, item_id=item_id, name=name, tags=tags, value=value),
            "Saved, encrypted: the earlier value is kept in the history." if value else "Saved.",
        ):
            self._refresh()
            return None
        order = ("name", *names, "tags")
        errors = self.edit_errors
        return first_error({name: errors[name] for name in order if name in errors}, form_id="edit")

    @rx.event
    def delete_item(self, item_id: int) -> None:
        self._hide()
        if self._act("delete", lambda db, user: items.delete_item(db, actor=user, item_id=item_id), "Item deleted."):
            self._refresh()

    @rx.event
    def delete_vault(self, form: dict[str, Any]) -> None:
        self._hide()
        confirm, engagement_id = str(form.get("confirm", "")), self.engagement_id
        self._pending_on_refusal = "delete"
        if self._act(
            "delete_vault",
            lambda db, user, browser: offboarding.delete_vault(
                db, actor=user, auth_session=browser, engagement_id=engagement_id, confirm=confirm
            ),
            "The vault was deleted. The owners were e-mailed the offboarding report.",
            with_session=True,
        ):
            self._refresh()
