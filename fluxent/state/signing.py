"""The signer's page (``/sign/<token>``): code, ESIGN disclosure, own fields, signature, finish.

The link token and the proof of the code stay in backend-only variables (never sent
to the browser); every event passes them to ``services.esign.signing``, which finds
the signer again each time. They hold only while the tab's events come from that
signer's own page (:meth:`SigningState.keep_only_on_own_page`, run before each of its
events and each hydration): the tab's client token alone, in anyone else's hands,
shows and signs nothing. The page shows only this signer's fields. The pages are
image URLs (``services.esign.page_access``), given once the disclosure is accepted.
"""

from __future__ import annotations

import dataclasses
import hmac

import reflex as rx

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.core.errors import DomainError, PermissionDenied
from fluxent.services.esign import completion, page_access, signing
from fluxent.services.esign.signing import Access, Requester
from fluxent.state.link_token import path_token
from fluxent.state.requester import requester
from fluxent.state.session import error_messages, signed_in

FIELD_TITLES = {
    "signature": "Signature",
    "initials": "Initials",
    "date": "Date (filled in when you sign)",
    "text": "Text",
    "checkbox": "Checkbox",
}


@dataclasses.dataclass
class SignField:
    id: int
    kind: str
    page: int
    page_label: str
    left: str
    top: str
    width: str
    height: str
    title: str
    value: str
    required: bool
    checked: bool


@dataclasses.dataclass
class SignPage:
    number: int
    image: str
    label: str


def _percent(value: float) -> str:
    return f"{value * 100:.3f}%"


