"""Users: e-mail, username and text rules, creating accounts, staff profiles."""

from __future__ import annotations

import re
import unicodedata

from sqlmodel import Session, select

from fluxent.core.clock import now
from fluxent.core.errors import Conflict, ValidationFailed
from fluxent.core.passwords import hash_password
from fluxent.core.text import text_problem
from fluxent.models.accounts import Role, StaffProfile, User
from fluxent.services.audit import trail
from fluxent.services.auth import password_policy

MIN_PASSWORD_LENGTH = password_policy.MIN_LENGTH
MAX_PASSWORD_LENGTH = password_policy.MAX_LENGTH
_EMAIL_RE = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]{2,}$")
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")


# Names that would pass for the firm itself in mail, comments or the portal.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "staff",
        "support",
        "help",
        "fluxent",
        "security",
        "billing",
        "postmaster",
        "webmaster",
        "abuse",
        "noreply",
        "no-reply",
        "system",
        "api",
        "www",
        "mail",
    }
)
ERASED_EMAIL_DOMAIN = "erased.invalid"
ERASED_USERNAME_PREFIX = "erased-"


def normalize_email(email: str) -> str:
    value = unicodedata.normalize("NFKC", email).strip().lower()
    if len(value) > 254 or not _EMAIL_RE.match(value) or value.endswith("@" + ERASED_EMAIL_DOMAIN):
        raise ValidationFailed("Enter a valid e-mail address.", fields={"email": "Enter a valid e-mail address."})
    return value


def check_text(value: str, field: str) -> str:
    """``value`` trimmed; ValidationFailed naming ``field`` when it holds control or format characters."""
    if text_problem(value) or any(unicodedata.category(char) == "Cf" for char in value):
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
    if username in RESERVED_USERNAMES:
        raise ValidationFailed("This username is reserved.", fields={"username": "Reserved; choose another."})
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict("This username is taken.", fields={"username": "Already taken."})
    return username


def _free_username(session: Session, email: str) -> str:
    """A valid, unused username derived from the e-mail's local part."""
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0]).strip("._-")[:50]
    base = base if len(base) >= 3 else f"{base or 'user'}-user"
    base = base.removeprefix(ERASED_USERNAME_PREFIX) or "user"
    candidate, counter = base, 1
    while candidate in RESERVED_USERNAMES or session.exec(select(User).where(User.username == candidate)).first():
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
    trail.record(session, "accounts.user_created", actor=actor, target=user, meta={"role": user.role})
    return user


def set_staff_profile(session: Session, *, user: User, title: str, team: str, listed: bool = False) -> StaffProfile:
    profile = session.get(StaffProfile, user.id) or StaffProfile(user_id=user.id)
    profile.title, profile.team, profile.listed_on_team_page = title, team, listed
    session.add(profile)
    session.flush()
    return profile
