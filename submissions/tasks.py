"""Background work: renditions and emails. Run inline locally, by `db_worker` in production."""

import logging
import uuid

from django.db import transaction
from django.tasks import task

from submissions import emails, files, storage
from submissions.models import Entry, EntryAsset

log = logging.getLogger(__name__)


@task()
def make_renditions(asset_id: int) -> None:
    """Thumbnail, web-size image and the jury copy (every metadata field removed)."""
    asset = EntryAsset.objects.select_related("entry").filter(pk=asset_id, status="ready").first()
    if asset is None or asset.renditions == EntryAsset.Renditions.READY:
        return
    prefix = asset.key.rsplit("/", 1)[0]
    made: dict[str, str] = {}
    try:
        temp, _size, _checksum = storage.download_to_temp(
            asset.key, limit=files.max_bytes(asset.kind)
        )
        with temp:
            if asset.kind == EntryAsset.Kind.IMAGE:
                outputs = {
                    name: (data, "image/jpeg")
                    for name, data in files.image_renditions(temp).items()
                }
            else:
                outputs = {"jury": (files.pdf_jury_copy(temp), files.PDF_TYPE)}
        for name, (data, content_type) in outputs.items():
            key = f"{prefix}/{uuid.uuid4().hex}"
            storage.save_bytes(key, data, content_type)
            made[name] = key
    except Exception:
        log.exception("Renditions failed for asset %s", asset_id)
        EntryAsset.objects.filter(pk=asset_id).update(renditions=EntryAsset.Renditions.FAILED)
        storage.delete_objects(list(made.values()))
        return
    with transaction.atomic():
        updated = EntryAsset.objects.filter(pk=asset_id).update(
            renditions=EntryAsset.Renditions.READY,
            thumb_key=made.get("thumb", ""),
            web_key=made.get("web", ""),
            jury_key=made.get("jury", ""),
        )
    if not updated:  # deleted while we worked: leave nothing behind
        storage.delete_objects(list(made.values()))


@task()
def send_entry_receipt(entry_id: int, site_url: str = "") -> None:
    entry = Entry.objects.select_related("cycle", "category", "owner").get(pk=entry_id)
    emails.entry_receipt(entry, site_url=site_url)


@task()
def send_screening_notice(entry_id: int, site_url: str = "") -> None:
    entry = Entry.objects.select_related("cycle", "category", "owner").get(pk=entry_id)
    emails.screening_notice(entry, site_url=site_url)
