"""E-mail backends, including SMTP against a real SMTP server on loopback."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from fluxent.core import email as mail
from fluxent.core.settings import load_settings

SAMPLE = mail.Email(
    to="dana@example.com",
    subject="Your sign-in link",
    text="Open https://portal.example/auth/magic/abc",
    html="<p><a href='https://portal.example/auth/magic/abc'>Sign in</a></p>",
    headers={"List-Unsubscribe": "<https://portal.example/u/1>"},
)


class Collector(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.Message] = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_file_backend_writes_one_eml_with_text_and_html(tmp_path):
    settings = load_settings(email_backend="file", email_file_dir=tmp_path / "outbox", data_dir=tmp_path)
    mail.send(SAMPLE, settings=settings)
    mail.send(SAMPLE, settings=settings)
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["To"] == "dana@example.com" and parsed["List-Unsubscribe"] == "<https://portal.example/u/1>"
    assert parsed.get_body(("plain",)).get_content().strip() == SAMPLE.text
    assert "Sign in" in parsed.get_body(("html",)).get_content()


def test_console_backend_prints_the_message(tmp_path, capsys):
    mail.send(SAMPLE, settings=load_settings(email_backend="console", data_dir=tmp_path))
    assert "Subject: Your sign-in link" in capsys.readouterr().out


def test_smtp_backend_delivers_to_a_real_server(tmp_path):
    handler = Collector()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = load_settings(email_backend="smtp", smtp_host="127.0.0.1", smtp_port=port, data_dir=tmp_path)
        mail.send(SAMPLE, settings=settings)
    finally:
        controller.stop()
    assert len(handler.messages) == 1
    received = handler.messages[0]
    assert received["Subject"] == "Your sign-in link"
    assert received.is_multipart()
    assert {part.get_content_type() for part in received.walk()} >= {"text/plain", "text/html"}


def test_smtp_failure_raises_so_callers_can_report_it(tmp_path):
    settings = load_settings(email_backend="smtp", smtp_host="127.0.0.1", smtp_port=_free_port(), data_dir=tmp_path)
    with pytest.raises(OSError):
        mail.send(SAMPLE, settings=settings)
