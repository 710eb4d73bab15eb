"""Scores written straight into the tables, as `scorecard_save` leaves them, so that a test can
state exact values (and jurors' loads) without driving the scoring page for each one."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from judging.models import Assignment, Round, RoundEntry, Score, Scorecard
from tests.factories import (
    CategoryFactory,
    JudgingCycleFactory,
    JurorFactory,
    RoundFactory,
    judging_cycle_dates,
    submitted_entry,
)


def card(
    round_: Round, juror, entry, values, *, status: str = "submitted", assign: bool = True
) -> Scorecard:
    """One juror's scorecard for one entry. `values` is one number (every criterion gets it,
    so the weighted total is that number) or one value per criterion, in the round's order."""
    criteria = list(round_.criteria.order_by("position", "pk"))
    if not isinstance(values, (list, tuple)):
        values = [values] * len(criteria)
    if assign:
        Assignment.objects.get_or_create(round=round_, juror=juror, entry=entry)
    now = timezone.now()
    scorecard = Scorecard.objects.create(
        round=round_,
        juror=juror,
        entry=entry,
        status=status,
        submitted_at=now if status == Scorecard.Status.SUBMITTED else None,
    )
    Score.objects.bulk_create(
        Score(scorecard=scorecard, criterion=criterion, value=Decimal(str(value)))
        for criterion, value in zip(criteria, values, strict=True)
    )
    Scorecard.objects.filter(pk=scorecard.pk).refresh_totals()
    scorecard.refresh_from_db(fields=["total"])
    return scorecard


def panel(
    entries: int = 4, jurors: str = "ABC", year: int | None = None, **round_fields
) -> SimpleNamespace:
    """An edition in judging: category ARC with `entries` entries in round 1 (1–10 by 0.5,
    criteria 40/30/30) and jurors named "Juror A", "Juror B"… — nobody assigned yet."""
    cycle = JudgingCycleFactory(dates=judging_cycle_dates(festival_year=year))
    arc = CategoryFactory(cycle=cycle, code="ARC", name_en="Architecture")
    items = [submitted_entry(arc, number=n) for n in range(1, entries + 1)]
    people = {
        name: JurorFactory(cycle=cycle, categories=[arc], name=f"Juror {name}") for name in jurors
    }
    round_ = RoundFactory(cycle=cycle, categories=[arc], **round_fields)
    RoundEntry.objects.bulk_create(RoundEntry(round=round_, entry=e) for e in items)
    return SimpleNamespace(cycle=cycle, arc=arc, entries=items, jurors=people, round=round_)
