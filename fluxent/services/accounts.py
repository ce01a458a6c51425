"""Users, organizations, memberships and staff profiles."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import bindparam
from sqlmodel import Session, select

from fluxent.core.clock import now
from fluxent.core.errors import Conflict, ValidationFailed
from fluxent.core.passwords import hash_password
from fluxent.models.accounts import Membership, Organization, OrgRole, Role, StaffProfile, User
from fluxent.services import audit, authz, password_policy

MIN_PASSWORD_LENGTH = password_policy.MIN_LENGTH
MAX_PASSWORD_LENGTH = password_policy.MAX_LENGTH
_EMAIL_RE = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]{2,}$")
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")


ERASED_EMAIL_DOMAIN = "erased.invalid"
ERASED_USERNAME_PREFIX = "erased-"


def normalize_email(email: str) -> str:
    value = unicodedata.normalize("NFKC", email).strip().lower()
    if len(value) > 254 or not _EMAIL_RE.match(value) or value.endswith("@" + ERASED_EMAIL_DOMAIN):
        raise ValidationFailed("Enter a valid e-mail address.", fields={"email": "Enter a valid e-mail address."})
    return value


def check_text(value: str, field: str) -> str:
    """``value`` trimmed; ValidationFailed naming ``field`` when it holds control characters."""
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in value):
        raise ValidationFailed("Remove the control characters.", fields={field: "Remove the control characters."})
    return value.strip()


def check_password_rules(password: str, *, name: str = "", email: str = "", company: str = "") -> None:
    """The password policy (``services.password_policy``), with the person's own details to refuse."""
    password_policy.check_password(password, name=name, email=email, company=company)


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:80] or "organization"


def check_username(session: Session, username: str) -> str:
    """``username`` lower-cased when it is well formed and free; ValidationFailed or Conflict otherwise."""
    username = username.strip().lower()
    if not _USERNAME_RE.match(username) or username.startswith(ERASED_USERNAME_PREFIX):
        message = "Usernames are 3-64 letters, digits, dots, dashes or underscores."
        raise ValidationFailed(message, fields={"username": message})
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict("This username is taken.", fields={"username": "Already taken."})
    return username


def _free_username(session: Session, email: str) -> str:
    """A valid, unused username derived from the e-mail's local part."""
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0]).strip("._-")[:50]
    base = base if len(base) >= 3 else f"{base or 'user'}-user"
    base = base.removeprefix(ERASED_USERNAME_PREFIX) or "user"
    candidate, counter = base, 1
    while session.exec(select(User).where(User.username == candidate)).first():
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate


def user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_user(
    session: Session,
    *,
    email: str,
    password: str | None,
    role: Role,
    name: str = "",
    username: str | None = None,
    company: str = "",
    actor: User | None = None,
) -> User:
    email = normalize_email(email)
    if user_by_email(session, email):
        raise Conflict("An account with this e-mail already exists.", fields={"email": "Already registered."})
    username = check_username(session, username) if username else _free_username(session, email)
    if password is not None:
        check_password_rules(password, name=name, email=email, company=company)
    user = User(
        email=email,
        username=username,
        name=check_text(name, "name"),
        company=check_text(company, "company"),
        role=Role(role),
        password_hash=hash_password(password) if password is not None else None,
        email_verified_at=now(),
    )
    session.add(user)
    session.flush()
    audit.record(session, "accounts.user_created", actor=actor, target=user, meta={"role": user.role})
    return user


def get_or_create_organization(session: Session, *, name: str, actor: User | None = None) -> Organization:
    name = check_text(name, "organization")
    if not name:
        raise ValidationFailed("Organization name is required.", fields={"organization": "Required."})
    slug = slugify(name)
    organization = session.exec(select(Organization).where(Organization.slug == slug)).first()
    if organization:
        return organization
    organization = Organization(name=name, slug=slug)
    session.add(organization)
    session.flush()
    audit.record(session, "accounts.organization_created", actor=actor, target=organization, organization=organization)
    return organization


def add_membership(
    session: Session, *, user: User, organization: Organization, role: OrgRole, actor: User | None = None
) -> Membership:
    existing = session.exec(
        select(Membership).where(Membership.user_id == user.id, Membership.organization_id == organization.id)
    ).first()
    if existing:
        return existing
    membership = Membership(user_id=user.id, organization_id=organization.id, role=OrgRole(role))
    session.add(membership)
    session.flush()
    audit.record(
        session, "accounts.member_added", actor=actor, target=user, organization=organization, meta={"org_role": membership.role}
    )
    return membership


def set_staff_profile(
    session: Session, *, user: User, title: str, team: str, listed: bool = False
) -> StaffProfile:
    profile = session.get(StaffProfile, user.id) or StaffProfile(user_id=user.id)
    profile.title, profile.team, profile.listed_on_team_page = title, team, listed
    session.add(profile)
    session.flush()
    return profile


# Built once (read on every portal page and API answer about a person); immutable.
_MEMBERSHIPS_OF = (
    select(Membership, Organization)
    .join(Organization, Organization.id == Membership.organization_id)
    .where(Membership.user_id == bindparam("user_id"))
    .order_by(Organization.name)
)


def memberships_of(session: Session, user: User) -> list[tuple[Membership, Organization]]:
    return list(session.exec(_MEMBERSHIPS_OF, params={"user_id": user.id}).all())


def owners_of(session: Session, organization: Organization) -> list[Membership]:
    return list(
        session.exec(
            select(Membership).where(
                Membership.organization_id == organization.id, Membership.role == OrgRole.OWNER
            )
        ).all()
    )


def all_organizations(session: Session, *, actor: User) -> list[Organization]:
    """Every client organization, by name: staff pick from it (PermissionDenied for anyone else)."""
    authz.require_staff(actor)
    return list(session.exec(select(Organization).order_by(Organization.name, Organization.id)).all())
