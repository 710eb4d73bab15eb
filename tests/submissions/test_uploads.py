import base64
import hashlib
import io
import json
import re
import zlib
from datetime import timedelta
from urllib.parse import unquote_plus, urlsplit

import pytest
import requests
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from awards.models import AuditEvent
from submissions import services, storage
from submissions.models import Entry
from submissions.tasks import make_renditions
from tests import images
from tests.factories import AwardCycleFactory, CategoryFactory, CompleteEntryFactory, ready_image
from tests.submissions.uploading import finalize, post_to_storage, start, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def entry(people):
    category = CategoryFactory(cycle=AwardCycleFactory(), code="ARC", min_images=3, max_images=4)
    return CompleteEntryFactory(owner=people.creator, category=category)


@pytest.fixture
def creator_client(client, people):
    client.force_login(people.creator)
    return client


def read(key: str) -> bytes:
    with default_storage.open(key, "rb") as handle:
        return handle.read()


def assert_nothing_lost(entry, ready_before):
    """The entry's texts and every file that was ready before are exactly as they were."""
    fresh = Entry.objects.get(pk=entry.pk)
    assert (fresh.title_vi, fresh.statement_en) == (entry.title_vi, entry.statement_en)
    assert list(fresh.assets.filter(status="ready").values_list("pk", flat=True)) == [
        a.pk for a in ready_before
    ]
    for asset in ready_before:
        assert default_storage.exists(asset.key)


def test_images_and_pdf_become_ready_with_checksums_and_renditions(creator_client, entry, backend):
    files = [
        ("river.jpg", images.jpeg(exif_gps=True, comment=b"shot by Nguyen Van A"), "image/jpeg"),
        ("plan.png", images.png(), "image/png"),
        ("detail.webp", images.webp(), "image/webp"),
        ("portfolio.pdf", images.pdf(pages=5, author="Nguyen Van A"), "application/pdf"),
    ]

    for name, content, content_type in files:
        response = upload(creator_client, entry, name, content, content_type)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "ready"

    assets = list(entry.assets.order_by("pk"))
    assert [(a.original_name, a.status, a.renditions) for a in assets] == [
        (name, "ready", "ready") for name, _, _ in files
    ]
    assert [a.checksum for a in assets] == [
        hashlib.sha256(content).hexdigest() for _, content, _ in files
    ]
    assert (assets[0].width, assets[0].height, assets[3].pages) == (2000, 1400, 5)


def test_jury_copy_has_no_metadata(creator_client, entry, backend):
    upload(creator_client, entry, "river.jpg", images.jpeg(exif_gps=True, comment=b"Nguyen Van A"))
    asset = entry.assets.get()

    jury = Image.open(io.BytesIO(read(asset.jury_key)))

    assert dict(jury.getexif()) == {}
    assert not {"exif", "comment", "xmp", "icc_profile", "photoshop"} & set(jury.info)
    assert b"Nguyen Van A" not in read(asset.jury_key)
    assert b"SecretCam" not in read(asset.jury_key)
    assert max(Image.open(io.BytesIO(read(asset.thumb_key))).size) == 480
    assert max(Image.open(io.BytesIO(read(asset.web_key))).size) == 1600


def test_pdf_jury_copy_drops_the_author(creator_client, entry):
    upload(
        creator_client,
        entry,
        "portfolio.pdf",
        images.pdf(pages=2, author="Nguyen Van A"),
        "application/pdf",
    )
    asset = entry.assets.get()

    assert b"Nguyen Van A" in read(asset.key)
    assert b"Nguyen Van A" not in read(asset.jury_key)


@pytest.mark.parametrize(
    ("name", "content"),
    [("cmyk.jpg", images.cmyk_jpeg()), ("animated.webp", images.animated_webp())],
    ids=["cmyk", "animated"],
)
def test_cmyk_and_animated_images_are_accepted_with_rgb_renditions(
    creator_client, entry, name, content
):
    content_type = "image/webp" if name.endswith("webp") else "image/jpeg"

    response = upload(creator_client, entry, name, content, content_type)

    assert response.status_code == 200
    jury = Image.open(io.BytesIO(read(entry.assets.get().jury_key)))
    assert (jury.mode, getattr(jury, "n_frames", 1)) == ("RGB", 1)


