"""Background work of the jury and the results. Thin: ids in, a service does the work."""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from awards.models import AwardCycle

log = logging.getLogger(__name__)


@task()
def publish_results(cycle_id: int) -> None:
    """Queued at freezing with run_after = the publish time."""
    from judging.results import NotYet, results_publish, schedule_publication
    from judging.services import JudgingError

    cycle = AwardCycle.objects.get(pk=cycle_id)
    try:
        results_publish(cycle=cycle)
    except NotYet:
        # The publish time moved later after freezing: wait for the new one.
        schedule_publication(cycle)
    except JudgingError as error:
        # Unfrozen since this was queued: the next freeze queues its own publication.
        log.info("Results of %s not published: %s", cycle.festival_year, error.message)


@task()
def send_result_notices(cycle_id: int) -> int:
    """Each notice once: a row is locked, emailed and marked sent in its own transaction, so
    a second worker (or the task run twice) skips it, and an email that fails (the task then
    fails, to run again) leaves the notices sent before it marked."""
    from judging import emails
    from judging.models import ResultNotice

    sent = 0
    while True:
        with transaction.atomic():
            notice = (
                ResultNotice.objects.select_for_update(skip_locked=True)
                .filter(cycle_id=cycle_id, sent_at__isnull=True)
                .select_related("entry__owner", "entry__category", "cycle")
                .order_by("pk")
                .first()
            )
            if notice is None:
                return sent
            emails.result_notice(notice)
            notice.sent_at = timezone.now()
            notice.save(update_fields=["sent_at"])
        sent += 1
