"""Staff single sign-on through the company's OpenID Connect provider.

Authorization code flow with PKCE. :func:`start` keeps the flow's secrets (nonce,
PKCE verifier, where to go afterwards) on the server as a one-time token whose raw
value is the ``state`` sent to the provider; the token is bound to the browser by a
keyed hash of its ``csrftoken`` cookie (the only cookie a signed-out browser has), so
a callback address carried into another browser signs nobody in. :func:`complete`
uses the state up first and commits, so a replayed callback is refused at once and
no database lock is held while the provider is asked; then it exchanges the code,
validates the id token (signature against the provider's JWKS, issuer, audience,
expiry, nonce) and signs the person in through ``sign_in.finish_sign_in``.

Only people of ``FLUXENT_OIDC_STAFF_DOMAINS`` get in, and only as staff or admins:
a first sign-in creates a ``staff`` account (admins promote), a client account is
refused. Every failure is audited as ``auth.login_failed`` with method ``sso``.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any, NoReturn

import httpx
import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlmodel import Session

from fluxent import routes
from fluxent.core.clock import Clock, now
from fluxent.core.errors import DomainError, NotAuthenticated, NotFound
from fluxent.core.settings import get_settings
from fluxent.core.tokens import token_hash
from fluxent.models.accounts import Role, User
from fluxent.models.auth import TokenPurpose
from fluxent.services.accounts import users
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import one_time, sign_in, throttle
from fluxent.services.auth.sign_in import SignIn

SSO_FAILED = "Signing in with your company account did not work. Try again, or ask an administrator."
NOT_CONFIGURED = "Single sign-on is not set up on this site."
SCOPE = "openid email profile"
# Asymmetric signatures only: an HS256 token would be "signed" with our own client secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
CLOCK_SKEW_SECONDS = 60
PROVIDER_TIMEOUT_SECONDS = 10
# Discovery documents and signing keys are fetched again after this long (and at once
# when a token names a key we do not have: the provider rotated its keys).
PROVIDER_CACHE_SECONDS = 3600
_MAX_CODE_LENGTH = 2048
_BROWSER_PURPOSE = "sso-browser"


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    keys: KeySet


def is_configured() -> bool:
    return get_settings().sso_configured


def start(session: Session, *, browser_key: str, next_path: str, ip: str, user_agent: str, clock: Clock = now) -> str:
    """The provider's authorization URL for a new sign-in; ``browser_key`` is the browser's ``csrftoken``."""
    if not is_configured():
        raise NotFound(NOT_CONFIGURED)
    pii = Personal(ip=ip, user_agent=user_agent)
    try:
        throttle.check(session, (throttle.SSO_IP, ip), clock=clock)
    except DomainError as refused:
        trail.record(session, "auth.login_failed", meta={"method": sign_in.SSO_METHOD, "reason": "throttled"}, pii=pii)
        session.commit()
        raise refused from None
    # Before the first write: a provider slow to answer must not hold the database's write lock.
    provider = _provider_or_refuse(session, ip=ip, pii=pii, clock=clock)
    throttle.record(session, throttle.SSO_IP, ip, clock=clock)
    nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    payload = {"nonce": nonce, "verifier": verifier, "next": next_path, "browser": _browser_hash(browser_key)}
    _, state = one_time.issue_link(session, purpose=TokenPurpose.SSO_STATE, email="", payload=payload, clock=clock)
    with _client() as client:
        url, _ = client.create_authorization_url(
            provider.authorization_endpoint, state=state, code_verifier=verifier, nonce=nonce
        )
    trail.record(session, "auth.sso_started", meta={"issuer": provider.issuer}, pii=pii)
    return url


def complete(
    session: Session,
    *,
    state: str,
    code: str,
    error: str,
    browser_key: str,
    ip: str,
    user_agent: str,
    clock: Clock = now,
) -> tuple[SignIn, str]:
    """Sign in from the provider's answer; returns the sign-in and the path to go to."""
    pii = Personal(ip=ip, user_agent=user_agent)
    sign_in.check_ip(session, ip=ip, method=sign_in.SSO_METHOD, pii=pii, clock=clock)
    row = one_time.redeem_link(session, purpose=TokenPurpose.SSO_STATE, token=state, clock=clock)
    flow: dict[str, Any] = json.loads(row.payload) if row is not None else {}
    if row is None or not hmac.compare_digest(str(flow.get("browser", "")), _browser_hash(browser_key)):
        _refuse(session, "bad_state", ip=ip, pii=pii, clock=clock)
    if error or not code or len(code) > _MAX_CODE_LENGTH:
        _refuse(session, "provider_refused", ip=ip, pii=pii, clock=clock)
    # The state is used up for good; nothing stays locked while the provider answers.
    session.commit()
    provider = _provider_or_refuse(session, ip=ip, pii=pii, clock=clock)
    try:
        with _client() as client:
            tokens = client.fetch_token(
                provider.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=flow["verifier"],
            )
    except (requests.RequestException, OAuthError, ValueError):
        _refuse(session, "code_rejected", ip=ip, pii=pii, clock=clock)
    try:
        claims = validate_id_token(
            str(tokens.get("id_token") or ""), provider=provider, nonce=flow["nonce"], clock=clock
        )
    except (JoseError, ValueError):
        _refuse(session, "token_invalid", ip=ip, pii=pii, clock=clock)
    user = _staff_account(session, claims, ip=ip, pii=pii, clock=clock)
    signed_in = sign_in.finish_sign_in(
        session, user, method=sign_in.SSO_METHOD, ip=ip, user_agent=user_agent, clock=clock
    )
    return signed_in, str(flow.get("next") or "")