def test_object_keys_are_opaque_and_the_name_stays_in_the_database(creator_client, entry, backend):
    name = '../../etc/ảnh "đẹp" <b>.jpg'

    upload(creator_client, entry, name, images.jpeg())

    asset = entry.assets.get()
    assert re.fullmatch(r"entries/[0-9a-f]{32}/[0-9a-f]{32}", asset.key)
    assert entry.storage_prefix.hex in asset.key
    assert str(entry.public_id) not in asset.key
    assert asset.original_name == 'ảnh "đẹp" <b>.jpg'
    page = creator_client.get(entry.get_absolute_url()).content.decode()
    assert "ảnh &quot;đẹp&quot; &lt;b&gt;.jpg" in page


BAD_FILES = [
    ("setup.jpg", images.EXE, "image/jpeg", "not a JPEG, PNG, WebP or PDF"),
    ("truncated.jpg", images.jpeg()[:20_000], "image/jpeg", "damaged or incomplete"),
    ("bomb.png", images.bomb_png(), "image/png", "too many pixels"),
    ("page.jpg", images.HTML, "image/jpeg", "not a JPEG, PNG, WebP or PDF"),
    ("book.pdf", images.pdf(pages=500), "application/pdf", "500 pages; the limit is 40"),
    ("small.jpg", images.jpeg(1200, 800), "image/jpeg", "at least 1600 pixels"),
]


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"), BAD_FILES, ids=[f[0] for f in BAD_FILES]
)
def test_bad_file_is_refused_with_a_message_and_nothing_is_lost(
    creator_client, entry, backend, name, content, content_type, message
):
    before = [ready_image(entry)]

    response = upload(creator_client, entry, name, content, content_type)

    assert response.status_code == 422
    assert message in response.json()["error"]
    assert name.rsplit("/", 1)[-1] in response.json()["error"]
    assert_nothing_lost(entry, before)
    assert not entry.assets.filter(status="pending").exists()
    # The refused object is gone from the store; only the earlier file's objects remain.
    assert set(storage.list_keys(f"entries/{entry.storage_prefix.hex}/")) == {before[0].key}


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("drawing.svg", images.SVG, "image/svg+xml", "is not a JPEG, PNG, WebP or PDF file"),
        ("index.html", images.HTML, "text/html", "is not a JPEG, PNG, WebP or PDF file"),
        ("empty.jpg", b"", "image/jpeg", "is empty"),
    ],
)
def test_wrong_type_or_empty_file_is_refused_before_uploading(
    creator_client, entry, name, content, content_type, message
):
    response = start(creator_client, entry, name, content, content_type)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not entry.assets.exists()


def test_file_declared_over_the_limit_is_refused_before_uploading(creator_client, entry):
    response = start(creator_client, entry, "huge.jpg", b"", "image/jpeg", size=21 * 1024 * 1024)

    assert response.status_code == 400
    assert "21.0 MB, over the limit" in response.json()["error"]


def test_file_larger_than_declared_is_refused_at_finalize(
    creator_client, entry, s3_storage, django_capture_on_commit_callbacks
):
    # moto (like any local S3) ignores the policy's size range: the app must check for itself.
    big = images.jpeg() + b"\0" * (20 * 1024 * 1024)
    target = start(creator_client, entry, "photo.jpg", b"x" * 1000, "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", big, "image/jpeg")
    key = entry.assets.get().staging_key

    with django_capture_on_commit_callbacks(execute=True):
        response = creator_client.post(target["finalize"])

    assert response.status_code == 422
    assert "over the limit" in response.json()["error"]
    assert not entry.assets.exists()
    assert not default_storage.exists(key)


