"""Staff console, administrators only: Fluxent's staff (a filtered, paged table and an edit drawer
for name, role, Team-page profile and photo) and staff invitations. Thin handlers over
``services.accounts.staff``, ``services.accounts.staff_photos`` and ``services.accounts.invitations``."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.errors import DomainError, TooLarge, ValidationFailed
from fluxent.models.accounts import Role, User
from fluxent.services.accounts import invitations, staff, staff_photos
from fluxent.services.marketing import team
from fluxent.services.pagination import DEFAULT_PAGE_SIZE
from fluxent.state.admin_console import ConsoleState, InvitationRow, invitation_rows
from fluxent.state.uploads import store_staff_photo

ROLE_CHOICES = [role.value for role in Role]
PHOTO_UPLOAD_ID = "staff-photo-upload"
PHOTO_ACCEPT = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}
PHOTO_TYPES = "JPEG, PNG or WebP, up to 5 MB; cropped to a square"
PHOTO_ERROR = "profile.photo"  # the key of a refused photo's message, beside the uploader


@dataclasses.dataclass
class StaffRow:
    user_id: int
    name: str
    email: str
    role: str
    title: str
    team: str
    listed: bool
    bio: str
    links: str  # one a line, as the drawer's text area holds them
    photo_url: str


def _row(member: staff.StaffMember) -> StaffRow:
    return StaffRow(
        member.user_id,
        member.name,
        member.email,
        str(member.role),
        member.title,
        member.team,
        member.listed,
        member.bio,
        "\n".join(member.links),
        team.photo_url_of(member.user_id, member.photo_updated_at),
    )


async def _read_photo(chunks: rx.UploadChunkIterator) -> bytes:
    """The uploaded file's bytes, refused as soon as they pass the photo size limit."""
    data = bytearray()
    async for chunk in chunks:
        data += chunk.data
        if len(data) > staff_photos.MAX_PHOTO_BYTES:
            raise TooLarge("The photo is larger than the 5 MB limit.", fields={"photo": "Too large."})
    if not data:
        raise ValidationFailed("Choose a photo to upload.")
    return bytes(data)


class AdminStaffState(ConsoleState):
    rows: list[StaffRow] = []
    invitations: list[InvitationRow] = []
    query: str = ""
    role_filter: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    editing: int = 0  # the user id whose drawer is open
    uploading: bool = False
    uploaded: bool = False

    def _fill(self, db: Session, user: User) -> None:
        found = staff.list_staff(
            db, actor=user, query=self.query, role=self.role_filter, page=self.page, page_size=DEFAULT_PAGE_SIZE
        )
        self.rows, self.total, self.pages = [_row(m) for m in found.items], found.total, found.pages
        self.invitations = invitation_rows(staff.pending_invitation_rows(db, actor=user))
        self.form_version += 1

    @rx.var
    def edited(self) -> StaffRow:
        """The row whose drawer is open (a blank one while none is)."""
        blank = StaffRow(0, "", "", "", "", "", False, "", "", "")
        return next((row for row in self.rows if row.user_id == self.editing), blank)

    @rx.event
    def load(self) -> None:
        self.editing = 0
        self._load(self._fill)

    @rx.event
    def search(self, form: dict[str, Any]) -> None:
        self.query = str(form.get("q", "")).strip()[:200]
        role = str(form.get("role", ""))
        self.role_filter = role if role in ("staff", "admin") else ""
        self.page, self.editing = 1, 0
        self._load(self._fill)

    @rx.event
    def go_to(self, page: int) -> None:
        self.page = min(max(1, int(page)), self.pages)
        self._load(self._fill)

    @rx.event
    def open_editor(self, user_id: int) -> None:
        self.editing, self.uploaded, self.errors = user_id, False, {}

    @rx.event
    def close_editor(self) -> None:
        self.editing, self.errors = 0, {}

    @rx.event
    def editor_key(self, key: str, _modifiers: dict | None = None) -> None:
        if key == "Escape":
            self.close_editor()

    @rx.event
    def save(self, form: dict[str, Any]) -> None:
        user_id = self.editing
        saved = self._change(
            "profile",
            lambda db, user: staff.update_staff(
                db,
                actor=user,
                user_id=user_id,
                name=str(form.get("profile.name", "")),
                role=str(form.get("profile.role", "")),
                title=str(form.get("profile.title", "")),
                team=str(form.get("profile.team", "")),
                listed=form.get("profile.listed") in ("on", True, "true"),
                bio=str(form.get("profile.bio", "")),
                links=str(form.get("profile.links", "")),
            ),
            "Staff member saved.",
            keep_inputs=True,
        )
        if saved:
            self.editing = 0

    @rx.event
    def remove_photo(self) -> None:
        self._call("profile", staff_photos.remove_photo, "Photo removed.", user_id=self.editing)

    @rx.event(background=True)
    async def upload_photo(self, chunks: rx.UploadChunkIterator) -> None:
        async with self:
            self.uploading, self.uploaded, self.errors = True, False, {}
            cookie, user_id, viewing_as = self.router.headers.cookie, self.editing, self._viewing_as
        try:
            data = await _read_photo(chunks)
            await asyncio.to_thread(store_staff_photo, cookie, user_id, data, viewing_as=viewing_as)
            problem = ""
        except DomainError as error:
            problem = error.message
        async with self:
            self.uploading, self.uploaded = False, not problem
            if problem:
                self.errors = {PHOTO_ERROR: problem}
            else:
                self._tell("Photo saved.")
                self._load(self._fill, fresh=False)

    @rx.event
    def invite(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "invite"
        yield
        email = str(form.get("invite.email", ""))
        self._send_invitation(
            email,
            lambda db, user: invitations.invite(
                db,
                actor=user,
                email=email,
                role=Role.STAFF,
                title=str(form.get("invite.title", "")),
                team=str(form.get("invite.team", "")),
            ),
        )

    @rx.event
    def revoke(self, invitation_id: int) -> None:
        self._call("invitations", staff.revoke_invitation, "Invitation revoked.", invitation_id=invitation_id)
