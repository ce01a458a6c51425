"""The id token check on its own, with tokens a provider never issued: signed by another
key, "signed" with the client secret (HS256), or not signed at all."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime

import pytest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OctKey, RSAKey

from fluxent.core.settings import reset_settings
from fluxent.services.auth import sso

ISSUER = "https://id.fluxent.test"
CLIENT_ID = "fluxent-portal"
SECRET = "provider-given-secret-" + "x" * 20


@pytest.fixture
def provider(monkeypatch):
    monkeypatch.setenv("FLUXENT_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("FLUXENT_OIDC_CLIENT_SECRET", SECRET)
    reset_settings()
    key = RSAKey.generate_key(2048, parameters={"kid": "provider-key"})
    public = KeySet([RSAKey.import_key(key.as_dict(private=False))])
    endpoint = ISSUER + "/x"
    return key, sso.Provider(issuer=ISSUER, authorization_endpoint=endpoint, token_endpoint=endpoint, keys=public)


def _claims(**changes):
    moment = int(time.time())
    return {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "noor",
        "iat": moment,
        "exp": moment + 300,
        "nonce": "n-1",
        **changes,
    }


def test_a_token_signed_by_the_provider_key_passes(provider):
    key, found = provider
    token = jwt.encode({"alg": "RS256", "kid": "provider-key"}, _claims(email="noor@fluxent.test"), key)
    assert sso.validate_id_token(token, provider=found, nonce="n-1")["email"] == "noor@fluxent.test"


def test_a_token_signed_by_another_key_is_refused(provider, monkeypatch):
    _, found = provider
    # After a signature failure the keys are fetched again (the provider may have rotated them): same keys here.
    monkeypatch.setattr(sso, "_fetch_provider", lambda issuer: found)
    impostor = RSAKey.generate_key(2048, parameters={"kid": "provider-key"})
    token = jwt.encode({"alg": "RS256", "kid": "provider-key"}, _claims(), impostor)
    with pytest.raises(JoseError):
        sso.validate_id_token(token, provider=found, nonce="n-1")


def test_a_token_signed_with_the_client_secret_is_refused(provider, monkeypatch):
    _, found = provider
    monkeypatch.setattr(sso, "_fetch_provider", lambda issuer: found)
    token = jwt.encode({"alg": "HS256"}, _claims(), OctKey.import_key(SECRET))
    with pytest.raises(JoseError):
        sso.validate_id_token(token, provider=found, nonce="n-1")


def test_an_unsigned_token_is_refused(provider, monkeypatch):
    key, found = provider
    monkeypatch.setattr(sso, "_fetch_provider", lambda issuer: found)
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=").decode()
    body = jwt.encode({"alg": "RS256"}, _claims(), key).split(".")[1]
    with pytest.raises(JoseError):
        sso.validate_id_token(f"{header}.{body}.", provider=found, nonce="n-1")


def test_an_expired_token_is_refused_beyond_the_clock_skew(provider):
    key, found = provider
    moment = int(time.time())
    token = jwt.encode({"alg": "RS256"}, _claims(iat=moment - 600, exp=moment - sso.CLOCK_SKEW_SECONDS - 1), key)
    with pytest.raises(JoseError):
        sso.validate_id_token(token, provider=found, nonce="n-1")
    fresh = jwt.encode({"alg": "RS256"}, _claims(), key)
    an_hour_later = datetime.fromtimestamp(time.time() + 3600, UTC)
    with pytest.raises(JoseError):
        sso.validate_id_token(fresh, provider=found, nonce="n-1", clock=lambda: an_hour_later)
