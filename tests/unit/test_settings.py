"""Settings: zero-configuration development, and production refusing unsafe values."""

from __future__ import annotations

import base64
import logging
import os
import stat
import subprocess
import sys

import pytest

from fluxent.core.settings import (
    EXAMPLE_SECRET,
    PROJECT_ROOT,
    ConfigError,
    Environment,
    check_production,
    load_settings,
)

GOOD = {
    "env": Environment.PRODUCTION,
    "base_url": "https://portal.fluxent.tech",
    "secret_key": "k" * 48,
    "audit_key": "a" * 48,
    "email_backend": "smtp",
    "smtp_host": "smtp.fluxent.tech",
    "smtp_port": 587,
    "smtp_tls": True,
    "stripe_secret_key": "sk_live_" + "x" * 24,
    "stripe_webhook_secret": "whsec_" + "w" * 32,
    "vault_keys": "k2:" + base64.b64encode(b"v" * 32).decode() + ",k1:" + base64.b64encode(b"o" * 32).decode(),
}


def production(tmp_path, **changes):
    seal = tmp_path / "seal.p12"
    seal.write_bytes(b"pkcs12")
    values = {**GOOD, "data_dir": tmp_path, "esign_p12": seal, "esign_p12_password": "p" * 20, **changes}
    return load_settings(**values)


def refusal(settings) -> str:
    with pytest.raises(ConfigError) as raised:
        check_production(settings)
    return str(raised.value)


@pytest.fixture(autouse=True)
def _no_env_secrets(monkeypatch):
    for name in ("FLUXENT_SECRET_KEY", "FLUXENT_AUDIT_KEY", "FLUXENT_BASE_URL", "FLUXENT_ENV"):
        monkeypatch.delenv(name, raising=False)


def test_development_generates_secrets_once_with_private_mode(tmp_path):
    first = load_settings(env="development", data_dir=tmp_path)
    second = load_settings(env="development", data_dir=tmp_path)
    assert len(first.secret_key) >= 32 and len(first.audit_key) >= 32
    assert first.secret_key != first.audit_key
    assert (first.secret_key, first.audit_key) == (second.secret_key, second.audit_key)
    mode = stat.S_IMODE(os.stat(tmp_path / "secrets.env").st_mode)
    assert mode == 0o600


def test_good_production_settings_pass(tmp_path):
    check_production(production(tmp_path))


def test_production_does_not_generate_secrets(tmp_path):
    settings = production(tmp_path, secret_key="", audit_key="")
    assert not (tmp_path / "secrets.env").exists()
    message = refusal(settings)
    assert "FLUXENT_SECRET_KEY is not set" in message and "FLUXENT_AUDIT_KEY is not set" in message


@pytest.mark.parametrize("variable", ["secret_key", "audit_key"])
def test_production_refuses_short_or_example_secret(tmp_path, variable):
    name = f"FLUXENT_{variable.upper()}"
    assert f"{name} is shorter" in refusal(production(tmp_path, **{variable: "too-short"}))
    assert f"{name} is a development value" in refusal(production(tmp_path, **{variable: EXAMPLE_SECRET}))


def test_production_refuses_the_generated_development_secret(tmp_path):
    dev = load_settings(env="development", data_dir=tmp_path)
    message = refusal(production(tmp_path, secret_key=dev.secret_key))
    assert "FLUXENT_SECRET_KEY is a development value" in message


def test_production_refuses_same_key_twice(tmp_path):
    assert "FLUXENT_AUDIT_KEY must differ" in refusal(production(tmp_path, audit_key=GOOD["secret_key"]))


@pytest.mark.parametrize("url", ["http://portal.fluxent.tech", "ftp://x.example", "portal.fluxent.tech"])
def test_production_refuses_non_https_base_url(tmp_path, url):
    assert "FLUXENT_BASE_URL must be an https:// URL" in refusal(production(tmp_path, base_url=url))