def test_local_endpoint_refuses_a_file_over_the_policy_size(creator_client, entry):
    response = start(creator_client, entry, "photo.jpg", b"x" * 1000, "image/jpeg")
    target = response.json()

    status = post_to_storage(
        creator_client, target, "photo.jpg", b"\0" * (21 * 1024 * 1024), "image/jpeg"
    )

    assert status == 400


def test_local_endpoint_refuses_a_forged_policy(client, creator_client, entry):
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()
    forged = {**target["fields"], "policy": target["fields"]["policy"][:-4] + "AAAA"}

    status = post_to_storage(
        client, {**target, "fields": forged}, "photo.jpg", images.jpeg(), "image/jpeg"
    )

    assert status == 403


def test_one_image_more_than_the_category_allows_is_refused(creator_client, entry):
    for n in range(4):
        ready_image(entry, position=n)

    response = start(creator_client, entry, "fifth.jpg", images.jpeg(), "image/jpeg")

    assert response.status_code == 409
    assert "at most 4 images" in response.json()["error"]


def test_second_pdf_is_refused(creator_client, entry):
    upload(creator_client, entry, "a.pdf", images.pdf(), "application/pdf")

    response = start(creator_client, entry, "b.pdf", images.pdf(), "application/pdf")

    assert response.status_code == 409


def test_finalize_of_an_upload_that_never_arrived(creator_client, entry, backend):
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()

    response = creator_client.post(target["finalize"])

    assert response.status_code == 409
    assert "did not arrive" in response.json()["error"]
    assert entry.assets.get().status == "pending"  # the place is kept: uploading again works
    post_to_storage(creator_client, target, "photo.jpg", images.jpeg(), "image/jpeg")
    assert creator_client.post(target["finalize"]).json()["status"] == "ready"


def test_finalize_twice_answers_the_same(creator_client, entry):
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", images.jpeg(), "image/jpeg")

    first = creator_client.post(target["finalize"])
    second = creator_client.post(target["finalize"])

    assert (first.status_code, second.status_code) == (200, 200)
    assert entry.assets.count() == 1


def test_finalize_of_another_creators_upload_is_not_found(client, creator_client, entry, people):
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", images.jpeg(), "image/jpeg")
    client.force_login(people.other_creator)

    response = client.post(target["finalize"])

    assert response.status_code == 404
    assert entry.assets.get().status == "pending"


def test_presign_and_finalize_after_the_deadline_are_refused(creator_client, entry):
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", images.jpeg(), "image/jpeg")
    entry.cycle.submissions_close_at = entry.cycle.submissions_open_at + timedelta(days=1)
    entry.cycle.save()

    late_start = start(creator_client, entry, "late.jpg", images.jpeg(), "image/jpeg")
    late_finalize = creator_client.post(target["finalize"])

    assert (late_start.status_code, late_finalize.status_code) == (403, 403)
    assert "deadline" in late_start.json()["error"]
    assert "deadline" in late_finalize.json()["error"]


def test_storage_outage_during_presign_keeps_everything(
    creator_client, entry, s3_storage, settings
):
    before = [ready_image(entry)]
    settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] = (
        "http://127.0.0.1:9"  # nothing listens
    )
    settings.STORAGES = {**settings.STORAGES}

    response = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg")

    assert response.status_code == 503
    assert "try again" in response.json()["error"]
    settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] = s3_storage.endpoint
    settings.STORAGES = {**settings.STORAGES}
    assert_nothing_lost(entry, before)


def test_storage_outage_during_finalize_keeps_everything_and_a_retry_works(
    creator_client, entry, s3_storage, settings
):
    before = [ready_image(entry)]
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", images.jpeg(), "image/jpeg")
    options = settings.STORAGES["default"]["OPTIONS"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**options, "endpoint_url": "http://127.0.0.1:9"},
        },
    }

    response = creator_client.post(target["finalize"])

    assert response.status_code == 503
    assert "safe" in response.json()["error"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": options},
    }
    assert_nothing_lost(entry, before)
    assert creator_client.post(target["finalize"]).json()["status"] == "ready"


