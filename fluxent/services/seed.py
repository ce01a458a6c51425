"""Demo data for development: one client organization, a client, a staff member and an admin.

Idempotent: running it again changes nothing. The sign-ins are listed in the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from fluxent.models.accounts import OrgRole, Role
from fluxent.services import accounts


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    role: Role
    name: str
    username: str


DEMO_ORGANIZATION = "Northwind Robotics"
DEMO_CLIENT = DemoUser("client@demo.fluxent.tech", "amber kettle drifts 2026", Role.CLIENT, "Dana Whitfield", "dana")
DEMO_STAFF = DemoUser("staff@demo.fluxent.tech", "velvet harbor compass 2026", Role.STAFF, "Priya Raman", "priya")
DEMO_ADMIN = DemoUser("admin@demo.fluxent.tech", "copper meadow lantern 2026", Role.ADMIN, "Marcus Cole", "marcus")
DEMO_USERS = (DEMO_CLIENT, DEMO_STAFF, DEMO_ADMIN)


def seed_demo(session: Session) -> list[str]:
    """Create what is missing; return a line per thing created."""
    created: list[str] = []
    users = {}
    for demo in DEMO_USERS:
        user = accounts.user_by_email(session, demo.email)
        if user is None:
            user = accounts.create_user(
                session,
                email=demo.email,
                password=demo.password,
                role=demo.role,
                name=demo.name,
                username=demo.username,
                company=DEMO_ORGANIZATION if demo.role is Role.CLIENT else "Fluxent Technologies, Inc.",
            )
            created.append(f"user {demo.email} ({demo.role})")
        users[demo.role] = user
    organization = accounts.get_or_create_organization(session, name=DEMO_ORGANIZATION)
    accounts.add_membership(session, user=users[Role.CLIENT], organization=organization, role=OrgRole.OWNER)
    accounts.set_staff_profile(
        session, user=users[Role.STAFF], title="Forward Deployed Engineer", team="Delivery", listed=True
    )
    accounts.set_staff_profile(
        session, user=users[Role.ADMIN], title="Head of Delivery", team="Leadership", listed=True
    )
    return created