@pytest.mark.parametrize("url", ["http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000"])
def test_production_allows_loopback_http_for_local_trials(tmp_path, url):
    check_production(production(tmp_path, base_url=url))


@pytest.mark.parametrize("origins", ["*", "https://*.fluxent.tech", "https://ok.example,*"])
def test_production_refuses_wildcard_origin(tmp_path, origins):
    assert "not a wildcard" in refusal(production(tmp_path, allowed_origins=origins))


def test_production_refuses_missing_stripe_keys(tmp_path):
    message = refusal(production(tmp_path, stripe_secret_key="", stripe_webhook_secret=" , "))
    assert "FLUXENT_STRIPE_SECRET_KEY is not set" in message
    assert "FLUXENT_STRIPE_WEBHOOK_SECRET is not set" in message


def test_webhook_secrets_rotate_as_a_list(tmp_path):
    settings = production(tmp_path, stripe_webhook_secret="whsec_old, whsec_new")
    assert settings.stripe_webhook_secrets == ("whsec_old", "whsec_new")


def test_production_refuses_console_email(tmp_path):
    assert "FLUXENT_EMAIL_BACKEND=console" in refusal(production(tmp_path, email_backend="console"))


def test_production_refuses_the_file_email_backend(tmp_path):
    assert "FLUXENT_EMAIL_BACKEND=file would keep every e-mail" in refusal(production(tmp_path, email_backend="file"))


def test_production_refuses_smtp_without_tls(tmp_path):
    message = refusal(production(tmp_path, smtp_tls=False))
    assert "SMTP must use TLS in production" in message and "FLUXENT_SMTP_TLS=true" in message


def test_production_accepts_implicit_tls(tmp_path):
    check_production(production(tmp_path, smtp_tls=False, smtp_ssl=True, smtp_port=465))


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1", "[::1]"])
def test_plaintext_to_a_relay_on_this_machine_is_allowed_when_asked_and_logged(tmp_path, host, caplog):
    settings = production(tmp_path, smtp_tls=False, smtp_host=host, smtp_port=25, smtp_allow_plaintext_localhost=True)
    with caplog.at_level(logging.WARNING, logger="fluxent.core.settings"):
        check_production(settings)
    assert "FLUXENT_SMTP_ALLOW_PLAINTEXT_LOCALHOST" in caplog.text and "without TLS" in caplog.text


def test_plaintext_to_a_local_relay_still_needs_the_explicit_setting(tmp_path):
    assert "SMTP must use TLS" in refusal(production(tmp_path, smtp_tls=False, smtp_host="localhost"))


@pytest.mark.parametrize("host", ["smtp.fluxent.tech", "10.0.0.5", "localhost.evil.example", "127.0.0.2"])
def test_the_plaintext_setting_is_refused_for_any_other_host(tmp_path, host):
    settings = production(tmp_path, smtp_tls=False, smtp_host=host, smtp_allow_plaintext_localhost=True)
    assert "FLUXENT_SMTP_ALLOW_PLAINTEXT_LOCALHOST is only for a relay on this machine" in refusal(settings)


def test_tls_in_use_makes_the_plaintext_setting_moot_but_not_silent(tmp_path, caplog):
    settings = production(tmp_path, smtp_allow_plaintext_localhost=True, smtp_host="localhost")
    with caplog.at_level(logging.WARNING, logger="fluxent.core.settings"):
        check_production(settings)
    assert "without TLS" not in caplog.text


def test_production_refuses_to_start_without_the_seal_certificate(tmp_path):
    assert "FLUXENT_ESIGN_P12 must name" in refusal(production(tmp_path, esign_p12=None))
    assert "FLUXENT_ESIGN_P12 names no readable file" in refusal(production(tmp_path, esign_p12=tmp_path / "none"))
    assert "FLUXENT_ESIGN_P12_PASSWORD is not set" in refusal(production(tmp_path, esign_p12_password=""))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("", "FLUXENT_VAULT_KEYS is not set"),
        ("k1:" + base64.b64encode(b"short").decode(), "must be 32 random bytes (got 5)"),
        ("k1", "each entry must be id:base64key"),
        ("k1:not base64!", "is not valid base64"),
        ("k1:" + base64.b64encode(b"x" * 32).decode() + ",k1:" + base64.b64encode(b"y" * 32).decode(), "twice"),
    ],
)
def test_production_refuses_missing_short_or_malformed_vault_keys(tmp_path, keys, message):
    refused = refusal(production(tmp_path, vault_keys=keys))
    assert message in refused
    assert "eHh4" not in refused  # a key is never echoed back