def validate_id_token(id_token: str, *, provider: Provider, nonce: str, clock: Clock = now) -> dict[str, Any]:
    """The id token's claims once its signature, issuer, audience, expiry and nonce hold."""
    try:
        token = jwt.decode(id_token, provider.keys, algorithms=list(ALGORITHMS))
    except JoseError:
        # A key we have not seen: the provider may have rotated its keys since we fetched them.
        token = jwt.decode(id_token, _fetch_provider(provider.issuer).keys, algorithms=list(ALGORITHMS))
    client_id = get_settings().oidc_client_id
    registry = jwt.JWTClaimsRegistry(
        now=int(clock().timestamp()),
        leeway=CLOCK_SKEW_SECONDS,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    registry.validate(token.claims)
    audiences = token.claims["aud"]
    if isinstance(audiences, list) and len(audiences) > 1 and token.claims.get("azp") != client_id:
        raise ValueError("a token for several audiences must name this site as its authorized party")
    return dict(token.claims)


def _staff_account(session: Session, claims: dict[str, Any], *, ip: str, pii: Personal, clock: Clock) -> User:
    """The staff account of the provider's person; a first sign-in creates it with role ``staff``."""
    raw_email = claims.get("email")
    if not isinstance(raw_email, str) or claims.get("email_verified") is False:
        _refuse(session, "no_verified_email", ip=ip, pii=pii, clock=clock)
    try:
        email = users.normalize_email(raw_email)
    except DomainError:
        _refuse(session, "no_verified_email", ip=ip, pii=pii, clock=clock)
    pii = Personal(ip=ip, user_agent=pii.user_agent, email=email)
    if email.rsplit("@", 1)[1] not in get_settings().staff_domains:
        _refuse(session, "domain_not_allowed", ip=ip, pii=pii, clock=clock)
    user = users.user_by_email(session, email)
    if user is None:
        name = claims.get("name")
        try:
            user = users.create_user(
                session, email=email, password=None, role=Role.STAFF, name=name[:200] if isinstance(name, str) else ""
            )
        except DomainError:
            _refuse(session, "account_not_created", ip=ip, pii=pii, clock=clock)
        trail.record(session, "auth.sso_account_created", actor=user, target=user, meta={"role": Role.STAFF}, pii=pii)
    if not sign_in.can_sign_in(user):
        _refuse(session, "account_disabled", ip=ip, pii=pii, clock=clock, target=user)
    if user.role not in (Role.STAFF, Role.ADMIN):
        _refuse(session, "not_staff", ip=ip, pii=pii, clock=clock, target=user)
    return user


def _refuse(
    session: Session, reason: str, *, ip: str, pii: Personal, clock: Clock, target: User | None = None
) -> NoReturn:
    """Audit a failed single sign-on (counted against the IP address) and refuse it; the state stays used up."""
    throttle.record(session, throttle.IP, ip, clock=clock)
    trail.record(
        session, "auth.login_failed", target=target, meta={"method": sign_in.SSO_METHOD, "reason": reason}, pii=pii
    )
    session.commit()
    raise NotAuthenticated(SSO_FAILED)


def _browser_hash(browser_key: str) -> str:
    return token_hash(browser_key or "", purpose=_BROWSER_PURPOSE)


def _client() -> OAuth2Session:
    settings = get_settings()
    return OAuth2Session(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        scope=SCOPE,
        redirect_uri=settings.backend_url + routes.API_SSO_CALLBACK,
        code_challenge_method="S256",
        default_timeout=PROVIDER_TIMEOUT_SECONDS,
    )


# The provider's discovery document and keys, per process ---------------------------

_cache: dict[str, tuple[float, Provider]] = {}
_cache_lock = threading.Lock()


def _provider_or_refuse(session: Session, *, ip: str, pii: Personal, clock: Clock) -> Provider:
    try:
        return _provider(get_settings().oidc_issuer)
    except (httpx.HTTPError, JoseError, KeyError, TypeError, ValueError):
        _refuse(session, "provider_unreachable", ip=ip, pii=pii, clock=clock)


def _provider(issuer: str) -> Provider:
    with _cache_lock:
        cached = _cache.get(issuer)
    if cached is not None and time.monotonic() - cached[0] < PROVIDER_CACHE_SECONDS:
        return cached[1]
    return _fetch_provider(issuer)


def _fetch_provider(issuer: str) -> Provider:
    """Discovery (OpenID Connect Discovery 1.0) and the signing keys; the document must name ``issuer``."""
    with httpx.Client(timeout=PROVIDER_TIMEOUT_SECONDS) as http:
        found = http.get(f"{issuer}/.well-known/openid-configuration").raise_for_status().json()
        if found["issuer"].rstrip("/") != issuer:
            raise ValueError("the discovery document names another issuer")
        keys = KeySet.import_key_set(http.get(found["jwks_uri"]).raise_for_status().json())
    provider = Provider(
        issuer=issuer,
        authorization_endpoint=found["authorization_endpoint"],
        token_endpoint=found["token_endpoint"],
        keys=keys,
    )
    with _cache_lock:
        _cache[issuer] = (time.monotonic(), provider)
    return provider
