"""Reads shared by pages and exports: annotated and prefetched, a fixed number of queries."""

from datetime import timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from awards.models import AwardCycle, Category
from submissions.models import Entry, EntryAsset


def _count(assets):
    return Coalesce(
        Subquery(
            assets.filter(entry=OuterRef("pk"))
            .order_by()
            .values("entry")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_file_counts(queryset):
    """Ready images and PDFs, as correlated subqueries (evaluated only for the rows shown)."""
    return queryset.annotate(
        ready_images=_count(EntryAsset.objects.ready_images()),
        ready_pdfs=_count(EntryAsset.objects.ready().pdfs()),
    )


def problem_files():
    """Files that need an organizer's eye: renditions that failed, uploads stuck for an hour."""
    stuck = timezone.now() - timedelta(hours=1)
    return EntryAsset.objects.filter(
        Q(renditions=EntryAsset.Renditions.FAILED)
        | Q(status=EntryAsset.Status.PENDING, created_at__lt=stuck)
    )


def creator_entries(user):
    return with_file_counts(
        Entry.objects.owned_by(user)
        .select_related("cycle", "category")
        .order_by("-cycle__festival_year", "-created_at")
    )


def open_categories_for(user, now=None):
    """Categories of editions open for entries, each with how many places the creator has used."""
    now = now or timezone.now()
    categories = list(
        Category.objects.filter(
            cycle__in=AwardCycle.objects.public(now).filter(
                submissions_open_at__lte=now, submissions_close_at__gt=now
            )
        )
        .select_related("cycle")
        .order_by("-cycle__festival_year", "position", "code")
    )
    used = dict(
        Entry.objects.owned_by(user)
        .counting_towards_limit()
        .filter(category__in=categories)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    for category in categories:
        category.used = used.get(category.pk, 0)
    return categories


def entry_for_page(queryset, public_id):
    return (
        queryset.select_related("cycle", "category", "owner")
        .prefetch_related(
            Prefetch("assets", queryset=EntryAsset.objects.order_by("kind", "position", "pk"))
        )
        .get(public_id=public_id)
    )


def organizer_entries(cycle):
    return with_file_counts(
        Entry.objects.filter(cycle=cycle)
        .select_related("category", "owner__creator_profile")
        .annotate(has_problems=Exists(problem_files().filter(entry=OuterRef("pk"))))
        .order_by("-created_at", "-pk")
    )


def counts_by_category_and_status(cycle):
    rows = (
        Entry.objects.filter(cycle=cycle)
        .order_by()
        .values("category__code", "status")
        .annotate(n=Count("pk"))
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["category__code"], {})[row["status"]] = row["n"]
    return table