def test_production_refuses_the_development_vault_key(tmp_path):
    from fluxent.core.vault_keys import keyring

    development = keyring(load_settings(env="development", data_dir=tmp_path))
    text = ",".join(f"{key_id}:{base64.b64encode(key).decode()}" for key_id, key in development.keys.items())
    assert "holds a development key" in refusal(production(tmp_path, vault_keys=text))


def test_cors_origins_are_the_site_origin_plus_listed_ones(tmp_path):
    settings = production(tmp_path, base_url="https://portal.fluxent.tech/", allowed_origins="https://www.fluxent.tech")
    assert settings.cors_origins == ["https://portal.fluxent.tech", "https://www.fluxent.tech"]


def test_app_refuses_to_start_in_production_with_a_clear_message(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLUXENT_")} | {
        "FLUXENT_ENV": "production",
        "FLUXENT_DATA_DIR": str(tmp_path),
        "FLUXENT_BASE_URL": "http://example.com",
    }
    for command in (["-m", "fluxent", "check-config"], ["-c", "import fluxent.fluxent"]):
        result = subprocess.run(
            [sys.executable, *command], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode != 0
        output = result.stdout + result.stderr
        assert "FLUXENT_SECRET_KEY is not set" in output
        assert "FLUXENT_BASE_URL must be an https:// URL" in output
        assert "FLUXENT_ESIGN_P12 must name" in output


SSO = {
    "oidc_issuer": "https://login.fluxent.tech/realms/staff",
    "oidc_client_id": "fluxent-portal",
    "oidc_client_secret": "s" * 40,
    "oidc_staff_domains": "fluxent.tech",
}


def test_production_accepts_complete_single_sign_on(tmp_path):
    settings = production(tmp_path, **SSO, staff_sso_required=True)
    check_production(settings)
    assert settings.sso_configured and settings.staff_domains == {"fluxent.tech"}


@pytest.mark.parametrize("issuer", ["http://login.fluxent.tech", "login.fluxent.tech", "http://localhost:8080"])
def test_production_refuses_a_single_sign_on_issuer_without_https(tmp_path, issuer):
    assert "FLUXENT_OIDC_ISSUER must be the provider's https:// URL" in refusal(
        production(tmp_path, **{**SSO, "oidc_issuer": issuer})
    )


@pytest.mark.parametrize(
    ("missing", "variable"),
    [
        ("oidc_client_secret", "FLUXENT_OIDC_CLIENT_SECRET"),
        ("oidc_client_id", "FLUXENT_OIDC_CLIENT_ID"),
        ("oidc_staff_domains", "FLUXENT_OIDC_STAFF_DOMAINS"),
    ],
)
def test_production_refuses_incomplete_single_sign_on(tmp_path, missing, variable):
    assert variable in refusal(production(tmp_path, **{**SSO, missing: ""}))


def test_production_refuses_sso_required_without_a_provider(tmp_path):
    message = refusal(production(tmp_path, staff_sso_required=True))
    assert "FLUXENT_OIDC_ISSUER" in message and "FLUXENT_OIDC_CLIENT_SECRET" in message


def test_staff_domains_are_lower_cased_without_at_signs(tmp_path):
    settings = load_settings(env="development", data_dir=tmp_path, oidc_staff_domains=" Fluxent.Tech , @ops.example,")
    assert settings.staff_domains == {"fluxent.tech", "ops.example"}
    assert not settings.sso_configured  # no issuer or client id
