"""Typed settings read from ``FLUXENT_*`` environment variables and ``.env``.

Development and test need no configuration: missing secrets are generated once
into the data directory (mode 0600). Production refuses to start on anything
unsafe; :func:`production_problems` lists what is wrong, naming the variable.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import secrets
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fluxent.core.vault_keys import DEV_KEYS_FILE, KeyringError, parse_keyring

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# SMTP hosts on this machine: the only ones production may reach without TLS, and only when told to.
LOOPBACK_SMTP_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Secrets shorter than this, or equal to the published example, are refused in production.
MIN_SECRET_LENGTH = 32
EXAMPLE_SECRET = "change-me-to-a-long-random-value"
GENERATED_SECRETS_FILE = "secrets.env"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"
    TEST = "test"


class EmailBackend(StrEnum):
    CONSOLE = "console"
    FILE = "file"
    SMTP = "smtp"


class StorageBackend(StrEnum):
    LOCAL = "local"
    S3 = "s3"


class S3Encryption(StrEnum):
    """The server-side encryption every object is written with (S3's ``ServerSideEncryption``)."""

    AES256 = "AES256"
    KMS = "aws:kms"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FLUXENT_",
        env_file=PROJECT_ROOT / ".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    env: Environment = Environment.DEVELOPMENT
    base_url: str = "http://localhost:3000"
    # Origins allowed to open the websocket and call the API with credentials,
    # besides the base URL's own origin. Comma-separated.
    allowed_origins: str = ""
    # Where the browser reaches the backend; empty means "same as base_url"
    # except in development, where Reflex serves the backend on its own port.
    api_url: str = ""
    port: int = 8000
    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""
    secret_key: str = ""
    audit_key: str = ""

    email_backend: EmailBackend = EmailBackend.FILE
    email_file_dir: Path | None = None
    email_from: str = "Fluxent <support@fluxent.tech>"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    # STARTTLS on a plain connection (port 587), or implicit TLS from the first byte (port 465).
    smtp_tls: bool = False
    smtp_ssl: bool = False
    # Certificate authorities (PEM file) that vouch for the SMTP server; empty: the system's.
    smtp_ca_file: Path | None = None
    # Production only: deliver without TLS to a mail relay on this machine (logged at start).
    smtp_allow_plaintext_localhost: bool = False

    # Uploaded documents: a private local directory (<data dir>/files) or an S3-compatible bucket.
    storage_backend: StorageBackend = StorageBackend.LOCAL
    s3_bucket: str = ""
    s3_prefix: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    # Objects are written encrypted by the bucket: AES256 (keys S3 manages) or aws:kms, with
    # s3_kms_key_id naming the KMS key (empty: the account's default key for S3).
    s3_server_side_encryption: S3Encryption = S3Encryption.AES256
    s3_kms_key_id: str = ""

    # Card payments (Stripe Checkout). Without a secret key, "Pay" says card payments are not
    # configured; the API base points tests and local demos at a stand-in server.
    stripe_secret_key: str = ""
    # Comma-separated: during a rotation both the old and the new signing secret are accepted.
    stripe_webhook_secret: str = ""
    stripe_api_base: str = "https://api.stripe.com"

    max_upload_mb: int = Field(default=100, ge=1, le=10_240)
    max_json_kb: int = Field(default=256, ge=1, le=10_240)
    session_idle_minutes: int = Field(default=120, ge=1)
    # SQLite: how long a write waits for the database's write lock before answering "busy" (503).
    db_lock_wait_ms: int = Field(default=3000, ge=1, le=60_000)
    # API requests one process runs at once; the next are answered 503 with Retry-After (api/overload.py).
    api_max_in_flight: int = Field(default=64, ge=1, le=10_000)
    # Of those, data exports (each costs about a hundred plain requests).
    api_max_exports: int = Field(default=4, ge=1, le=1_000)
    session_absolute_days: int = Field(default=14, ge=1)
    # Staff and admins must sign in with a second step; those without one enrol at their next sign-in.
    staff_two_step_required: bool = False
    # The WebAuthn relying party of passkeys: a domain; empty means base_url's host.
    webauthn_rp_id: str = ""
    # How often the app runs the retention jobs (services/privacy/retention.py); 0 = never (run them from cron).
    retention_every_hours: float = Field(default=24, ge=0, le=24 * 7)
    # Client accounts are archived this many months after the last of their engagements closed.
    account_archive_months: int = Field(default=24, ge=1, le=1200)
    # Reverse proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For
    # is believed; empty: the direct peer is the client (core/client_address.py).
    trusted_proxies: str = ""
    # E-signature seal: a PKCS#12 file (certificate and key) and its password. Required in
    # production; development makes a self-signed one in the data directory.
    esign_p12: Path | None = None
    esign_p12_password: str = ""
    # Staff single sign-on (OpenID Connect). Offered when issuer, client id and staff domains are set.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # Comma-separated e-mail domains whose people sign in through the provider and may become staff.
    oidc_staff_domains: str = ""
    # Staff and admins must sign in through the provider: no password, e-mailed code or link.
    staff_sso_required: bool = False
    # Credential vault key-encryption keys, "id:base64key" pairs, the first primary
    # (core/vault_keys.py). Required in production; development makes one in the data directory.
    vault_keys: str = ""

    @field_validator("base_url", "api_url", "stripe_api_base", "oidc_issuer")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("trusted_proxies")
    @classmethod
    def _check_networks(cls, value: str) -> str:
        _networks(value)  # a typo must stop the start, not silently trust nobody
        return value

    @model_validator(mode="after")
    def _one_tls_mode(self) -> Settings:
        if self.smtp_tls and self.smtp_ssl:
            raise ValueError(
                "FLUXENT_SMTP_TLS (STARTTLS) and FLUXENT_SMTP_SSL (implicit TLS) exclude each other; set one"
            )
        return self

    # Derived values -------------------------------------------------------

    @property
    def smtp_encrypted(self) -> bool:
        return self.smtp_tls or self.smtp_ssl

    @property
    def smtp_plaintext_to_loopback(self) -> bool:
        """Production delivers without TLS to a relay on this machine, as explicitly allowed."""
        return (
            self.email_backend is EmailBackend.SMTP
            and not self.smtp_encrypted
            and self.smtp_allow_plaintext_localhost
            and self.smtp_host.strip("[]").lower() in LOOPBACK_SMTP_HOSTS
        )

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return _networks(self.trusted_proxies)

    @property
    def stripe_webhook_secrets(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.stripe_webhook_secret.split(",") if part.strip())

    @property
    def staff_domains(self) -> frozenset[str]:
        return frozenset(
            part.strip().lower().lstrip("@") for part in self.oidc_staff_domains.split(",") if part.strip()
        )

    @property
    def sso_configured(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.staff_domains)

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def resolved_webauthn_rp_id(self) -> str:
        return self.webauthn_rp_id or urlsplit(self.base_url).hostname or "localhost"

    @property
    def is_https(self) -> bool:
        return urlsplit(self.base_url).scheme == "https"

    @property
    def cors_origins(self) -> list[str]:
        extra = [o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()]
        return [self.origin, *[o for o in extra if o != self.origin]]

    @property
    def backend_url(self) -> str:
        if self.api_url:
            return self.api_url
        if self.env is Environment.DEVELOPMENT:
            host = urlsplit(self.base_url).hostname or "localhost"
            return f"http://{host}:{self.port}"
        return self.base_url

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'fluxent.db'}"

    @property
    def resolved_email_file_dir(self) -> Path:
        return self.email_file_dir or self.data_dir / "outbox"

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "files"


