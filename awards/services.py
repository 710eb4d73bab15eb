from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AuditEvent, AwardCycle


def audit_record(*, actor, action: str, obj, **data) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )


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
        action="cycle.announce",
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
    audit_record(actor=by, action="cycle.withdraw_announcement", obj=cycle)
    return cycle