def test_deleting_a_file_removes_its_objects_after_commit(
    creator_client, entry, backend, django_capture_on_commit_callbacks
):
    upload(creator_client, entry, "photo.jpg", images.jpeg())
    asset = entry.assets.get()
    keys = asset.storage_keys()
    assert len(keys) == 4 and all(default_storage.exists(k) for k in keys)

    with django_capture_on_commit_callbacks(execute=True):
        creator_client.post(
            reverse(
                "submissions:asset_change",
                kwargs={"entry_id": entry.public_id, "asset_id": asset.public_id},
            ),
            {"action": "delete"},
        )

    assert not entry.assets.exists()
    assert not any(default_storage.exists(k) for k in keys)


def test_caption_and_order_can_be_changed(creator_client, entry):
    first, second = ready_image(entry, position=1), ready_image(entry, position=2)

    creator_client.post(
        reverse(
            "submissions:asset_change",
            kwargs={"entry_id": entry.public_id, "asset_id": first.public_id},
        ),
        {"caption": "Mặt đứng phía sông"},
    )
    creator_client.post(
        reverse("submissions:assets_reorder", kwargs={"entry_id": entry.public_id}),
        {"move": str(second.public_id), "direction": "up"},
    )

    assert list(entry.assets.order_by("position").values_list("pk", "caption")) == [
        (second.pk, ""),
        (first.pk, "Mặt đứng phía sông"),
    ]


def test_signed_download_url_serves_the_file_briefly_and_privately(creator_client, entry, backend):
    upload(creator_client, entry, "portfolio.pdf", images.pdf(), "application/pdf")
    asset = entry.assets.get()

    response = creator_client.get(
        reverse(
            "submissions:asset_file",
            kwargs={
                "entry_id": entry.public_id,
                "asset_id": asset.public_id,
                "variant": "original",
            },
        )
    )

    assert response.status_code == 302
    url = response["Location"]
    if backend == "s3":
        assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
        fetched = requests.get(url, timeout=10)
        body, disposition = fetched.content, fetched.headers["Content-Disposition"]
        # The bucket itself is private: the same object without a signature is refused.
        assert requests.get(url.split("?")[0], timeout=10).status_code == 403
    else:
        fetched = creator_client.get(url)
        body, disposition = b"".join(fetched.streaming_content), fetched["Content-Disposition"]
    assert body == read(asset.key)
    assert disposition.startswith("attachment;")


def test_messages_follow_the_page_language(creator_client, entry):
    from django.utils import translation

    with translation.override("vi"):
        response = upload(creator_client, entry, "setup.jpg", images.EXE)

    assert response.status_code == 422
    assert "không phải là JPEG, PNG, WebP hay PDF" in response.json()["error"]


def test_renditions_are_recorded_in_the_entry_history(creator_client, entry):
    upload(creator_client, entry, "river.jpg", images.jpeg())
    asset = entry.assets.get()

    events = AuditEvent.objects.filter(object_id=str(entry.pk), action="asset.renditions")

    assert [(e.actor, e.data["asset"], e.data["made"]) for e in events] == [
        (None, str(asset.public_id), ["jury", "thumb", "web"])
    ]


def test_failed_renditions_are_recorded_and_the_file_stays_ready(entry):
    asset = ready_image(entry, content=b"\xff\xd8\xff" + b"not really a JPEG" * 100)

    make_renditions.call(asset_id=asset.pk)

    asset.refresh_from_db()
    assert (asset.status, asset.renditions, asset.thumb_key, asset.jury_key) == (
        "ready",
        "failed",
        "",
        "",
    )
    assert AuditEvent.objects.filter(
        object_id=str(entry.pk), action="asset.renditions_failed"
    ).exists()
    assert storage.list_keys(f"entries/{entry.storage_prefix.hex}/") == [asset.key]


# A verified file is immutable ---------------------------------------------------------------