def _networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip())
    except ValueError as error:
        raise ValueError(f"FLUXENT_TRUSTED_PROXIES: {error}") from None


def production_problems(settings: Settings) -> list[str]:
    """Every reason the settings are unsafe for production, each naming its variable."""
    problems: list[str] = []
    generated = _read_generated_secrets(settings.data_dir)
    for name in ("secret_key", "audit_key"):
        var = f"FLUXENT_{name.upper()}"
        value = getattr(settings, name)
        if not value:
            problems.append(
                f"{var} is not set; generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        elif value == EXAMPLE_SECRET or value == generated.get(var):
            problems.append(f"{var} is a development value; set a fresh random secret for production")
        elif len(value) < MIN_SECRET_LENGTH:
            problems.append(f"{var} is shorter than {MIN_SECRET_LENGTH} characters")
    if settings.secret_key and settings.secret_key == settings.audit_key:
        problems.append("FLUXENT_AUDIT_KEY must differ from FLUXENT_SECRET_KEY")
    if not _is_https_or_loopback(settings.base_url):
        problems.append(
            f"FLUXENT_BASE_URL must be an https:// URL (got {settings.base_url!r}); only loopback hosts may use http"
        )
    if settings.api_url and not _is_https_or_loopback(settings.api_url):
        problems.append(f"FLUXENT_API_URL must be an https:// URL (got {settings.api_url!r})")
    for origin in settings.cors_origins:
        if "*" in origin:
            problems.append(f"FLUXENT_ALLOWED_ORIGINS must list exact origins, not a wildcard ({origin!r})")
        elif not _is_https_or_loopback(origin):
            problems.append(f"FLUXENT_ALLOWED_ORIGINS must list https:// origins (got {origin!r})")
    if settings.storage_backend is StorageBackend.S3 and not settings.s3_bucket:
        problems.append("FLUXENT_S3_BUCKET must name the bucket when FLUXENT_STORAGE_BACKEND=s3")
    if settings.s3_kms_key_id and settings.s3_server_side_encryption is not S3Encryption.KMS:
        problems.append("FLUXENT_S3_KMS_KEY_ID is set but FLUXENT_S3_SERVER_SIDE_ENCRYPTION is not aws:kms")
    if not settings.stripe_secret_key:
        problems.append("FLUXENT_STRIPE_SECRET_KEY is not set: clients could not pay invoices by card")
    if not settings.stripe_webhook_secrets:
        problems.append("FLUXENT_STRIPE_WEBHOOK_SECRET is not set: Stripe's payment notifications would be refused")
    if settings.esign_p12 is None:
        problems.append("FLUXENT_ESIGN_P12 must name the PKCS#12 file that seals signed documents")
    elif not settings.esign_p12.is_file():
        problems.append(f"FLUXENT_ESIGN_P12 names no readable file ({str(settings.esign_p12)!r})")
    elif not settings.esign_p12_password:
        problems.append("FLUXENT_ESIGN_P12_PASSWORD is not set (the seal's PKCS#12 file must be password-protected)")
    problems.extend(_sso_problems(settings))
    problems.extend(_vault_key_problems(settings))
    problems.extend(_email_problems(settings))
    return problems


def _email_problems(settings: Settings) -> list[str]:
    """Mail leaves by SMTP over TLS; plain text only to a relay on this machine, when told to."""
    if settings.email_backend is EmailBackend.CONSOLE:
        return ["FLUXENT_EMAIL_BACKEND=console would print sign-in links into the logs; use 'smtp'"]
    if settings.email_backend is EmailBackend.FILE:
        return ["FLUXENT_EMAIL_BACKEND=file would keep every e-mail on this machine and send none; use 'smtp'"]
    host = settings.smtp_host.strip("[]").lower()
    if settings.smtp_allow_plaintext_localhost and host not in LOOPBACK_SMTP_HOSTS:
        return [
            "FLUXENT_SMTP_ALLOW_PLAINTEXT_LOCALHOST is only for a relay on this machine "
            f"(FLUXENT_SMTP_HOST is {settings.smtp_host!r}, not localhost, 127.0.0.1 or ::1)"
        ]
    if not settings.smtp_encrypted and not settings.smtp_plaintext_to_loopback:
        return [
            "SMTP must use TLS in production: set FLUXENT_SMTP_TLS=true (STARTTLS, port 587) or "
            "FLUXENT_SMTP_SSL=true (implicit TLS, port 465); a relay on this machine may be reached "
            "without TLS with FLUXENT_SMTP_ALLOW_PLAINTEXT_LOCALHOST=true"
        ]
    return []


def _sso_problems(settings: Settings) -> list[str]:
    """Single sign-on is off (nothing set) or complete, over https, with a client secret."""
    named = (settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret, settings.oidc_staff_domains)
    if not any(named) and not settings.staff_sso_required:
        return []
    problems: list[str] = []
    parts = urlsplit(settings.oidc_issuer)
    if parts.scheme != "https" or not parts.hostname:
        problems.append(f"FLUXENT_OIDC_ISSUER must be the provider's https:// URL (got {settings.oidc_issuer!r})")
    if not settings.oidc_client_id:
        problems.append("FLUXENT_OIDC_CLIENT_ID is not set (the client id the provider gave this site)")
    if not settings.oidc_client_secret:
        problems.append("FLUXENT_OIDC_CLIENT_SECRET is not set (the client secret the provider gave this site)")
    if not settings.staff_domains:
        problems.append("FLUXENT_OIDC_STAFF_DOMAINS must list the e-mail domains whose people are staff")
    return problems


def _vault_key_problems(settings: Settings) -> list[str]:
    if not settings.vault_keys.strip():
        return [
            "FLUXENT_VAULT_KEYS is not set; generate one with: "
            "python -c 'import base64, os; print(\"k1:\" + base64.b64encode(os.urandom(32)).decode())'"
        ]
    try:
        keyring = parse_keyring(settings.vault_keys)
    except KeyringError as error:
        return [f"FLUXENT_VAULT_KEYS: {error}"]
    dev_file = settings.data_dir / DEV_KEYS_FILE
    development = parse_keyring(dev_file.read_text()).keys.values() if dev_file.is_file() else ()
    if any(key in development for key in keyring.keys.values()):
        return [f"FLUXENT_VAULT_KEYS holds a development key (from {DEV_KEYS_FILE}); set fresh random keys"]
    return []


def check_production(settings: Settings) -> None:
    problems = production_problems(settings) if settings.is_production else []
    if problems:
        raise ConfigError("Refusing to start in production:\n  - " + "\n  - ".join(problems))
    if settings.is_production and settings.smtp_plaintext_to_loopback:
        log.warning(
            "FLUXENT_SMTP_ALLOW_PLAINTEXT_LOCALHOST: e-mail goes without TLS to the relay at %s:%s on this machine",
            settings.smtp_host,
            settings.smtp_port,
        )


def _is_https_or_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def _read_generated_secrets(data_dir: Path) -> dict[str, str]:
    path = data_dir / GENERATED_SECRETS_FILE
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def _ensure_generated_secrets(data_dir: Path) -> dict[str, str]:
    """Create the development secrets file once (0600) and return its values."""
    existing = _read_generated_secrets(data_dir)
    wanted = ("FLUXENT_SECRET_KEY", "FLUXENT_AUDIT_KEY")
    if all(existing.get(name) for name in wanted):
        return existing
    data_dir.mkdir(parents=True, exist_ok=True)
    values = {name: existing.get(name) or secrets.token_urlsafe(48) for name in wanted}
    path = data_dir / GENERATED_SECRETS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("# Generated for development only. Never use these in production.\n")
        handle.writelines(f"{name}={value}\n" for name, value in values.items())
    os.chmod(path, 0o600)
    return values


def load_settings(**overrides: object) -> Settings:
    """Read settings; outside production, fill missing secrets from the data directory."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if not settings.is_production and not (settings.secret_key and settings.audit_key):
        generated = _ensure_generated_secrets(settings.data_dir)
        settings = settings.model_copy(
            update={
                "secret_key": settings.secret_key or generated["FLUXENT_SECRET_KEY"],
                "audit_key": settings.audit_key or generated["FLUXENT_AUDIT_KEY"],
            }
        )
    return settings


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings (immutable after start-up)."""
    return load_settings()


def reset_settings() -> None:
    """Forget the cached settings so the next call re-reads the environment (tests)."""
    get_settings.cache_clear()
