from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.actions import Action
from awards.models import AuditEvent, AwardCycle

AUDIT_CHAIN_LOCK = 0x48434441  # "HCDA": the PostgreSQL advisory lock that orders the chain


def audit_record(*, actor, action: str, obj, **data) -> AuditEvent:
    """Append one event to the hash chain. Call it inside the transaction that makes the
    change: the event commits (or rolls back) with it."""
    # savepoint=False: inside the caller's transaction no savepoint is needed (the event is
    # part of the change); outside one, this opens its own.
    with transaction.atomic(savepoint=False):
        # Appending reads the last hash, so appends must not interleave. PostgreSQL: an
        # advisory lock held to the end of the transaction; SQLite: its write lock already
        # serialises writers (transactions begin IMMEDIATE, see settings).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
        event = AuditEvent(
            actor=actor if actor and actor.is_authenticated else None,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            # Stored as JSON reads it back, so that the hash of what is stored is the hash
            # of what was written (dates and decimals become strings).
            data=json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
            prev_hash=last or "",
        )
        event.hash = event.content_hash()
        event.save()
    return event


def audit_verify() -> tuple[int, AuditEvent | None]:
    """(events checked, the first event whose link is broken or None). Streams the chain."""
    previous = ""
    count = 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        if event.prev_hash != previous or event.hash != event.content_hash():
            return count, event
        previous = event.hash
        count += 1
    return count, None


@transaction.atomic
def cycle_announce(*, cycle: AwardCycle, by) -> AwardCycle:
    """The only way an edition becomes ANNOUNCED (public once its announcement time comes)."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == AwardCycle.Status.ANNOUNCED:
        return cycle
    cycle.full_clean()
    problems = []
    if not cycle.categories.exists():
        problems.append(_("Add at least one category before announcing."))
    if not cycle.prizes.exists():
        problems.append(_("Add at least one prize before announcing."))
    if problems:
        raise ValidationError(problems)
    cycle.status = AwardCycle.Status.ANNOUNCED
    cycle.announced_at = timezone.now()
    cycle.save(update_fields=["status", "announced_at", "updated_at"])
    audit_record(
        actor=by,
        action=Action.CYCLE_ANNOUNCE,
        obj=cycle,
        public_from=cycle.theme_announced_at.isoformat(),
    )
    return cycle


@transaction.atomic
def cycle_withdraw_announcement(*, cycle: AwardCycle, by) -> AwardCycle:
    """Back to draft: hidden from the public again (for an announcement made by mistake)."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == AwardCycle.Status.DRAFT:
        return cycle
    cycle.status = AwardCycle.Status.DRAFT
    cycle.announced_at = None
    cycle.save(update_fields=["status", "announced_at", "updated_at"])
    audit_record(actor=by, action=Action.CYCLE_WITHDRAW_ANNOUNCEMENT, obj=cycle)
    return cycle