def asset_bytes(client, entry, asset, variant="original") -> tuple[bytes, str]:
    """What the file's link serves, followed to the signed URL as a browser would."""
    url = client.get(
        reverse(
            "submissions:asset_file",
            kwargs={"entry_id": entry.public_id, "asset_id": asset.public_id, "variant": variant},
        )
    )["Location"]
    if url.startswith("http"):
        fetched = requests.get(url, timeout=10)
        return fetched.content, fetched.headers["Content-Disposition"]
    fetched = client.get(url)
    return b"".join(fetched.streaming_content), fetched["Content-Disposition"]


def test_finalize_moves_the_file_to_a_key_no_upload_permission_names(
    creator_client, entry, backend
):
    content = images.jpeg()
    target = start(creator_client, entry, "photo.jpg", content, "image/jpeg").json()
    staging = entry.assets.get().staging_key
    post_to_storage(creator_client, target, "photo.jpg", content, "image/jpeg")

    finalize(creator_client, target)

    asset = entry.assets.get()
    assert (asset.status, asset.staging_key) == ("ready", "")
    assert asset.key.startswith(f"entries/{entry.storage_prefix.hex}/")
    permission = json.dumps(target["fields"])
    if backend == "s3":  # the policy document itself, as S3 reads it
        permission += base64.b64decode(target["fields"]["policy"]).decode()
    assert staging in permission and asset.key not in permission
    assert read(asset.key) == content
    assert not default_storage.exists(staging)


@pytest.mark.parametrize(
    "replacement", [images.jpeg(200, 150), images.HTML], ids=["small-image", "html"]
)
def test_a_replayed_upload_after_the_deadline_changes_nothing(
    creator_client, entry, backend, people, replacement
):
    good = images.jpeg()
    target = start(creator_client, entry, "photo.jpg", good, "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", good, "image/jpeg")
    finalize(creator_client, target)
    ready_image(entry, name="plan.jpg", position=2), ready_image(entry, name="cut.jpg", position=3)
    services.entry_submit(entry=entry, by=people.creator)
    entry.cycle.submissions_close_at = timezone.now() - timedelta(minutes=1)
    entry.cycle.save()

    status = post_to_storage(creator_client, target, "photo.jpg", replacement, "image/jpeg")

    # The local endpoint refuses outright; S3 cannot revoke a presigned POST, so the bucket
    # accepts the bytes, under an upload key that nothing reads.
    assert status == (409 if backend == "local" else 204)
    asset = entry.assets.get(original_name="photo.jpg")
    assert asset.checksum == hashlib.sha256(good).hexdigest()
    assert asset_bytes(creator_client, entry, asset)[0] == good


def test_a_replayed_upload_after_deleting_the_file_leaves_no_orphan(
    creator_client, entry, backend, django_capture_on_commit_callbacks
):
    content = images.jpeg()
    target = start(creator_client, entry, "photo.jpg", content, "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", content, "image/jpeg")
    finalize(creator_client, target)
    asset = entry.assets.get()
    with django_capture_on_commit_callbacks(execute=True):
        creator_client.post(
            reverse(
                "submissions:asset_change",
                kwargs={"entry_id": entry.public_id, "asset_id": asset.public_id},
            ),
            {"action": "delete"},
        )

    status = post_to_storage(creator_client, target, "photo.jpg", images.HTML, "image/jpeg")
    call_command("cleanup_uploads")

    assert status == (409 if backend == "local" else 204)
    assert storage.list_keys("entries/") + storage.list_keys("staging/") == []


def test_a_replay_while_finalize_checks_the_file_does_not_slip_in(
    creator_client, entry, backend, monkeypatch
):
    good = images.jpeg()
    target = start(creator_client, entry, "photo.jpg", good, "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", good, "image/jpeg")
    copy = storage.copy_object

    def copy_then_replay(source, destination):
        copy(source, destination)
        # The upload permission is still valid: a replay lands just after the copy.
        post_to_storage(creator_client, target, "photo.jpg", images.HTML, "image/jpeg")

    monkeypatch.setattr(storage, "copy_object", copy_then_replay)

    response = finalize(creator_client, target)

    assert response.status_code == 200
    asset = entry.assets.get()
    assert asset.checksum == hashlib.sha256(good).hexdigest()
    assert asset_bytes(creator_client, entry, asset)[0] == good


