"""Object storage for entry files: S3 (presigned POST, signed GET) or local files with the same flow.

With S3 configured, upload bytes never pass through the app: the browser posts straight to the
bucket under a policy, and the app only reads objects back to verify them. With local storage
(`make run`), an app endpoint plays the bucket's part and checks a signed policy the same way.
No S3-compatible test server enforces POST policies, so nothing here is trusted until
`submissions.files.inspect_upload` has looked at the bytes.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

UPLOAD_POLICY_SALT = "submissions.upload-policy"
DOWNLOAD_SALT = "submissions.download"
UPLOAD_EXPIRY = 15 * 60  # seconds a presigned upload stays valid: enough for 50 MB on a slow phone
CHUNK = 1024 * 1024


class TooLarge(Exception):
    """An object grew past the limit while being read."""


class StorageUnavailable(Exception):
    """The object store did not answer. Nothing saved is lost; the person should retry."""


def using_s3() -> bool:
    from storages.backends.s3 import S3Storage

    return isinstance(default_storage, S3Storage)  # the lazy default_storage proxies isinstance


def _client():
    return default_storage.connection.meta.client


def _guard(action):
    # Every storage call goes through here, so that an outage becomes one clear exception
    # whatever the backend (botocore's errors, OSError for files).
    try:
        return action()
    except StorageUnavailable:
        raise
    except Exception as exc:
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in {
            "404",
            "NoSuchKey",
        }:
            raise FileNotFoundError from exc
        if isinstance(exc, (BotoCoreError, ClientError, OSError)) and not isinstance(
            exc, FileNotFoundError
        ):
            raise StorageUnavailable(str(exc)) from exc
        raise


@dataclass
class PresignedUpload:
    url: str
    fields: dict[str, str]


def presign_upload(*, key: str, content_type: str, max_size: int) -> PresignedUpload:
    if using_s3():
        conditions = [
            ["content-length-range", 1, max_size],
            {"Content-Type": content_type},
            {"key": key},
        ]
        post = _guard(
            lambda: _client().generate_presigned_post(
                Bucket=default_storage.bucket_name,
                Key=key,
                Fields={"Content-Type": content_type},
                Conditions=conditions,
                ExpiresIn=UPLOAD_EXPIRY,
            )
        )
        # A cheap call that fails when the store is down: better to say so now than after
        # the creator has waited for a 20 MB upload to fail.
        _guard(lambda: _client().head_bucket(Bucket=default_storage.bucket_name))
        return PresignedUpload(url=post["url"], fields=post["fields"])
    _guard(lambda: default_storage.exists("healthz/probe"))
    policy = signing.dumps(
        {"key": key, "type": content_type, "max": max_size}, salt=UPLOAD_POLICY_SALT
    )
    return PresignedUpload(url=reverse("local_upload"), fields={"key": key, "policy": policy})


def read_policy(token: str) -> dict:
    """The local upload endpoint's half of the bargain: a valid, unexpired, signed policy."""
    return signing.loads(token, salt=UPLOAD_POLICY_SALT, max_age=UPLOAD_EXPIRY)


def save_local_once(key: str, file) -> bool:
    """Store a local file under `key` unless something is there already (then False).

    The file system creates the file exclusively, so of two requests racing for one key only
    one writes it; the other's copy, saved under another name, is removed again.
    """

    def save():
        if default_storage.exists(key):
            return False
        name = default_storage.save(key, file)
        if name != key:
            default_storage.delete(name)
            return False
        return True

    return _guard(save)


def copy_object(source: str, target: str) -> None:
    """A server-side copy (S3 CopyObject: the bytes do not pass through the app)."""
    if using_s3():
        bucket = default_storage.bucket_name
        _guard(
            lambda: _client().copy_object(
                Bucket=bucket, Key=target, CopySource={"Bucket": bucket, "Key": source}
            )
        )
        return

    def copy():
        with default_storage.open(source, "rb") as handle:
            if not save_local_once(target, File(handle)):
                raise StorageUnavailable(f"{target} exists already")

    _guard(copy)


