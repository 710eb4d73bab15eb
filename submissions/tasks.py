"""Background work: renditions and emails. Run inline locally, by `db_worker` in production.

Tasks are thin: they take plain ids and call a service, which writes the state and the audit.
"""

from django.tasks import task

from submissions import emails
from submissions.models import Entry


@task()
def make_renditions(asset_id: int) -> None:
    """Thumbnail, web-size image and the jury copy (every metadata field removed)."""
    from submissions import services  # services queue this task: import it when it runs

    services.asset_make_renditions(asset_id=asset_id)


@task()
def send_entry_receipt(entry_id: int, site_url: str = "") -> None:
    entry = Entry.objects.select_related("cycle", "category", "owner").get(pk=entry_id)
    emails.entry_receipt(entry, site_url=site_url)


@task()
def send_screening_notice(entry_id: int, site_url: str = "") -> None:
    entry = Entry.objects.select_related("cycle", "category", "owner").get(pk=entry_id)
    emails.screening_notice(entry, site_url=site_url)
