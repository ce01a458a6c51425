"""Amounts in minor units as people read them in e-mails and PDFs: ``USD 1,234.56``.

Every currency invoices use has two decimals (``invoices.CURRENCIES``).
"""

from __future__ import annotations


def format_money(amount_minor: int, currency: str) -> str:
    sign = "-" if amount_minor < 0 else ""
    major, minor = divmod(abs(amount_minor), 100)
    return f"{sign}{currency} {major:,}.{minor:02d}"
