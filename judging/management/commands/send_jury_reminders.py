"""One digest email per juror with what is left to score; run it daily (cron or a timer)."""

from django.core.management.base import BaseCommand

from judging import services


class Command(BaseCommand):
    help = (
        "Email each juror who has entries left to score in an open round one digest: how many "
        "in each round and until when. Nobody is reminded twice within --min-hours."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-hours",
            type=int,
            default=20,
            help="Hours that must pass before the same juror is reminded again (default 20).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count who would be reminded."
        )

    def handle(self, *args, min_hours, dry_run, **options):
        count = services.jury_reminders_send(min_hours=min_hours, dry_run=dry_run)
        verb = "Would remind" if dry_run else "Reminded"
        self.stdout.write(f"{verb} {count} juror{'s' if count != 1 else ''}.")
