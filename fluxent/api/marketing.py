"""Public marketing routes: leads, newsletter sign-up and one-click unsubscribe.

No sign-in. Sign-up routes must come from the site's own origin and are
throttled per IP address by the services they call; the unsubscribe route is the
RFC 8058 one-click target that mail providers post to, authorized by its token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Response
from pydantic import BaseModel, Field

from fluxent.api.csrf import require_site_origin
from fluxent.api.identity import DB, ClientInfo
from fluxent.api.inputs import RequestBody
from fluxent.api.routing import APIRouter
from fluxent.core.errors import NotFound
from fluxent.models.marketing import LeadSource
from fluxent.services.marketing import leads, newsletter, spam

router = APIRouter(tags=["marketing"])
SITE_ORIGIN = Depends(require_site_origin)


class StampOut(BaseModel):
    stamp: str


class LeadIn(RequestBody):
    name: str = Field(default="", max_length=400)
    email: str = Field(default="", max_length=400)
    phone: str = Field(default="", max_length=100)
    company: str = Field(default="", max_length=400)
    country: str = Field(default="", max_length=200)
    message: str = Field(default="", max_length=10_000)
    audience: str = Field(default="", max_length=2000)
    timeline: str = Field(default="", max_length=100)
    budget: str = Field(default="", max_length=100)
    scope: bool = False
    agree: bool = False
    website: str = Field(default="", max_length=400, description="Honeypot: leave empty.")
    stamp: str = Field(default="", max_length=200, description="From GET /api/v1/forms/stamp/ when the form is shown.")


class Accepted(BaseModel):
    status: str = "accepted"


class SubscribeIn(RequestBody):
    email: str = Field(default="", max_length=400)
    agree: bool = False
    website: str = Field(default="", max_length=400, description="Honeypot: leave empty.")


@router.get("/forms/stamp/", response_model=StampOut)
def form_stamp(response: Response) -> StampOut:
    """A signed "form opened at" stamp; a lead sent sooner than a few seconds later is refused."""
    response.headers["Cache-Control"] = "no-store"
    return StampOut(stamp=spam.new_stamp())


@router.post("/leads/", status_code=202, response_model=Accepted, dependencies=[SITE_ORIGIN])
def create_lead(body: LeadIn, db: DB, client: ClientInfo) -> Accepted:
    form = leads.LeadForm(
        name=body.name,
        email=body.email,
        phone=body.phone,
        company=body.company,
        country=body.country,
        message=body.message,
        audience=body.audience,
        timeline=body.timeline,
        budget=body.budget,
        agree=body.agree,
        source=LeadSource.SCOPE if body.scope else LeadSource.CONTACT,
        honeypot=body.website,
        stamp=body.stamp,
    )
    leads.submit(db, form, ip=client.ip)
    return Accepted()


@router.post("/newsletter/subscribe/", status_code=202, response_model=Accepted, dependencies=[SITE_ORIGIN])
def subscribe(body: SubscribeIn, db: DB, client: ClientInfo) -> Accepted:
    """Always the same answer for a valid address: check your inbox to confirm."""
    newsletter.subscribe(db, email=body.email, agree=body.agree, ip=client.ip, honeypot=body.website)
    return Accepted()


@router.post("/newsletter/unsubscribe/{token}/", status_code=200, response_model=Accepted)
def one_click_unsubscribe(
    token: str, db: DB, one_click: Annotated[str, Form(alias="List-Unsubscribe", max_length=40)] = ""
) -> Accepted:
    if not newsletter.unsubscribe(db, token=token[:100]):
        raise NotFound("This unsubscribe link is not valid, or the address is already unsubscribed.")
    return Accepted(status="unsubscribed")
