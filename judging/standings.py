"""Standings: what the submitted scorecards of a round say, per entry and per juror.

Raw scores are only read. Per scorecard, the weighted total is Σ value × weight / 100 (on the
round's scale). Per entry: mean, median, population standard deviation, min–max, how many
scorecards are in and how many are missing. The normalised mean turns each juror's totals into
z-scores against that juror's own mean and spread over the whole round, then averages them per
entry; it is shown beside the raw mean and never replaces it.

A juror with fewer than three scorecards, or whose totals are all equal, has no usable spread:
their totals are left out of normalised means (never guessed), and the entries concerned say so.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count

from judging.models import Assignment, Juror, Round, Scorecard
from judging.selectors import round_eligible_entries

MIN_SCORES_FOR_SPREAD = 3


@dataclass
class JurorStats:
    juror_id: int
    name: str
    count: int
    mean: float | None
    sd: float | None
    totals: list[float] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.count >= MIN_SCORES_FOR_SPREAD and bool(self.sd)

    @property
    def problem(self) -> str | None:
        if self.count < MIN_SCORES_FOR_SPREAD:
            return "few"
        if not self.sd:
            return "flat"
        return None

    def z(self, total: float) -> float | None:
        return (total - self.mean) / self.sd if self.usable else None


@dataclass
class EntryStanding:
    entry_id: int
    reference_code: str
    title: str
    category_code: str
    totals: list[tuple[int, float]]  # (juror id, weighted total)
    assigned: int
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None
    normalised: float | None = None
    excluded: int = 0  # totals left out of the normalised mean
    rank: int | None = None
    tied: bool = False
    disagreement: bool = False

    @property
    def count(self) -> int:
        return len(self.totals)

    @property
    def missing(self) -> int:
        return max(0, self.assigned - self.count)


@dataclass
class Standings:
    round: Round
    rank_by: str
    entries: list[EntryStanding]
    jurors: dict[int, JurorStats]
    panel_mean: float | None
    panel_sd: float | None
    threshold: float


def juror_totals(round_: Round) -> list[tuple[int, int, float]]:
    """(entry id, juror id, weighted total) for each submitted scorecard of the round.

    One grouped query over the raw scores; SQL, because the ORM cannot group the products of
    two joined tables' columns per scorecard without selecting every score row into Python.
    """
    sql = """
        SELECT sc.entry_id, sc.juror_id, SUM(s.value * c.weight)
        FROM judging_scorecard sc
        JOIN judging_score s ON s.scorecard_id = sc.id
        JOIN judging_criterion c ON c.id = s.criterion_id
        WHERE sc.round_id = %s AND sc.status = %s
        GROUP BY sc.id, sc.entry_id, sc.juror_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_.pk, Scorecard.Status.SUBMITTED])
        # Weights are percentages: the total is on the round's scale.
        return [(entry, juror, float(total) / 100) for entry, juror, total in cursor.fetchall()]


def juror_stats(rows: list[tuple[int, int, float]], names: dict[int, str]) -> dict[int, JurorStats]:
    by_juror: dict[int, list[float]] = {}
    for _entry, juror, total in rows:
        by_juror.setdefault(juror, []).append(total)
    stats = {}
    for juror, totals in by_juror.items():
        stats[juror] = JurorStats(
            juror_id=juror,
            name=names.get(juror, "?"),
            count=len(totals),
            mean=statistics.fmean(totals),
            sd=statistics.pstdev(totals) if len(totals) > 1 else 0.0,
            totals=totals,
        )
    return stats


def summarise(standing: EntryStanding, jurors: dict[int, JurorStats], threshold: float) -> None:
    values = [total for _juror, total in standing.totals]
    if not values:
        return
    standing.mean = statistics.fmean(values)
    standing.median = statistics.median(values)
    standing.sd = statistics.pstdev(values) if len(values) > 1 else 0.0
    standing.low, standing.high = min(values), max(values)
    # Rounded as ranks are: float noise (an SD of 2.2500000000000004 from 4.55 and 9.05) must
    # not flag an entry that sits exactly at the threshold.
    standing.disagreement = round(standing.sd, 6) > threshold
    zs = []
    for juror, total in standing.totals:
        z = jurors[juror].z(total)
        if z is None:
            standing.excluded += 1
        else:
            zs.append(z)
    standing.normalised = statistics.fmean(zs) if zs else None


def rank(entries: list[EntryStanding], by: str) -> list[EntryStanding]:
    """Highest first; equal values share a rank (1, 2, 2, 4) and are flagged, never broken
    silently. Entries without a value go last, unranked."""

    def value(e: EntryStanding):
        v = e.normalised if by == "normalised" else e.mean
        return None if v is None else round(v, 6)  # float noise must not split a real tie

    # Tied entries in reference-code order: the same on every load, whatever the database's.
    ranked = sorted(
        (e for e in entries if value(e) is not None), key=lambda e: (-value(e), e.reference_code)
    )
    unranked = sorted((e for e in entries if value(e) is None), key=lambda e: e.reference_code)
    previous, previous_rank = None, 0
    for position, standing in enumerate(ranked, start=1):
        current = value(standing)
        standing.rank = previous_rank if current == previous else position
        previous, previous_rank = current, standing.rank
    counts: dict[float, int] = {}
    for standing in ranked:
        counts[value(standing)] = counts.get(value(standing), 0) + 1
    for standing in ranked:
        standing.tied = counts[value(standing)] > 1
    for standing in unranked:
        standing.rank, standing.tied = None, False
    return ranked + unranked


def round_standings(
    round_: Round, *, category_id: int | None = None, rank_by: str | None = None
) -> Standings:
    """Live standings (never cached: they are right while scores change)."""
    rank_by = rank_by or round_.rank_by
    rows = juror_totals(round_)
    names = dict(Juror.objects.filter(cycle_id=round_.cycle_id).values_list("pk", "name"))
    jurors = juror_stats(rows, names)
    # Withdrawn and disqualified entries leave the standings (their scores still tell how
    # each juror uses the scale): nothing can advance or win that is not eligible.
    entries = round_eligible_entries(round_)
    if category_id:
        entries = entries.filter(category_id=category_id)
    info = {
        pk: (code or "", title_vi or title_en or "", category)
        for pk, code, title_vi, title_en, category in entries.values_list(
            "pk", "reference_code", "title_vi", "title_en", "category__code"
        )
    }
    assigned = dict(
        Assignment.objects.filter(round=round_, entry__in=list(info))
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values_list("entry", "n")
    )
    standings = {
        pk: EntryStanding(
            entry_id=pk,
            reference_code=code,
            title=title,
            category_code=category,
            totals=[],
            assigned=assigned.get(pk, 0),
        )
        for pk, (code, title, category) in info.items()
    }
    for entry, juror, total in rows:
        if entry in standings:
            standings[entry].totals.append((juror, total))
    threshold = float(round_.disagreement_threshold)
    for standing in standings.values():
        summarise(standing, jurors, threshold)
    all_totals = [total for _e, _j, total in rows]
    return Standings(
        round=round_,
        rank_by=rank_by,
        entries=rank(list(standings.values()), rank_by),
        jurors=jurors,
        panel_mean=statistics.fmean(all_totals) if all_totals else None,
        panel_sd=statistics.pstdev(all_totals) if len(all_totals) > 1 else None,
        threshold=threshold,
    )


def decimal_places(value: float | None, places: int = 2) -> Decimal | None:
    if value is None or math.isnan(value):
        return None
    return Decimal(str(round(value, places)))
