"""``/admin/envelopes``: staff create an envelope from a portal PDF, place its fields by
clicking on the page images, and send, remind or void it."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import reflex as rx
from sqlmodel import Session

from fluxent.core.clock import now
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.models.esign import EnvelopeStatus, SigningOrder
from fluxent.services.esign import completion, envelopes, fields, listings, page_access
from fluxent.services.esign.envelopes import SignerInput
from fluxent.state.admin_console import ConsoleState, filter_choice, filter_text, page_within
from fluxent.state.formatting import day
from fluxent.state.organization_filter import OrganizationFilterMixin

MAX_SIGNER_ROWS = 6
FIELD_KINDS = ("signature", "initials", "date", "text", "checkbox")
PLACE_BUTTON_ID = "place-field"
# A focused field's keys: the arrows move it by a step (a larger one with Shift).
ARROWS = {"ArrowLeft": (-1, 0), "ArrowRight": (1, 0), "ArrowUp": (0, -1), "ArrowDown": (0, 1)}
STEP, BIG_STEP = 0.01, 0.05


@dataclasses.dataclass
class EnvelopeLine:
    id: int
    title: str
    status: str
    when: str


@dataclasses.dataclass
class Choice:
    value: str
    label: str


@dataclasses.dataclass
class EditorPage:
    number: int
    image: str
    label: str


@dataclasses.dataclass
class EditorField:
    id: int
    page: int
    left: str
    top: str
    width: str
    height: str
    kind: str
    signer: str
    colour_index: int
    description: str


def _percent(value: float) -> str:
    return f"{value * 100:.3f}%"


class AdminEnvelopesState(OrganizationFilterMixin, ConsoleState):
    rows: list[EnvelopeLine] = []
    # The list's filters and page.
    envelope_query: str = ""
    envelope_status: str = ""  # an EnvelopeStatus value, "" for any
    envelope_page: int = 1
    envelope_pages: int = 1
    envelope_total: int = 0
    documents: list[Choice] = []
    document_query: str = ""  # narrows ``documents`` as the staff member types
    signer_rows: int = 2
    form_version: int = 0
    # The envelope open in the editor (0: none), its status and what it holds.
    open_id: int = 0
    open_title: str = ""
    open_status: str = ""
    signers: list[Choice] = []
    fields: list[EditorField] = []
    pages: list[EditorPage] = []
    place_signer: str = ""
    place_kind: str = "signature"
    place_page: str = "0"
    moving: int = 0  # the field the next click moves (0: the next click adds one)
    focus_field: int = 0  # the field placed from the keyboard: its marker takes the focus when it appears

    def _fill_envelopes(self, db: Session, user: User) -> None:
        found = envelopes.list_envelopes(
            db,
            actor=user,
            status=EnvelopeStatus(self.envelope_status) if self.envelope_status else None,
            organization_id=self._organization_id(),
            query=self.envelope_query,
            page=self.envelope_page,
        )
        self.rows = [EnvelopeLine(e.id, e.title, str(e.status), day(e.updated_at)) for e in found.items]
        self.envelope_total, self.envelope_pages = found.total, found.pages

    def _organization_changed(self) -> None:
        self.envelope_page = 1
        self._load(self._fill_envelopes)

    @rx.event
    def search_envelopes(self, form: dict) -> None:
        self.envelope_status = filter_choice(form, EnvelopeStatus)
        self.envelope_query, self.envelope_page = filter_text(form), 1
        self._load(self._fill_envelopes)

    @rx.event
    def envelopes_go_to(self, page: int) -> None:
        self.envelope_page = page_within(page, self.envelope_pages)
        self._load(self._fill_envelopes)

    def _fill_documents(self, db: Session, user: User) -> None:
        try:
            found = listings.pdf_choices(db, actor=user, query=self.document_query)
        except ValidationFailed:  # control characters match no document
            found = []
        self.documents = [Choice(str(choice.document_id), choice.label) for choice in found]

    @rx.event
    def narrow_documents(self, text: str) -> None:
        self.document_query = str(text or "")[:200]
        self._load(self._fill_documents, fresh=False)

    @rx.event
    def load(self) -> None:
        def fill(db: Session, user: User) -> None:
            self._fill_documents(db, user)
            self._fill_envelopes(db, user)
            self._fill_organization_choices(db, user)
            if self.open_id:
                self._fill_editor(db, user)

        self._load(fill, fresh=False)
        sent = [row.id for row in self.rows if row.status == EnvelopeStatus.SENT]
        if sent and completion.complete_stuck(sent).completed:  # a completion that failed earlier
            self._load(fill, fresh=False)

    @rx.event
    def more_signers(self) -> None:
        self.signer_rows = min(self.signer_rows + 1, MAX_SIGNER_ROWS)

    @rx.event
    def create(self, form_data: dict[str, str]) -> None:
        created: list[int] = []

        def action(db: Session, user: User) -> None:
            signers = [
                SignerInput(
                    form_data.get(f"signer{n}_name", ""),
                    form_data.get(f"signer{n}_email", ""),
                    form_data.get(f"signer{n}_countersigner", "") in ("on", "true"),
                )
                for n in range(MAX_SIGNER_ROWS)
                if form_data.get(f"signer{n}_email", "").strip()
            ]
            envelope = envelopes.create_envelope(
                db,
                actor=user,
                document_id=parse_id(form_data.get("document", "")) or 0,
                signers=signers,
                order=SigningOrder(form_data.get("order", "sequential")),
                title=form_data.get("title", ""),
                message=form_data.get("message", ""),
                expires_at=now() + timedelta(days=_days(form_data.get("expires_in_days", "30"), "expires_in_days")),
                remind_every_days=_days(form_data.get("remind_every_days", "0"), "remind_every_days"),
            )
            created.append(envelope.id)

        if self._act("create", action, "Draft created: place the fields, then send it."):
            self.form_version += 1
            self.signer_rows = 2
            self._open(created[0])
        self.load()

    @rx.event
    def open_envelope(self, envelope_id: int) -> None:
        self._open(envelope_id)
        self.load()

    def _open(self, envelope_id: int) -> None:
        self.open_id, self.moving, self.pages, self.focus_field, self.place_page = envelope_id, 0, [], 0, "0"
        try:
            with read_scope() as db:
                user = self._signed_in_person(db)
                if user is None:
                    return
                urls = page_access.staff_pages(db, actor=user, envelope_id=envelope_id)
            self.pages = [EditorPage(number, url, f"Page {number + 1}") for number, url in enumerate(urls)]
        except DomainError as error:
            self.open_id = 0
            self._tell(error.message, error=True)

    def _fill_editor(self, db: Session, user: User) -> None:
        envelope = envelopes.get_envelope(db, actor=user, envelope_id=self.open_id)
        signers = envelopes.signers_of(db, envelope.id)
        names = {signer.id: (position, signer.name) for position, signer in enumerate(signers)}
        self.open_title, self.open_status = envelope.title, str(envelope.status)
        self.signers = [Choice(str(signer.id), signer.name) for signer in signers]
        if self.place_signer not in {choice.value for choice in self.signers}:
            self.place_signer = self.signers[0].value if self.signers else ""
        self.fields = [
            EditorField(
                id=field.id,
                page=field.page,
                left=_percent(field.x),
                top=_percent(field.y),
                width=_percent(field.width),
                height=_percent(field.height),
                kind=str(field.kind),
                signer=names[field.signer_id][1],
                colour_index=names[field.signer_id][0] % 4,
                description=f"{str(field.kind).title()} for {names[field.signer_id][1]}, page {field.page + 1}",
            )
            for field in envelopes.fields_of(db, envelope.id)
        ]

    @rx.event
    def choose_signer(self, value: str) -> None:
        self.place_signer = value

    @rx.event
    def choose_kind(self, value: str) -> None:
        self.place_kind = value if value in FIELD_KINDS else "signature"

    @rx.event
    def choose_page(self, value: str) -> None:
        self.place_page = value

    @rx.event
    def place_on_page(self) -> None:
        """Place from the keyboard: a field in the middle of the chosen page; its marker then
        takes the focus, for the arrow keys."""
        envelope_id, placed = self.open_id, []

        def action(db: Session, user: User) -> None:
            field = fields.place_field(
                db,
                actor=user,
                envelope_id=envelope_id,
                signer_id=parse_id(self.place_signer) or 0,
                kind=self.place_kind,
                page=int(self.place_page) if self.place_page.isdigit() else -1,
                center_x=0.5,
                center_y=0.5,
            )
            placed.append(field.id)

        if self._act("editor", action):
            self.focus_field = placed[0]
        self.load()

    @rx.event
    def field_key(self, field_id: int, key: str, shift: bool):
        """A key on a focused field: the arrows move it, Delete removes it, Escape leaves it."""
        envelope_id = self.open_id
        if key in ARROWS:
            step = BIG_STEP if shift else STEP
            dx, dy = (step * unit for unit in ARROWS[key])
            self._act(
                "editor",
                lambda db, user: fields.nudge_field(
                    db, actor=user, envelope_id=envelope_id, field_id=field_id, dx=dx, dy=dy
                ),
            )
            self.load()
        elif key in ("Delete", "Backspace"):
            self.delete_field(field_id)
            return rx.set_focus(PLACE_BUTTON_ID)
        elif key == "Escape":
            self.moving = 0
            return rx.set_focus(PLACE_BUTTON_ID)
        return None

    @rx.event
    def start_move(self, field_id: int) -> None:
        self.moving = 0 if self.moving == field_id else field_id

    @rx.event
    def place(self, page: int, x: float, y: float) -> None:
        """A click on a page: add a field there, or move the chosen one there."""
        moving, envelope_id = self.moving, self.open_id

        def action(db: Session, user: User) -> None:
            if moving:
                fields.move_field(
                    db, actor=user, envelope_id=envelope_id, field_id=moving, page=page, x=x, y=y, centred=True
                )
            else:
                fields.place_field(
                    db,
                    actor=user,
                    envelope_id=envelope_id,
                    signer_id=parse_id(self.place_signer) or 0,
                    kind=self.place_kind,
                    page=page,
                    center_x=x,
                    center_y=y,
                )

        self._act("editor", action)
        self.moving = 0
        self.load()

    @rx.event
    def delete_field(self, field_id: int) -> None:
        envelope_id = self.open_id
        self.focus_field = 0 if self.focus_field == field_id else self.focus_field
        self._act(
            "editor",
            lambda db, user: fields.delete_field(db, actor=user, envelope_id=envelope_id, field_id=field_id),
        )
        self.load()

    @rx.event
    def send(self) -> None:
        envelope_id = self.open_id
        self._act(
            "editor",
            lambda db, user: envelopes.send_envelope(db, actor=user, envelope_id=envelope_id),
            "Sent: the first signer has the link.",
        )
        self.load()

    @rx.event
    def remind(self, envelope_id: int) -> None:
        self._act(
            "editor", lambda db, user: envelopes.remind(db, actor=user, envelope_id=envelope_id), "Reminders sent."
        )
        self.load()

    @rx.event
    def void(self, form_data: dict[str, str]) -> None:
        envelope_id = self.open_id
        self._act(
            "void",
            lambda db, user: envelopes.void_envelope(
                db, actor=user, envelope_id=envelope_id, reason=form_data.get("reason", "")
            ),
            "Voided; the signers were told.",
        )
        self.load()

    @rx.var
    def editable(self) -> bool:
        return self.open_status == str(EnvelopeStatus.DRAFT)


def _days(text: str, field: str) -> int:
    try:
        return int((text or "0").strip())
    except ValueError:
        raise ValidationFailed("Enter a number of days.", fields={field: "Enter a number of days."}) from None
