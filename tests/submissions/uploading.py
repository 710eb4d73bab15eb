"""Do in tests what the browser does: ask for a presigned upload, post the file, finalize."""

import json

import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import translation


def start(
    client,
    entry,
    name,
    content: bytes,
    content_type: str,
    size: int | None = None,
    position: int | None = None,
):
    request = {"name": name, "size": len(content) if size is None else size, "type": content_type}
    if position is not None:  # where the page placed the file (the order it was dropped in)
        request["position"] = position
    return client.post(
        reverse("submissions:upload_start", kwargs={"entry_id": entry.public_id}),
        data=json.dumps(request),
        content_type="application/json",
    )


def post_to_storage(client, target: dict, name: str, content: bytes, content_type: str) -> int:
    if target["url"].startswith("http"):  # S3: straight to the bucket over HTTP, as a browser would
        response = requests.post(
            target["url"],
            data=target["fields"],
            files={"file": (name, content, content_type)},
            timeout=30,
        )
        return response.status_code
    # /uploads/local/ has no language prefix: the request would leave the default language
    # active in this thread, and the test's next reverse() would build a Vietnamese URL.
    with translation.override(translation.get_language()):
        response = client.post(
            target["url"],
            data={**target["fields"], "file": SimpleUploadedFile(name, content, content_type)},
        )
    return response.status_code


def upload(client, entry, name, content: bytes, content_type: str = "image/jpeg"):
    """The whole journey; returns the response that ends it (start's refusal or finalize's answer)."""
    response = start(client, entry, name, content, content_type)
    if response.status_code != 200:
        return response
    target = response.json()
    assert post_to_storage(client, target, name, content, content_type) in (200, 201, 204)
    return finalize(client, target)


def finalize(client, target: dict):
    # The test's transaction never commits: run what finalize leaves for "after commit"
    # (the renditions task) as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(target["finalize"])
