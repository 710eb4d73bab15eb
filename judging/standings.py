"""Standings: what the submitted scorecards of a round say, per entry and per juror.

Raw scores are only read. Per scorecard, the weighted total is Σ value × weight / 100 (on the
round's scale), stored on the scorecard whenever its scores are written (`Scorecard.total`).
Per entry: mean, median, population standard deviation, min–max, how many scorecards are in
and how many are missing. The normalised mean turns each juror's totals into
z-scores against that juror's own mean and spread over the whole round, then averages them per
entry; it is shown beside the raw mean and never replaces it.

A juror with fewer than three scorecards, or whose totals are all equal, has no usable spread:
their totals are left out of normalised means (never guessed), and the entries concerned say so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from awards.models import Category
from judging.models import Assignment, Juror, Round, Scorecard
from judging.selectors import round_eligible_entries
from submissions.models import Entry

MIN_SCORES_FOR_SPREAD = 3


@dataclass(slots=True)
class JurorStats:
    juror_id: int
    name: str
    count: int
    mean: float | None
    sd: float | None
    # For the panel's figures: the lowest and highest totals, the sum of squared deviations.
    low: float = 0.0
    high: float = 0.0
    squares: float = 0.0

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


@dataclass(slots=True)
class EntryStanding:
    entry_id: int
    reference_code: str
    title: str
    category_code: str
    assigned: int
    count: int = 0  # submitted scorecards
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


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "scorecard": quote(Scorecard._meta.db_table),
        "juror": quote(Juror._meta.db_table),
        "assignment": quote(Assignment._meta.db_table),
        "entry": quote(Entry._meta.db_table),
        "category": quote(Category._meta.db_table),
    }


def juror_totals(round_: Round) -> list[tuple[int, int, float]]:
    """(entry id, juror id, weighted total) for each submitted scorecard of the round: the
    totals stored on the scorecards (`Scorecard.total`, Σ value × weight ÷ 100)."""
    return list(
        Scorecard.objects.filter(round=round_, status=Scorecard.Status.SUBMITTED)
        .order_by()
        .values_list("entry_id", "juror_id", "total")
    )


def juror_distributions(round_: Round) -> dict[int, list[float]]:
    """Each juror's distinct totals, lowest first: the dots of the calibration chart (a total
    given twice is one dot at one place). At most a couple of hundred per juror on a scale by
    halves, whatever the number of scorecards."""
    distributions: dict[int, list[float]] = {}
    rows = (
        Scorecard.objects.filter(round=round_, status=Scorecard.Status.SUBMITTED)
        .order_by("juror_id", "total")
        .values_list("juror_id", "total")
        .distinct()
    )
    for juror, total in rows:
        distributions.setdefault(juror, []).append(total)
    return distributions


def _centre(round_: Round) -> float:
    """The middle of the round's scale: squares are summed around it, not around zero."""
    return float(round_.scale_min + round_.scale_max) / 2


def spread(count: int, mean: float, low: float, high: float, shifted: float, centre: float):
    """Population standard deviation, and the sum of squared deviations from the mean, from the
    sum of squared deviations from `centre` (one pass in the database): Σ(x − m)² =
    Σ(x − c)² − n(m − c)². With c in the middle of the scale the two terms stay small, so
    the subtraction loses no more than float noise. Equal values have a spread of exactly 0 —
    a float mean of three 7.35s is 7.349999999999999, and its noise must not pass for a
    spread."""
    if low == high:
        return 0.0, 0.0
    squares = max(shifted - count * (mean - centre) ** 2, 0.0)
    return math.sqrt(squares / count), squares


