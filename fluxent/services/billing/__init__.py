"""Billing: organizations' billing profiles and billing contacts, invoices (drafted by staff,
often from an accepted milestone; numbered and frozen when issued), the fixed-price ledger of
each engagement, card payment on Stripe's hosted Checkout page, Stripe's signed webhooks and
reconciliation, the invoice PDF, and receipt and reminder e-mails.

Who sees what (``access``): staff see everything; an organization's owners, and members an
owner marked as billing contacts, see its issued invoices and pay them.
"""
