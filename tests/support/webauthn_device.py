"""A software passkey for the tests: an ES256 key that answers WebAuthn options as a
browser and its authenticator would, "none" attestation, with its own counter.

It builds clientDataJSON and authenticatorData by hand, so each test can get one part
wrong on purpose (the origin, the relying party, the counter); by default it answers as the configured site.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from fluxent.core.settings import get_settings

_UP, _UV, _AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class SoftPasskey:
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    credential_id: bytes = field(default_factory=lambda: os.urandom(16))
    counter: int = 0

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def register(self, options: dict[str, Any], *, origin: str = "", rp_id: str = "") -> dict[str, Any]:
        """The browser's ``startRegistration`` answer to ``options``."""
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        numbers = self.key.public_key().public_numbers()
        cose = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + cbor2.dumps(cose)
        auth_data = self._auth_data(rp_id, _UP | _UV | _AT) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def authenticate(self, options: dict[str, Any], *, origin: str = "", rp_id: str = "") -> dict[str, Any]:
        """The browser's ``startAuthentication`` answer to ``options`` (the counter goes up by one first)."""
        self.counter += 1
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = self._auth_data(rp_id, _UP | _UV)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
            },
            "clientExtensionResults": {},
        }

    def _auth_data(self, rp_id: str, flags: int) -> bytes:
        rp_id = rp_id or get_settings().resolved_webauthn_rp_id
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.counter)

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        origin = origin or get_settings().origin
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()
