"""Check the audit trail's hash chain: "intact: N events", or the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from awards.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exits with an error at the first broken link."

    def handle(self, *args, **options):
        count, broken = audit_verify()
        if broken is not None:
            raise CommandError(
                f"broken at event #{broken.pk} ({broken.created_at:%Y-%m-%d %H:%M:%S} "
                f"{broken.action} {broken.object_type}#{broken.object_id}), after {count} intact "
                "events: it, or one before it, was changed, inserted or deleted."
            )
        self.stdout.write(f"intact: {count} events")
