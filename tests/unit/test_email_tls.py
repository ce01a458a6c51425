"""SMTP over TLS against a real local server with a self-signed certificate made here:
STARTTLS and implicit TLS are used and the certificate is verified."""

from __future__ import annotations

import datetime
import ipaddress
import smtplib
import socket
import ssl

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from fluxent.core import email as mail
from fluxent.core.settings import load_settings

SAMPLE = mail.Email(to="dana@example.com", subject="Policy update", text="Read it", html="<p>Read it</p>")


class Recorder:
    """Keeps each message with whether its session was encrypted."""

    def __init__(self) -> None:
        self.received: list[tuple[bool, bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        # STARTTLS sets session.ssl; an implicit-TLS connection's transport is TLS itself.
        encrypted = session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        self.received.append((encrypted, envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1: (server context, CA file that trusts it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smtp.test")])
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "smtp.pem", tmp_path / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    return server, cert_file


def _serve(recorder: Recorder, **kwargs) -> Controller:
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port(), **kwargs)
    controller.start()
    return controller


def test_starttls_is_used_and_the_certificate_verified(tmp_path, certificate):
    server_context, ca_file = certificate
    recorder = Recorder()
    # The server refuses mail before STARTTLS: delivery proves the client upgraded.
    controller = _serve(recorder, tls_context=server_context, require_starttls=True)
    try:
        settings = load_settings(
            email_backend="smtp",
            smtp_host="127.0.0.1",
            smtp_port=controller.port,
            smtp_tls=True,
            smtp_ca_file=ca_file,
            data_dir=tmp_path,
        )
        mail.send(SAMPLE, settings=settings)
    finally:
        controller.stop()
    assert [encrypted for encrypted, _ in recorder.received] == [True]
    assert b"Subject: Policy update" in recorder.received[0][1]


def test_starttls_refuses_a_certificate_it_cannot_verify(tmp_path, certificate):
    server_context, _ = certificate
    recorder = Recorder()
    controller = _serve(recorder, tls_context=server_context, require_starttls=True)
    try:
        settings = load_settings(
            email_backend="smtp", smtp_host="127.0.0.1", smtp_port=controller.port, smtp_tls=True, data_dir=tmp_path
        )
        with pytest.raises(ssl.SSLCertVerificationError):
            mail.send(SAMPLE, settings=settings)
    finally:
        controller.stop()
    assert recorder.received == []


def test_starttls_refuses_a_server_that_does_not_offer_it(tmp_path):
    recorder = Recorder()
    controller = _serve(recorder)
    try:
        settings = load_settings(
            email_backend="smtp", smtp_host="127.0.0.1", smtp_port=controller.port, smtp_tls=True, data_dir=tmp_path
        )
        with pytest.raises(smtplib.SMTPNotSupportedError):
            mail.send(SAMPLE, settings=settings)
    finally:
        controller.stop()
    assert recorder.received == []


def test_implicit_tls_encrypts_from_the_first_byte(tmp_path, certificate):
    server_context, ca_file = certificate
    recorder = Recorder()
    controller = _serve(recorder, ssl_context=server_context)
    try:
        settings = load_settings(
            email_backend="smtp",
            smtp_host="127.0.0.1",
            smtp_port=controller.port,
            smtp_ssl=True,
            smtp_ca_file=ca_file,
            data_dir=tmp_path,
        )
        mail.send(SAMPLE, settings=settings)
    finally:
        controller.stop()
    assert [encrypted for encrypted, _ in recorder.received] == [True]


def test_starttls_and_implicit_tls_together_are_refused(tmp_path):
    with pytest.raises(ValueError, match="FLUXENT_SMTP_TLS .* exclude each other"):
        load_settings(email_backend="smtp", smtp_tls=True, smtp_ssl=True, data_dir=tmp_path)
