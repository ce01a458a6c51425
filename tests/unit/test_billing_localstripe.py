"""The Stripe customer of an organization, created against localstripe over real HTTP."""

from __future__ import annotations

import pytest
import stripe

from fluxent.services.billing import payments, stripe_gateway
from fluxent.services.billing.profiles import profile_of
from tests.support.billing import STRIPE_KEY, issued_invoice


def test_the_customer_is_created_with_the_organization_on_it(session, world, localstripe):
    issued_invoice(session, world)
    api = stripe_gateway.client()
    profile = profile_of(session, world.org_a)
    customer_id = payments.customer_for(api, profile, "Northwind Robotics, Inc.")
    assert customer_id.startswith("cus_")
    remote = stripe.StripeClient(STRIPE_KEY, base_addresses={"api": localstripe}).v1.customers.retrieve(customer_id)
    assert (remote.email, remote.metadata["organization_id"]) == ("ap@northwind.test", str(world.org_a))


def test_checkout_is_not_something_localstripe_serves(session, world, localstripe):
    """Why the stand-in exists: localstripe answers Checkout Sessions with an error."""
    issued_invoice(session, world)
    with pytest.raises(stripe_gateway.PaymentsUnavailable):
        stripe_gateway.create_checkout_session(stripe_gateway.client(), {"mode": "payment"}, key="k")
