"""Publish frozen results whose time has come. The task queued at freezing does this at the
right minute; run this every minute too (cron, a timer) as a safety net — it is idempotent."""

from django.core.management.base import BaseCommand

from judging.results import publish_due


class Command(BaseCommand):
    help = "Publish every frozen results snapshot whose publish time has come (idempotent)."

    def handle(self, *args, **options):
        published = publish_due()
        for cycle in published:
            self.stdout.write(f"published the results of {cycle.festival_year}")
        if not published:
            self.stdout.write("nothing due")
