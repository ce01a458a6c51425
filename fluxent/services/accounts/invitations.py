"""Invitations: people invited by e-mail into the portal or into one organization.

Staff invite clients; only admins invite staff; an organization's owners invite
colleagues into their own organization as members (never as owners or staff). The
link opens ``/invite/<token>``, which shows the invitation before anything is used
up. Accepting creates the account and signs in, or, for an existing account already
signed in as itself, adds the membership and keeps its session. Pending invitations
of an organization can be listed, sent again and revoked by staff and its owners.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.models.accounts import Organization, OrgRole, Role, User
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.routes import ADMIN_STAFF, admin_organization
from fluxent.services.accounts import authz, organizations, users
from fluxent.services.accounts.organizations import get_organization
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import emails, one_time
from fluxent.services.auth.sign_in import SignIn, can_sign_in, check_ip, finish_sign_in, mark_verified, refuse_token
from fluxent.services.notifications import Kind, notify

MAX_PENDING = 25  # pending invitations an owner may have out for one organization at a time
BAD_INVITATION = "This invitation is invalid, used or expired. Ask for a new one."
SIGN_IN_FIRST = "This invitation is for an existing account: sign in to it first, then open the invitation again."


def invite(
    session: Session,
    *,
    actor: User,
    email: str,
    organization: Organization | int | None = None,
    org_role: OrgRole | str = OrgRole.MEMBER,
    role: Role | str = Role.CLIENT,
    title: str = "",
    team: str = "",
    clock: Clock = now,
) -> OneTimeToken:
    """E-mail an invitation to ``/invite/<token>``. Staff invite clients; only admins invite staff."""
    authz.require_staff(actor)
    role = _choice(Role, role, "role", allowed=(Role.CLIENT, Role.STAFF))
    org_role = _choice(OrgRole, org_role, "org_role")
    if role == Role.STAFF:
        authz.require_admin(actor)
    org = session.get(Organization, organization) if isinstance(organization, int) else organization
    if organization is not None and (org is None or org.id is None):
        raise NotFound("No such organization.")
    payload = {
        "role": role.value,
        "org_role": org_role.value,
        "title": users.check_text(title, "title")[:120],
        "team": users.check_text(team, "team")[:120],
    }
    return _send(session, actor=actor, email=email, organization=org, payload=payload, clock=clock)


def _send(
    session: Session,
    *,
    actor: User,
    email: str,
    organization: Organization | None,
    payload: dict[str, str],
    clock: Clock,
) -> OneTimeToken:
    """Issue the link (revoking an older one to the same address and organization), audit and e-mail it."""
    org, role, org_role = organization, payload["role"], payload["org_role"]
    payload = {**payload, "invited_by": actor.id}
    address = users.normalize_email(email)
    if org is not None and address in {
        member.email for member in organizations.members_of(session, actor=actor, organization_id=org.id)
    }:
        raise Conflict("This person is already a member of the organization.", fields={"email": "Already a member."})
    existing = users.user_by_email(session, address)
    row, token = one_time.issue_link(
        session,
        purpose=TokenPurpose.INVITATION,
        email=address,
        user_id=existing.id if existing else None,
        organization_id=org.id if org else None,
        payload=payload,
        clock=clock,
    )
    trail.record(
        session,
        "auth.invitation_sent",
        actor=actor,
        target=row,
        organization=org,
        meta={"role": role, "org_role": org_role},
        pii=Personal(email=address),
        clock=clock,
    )
    days = one_time.TIME_TO_LIVE[TokenPurpose.INVITATION].days
    emails.send_invitation(
        session, address, token, inviter=actor.name or "Fluxent", organization=org.name if org else None, days=days
    )
    return row


def describe_invitation(
    session: Session, *, token: str, viewer: User | None = None, clock: Clock = now
) -> dict[str, object] | None:
    """What the invitation page shows before it is accepted (nothing is used up), or None.

    ``viewer``: who is signed in where the page is open; ``needs_sign_in`` says an
    existing account must sign in (as itself) before accepting.
    """
    row = one_time.find_link(session, purpose=TokenPurpose.INVITATION, token=token, clock=clock)
    if row is None:
        return None
    payload = one_time.payload_of(row)
    org = session.get(Organization, row.organization_id) if row.organization_id else None
    inviter = session.get(User, payload["invited_by"]) if payload.get("invited_by") else None
    existing = users.user_by_email(session, row.email)
    return {
        "email": row.email,
        "inviter": (inviter.name or "Fluxent") if inviter else "Fluxent",
        "organization": org.name if org else None,
        "role": payload.get("role", Role.CLIENT.value),
        "has_account": existing is not None,
        "needs_sign_in": existing is not None and (viewer is None or viewer.id != existing.id),
        "expires_at": row.expires_at,
    }


def accept_invitation(
    session: Session,
    *,
    token: str,
    name: str,
    password: str,
    ip: str,
    user_agent: str,
    signed_in_as: User | None = None,
    clock: Clock = now,
) -> SignIn | None:
    """Create the account and sign in; or add the membership to an existing account.

    An invitation never signs into an existing account: that account must already be
    signed in (``signed_in_as``), and its session carries on (returns None). It keeps
    its name and password; the ones given here are ignored. A password the policy
    refuses, or a missing sign-in, leaves the invitation usable.
    """
    pii = Personal(ip=ip, user_agent=user_agent)
    check_ip(session, ip=ip, method="invitation", pii=pii, clock=clock)
    row = one_time.find_link(session, purpose=TokenPurpose.INVITATION, token=token, clock=clock)
    if row is None:
        refuse_token(session, method="invitation", ip=ip, pii=pii, message=BAD_INVITATION, clock=clock)
    payload = one_time.payload_of(row)
    role = Role(payload.get("role", Role.CLIENT.value))
    inviter = payload.get("invited_by")
    org = session.get(Organization, row.organization_id) if row.organization_id else None
    user = users.user_by_email(session, row.email)
    existed = user is not None
    if user is None:
        if not name.strip():
            raise ValidationFailed("Enter your name.", fields={"name": "Enter your name."})
        user = users.create_user(
            session,
            email=row.email,
            password=password,
            role=role,
            name=name[:200],
            company=org.name if org else "",
            actor=inviter,
        )
    elif not can_sign_in(user):
        raise PermissionDenied("This account is deactivated. Contact your Fluxent contact.")
    elif signed_in_as is None or signed_in_as.id != user.id:
        raise PermissionDenied(SIGN_IN_FIRST)
    elif role == Role.STAFF and user.role == Role.CLIENT:
        user.role = Role.STAFF
        session.add(user)
    if role == Role.STAFF:
        users.set_staff_profile(session, user=user, title=payload.get("title", ""), team=payload.get("team", ""))
    if org is not None:
        organizations.add_membership(
            session,
            user=user,
            organization=org,
            role=OrgRole(payload.get("org_role", OrgRole.MEMBER.value)),
            actor=inviter,
        )
    one_time.mark_used(session, row, clock=clock)
    if inviter:
        where = f" to {org.name}" if org else ""
        link = admin_organization(org.id) if org else ADMIN_STAFF
        notify(
            session,
            inviter,
            Kind.INVITATION_ACCEPTED,
            f"{user.name or user.email} accepted your invitation{where}",
            link,
            clock=clock,
        )
    trail.record(
        session,
        "auth.invitation_accepted",
        actor=user,
        target=user,
        organization=org,
        meta={"role": role.value},
        pii=Personal(ip=ip, user_agent=user_agent, email=user.email),
    )
    if existed:
        return None
    mark_verified(session, user, clock)
    return finish_sign_in(session, user, method="invitation", ip=ip, user_agent=user_agent, clock=clock)


def invite_member(
    session: Session, *, actor: User, organization_id: int, email: str, org_role: OrgRole | str, clock: Clock = now
) -> OneTimeToken:
    """E-mail an invitation to join the organization: staff invite owners or members; its owners
    invite members only (another organization is NotFound, a member who is not an owner is refused)."""
    _require_invitation_manager(session, actor, organization_id)
    if authz.is_staff(actor):
        return invite(session, actor=actor, email=email, organization=organization_id, org_role=org_role, clock=clock)
    if _choice(OrgRole, org_role, "org_role") != OrgRole.MEMBER:
        raise PermissionDenied("Owners invite colleagues as members; ask your Fluxent contact to add an owner.")
    if len(pending_invitations(session, actor=actor, organization_id=organization_id, clock=clock)) >= MAX_PENDING:
        raise Conflict(f"This organization has {MAX_PENDING} pending invitations: revoke some before sending more.")
    payload = {"role": Role.CLIENT.value, "org_role": OrgRole.MEMBER.value, "title": "", "team": ""}
    organization = session.get(Organization, organization_id)
    return _send(session, actor=actor, email=email, organization=organization, payload=payload, clock=clock)


def resend_invitation(
    session: Session, *, actor: User, organization_id: int, invitation_id: int, clock: Clock = now
) -> OneTimeToken:
    """A new link for a pending invitation, with its seven days again; the old link stops working."""
    invitation = _pending(session, actor, organization_id, invitation_id, clock)
    payload = {key: str(value) for key, value in one_time.payload_of(invitation).items() if key != "invited_by"}
    organization = session.get(Organization, organization_id)
    return _send(session, actor=actor, email=invitation.email, organization=organization, payload=payload, clock=clock)


def pending_invitations(
    session: Session, *, actor: User, organization_id: int, clock: Clock = now
) -> list[OneTimeToken]:
    """Invitations to the organization not yet accepted, revoked or expired, newest first (staff and its owners)."""
    _require_invitation_manager(session, actor, organization_id)
    return one_time.pending_invitations(session, organization_id=organization_id, clock=clock)


def _require_invitation_manager(session: Session, actor: User, organization_id: int) -> None:
    """Staff, or an owner of the organization; NotFound for outsiders, PermissionDenied for its other members."""
    authz.require_org_owner(session, actor, organization_id, allow_staff=True)
    get_organization(session, actor=actor, organization_id=organization_id)


def invitation_role(invitation: OneTimeToken) -> str:
    return str(one_time.payload_of(invitation).get("org_role", OrgRole.MEMBER.value))


@dataclass(frozen=True)
class PendingInvitation:
    """A pending invitation as the console and the API list it."""

    id: int
    email: str
    org_role: str  # the organization role it grants ("" for a staff invitation)
    created_at: datetime
    expires_at: datetime


def pending_row(invitation: OneTimeToken) -> PendingInvitation:
    org_role = invitation_role(invitation) if invitation.organization_id is not None else ""
    return PendingInvitation(invitation.id, invitation.email, org_role, invitation.created_at, invitation.expires_at)


def pending_rows(session: Session, *, actor: User, organization_id: int, clock: Clock = now) -> list[PendingInvitation]:
    """``pending_invitations`` as rows (staff and the organization's owners)."""
    return [
        pending_row(row)
        for row in pending_invitations(session, actor=actor, organization_id=organization_id, clock=clock)
    ]


def revoke_invitation(
    session: Session, *, actor: User, organization_id: int, invitation_id: int, clock: Clock = now
) -> OneTimeToken:
    """Withdraw a pending invitation: its link stops working at once."""
    invitation = _pending(session, actor, organization_id, invitation_id, clock)
    one_time.revoke(session, invitation, clock=clock)
    trail.record(
        session,
        "auth.invitation_revoked",
        actor=actor,
        target=invitation,
        organization=organization_id,
        clock=clock,
    )
    return invitation


def _pending(session: Session, actor: User, organization_id: int, invitation_id: int, clock: Clock) -> OneTimeToken:
    pending = {
        row.id: row for row in pending_invitations(session, actor=actor, organization_id=organization_id, clock=clock)
    }
    invitation = pending.get(invitation_id)
    if invitation is None:
        raise NotFound("No such pending invitation.")
    return invitation


def _choice(kind, value, field: str, *, allowed=None):
    try:
        chosen = kind(value)
    except ValueError:
        chosen = None
    if chosen is None or (allowed is not None and chosen not in allowed):
        raise ValidationFailed(f"Unknown {field.replace('_', ' ')}.", fields={field: "Unknown value."})
    return chosen