def juror_stats(round_: Round) -> dict[int, JurorStats]:
    """Each juror's count, mean and spread over the round's submitted scorecards, aggregated by
    the database in one pass: one row per juror instead of one per scorecard."""
    t = _tables()
    centre = _centre(round_)
    sql = f"""
        SELECT j.juror_id, p.name, j.n, j.mean, j.low, j.high, j.shifted
        FROM (
            SELECT juror_id, COUNT(*) AS n, AVG(total) AS mean, MIN(total) AS low,
                   MAX(total) AS high, SUM((total - %s) * (total - %s)) AS shifted
            FROM {t["scorecard"]} WHERE round_id = %s AND status = %s GROUP BY juror_id
        ) j
        JOIN {t["juror"]} p ON p.id = j.juror_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [centre, centre, round_.pk, Scorecard.Status.SUBMITTED])
        rows = cursor.fetchall()
    stats = {}
    for juror, name, n, mean, low, high, shifted in rows:
        sd, squares = spread(n, mean, low, high, shifted, centre)
        stats[juror] = JurorStats(
            juror_id=juror,
            name=name,
            count=n,
            mean=low if low == high else mean,
            sd=sd,
            low=low,
            high=high,
            squares=squares,
        )
    return stats


def panel_figures(jurors: Iterable[JurorStats]) -> tuple[float | None, float | None]:
    """The panel's mean and spread over every submitted total, from the jurors' own figures:
    the parallel form of the two-pass variance, Σ (squares_j + n_j × (mean_j − mean)²). No
    spread from a single total."""
    jurors = list(jurors)
    count = sum(j.count for j in jurors)
    if not count:
        return None, None
    low, high = min(j.low for j in jurors), max(j.high for j in jurors)
    if low == high:
        return low, (0.0 if count > 1 else None)
    mean = math.fsum(j.count * j.mean for j in jurors) / count
    squares = math.fsum(j.squares + j.count * (j.mean - mean) ** 2 for j in jurors)
    return mean, (math.sqrt(squares / count) if count > 1 else None)


def rank(entries: list[EntryStanding], by: str) -> list[EntryStanding]:
    """Highest first; equal values share a rank (1, 2, 2, 4) and are flagged, never broken
    silently. Entries without a value go last, unranked."""
    keyed, unranked = [], []
    normalised = by == "normalised"
    for index, standing in enumerate(entries):
        value = standing.normalised if normalised else standing.mean
        if value is None:
            standing.rank, standing.tied = None, False
            unranked.append((standing.reference_code, index))
        else:
            # Float noise must not split a real tie; tied entries in reference-code order,
            # the same on every load, whatever the database's.
            keyed.append((-round(value, 6), standing.reference_code, index))
    keyed.sort()
    ranked = [entries[index] for _key, _code, index in keyed]
    previous, previous_rank = None, 0
    for position, (key, _code, index) in enumerate(keyed, start=1):
        standing = entries[index]
        if key == previous:  # sorted: equal values are neighbours
            standing.rank = previous_rank
            standing.tied = ranked[position - 2].tied = True
        else:
            standing.rank, standing.tied = position, False
        previous, previous_rank = key, standing.rank
    unranked.sort()
    return ranked + [entries[index] for _code, index in unranked]


def _entry_rows(round_: Round, category_id: int | None, scales: dict[int, tuple[float, float]]):
    """One row per eligible entry: what it is, how many jurors it has, and its scorecards'
    count, mean, low, high, squares around the scale's centre, median, and the sum and count
    of the z-scores of jurors with a usable spread (their (mean, SD) in `scales`, passed in
    as a table).

    The database does the per-scorecard work, in the order of the (round, status, entry,
    total) index: a window numbers each entry's totals for the median, without a sort. It
    covers the whole round even for one category (the eligible entries are picked at the end:
    filtering the scorecards by them first made PostgreSQL look each entry up one by one).
    Python then reads one row per entry (20,000), not one per scorecard (100,000).
    """
    t = _tables()
    eligible = round_eligible_entries(round_).order_by().values("pk")
    if category_id:
        eligible = eligible.filter(category_id=category_id)
    eligible_sql, eligible_params = eligible.query.sql_with_params()
    double = "CAST(%s AS DOUBLE PRECISION)"
    if scales:
        scales_table = "VALUES " + ", ".join([f"(%s, {double}, {double})"] * len(scales))
        scale_params = [v for juror, (mean, sd) in scales.items() for v in (juror, mean, sd)]
    else:  # no juror with a usable spread: an empty table of the same shape
        scales_table = f"SELECT 0, {double}, {double} WHERE 1 = 0"
        scale_params = [0.0, 1.0]
    centre = _centre(round_)
    submitted = Scorecard.Status.SUBMITTED
    # Written so that both databases find their way without statistics (SQLite has none after
    # a bulk load, and then scans a derived table for every row it is joined to): the entries'
    # figures drive and reach each entry by its primary key; every eligible entry is a row of
    # the aggregate (one without a total when it has no submitted scorecard), so an entry with
    # none is still listed, without an anti-join. Assignments are counted through the
    # (round, entry) index.
    windowed = f"""
        SELECT entry_id, juror_id, total,
               COUNT(*) OVER (PARTITION BY entry_id) AS n,
               ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY total) AS position
        FROM {t["scorecard"]} WHERE round_id = %s AND status = %s"""
    if connection.vendor == "postgresql":
        # PostgreSQL hashes the jurors' scales and reads the scorecards once.
        cards = f"""SELECT o.entry_id, o.total, o.n, o.position, (o.total - z.mean) / z.sd AS z
                FROM ({windowed}) o LEFT JOIN scales z ON z.juror_id = o.juror_id"""
        cards_params = [round_.pk, submitted]
    else:
        # SQLite would scan the scales for every scorecard: the z-scores come in their own
        # rows, from the jurors' side (CROSS JOIN keeps that order) through the (round,
        # juror) index.
        cards = f"""SELECT entry_id, total, n, position, NULL AS z FROM ({windowed}) o
                UNION ALL
                SELECT c.entry_id, NULL, NULL, NULL, (c.total - z.mean) / z.sd
                FROM scales z CROSS JOIN {t["scorecard"]} c
                WHERE c.round_id = %s AND c.juror_id = z.juror_id AND c.status = %s"""
        cards_params = [round_.pk, submitted, round_.pk, submitted]
    assigned = f"""(SELECT COUNT(*) FROM {t["assignment"]} a
                    WHERE a.round_id = %s AND a.entry_id = e.id)"""
    sql = f"""
        WITH scales (juror_id, mean, sd) AS ({scales_table}),
        eligible (id) AS ({eligible_sql})
        SELECT e.id, e.reference_code, e.title_vi, e.title_en, cat.code, {assigned},
               s.n, s.mean, s.low, s.high, s.shifted, s.median, s.z, s.zn
        FROM (
            SELECT w.entry_id, COUNT(w.total) AS n, AVG(w.total) AS mean,
                   MIN(w.total) AS low, MAX(w.total) AS high,
                   SUM((w.total - %s) * (w.total - %s)) AS shifted,
                   AVG(CASE WHEN w.position IN ((w.n + 1) / 2, (w.n + 2) / 2)
                       THEN w.total END) AS median,
                   SUM(w.z) AS z, COUNT(w.z) AS zn
            FROM (
                {cards}
                UNION ALL
                SELECT id, NULL, NULL, NULL, NULL FROM eligible
            ) w
            GROUP BY w.entry_id
        ) s
        JOIN {t["entry"]} e ON e.id = s.entry_id
        JOIN {t["category"]} cat ON cat.id = e.category_id
        WHERE s.entry_id IN (SELECT id FROM eligible)
    """
    params = [
        *scale_params,
        *eligible_params,
        round_.pk,
        centre,
        centre,
        *cards_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def round_standings(
    round_: Round, *, category_id: int | None = None, rank_by: str | None = None
) -> Standings:
    """Live standings (never cached: they are right while scores change). Two queries however
    many entries: the jurors' figures, then one row per entry with its figures, both
    aggregated by the database from the weighted totals stored on the scorecards."""
    rank_by = rank_by or round_.rank_by
    jurors = juror_stats(round_)
    scales = {j: (s.mean, s.sd) for j, s in jurors.items() if s.usable}
    threshold = float(round_.disagreement_threshold)
    centre = _centre(round_)
    # Withdrawn and disqualified entries leave the standings (their scores still tell how
    # each juror uses the scale): nothing can advance or win that is not eligible.
    # Once per entry (20,000 times in a large category): positional arguments, local names.
    entries = []
    append, sqrt, new = entries.append, math.sqrt, EntryStanding
    for (
        pk,
        code,
        vi,
        en,
        category,
        assigned,
        n,
        mean,
        low,
        high,
        shifted,
        median,
        z,
        zn,
    ) in _entry_rows(round_, category_id, scales):
        title = vi or en or ""
        if not n:
            append(new(pk, code or "", title, category, assigned))
            continue
        if low == high:
            mean, sd = low, 0.0
        else:  # as `spread`, inlined
            sd = sqrt(max(shifted - n * (mean - centre) ** 2, 0.0) / n)
        append(
            new(
                pk,
                code or "",
                title,
                category,
                assigned,
                n,
                mean,
                median,
                sd,
                low,
                high,
                z / zn if zn else None,
                n - (zn or 0),
                None,
                False,
                # Rounded as ranks are: float noise (an SD of 2.2500000000000004 from 4.55 and
                # 9.05) must not flag an entry that sits exactly at the threshold.
                round(sd, 6) > threshold,
            )
        )
    panel_mean, panel_sd = panel_figures(jurors.values())
    return Standings(
        round=round_,
        rank_by=rank_by,
        entries=rank(entries, rank_by),
        jurors=jurors,
        panel_mean=panel_mean,
        panel_sd=panel_sd,
        threshold=threshold,
    )


def decimal_places(value: float | None, places: int = 2) -> Decimal | None:
    if value is None or math.isnan(value):
        return None
    return Decimal(str(round(value, places)))
