"""State for the public site's forms (contact, scope, newsletter), the newsletter
links and the Team page. Handlers parse the form, call one service, and show the answer."""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex_base.event import EventSpec

from fluxent.core.db import read_scope, session_scope
from fluxent.core.errors import RateLimited, ValidationFailed
from fluxent.models.marketing import LeadSource
from fluxent.services.marketing import leads, newsletter, spam, team
from fluxent.state.form_focus import first_error
from fluxent.state.formatting import LinkItem, link_item
from fluxent.state.requester import client_ip
from fluxent.state.session import initials


def _checked(form_data: dict, name: str) -> bool:
    return str(form_data.get(name, "")).lower() in ("on", "true", "yes", "1")


def _route_token(state: rx.State) -> str:
    """The ``[token]`` part of the current page's path."""
    token = state.router.page.params.get("token", "")
    if not token:
        token = state.router.page.raw_path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return str(token)[:200]


class LeadFormState(rx.State):
    """The contact form and the scope form (one at a time per tab)."""

    stamp: str = ""
    errors: dict[str, str] = {}
    form_error: str = ""
    sent: bool = False
    sent_name: str = ""
    sending: bool = False

    @rx.event
    def prepare(self) -> None:
        """``on_load``: a fresh form and a stamp saying when it was shown."""
        self.stamp = spam.new_stamp()
        self.errors = {}
        self.form_error = ""
        self.sent = False
        self.sending = False

    @rx.event
    def check_field(self, name: str, value: str, source: str) -> None:
        """On leaving a field: show or clear its message (an untouched empty field stays quiet)."""
        if not str(value).strip() and name not in self.errors:
            return
        error = leads.field_error(name, str(value), source=LeadSource(source))
        errors = {key: message for key, message in self.errors.items() if key != name}
        self.errors = {**errors, name: error} if error else errors

    @rx.event
    def submit_contact(self, form_data: dict) -> EventSpec | None:
        return self._submit(form_data, LeadSource.CONTACT)

    @rx.event
    def submit_scope(self, form_data: dict) -> EventSpec | None:
        return self._submit(form_data, LeadSource.SCOPE)

    def _submit(self, form_data: dict, source: LeadSource) -> EventSpec | None:
        """Send the lead; when refused, focus moves to the first field in error."""
        form = leads.LeadForm(
            name=str(form_data.get("name", "")),
            email=str(form_data.get("email", "")),
            phone=str(form_data.get("phone", "")),
            company=str(form_data.get("company", "")),
            country=str(form_data.get("country", "")),
            message=str(form_data.get("message", "")),
            audience=str(form_data.get("audience", "")),
            timeline=str(form_data.get("timeline", "")),
            budget=str(form_data.get("budget", "")),
            agree=_checked(form_data, "agree"),
            source=source,
            honeypot=str(form_data.get(spam.HONEYPOT_FIELD, "")),
            stamp=self.stamp,
        )
        try:
            with session_scope() as db:
                leads.submit(db, form, ip=client_ip(self.router))
        except ValidationFailed as error:
            self.errors = dict(error.fields)
            self.form_error = error.message
            return first_error(self.errors)
        except RateLimited as error:
            self.errors = {}
            self.form_error = error.message
            return None
        self.errors = {}
        self.form_error = ""
        self.sent_name = form.name.strip().split(" ")[0]
        self.sent = True
        return None


class NewsletterState(rx.State):
    """Sign-up (footer and page), confirmation and unsubscribe pages."""

    email_error: str = ""
    message: str = ""
    done: bool = False
    # Which sign-up form was sent (its hidden ``form`` field): only that one turns into the thank-you.
    sent_from: str = ""
    # An e-mailed link's page: "pending" until the person presses its button, then
    # "confirmed", "unsubscribed" or "invalid".
    link_status: str = "pending"

    @rx.event
    def subscribe(self, form_data: dict) -> None:
        try:
            with session_scope() as db:
                newsletter.subscribe(
                    db,
                    email=str(form_data.get("email", "")),
                    agree=True,  # the button's label and the statement beside it are the opt-in
                    ip=client_ip(self.router),
                    honeypot=str(form_data.get(spam.HONEYPOT_FIELD, "")),
                )
        except ValidationFailed as error:
            self.email_error = error.fields.get("email", error.message)
            return
        except RateLimited as error:
            self.email_error = error.message
            return
        self.email_error = ""
        self.done = True
        self.sent_from = str(form_data.get("form", ""))[:80]
        self.message = "Almost there: check your inbox and open the link to confirm."

    @rx.event
    def open_link(self) -> None:
        """``on_load`` of the confirm and unsubscribe pages: only shows the button.

        Mail scanners open links, some in a browser that runs the page's JavaScript; the
        token is used only when the person presses the button.
        """
        self.link_status = "pending"

    @rx.event
    def confirm(self) -> None:
        if self.link_status != "pending":  # a double click: the first press has answered
            return
        with session_scope() as db:
            confirmed = newsletter.confirm(db, token=_route_token(self))
        self.link_status = "confirmed" if confirmed else "invalid"

    @rx.event
    def unsubscribe(self) -> None:
        if self.link_status != "pending":
            return
        with session_scope() as db:
            removed = newsletter.unsubscribe(db, token=_route_token(self))
        self.link_status = "unsubscribed" if removed else "invalid"


@dataclasses.dataclass
class TeamCard:
    name: str
    title: str
    team: str
    initials: str
    bio: str
    links: list[LinkItem]
    photo_url: str


class TeamState(rx.State):
    members: list[TeamCard] = []
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        with read_scope() as db:
            self.members = [
                TeamCard(
                    m.name,
                    m.title,
                    m.team,
                    initials(m.name),
                    m.bio,
                    [link_item(link) for link in m.links],
                    m.photo_url,
                )
                for m in team.listed_team(db)
            ]
        self.loaded = True