def test_local_endpoint_refuses_a_second_upload_with_the_same_permission(creator_client, entry):
    content = images.jpeg()
    target = start(creator_client, entry, "photo.jpg", content, "image/jpeg").json()
    first = post_to_storage(creator_client, target, "photo.jpg", content, "image/jpeg")

    second = post_to_storage(creator_client, target, "photo.jpg", images.HTML, "image/jpeg")

    assert (first, second) == (204, 409)
    assert read(entry.assets.get().staging_key) == content


def test_file_of_another_size_than_declared_is_refused_at_finalize(creator_client, entry, backend):
    content = images.jpeg()
    target = start(
        creator_client, entry, "photo.jpg", content, "image/jpeg", size=len(content) + 100
    ).json()
    post_to_storage(creator_client, target, "photo.jpg", content, "image/jpeg")

    response = finalize(creator_client, target)

    assert response.status_code == 422
    assert (
        f"The file received ({len(content)} bytes) is not the size announced when the upload "
        f"started ({len(content) + 100} bytes)" in response.json()["error"]
    )
    assert not entry.assets.exists()
    assert storage.list_keys("entries/") + storage.list_keys("staging/") == []


def test_local_endpoint_calls_an_empty_file_empty(creator_client, entry):
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()

    with translation.override("en"):  # no language in this URL: the browser's is used
        response = creator_client.post(
            target["url"],
            data={**target["fields"], "file": SimpleUploadedFile("photo.jpg", b"", "image/jpeg")},
            headers={"accept-language": "en"},
        )

    assert response.status_code == 400
    assert response.content.decode().startswith("The file is empty (0 bytes).")


# Places held by uploads that failed ----------------------------------------------------------


def test_an_upload_refused_by_the_store_gives_its_place_back_when_the_browser_says_so(
    creator_client, entry
):
    for n in range(3):
        ready_image(entry, name=f"{n}.jpg", position=n)
    target = start(creator_client, entry, "fourth.jpg", images.jpeg(), "image/jpeg").json()
    refused = post_to_storage(creator_client, target, "fourth.jpg", b"", "image/jpeg")
    assert start(creator_client, entry, "again.jpg", images.jpeg(), "image/jpeg").status_code == 409

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = creator_client.post(target["release"])

    assert (refused, response.status_code, response.json()) == (400, 200, {"released": True})
    assert entry.assets.filter(status="pending").count() == 0
    assert start(creator_client, entry, "again.jpg", images.jpeg(), "image/jpeg").status_code == 200
    release = AuditEvent.objects.get(action="asset.release")
    assert (release.actor, release.data["name"], release.data["reason"]) == (
        entry.owner,
        "fourth.jpg",
        "upload failed",
    )


def test_releasing_a_finished_upload_changes_nothing(creator_client, entry, backend):
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()
    post_to_storage(creator_client, target, "photo.jpg", images.jpeg(), "image/jpeg")
    finalize(creator_client, target)

    response = creator_client.post(target["release"])

    assert response.json() == {"released": False}
    asset = entry.assets.get()
    assert asset.status == "ready" and default_storage.exists(asset.key)


def test_another_creator_cannot_release_an_upload(client, creator_client, entry, people):
    target = start(creator_client, entry, "photo.jpg", images.jpeg(), "image/jpeg").json()
    client.force_login(people.other_creator)

    response = client.post(target["release"])

    assert response.status_code == 404
    assert entry.assets.get().status == "pending"