class SigningState(rx.State):
    # loading | invalid | code | consent | sign | done | declined
    step: str = "loading"
    problem: str = ""
    code_sent: bool = False
    code_error: str = ""
    title: str = ""
    organization: str = ""
    message: str = ""
    signer_name: str = ""
    signer_email: str = ""
    fields: list[SignField] = []
    pages: list[SignPage] = []
    mode: str = "drawn"
    typed_name: str = ""
    drawn: str = ""
    intent: bool = False
    sign_error: str = ""
    declining: bool = False
    decline_error: str = ""
    busy: bool = False
    _token: str = ""
    _method: str = ""

    def _access(self) -> Access:
        return Access(token=self._token, method=self._method)

    def _requester(self) -> Requester:
        return Requester(**requester(self.router))

    def _reset(self) -> None:
        self.step, self.problem, self.code_sent, self.code_error = "loading", "", False, ""
        self.title = self.organization = self.message = self.signer_name = self.signer_email = ""
        self.fields, self.pages = [], []
        self.mode, self.typed_name, self.drawn, self.intent = "drawn", "", "", False
        self.sign_error = self.decline_error = ""
        self.declining = self.busy = False
        self._token = self._method = ""

    def keep_only_on_own_page(self, path: str) -> None:
        """Forget the signer unless the event comes from their own ``/sign/<token>`` page.

        The tab's client token outlives the tab and can reach other hands (a proxy log, a
        shared machine); whoever connects with it would otherwise get this state, the
        signer's fields and proof of the code included. The link token in the page's
        path is the second secret they must also hold.
        """
        if self._token and not hmac.compare_digest(
            path.rstrip("/").encode(), routes.with_token(routes.SIGN, self._token).rstrip("/").encode()
        ):
            self._reset()

    def _fail(self, error: DomainError) -> None:
        self.step, self.problem = "invalid", error.message

    def _show(self, view: signing.SigningView) -> None:
        self.title, self.organization, self.message = view.title, view.organization, view.message
        self.signer_name, self.signer_email = view.signer_name, view.signer_email
        self.fields = [
            SignField(
                id=field.id,
                kind=field.kind,
                page=field.page,
                page_label=f"page {field.page + 1}",
                left=_percent(field.x),
                top=_percent(field.y),
                width=_percent(field.width),
                height=_percent(field.height),
                title=field.label or FIELD_TITLES.get(field.kind, field.kind),
                value=field.value,
                required=field.required,
                checked=field.value == "true",
            )
            for field in view.fields
        ]
        if view.signature_kind == "typed":
            self.mode, self.typed_name = "typed", view.signature_text
        self.step = "sign" if view.consented else "consent"

    def _open(self) -> None:
        """After the code (or the portal session): the signer's view, and the document's pages
        once the disclosure is accepted."""
        with session_scope() as db:
            view = signing.view(db, access=self._access())
            self._show(view)
            if view.consented:
                self._show_pages(page_access.signer_pages(db, access=self._access()))

    def _show_pages(self, urls: list[str]) -> None:
        self.pages = [SignPage(number=number, image=url, label=f"Page {number + 1}") for number, url in enumerate(urls)]

    @rx.event
    def load(self) -> None:
        self._reset()
        self._token = path_token(self.router.url.path)
        try:
            with session_scope() as db:
                signing.open_link(db, token=self._token)
                found = signed_in(db, self.router.headers.cookie)
                if found is not None:
                    try:
                        access = signing.verify_session(
                            db, token=self._token, user=found[1], requester=self._requester()
                        )
                        self._method = access.method
                    except PermissionDenied:
                        pass
            if self._method:
                self._open()
            else:
                self.step = "code"
        except DomainError as error:
            self._fail(error)

    @rx.event
    def send_code(self) -> None:
        self.code_error = ""
        try:
            with session_scope() as db:
                signing.request_code(db, token=self._token, requester=self._requester())
            self.code_sent = True
        except DomainError as error:
            self.code_error = error_messages(error).get("form", error.message)

    @rx.event
    def submit_code(self, form_data: dict[str, str]) -> None:
        self.code_error = ""
        try:
            with session_scope() as db:
                access = signing.verify_code(
                    db, token=self._token, code=form_data.get("code", ""), requester=self._requester()
                )
            self._method = access.method
            self._open()
        except DomainError as error:
            self.code_error = error.fields.get("code") or error_messages(error).get("form", error.message)

    @rx.event
    def accept_disclosure(self) -> None:
        try:
            with session_scope() as db:
                signing.consent(db, access=self._access(), requester=self._requester())
                self._show_pages(page_access.signer_pages(db, access=self._access()))
            self.step = "sign"
        except DomainError as error:
            self._fail(error)

    def _fill(self, field_id: int, value: str) -> None:
        self.sign_error = ""
        try:
            with session_scope() as db:
                filled = signing.fill_field(
                    db, access=self._access(), field_id=field_id, value=value, requester=self._requester()
                )
            self.fields = [
                dataclasses.replace(field, value=filled.value, checked=filled.value == "true")
                if field.id == filled.id
                else field
                for field in self.fields
            ]
        except DomainError as error:
            self.sign_error = error_messages(error).get("form", error.message)

    @rx.event
    def fill_text(self, field_id: int, value: str) -> None:
        self._fill(field_id, value)

    @rx.event
    def tick(self, field_id: int, checked: bool) -> None:
        self._fill(field_id, "true" if checked else "")

    @rx.event
    def choose_mode(self, mode: str) -> None:
        self.mode = "typed" if mode == "typed" else "drawn"

    @rx.event
    def set_typed_name(self, value: str) -> None:
        self.typed_name = value

    @rx.event
    def drew(self, data_url: str) -> None:
        self.drawn = data_url

    @rx.event
    def set_intent(self, checked: bool) -> None:
        self.intent = checked

    @rx.event
    def finish(self) -> None:
        self.sign_error, self.busy = "", True
        access, who = self._access(), self._requester()
        try:
            with session_scope() as db:
                signing.adopt_signature(
                    db,
                    access=access,
                    kind=self.mode,
                    image=self.drawn,
                    text=self.typed_name,
                    requester=who,
                )
                finished = signing.finish(db, access=access, intent=self.intent, requester=who)
        except DomainError as error:
            self.busy = False
            self.sign_error = error_messages(error).get("form", error.message)
            return
        if finished.everyone_signed:
            completion.complete_stuck([finished.envelope_id])  # a failure is retried later
        self.busy, self.step, self.pages = False, "done", []

    @rx.event
    def toggle_decline(self) -> None:
        self.declining, self.decline_error = not self.declining, ""

    @rx.event
    def decline(self, form_data: dict[str, str]) -> None:
        self.decline_error = ""
        try:
            with session_scope() as db:
                signing.decline(
                    db, access=self._access(), reason=form_data.get("reason", ""), requester=self._requester()
                )
        except DomainError as error:
            self.decline_error = error_messages(error).get("form", error.message)
            return
        self.step, self.pages, self.declining = "declined", [], False
