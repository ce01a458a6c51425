"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, ...), through boto3.

Large writes are multipart uploads of :data:`PART_SIZE` parts, aborted when the
incoming stream fails, so a refused upload leaves no object and no dangling parts.
A file smaller than one part is a single ``PutObject``. Every object is written with
server-side encryption (``FLUXENT_S3_SERVER_SIDE_ENCRYPTION``, AES256 by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from fluxent.core.settings import S3Encryption, Settings
from fluxent.core.storage import READ_CHUNK, EncryptionRun, check_key

# S3's minimum part size is 5 MiB (except the last part).
PART_SIZE = 8 * 1024 * 1024


class S3Storage:
    def __init__(
        self,
        client,
        bucket: str,
        *,
        prefix: str = "",
        encryption: S3Encryption = S3Encryption.AES256,
        kms_key_id: str = "",
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.encryption_args: dict[str, str] = {"ServerSideEncryption": encryption.value}
        if encryption is S3Encryption.KMS and kms_key_id:
            self.encryption_args["SSEKMSKeyId"] = kms_key_id

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url or None,
            region_name=settings.s3_region or None,
            aws_access_key_id=settings.s3_access_key_id or None,
            aws_secret_access_key=settings.s3_secret_access_key or None,
            config=Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"}),
        )
        return cls(
            client,
            settings.s3_bucket,
            prefix=settings.s3_prefix,
            encryption=settings.s3_server_side_encryption,
            kms_key_id=settings.s3_kms_key_id,
        )

    def _object(self, key: str) -> str:
        key = check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def write(self, key: str, chunks: Iterable[bytes]) -> int:
        name = self._object(key)
        buffer, total, upload_id, parts = bytearray(), 0, None, []
        try:
            for chunk in chunks:
                buffer += chunk
                total += len(chunk)
                if len(buffer) >= PART_SIZE:
                    if upload_id is None:
                        upload_id = self.client.create_multipart_upload(
                            Bucket=self.bucket, Key=name, **self.encryption_args
                        )["UploadId"]
                    parts.append(self._upload_part(name, upload_id, len(parts) + 1, bytes(buffer[:PART_SIZE])))
                    del buffer[:PART_SIZE]
            if upload_id is None:
                self.client.put_object(Bucket=self.bucket, Key=name, Body=bytes(buffer), **self.encryption_args)
                return total
            if buffer:
                parts.append(self._upload_part(name, upload_id, len(parts) + 1, bytes(buffer)))
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=name, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            if upload_id is not None:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id)
            raise
        return total

    def _upload_part(self, name: str, upload_id: str, number: int, data: bytes) -> dict[str, object]:
        answer = self.client.upload_part(Bucket=self.bucket, Key=name, UploadId=upload_id, PartNumber=number, Body=data)
        return {"PartNumber": number, "ETag": answer["ETag"]}

    def read(self, key: str) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=self._object(key))["Body"]
        try:
            yield from body.iter_chunks(READ_CHUNK)
        finally:
            body.close()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._object(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._object(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def encrypt_existing(self) -> EncryptionRun:
        """Copy in place, with the configured server-side encryption, every object under the
        prefix written without it (before this setting, or in a bucket without default
        encryption). Large objects are copied in parts; running again finishes an interrupted run."""
        encrypted = already = 0
        prefix = f"{self.prefix}/" if self.prefix else ""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                source = {"Bucket": self.bucket, "Key": item["Key"]}
                head = self.client.head_object(**source)
                if head.get("ServerSideEncryption") == self.encryption_args["ServerSideEncryption"]:
                    already += 1
                    continue
                self.client.copy(source, self.bucket, item["Key"], ExtraArgs=self.encryption_args)
                encrypted += 1
        return EncryptionRun(encrypted=encrypted, already=already)