def test_uploads_that_never_arrived_give_their_places_back_when_the_limit_is_reached(
    creator_client, entry, backend
):
    for n in range(2):
        ready_image(entry, name=f"{n}.jpg", position=n)
    never_sent = start(creator_client, entry, "lost.jpg", images.jpeg(), "image/jpeg").json()
    arrived = start(creator_client, entry, "arrived.jpg", images.jpeg(), "image/jpeg").json()
    post_to_storage(creator_client, arrived, "arrived.jpg", images.jpeg(), "image/jpeg")
    entry.assets.filter(status="pending").update(created_at=timezone.now() - timedelta(minutes=25))

    response = start(creator_client, entry, "new.jpg", images.jpeg(), "image/jpeg")

    assert response.status_code == 200
    assert sorted(
        entry.assets.filter(status="pending").values_list("original_name", flat=True)
    ) == [
        "arrived.jpg",  # its object is there: the creator may still finalize it
        "new.jpg",
    ]
    assert creator_client.post(never_sent["finalize"]).status_code == 404
    assert AuditEvent.objects.get(action="asset.release").data["reason"] == "never arrived"


def test_an_upload_still_on_its_way_keeps_its_place(creator_client, entry):
    for n in range(3):
        ready_image(entry, name=f"{n}.jpg", position=n)
    start(creator_client, entry, "slow.jpg", images.jpeg(), "image/jpeg")
    entry.assets.filter(status="pending").update(created_at=timezone.now() - timedelta(minutes=10))

    response = start(creator_client, entry, "new.jpg", images.jpeg(), "image/jpeg")

    assert response.status_code == 409
    assert entry.assets.filter(status="pending").count() == 1


# PDFs that could act when opened ------------------------------------------------------------


