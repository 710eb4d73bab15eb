import os
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from awards.models import AuditEvent
from submissions.models import EntryAsset
from tests.factories import EntryFactory, ready_image

pytestmark = pytest.mark.django_db


def age(key: str, hours: int):
    path = default_storage.path(key)
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_cleanup_removes_stale_uploads_and_orphans_and_keeps_the_rest(capsys):
    entry = EntryFactory()
    kept = ready_image(entry)
    stale = EntryAsset.objects.create(
        entry=entry,
        kind="image",
        staging_key=EntryAsset.new_staging_key(),
        original_name="a.jpg",
        content_type="image/jpeg",
        declared_size=10,
    )
    EntryAsset.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=30))
    default_storage.save(stale.staging_key, ContentFile(b"half an upload"))
    fresh = EntryAsset.objects.create(
        entry=entry,
        kind="image",
        staging_key=EntryAsset.new_staging_key(),
        original_name="b.jpg",
        content_type="image/jpeg",
        declared_size=10,
    )
    orphan = f"entries/{entry.storage_prefix.hex}/{'0' * 32}"
    default_storage.save(orphan, ContentFile(b"rendition of a deleted file"))
    young_orphan = f"entries/{entry.storage_prefix.hex}/{'1' * 32}"
    default_storage.save(young_orphan, ContentFile(b"rendition being written"))
    default_storage.save(fresh.staging_key, ContentFile(b"an upload on its way"))
    # What a replayed upload permission writes after its file was finalized or deleted.
    replayed = f"staging/{'2' * 32}"
    default_storage.save(replayed, ContentFile(b"replayed upload"))
    for key in (stale.staging_key, orphan, kept.key):
        age(key, 30)

    call_command("cleanup_uploads")

    assert set(EntryAsset.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    keys = (kept.key, fresh.staging_key, young_orphan, stale.staging_key, orphan, replayed)
    assert [default_storage.exists(k) for k in keys] == [True, True, True, False, False, False]
    assert "Removed 1 unfinished uploads and 3 orphaned objects." in capsys.readouterr().out
    release = AuditEvent.objects.get(action="asset.release")
    assert (release.object_id, release.data["asset"], release.data["reason"]) == (
        str(entry.pk),
        str(stale.public_id),
        "expired",
    )