def object_size(key: str) -> int | None:
    """Size of a stored object, or None when nothing is there."""
    if using_s3():
        try:
            head = _guard(
                lambda: _client().head_object(Bucket=default_storage.bucket_name, Key=key)
            )
        except FileNotFoundError:
            return None
        return head["ContentLength"]
    return _guard(lambda: default_storage.size(key) if default_storage.exists(key) else None)


def download_to_temp(key: str, limit: int):
    """Copy an object to a temporary file in chunks, hashing as it goes; memory stays flat.

    Returns (file, size, sha256). Refuses (TooLarge) an object larger than `limit`.
    """
    temp = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    digest = hashlib.sha256()
    size = 0

    def copy():
        nonlocal size
        if using_s3():
            body = _client().get_object(Bucket=default_storage.bucket_name, Key=key)["Body"]
            chunks = body.iter_chunks(CHUNK)
        else:
            handle = default_storage.open(key, "rb")
            chunks = iter(lambda: handle.read(CHUNK), b"")
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise TooLarge(_("The file is larger than allowed."))
            digest.update(chunk)
            temp.write(chunk)

    try:
        _guard(copy)
    except BaseException:
        temp.close()
        raise
    temp.seek(0)
    return temp, size, digest.hexdigest()


def save_bytes(key: str, data: bytes, content_type: str) -> None:
    if using_s3():
        _guard(
            lambda: _client().put_object(
                Bucket=default_storage.bucket_name, Key=key, Body=data, ContentType=content_type
            )
        )
        return
    if not save_local_once(key, ContentFile(data)):
        raise StorageUnavailable(f"{key} exists already")


def delete_objects(keys: list[str]) -> None:
    for key in keys:
        _guard(lambda key=key: default_storage.delete(key))


def content_disposition(filename: str, *, attachment: bool) -> str:
    return f"{'attachment' if attachment else 'inline'}; filename*=UTF-8''{quote(filename)}"


def signed_url(
    *, key: str, filename: str, content_type: str, attachment: bool, local_ref: str
) -> str:
    """A short-lived URL for one object, issued only after the caller checked permissions.

    `filename` is what a download is saved as: pass a neutral one, since it travels in the
    URL. Locally the URL carries only `local_ref` (signed, not encrypted, so it must reveal
    nothing: no key, no name), which the local file view resolves again on the server.
    """
    if using_s3():
        return _guard(
            lambda: _client().generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": default_storage.bucket_name,
                    "Key": key,
                    "ResponseContentDisposition": content_disposition(
                        filename, attachment=attachment
                    ),
                    "ResponseContentType": content_type,
                },
                ExpiresIn=settings.S3_URL_EXPIRY,
            )
        )
    token = signing.dumps({"r": local_ref, "a": attachment}, salt=DOWNLOAD_SALT)
    return reverse("local_file", kwargs={"token": token})


def read_download_token(token: str) -> dict:
    """{"r": the caller's reference, "a": attachment or not}, if signed and unexpired."""
    return signing.loads(token, salt=DOWNLOAD_SALT, max_age=settings.S3_URL_EXPIRY)


def list_keys(prefix: str) -> list[str]:
    """Every stored key under a prefix (for housekeeping)."""
    if using_s3():
        paginator = _client().get_paginator("list_objects_v2")

        def listing():
            return [
                item["Key"]
                for page in paginator.paginate(Bucket=default_storage.bucket_name, Prefix=prefix)
                for item in page.get("Contents", [])
            ]

        return _guard(listing)

    def walk(path):
        if not default_storage.exists(path):
            return []
        dirs, files = default_storage.listdir(path)
        keys = [f"{path}/{name}" for name in files]
        for name in dirs:
            keys += walk(f"{path}/{name}")
        return keys

    return _guard(lambda: walk(prefix.rstrip("/")))


def modified_at(key: str):
    return _guard(lambda: default_storage.get_modified_time(key))
