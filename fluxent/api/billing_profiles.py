"""``/api/v1/organizations/<id>/billing/``: the billing profile and billing contacts.

Owners read and change it; billing contacts and staff read it (``services.billing.profiles``).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fluxent import routes
from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.routing import APIRouter, api_path
from fluxent.models.billing import BillingProfile
from fluxent.services.billing import profiles

router = APIRouter(tags=["billing"])
PATH = api_path(routes.API_ORGANIZATION_BILLING)


class ProfileIn(RequestBody):
    billing_email: str = Field(max_length=254)
    legal_name: str = Field(max_length=200)
    address: str = Field(default="", max_length=profiles.MAX_ADDRESS)
    tax_id: str = Field(default="", max_length=64)
    billing_contact_ids: list[Id] = Field(default_factory=list, max_length=100)


def profile_json(db, profile: BillingProfile) -> dict[str, Any]:
    return {
        "organization_id": profile.organization_id,
        "billing_email": profile.billing_email,
        "legal_name": profile.legal_name,
        "address": profile.address,
        "tax_id": profile.tax_id,
        "billing_contact_ids": profiles.contact_ids(db, profile.organization_id),
        "has_payment_customer": bool(profile.stripe_customer_id),
    }


@router.get(PATH)
def get_billing_profile(organization_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return profile_json(db, profiles.get_profile(db, actor=caller.user, organization_id=organization_id))


@router.patch(PATH, dependencies=[CSRF])
def update_billing_profile(organization_id: Id, body: ProfileIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    details = profiles.ProfileInput(**{**body.model_dump(), "billing_contact_ids": tuple(body.billing_contact_ids)})
    profile = profiles.update_profile(db, actor=caller.user, organization_id=organization_id, details=details)
    return profile_json(db, profile)
