"""The accounts area's entries in the privacy registry: the account itself, memberships and staff
profiles (their export sections are in ``privacy.sections``)."""

from __future__ import annotations

from fluxent.services.accounts.users import ERASED_EMAIL_DOMAIN, ERASED_USERNAME_PREFIX
from fluxent.services.privacy import sections
from fluxent.services.privacy.policy import CONTACT, CREDENTIALS, RETENTION_ACCOUNTS, STAFF_PROFESSIONAL, LegalBasis
from fluxent.services.privacy.registry import Anonymize, Delete, Registry


def register_accounts(registry: Registry) -> None:
    registry.register(
        table="account_user",
        description="Your account: username, e-mail, name, phone, company, country, password hash",
        personal=(
            "username",
            "email",
            "name",
            "phone",
            "company",
            "country",
            "password_hash",
            "email_verified_at",
            "last_login_at",
        ),
        categories=(CONTACT, CREDENTIALS),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_ACCOUNTS,
        export=sections.PROFILE,
        # The row stays (other records point at it) with nothing left that identifies the person.
        erase=Anonymize(
            {
                "username": lambda ctx: f"{ERASED_USERNAME_PREFIX}{ctx.user_id}",
                "email": lambda ctx: f"{ERASED_USERNAME_PREFIX}{ctx.user_id}@{ERASED_EMAIL_DOMAIN}",
                "name": "",
                "phone": "",
                "company": "",
                "country": "",
                "password_hash": None,
                "last_login_at": None,
                "email_verified_at": None,
                "is_active": False,
                "erased_at": lambda ctx: ctx.moment,
                "updated_at": lambda ctx: ctx.moment,
            }
        ),
        owner=("id",),
    )

    registry.register(
        table="account_membership",
        description="The organizations (companies) you belong to, and your role in each",
        personal=("user_id",),
        categories=(CONTACT,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_ACCOUNTS,
        export=sections.MEMBERSHIPS,
        erase=Delete(),
    )

    registry.register(
        table="account_staff_profile",
        description="Staff title, team, Team-page bio, links and photo",
        personal=(
            "user_id",
            "title",
            "team",
            "listed_on_team_page",
            "bio",
            "links",
            "photo_key",
            "photo_updated_at",
        ),
        categories=(STAFF_PROFESSIONAL,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_ACCOUNTS,
        export=sections.STAFF_PROFILE,
        erase=Delete(apply=sections.erase_staff_profile),
    )

    registry.standing_section(sections.CONSENTS)

    registry.exempt(
        table="account_organization",
        reason="Client companies (name, slug) are business records, not data about a person; "
        "who belongs to them is registered under account_membership.",
    )
