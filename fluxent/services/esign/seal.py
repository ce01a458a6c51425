"""The PAdES seal on completed documents (pyHanko).

Production seals with the PKCS#12 file named by ``FLUXENT_ESIGN_P12`` (password in
``FLUXENT_ESIGN_P12_PASSWORD``); ``core.settings`` refuses to start without them.
Development and tests seal with a self-signed certificate made on first use into
the data directory (``esign-seal.p12``, mode 0600, no password).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from fluxent.core.settings import Settings, get_settings

T = TypeVar("T")

DEV_P12_FILE = "esign-seal.p12"
SEAL_FIELD = "FluxentSeal"


@dataclass(frozen=True)
class SealCheck:
    """What pyHanko says of a PDF's seal: ``intact`` (the bytes are those signed) and
    ``trusted`` (the certificate chains to the seal certificate in use)."""

    sealed: bool
    intact: bool
    trusted: bool
    signer: str = ""


def p12_path(settings: Settings | None = None) -> tuple[Path, bytes | None]:
    """The PKCS#12 file and its password; in development, made on first use."""
    settings = settings or get_settings()
    if settings.esign_p12 is not None:
        return settings.esign_p12, settings.esign_p12_password.encode() or None
    path = settings.data_dir / DEV_P12_FILE
    if not path.exists():
        _write_dev_p12(path)
    return path, None


def seal(pdf: bytes, *, reason: str, settings: Settings | None = None) -> bytes:
    """``pdf`` with an incremental PAdES signature over all of it.

    Runs on a worker thread (see ``_off_the_event_loop``).
    """
    return _off_the_event_loop(_seal, pdf, reason, settings)


def _off_the_event_loop(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` on a worker thread: pyHanko's synchronous API runs an event loop of its
    own, which cannot start in a thread where one is running (a websocket event handler)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="esign-seal") as worker:
        return worker.submit(work, *args).result()


def _seal(pdf: bytes, reason: str, settings: Settings | None) -> bytes:
    path, password = p12_path(settings)
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password)
    if signer is None:
        raise RuntimeError(f"cannot read the seal certificate {path}")
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location="Fluxent",
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def check(pdf: bytes, *, settings: Settings | None = None) -> SealCheck:
    """Validate the seal of ``pdf`` against the seal certificate in use (on a worker thread)."""
    return _off_the_event_loop(_check, pdf, settings)


def _check(pdf: bytes, settings: Settings | None) -> SealCheck:
    path, password = p12_path(settings)
    _, certificate, _ = pkcs12.load_key_and_certificates(path.read_bytes(), password)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # a damaged file is simply not sealed
        return SealCheck(sealed=False, intact=False, trusted=False)
    if not embedded:
        return SealCheck(sealed=False, intact=False, trusted=False)
    from asn1crypto import x509 as asn1_x509

    root = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded[-1], context)
    except Exception:
        return SealCheck(sealed=True, intact=False, trusted=False)
    subject = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    covers_all = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return SealCheck(sealed=True, intact=status.intact and covers_all, trusted=status.trusted, signer=subject)


def _write_dev_p12(path: Path) -> None:
    """A self-signed document-signing certificate for development; written once, atomically."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Fluxent document seal (development)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Fluxent"),
        ]
    )
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    blob = pkcs12.serialize_key_and_certificates(b"fluxent-seal", key, certificate, None, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".esign-seal-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.chmod(temporary, 0o600)
        # A hard link fails if another process got there first: theirs is kept.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
