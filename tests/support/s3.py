"""A real S3-compatible server for storage tests: moto's server mode over HTTP on a free port."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator

import boto3
import pytest

from fluxent.core.storage.s3 import S3Storage


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_settings(s3_endpoint, monkeypatch) -> dict[str, str]:
    """FLUXENT_* variables for a fresh bucket on the test server (set in the environment too)."""
    bucket = f"fluxent-{uuid.uuid4().hex[:12]}"
    values = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test-access-key",
        "S3_SECRET_ACCESS_KEY": "test-secret-key",
        "S3_PREFIX": "portal",
    }
    for name, value in values.items():
        monkeypatch.setenv(f"FLUXENT_{name}", value)
    client(values).create_bucket(Bucket=bucket)
    return values


def client(values: dict[str, str]):
    return boto3.client(
        "s3",
        endpoint_url=values["S3_ENDPOINT_URL"],
        region_name=values["S3_REGION"],
        aws_access_key_id=values["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=values["S3_SECRET_ACCESS_KEY"],
    )


def bucket_state(values: dict[str, str]) -> tuple[list[str], int]:
    """Object names in the bucket, and how many multipart uploads are left open."""
    s3 = client(values)
    objects = [item["Key"] for item in s3.list_objects_v2(Bucket=values["S3_BUCKET"]).get("Contents", [])]
    uploads = s3.list_multipart_uploads(Bucket=values["S3_BUCKET"]).get("Uploads", [])
    return sorted(objects), len(uploads)


__all__ = ["S3Storage", "bucket_state", "s3_endpoint", "s3_settings"]
