"""Check the audit trail's hash chain: "intact: N events", or the first broken link.

A hash chain shows any change, insertion or deletion before its newest event, but not the
removal of its newest events: nothing comes after them to notice. So the command also prints
the chain's head, `ID:HASH`; keep that line somewhere the database's users cannot write (the
cron mail, the ops log), and pass it back with `--expect ID:HASH` to check that everything up
to it is still there, unchanged.
"""

from django.core.management.base import BaseCommand, CommandError

from awards.models import AuditEvent
from awards.services import audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain; exits with an error at the first broken link, "
        "or when an earlier head (--expect ID:HASH) is gone or changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="a head printed by an earlier run; it must still be in the chain, unchanged",
        )

    def handle(self, *args, expect, **options):
        anchors = []
        for value in expect:
            pk, _sep, digest = value.partition(":")
            if not pk.isdigit() or len(digest) != 64:
                raise CommandError(
                    f"--expect takes ID:HASH as printed by this command, not {value!r}."
                )
            anchors.append((int(pk), digest))
        count, broken = audit_verify()
        if broken is not None:
            raise CommandError(
                f"broken at event #{broken.pk} ({broken.created_at:%Y-%m-%d %H:%M:%S} "
                f"{broken.action} {broken.object_type}#{broken.object_id}), after {count} intact "
                "events: it, or one before it, was changed, inserted or deleted."
            )
        for pk, digest in anchors:
            found = AuditEvent.objects.filter(pk=pk).values_list("hash", flat=True).first()
            if found != digest:
                raise CommandError(
                    f"event #{pk} of an earlier head is {'changed' if found else 'gone'}: "
                    "events were removed from the end of the trail (or it was rebuilt)."
                )
        head = AuditEvent.objects.order_by("-pk").values_list("pk", "hash").first()
        line = f"intact: {count} events"
        if head:
            line += f"; head {head[0]}:{head[1]}"
        if anchors:
            line += f"; {len(anchors)} earlier head(s) still in place"
        self.stdout.write(line)
