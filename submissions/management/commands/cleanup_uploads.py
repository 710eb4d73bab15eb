"""Remove what uploads leave behind: reservations never finalized and objects nothing points at."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from submissions import services, storage
from submissions.models import STAGING_PREFIX, EntryAsset


class Command(BaseCommand):
    help = "Delete unfinished uploads older than a day, and stored objects no file refers to."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=24, help="Age after which an unfinished upload is dropped."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be removed."
        )

    def handle(self, *args, hours, dry_run, **options):
        cutoff = timezone.now() - timedelta(hours=hours)
        stale = list(
            EntryAsset.objects.filter(status=EntryAsset.Status.PENDING, created_at__lt=cutoff)
        )
        if not dry_run:
            for asset in stale:
                # Audited; its object, if it ever arrived, is removed after the row.
                services.asset_release_reservation(asset=asset, reason="expired")

        # Listed before the references are read: an object written after the listing is not
        # seen, and one whose row appears meanwhile is kept. Renditions are saved before their
        # row is updated, so only objects older than an hour are treated as orphans.
        listed = storage.list_keys("entries/")
        staged = storage.list_keys(STAGING_PREFIX)
        referenced = set()
        for row in EntryAsset.objects.values_list(
            "staging_key", "key", "thumb_key", "web_key", "jury_key"
        ).iterator(chunk_size=5000):
            referenced.update(row)
        recent = timezone.now() - timedelta(hours=1)
        orphans = [k for k in listed if k not in referenced and storage.modified_at(k) < recent]
        # A reservation is saved before its presigned upload is handed out, so an upload
        # object no reservation names is left over from a finalized or deleted file, or was
        # written by a replayed upload permission (valid until it expires): removed at any age.
        orphans += [k for k in staged if k not in referenced]
        if not dry_run:
            storage.delete_objects(orphans)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {len(stale)} unfinished uploads and {len(orphans)} orphaned objects."
        )