@pytest.mark.parametrize(
    ("carries", "what"),
    [
        ("names_js", "JavaScript"),
        ("open_action_js", "JavaScript"),
        ("page_aa_js", "JavaScript"),
        ("launch", "actions that open other programs"),
        ("attachment", "embedded files"),
        ("file_annotation", "embedded files"),
    ],
)
def test_pdf_with_active_content_is_refused_with_what_to_do(creator_client, entry, carries, what):
    response = upload(
        creator_client,
        entry,
        "portfolio.pdf",
        images.pdf_with(**{carries: True}),
        "application/pdf",
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert f"The PDF contains {what}, which the award does not accept." in error
    assert "Export it again as a plain PDF" in error
    assert not entry.assets.exists()


def test_pdf_jury_copy_has_no_actions_links_or_author(creator_client, entry, backend):
    original = images.pdf_with(harmless_actions=True, author="Nguyen Van A")

    response = upload(creator_client, entry, "portfolio.pdf", original, "application/pdf")

    assert response.status_code == 200
    asset = entry.assets.get()
    jury = read(asset.jury_key)
    found = images.pdf_names(jury) & {
        "/AA",
        "/OpenAction",
        "/Annots",
        "/URI",
        "/Author",
        "/Creator",
    }
    assert found == set()
    assert b"Nguyen Van A" not in jury
    assert read(asset.key) == original  # the creator's file itself is kept as it came


# What download links reveal ------------------------------------------------------------------


def file_url(client, entry, asset, variant, download=False) -> str:
    url = reverse(
        "submissions:asset_file",
        kwargs={"entry_id": entry.public_id, "asset_id": asset.public_id, "variant": variant},
    )
    return client.get(url + ("?download=1" if download else ""))["Location"]


def readable(url: str) -> str:
    """The URL as anyone holding it can read it: percent-decoded, and a local token unpacked."""
    text = unquote_plus(unquote_plus(url))
    if "/files/" in url:
        payload = url.rsplit("/files/", 1)[1].split(":")[0]
        data = signing.b64_decode(payload.lstrip(".").encode())
        text += (zlib.decompress(data) if payload.startswith(".") else data).decode()
    return text


@pytest.mark.parametrize("variant", ["original", "thumb", "web", "jury"])
def test_download_urls_reveal_neither_the_file_name_nor_the_storage_key(
    creator_client, entry, backend, variant
):
    name = "Nguyễn Văn A studio - mặt đứng.jpg"
    upload(creator_client, entry, name, images.jpeg())
    asset = entry.assets.get()

    url = readable(file_url(creator_client, entry, asset, variant, download=True))

    assert "Nguyễn" not in url and "Nguy" not in url and "studio" not in url
    if backend == "local":
        assert not [key for key in asset.storage_keys() if key in url]
    else:  # S3 names the object in the URL's path (opaque); nothing else does
        assert not [key for key in asset.storage_keys() if key in urlsplit(url).query]


def test_downloads_use_the_reference_code_and_position_as_their_name(
    creator_client, entry, backend, people
):
    upload(creator_client, entry, "Nguyễn - phối cảnh.jpg", images.jpeg())
    upload(creator_client, entry, "Nguyễn - hồ sơ.pdf", images.pdf(), "application/pdf")
    image, pdf = entry.assets.get(kind="image"), entry.assets.get(kind="pdf")
    draft_name = asset_bytes(creator_client, entry, image, "original")[1]
    ready_image(entry, name="b.jpg", position=2), ready_image(entry, name="c.jpg", position=3)
    code = services.entry_submit(entry=entry, by=people.creator).reference_code

    body, disposition = asset_bytes(creator_client, entry, pdf, "original")

    assert draft_name == "inline; filename*=UTF-8''entry-1.jpg"
    assert disposition == f"attachment; filename*=UTF-8''{code}-1.pdf"
    assert body == read(pdf.key)
    page = creator_client.get(entry.get_absolute_url()).content.decode()
    assert "Nguyễn - phối cảnh.jpg" in page  # the owner still sees their own names


# The order the creator chose -----------------------------------------------------------------


def test_images_keep_the_order_they_were_dropped_in_whatever_order_they_arrive(
    creator_client, entry, people, mailoutbox
):
    dropped = ["1-mat-dung.jpg", "2-mat-bang.jpg", "3-chi-tiet.jpg"]
    content = {name: images.jpeg(color=(40 * n, 90, 120)) for n, name in enumerate(dropped)}
    targets = {}
    for position, name in reversed(list(enumerate(dropped, start=1))):  # 3 reaches the app first
        response = start(
            creator_client, entry, name, content[name], "image/jpeg", position=position
        )
        targets[name] = response.json()
    for name in (dropped[1], dropped[2], dropped[0]):  # and finalize ends in yet another order
        post_to_storage(creator_client, targets[name], name, content[name], "image/jpeg")
        finalize(creator_client, targets[name])

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.entry_submit(entry=entry, by=people.creator)

    page = creator_client.get(entry.get_absolute_url()).content.decode()
    assert [page.index(name) for name in dropped] == sorted(page.index(name) for name in dropped)
    receipt = mailoutbox[-1].body.split("— — —")[1]  # the English half
    assert [receipt.index(name) for name in dropped] == sorted(
        receipt.index(name) for name in dropped
    )


def test_a_position_already_taken_goes_last(creator_client, entry):
    ready_image(entry, name="first.jpg", position=1)

    start(creator_client, entry, "second.jpg", images.jpeg(), "image/jpeg", position=1)

    assert list(entry.assets.order_by("position").values_list("original_name", "position")) == [
        ("first.jpg", 1),
        ("second.jpg", 2),
    ]


def test_refusal_of_an_empty_file_reads_once_in_vietnamese(creator_client, entry):
    with translation.override("vi"):
        at_start = start(creator_client, entry, "trong.jpg", b"", "image/jpeg").json()["error"]
        target = start(creator_client, entry, "anh.jpg", images.jpeg(), "image/jpeg").json()
        at_store = creator_client.post(
            target["url"],
            data={**target["fields"], "file": SimpleUploadedFile("anh.jpg", b"", "image/jpeg")},
            headers={"accept-language": "vi"},
        ).content.decode()

    instruction = (
        "Hãy tải lên một ảnh JPEG, PNG hoặc WebP tối đa 20 MB và 100 megapixel, "
        "cạnh dài tối thiểu 1600 pixel."
    )
    assert at_start == f"“trong.jpg”: Tệp này trống (0 byte). {instruction}"
    assert at_store == f"Tệp này trống (0 byte). {instruction}"
