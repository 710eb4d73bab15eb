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
from collections import Counter, defaultdict
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
    # Weights are percentages: ÷ 100 puts the total on the round's scale. A float from the
    # database (PostgreSQL's exact sum, cast, then divided as Python would): turning 100,000
    # numerics into Decimals and then floats cost more than the rest of the standings.
    sql = """
        SELECT sc.entry_id, sc.juror_id, CAST(SUM(s.value * c.weight) AS DOUBLE PRECISION) / 100
        FROM judging_scorecard sc
        JOIN judging_score s ON s.scorecard_id = sc.id
        JOIN judging_criterion c ON c.id = s.criterion_id
        WHERE sc.round_id = %s AND sc.status = %s
        GROUP BY sc.id, sc.entry_id, sc.juror_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_.pk, Scorecard.Status.SUBMITTED])
        return cursor.fetchall()


def mean_sd(values: list[float]) -> tuple[float, float]:
    """Mean and population standard deviation, in two passes over exactly rounded sums.

    The statistics module gets the same figures through exact fractions, some 30 times slower
    (it was most of the time at 20,000 entries). Equal values have a spread of exactly 0 —
    a float mean of three 7.35s is 7.349999999999999, and its noise must not pass for a spread.
    """
    low, high = min(values), max(values)
    if low == high:
        return low, 0.0
    n = len(values)
    mean = math.fsum(values) / n
    return mean, math.sqrt(math.fsum([(v - mean) ** 2 for v in values]) / n)


def juror_stats(rows: list[tuple[int, int, float]], names: dict[int, str]) -> dict[int, JurorStats]:
    by_juror: defaultdict[int, list[float]] = defaultdict(list)
    for _entry, juror, total in rows:
        by_juror[juror].append(total)
    stats = {}
    for juror, totals in by_juror.items():
        mean, sd = mean_sd(totals)
        stats[juror] = JurorStats(
            juror_id=juror,
            name=names.get(juror, "?"),
            count=len(totals),
            mean=mean,
            sd=sd,
            totals=totals,
        )
    return stats


def summarise(
    standing: EntryStanding, scales: dict[int, tuple[float, float] | None], threshold: float
) -> None:
    """`scales`: each juror's (mean, SD) over the round, or None when it is not usable.

    Written for speed (it runs once per entry: 20,000 times in a large category): locals,
    no helper calls, the same arithmetic as `mean_sd`."""
    totals = standing.totals
    if not totals:
        return
    values = sorted([total for _juror, total in totals])
    n, half = len(values), len(values) >> 1
    low, high = values[0], values[-1]
    if low == high:
        mean, sd = low, 0.0
    else:
        mean = math.fsum(values) / n
        sd = math.sqrt(math.fsum([(v - mean) * (v - mean) for v in values]) / n)
    zs = [
        (total - scale[0]) / scale[1]
        for juror, total in totals
        if (scale := scales[juror]) is not None
    ]
    standing.mean, standing.sd, standing.low, standing.high = mean, sd, low, high
    standing.median = values[half] if n & 1 else (values[half - 1] + values[half]) / 2
    # Rounded as ranks are: float noise (an SD of 2.2500000000000004 from 4.55 and 9.05) must
    # not flag an entry that sits exactly at the threshold.
    standing.disagreement = round(sd, 6) > threshold
    standing.excluded = n - len(zs)
    standing.normalised = math.fsum(zs) / len(zs) if zs else None


def rank(entries: list[EntryStanding], by: str) -> list[EntryStanding]:
    """Highest first; equal values share a rank (1, 2, 2, 4) and are flagged, never broken
    silently. Entries without a value go last, unranked."""
    keyed, unranked = [], []
    for standing in entries:
        value = standing.normalised if by == "normalised" else standing.mean
        if value is None:
            standing.rank, standing.tied = None, False
            unranked.append(standing)
        else:
            # Float noise must not split a real tie; tied entries in reference-code order,
            # the same on every load, whatever the database's.
            keyed.append((-round(value, 6), standing.reference_code, standing))
    keyed.sort(key=lambda item: item[:2])
    counts = Counter(key for key, _code, _standing in keyed)
    previous, previous_rank = None, 0
    for position, (key, _code, standing) in enumerate(keyed, start=1):
        standing.rank = previous_rank if key == previous else position
        standing.tied = counts[key] > 1
        previous, previous_rank = key, standing.rank
    unranked.sort(key=lambda standing: standing.reference_code)
    return [standing for _key, _code, standing in keyed] + unranked


def round_standings(
    round_: Round, *, category_id: int | None = None, rank_by: str | None = None
) -> Standings:
    """Live standings (never cached: they are right while scores change). Four queries however
    many entries: the totals, the jurors' names, the entries, their assignments."""
    rank_by = rank_by or round_.rank_by
    rows = juror_totals(round_)
    names = dict(Juror.objects.filter(cycle_id=round_.cycle_id).values_list("pk", "name"))
    jurors = juror_stats(rows, names)
    # Withdrawn and disqualified entries leave the standings (their scores still tell how
    # each juror uses the scale): nothing can advance or win that is not eligible.
    entries = round_eligible_entries(round_).order_by()
    if category_id:
        entries = entries.filter(category_id=category_id)
    # Counted over the whole round, from the (round, entry) index alone: cheaper than joining
    # the entries for their category, and than passing 20,000 entry ids as parameters.
    assigned = dict(
        Assignment.objects.filter(round=round_)
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values_list("entry", "n")
    )
    standings = {
        pk: EntryStanding(
            entry_id=pk,
            reference_code=code or "",
            title=title_vi or title_en or "",
            category_code=category,
            totals=[],
            assigned=assigned.get(pk, 0),
        )
        for pk, code, title_vi, title_en, category in entries.values_list(
            "pk", "reference_code", "title_vi", "title_en", "category__code"
        )
    }
    for entry, juror, total in rows:
        standing = standings.get(entry)
        if standing is not None:
            standing.totals.append((juror, total))
    threshold = float(round_.disagreement_threshold)
    scales = {j: (s.mean, s.sd) if s.usable else None for j, s in jurors.items()}
    for standing in standings.values():
        summarise(standing, scales, threshold)
    all_totals = [total for _e, _j, total in rows]
    panel_mean, panel_sd = mean_sd(all_totals) if all_totals else (None, None)
    return Standings(
        round=round_,
        rank_by=rank_by,
        entries=rank(list(standings.values()), rank_by),
        jurors=jurors,
        panel_mean=panel_mean,
        panel_sd=panel_sd if len(all_totals) > 1 else None,
        threshold=threshold,
    )


def decimal_places(value: float | None, places: int = 2) -> Decimal | None:
    if value is None or math.isnan(value):
        return None
    return Decimal(str(round(value, places)))
