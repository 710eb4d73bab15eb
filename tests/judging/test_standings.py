"""Standings, checked against numbers worked out by hand.

Every round here is on the factory's scale (1–10 by 0.5) with three criteria weighing
40/30/30. A card given one number scores every criterion with it, so its weighted total is that
number. Standard deviations are population ones (÷ n). Floats are compared rounded to 4 places.
"""

from math import sqrt

import pytest
from django.urls import reverse

from awards.actions import Action
from awards.models import AuditEvent
from judging.results_views import calibration
from judging.standings import juror_totals, round_standings
from tests.factories import OrganizerFactory, submitted_entry
from tests.judging.scoring import card, panel

pytestmark = pytest.mark.django_db


def r4(value):
    return None if value is None else round(value, 4)


def by_code(table) -> dict:
    return {s.reference_code[-4:]: s for s in table.entries}


def summary(standing) -> tuple:
    return (
        r4(standing.mean),
        r4(standing.median),
        r4(standing.sd),
        r4(standing.low),
        r4(standing.high),
        standing.count,
        standing.missing,
    )


def test_weighted_totals_use_the_weights_and_keep_half_points():
    jury = panel(entries=1, jurors="AB")
    entry, a, b = jury.entries[0], jury.jurors["A"], jury.jurors["B"]
    card(jury.round, a, entry, (7.5, 8, 6.5))
    card(jury.round, b, entry, (10, 9.5, 9))

    totals = sorted((juror, total) for _entry, juror, total in juror_totals(jury.round))
    table = round_standings(jury.round)

    # A: 7.5×40 + 8×30 + 6.5×30 = 300 + 240 + 195 = 735 → 7.35 on the scale
    # B: 10×40 + 9.5×30 + 9×30 = 400 + 285 + 270 = 955 → 9.55
    assert [(juror, r4(total)) for juror, total in totals] == [(a.pk, 7.35), (b.pk, 9.55)]
    # mean = median = (7.35 + 9.55) / 2 = 8.45; SD = |9.55 − 7.35| / 2 = 1.1; 2 of 2 scores in
    assert summary(table.entries[0]) == (8.45, 8.45, 1.1, 7.35, 9.55, 2, 0)


def test_one_juror_only_normalises_against_their_own_spread():
    jury = panel(entries=4, jurors="A")
    a = jury.jurors["A"]
    for entry, total in zip(jury.entries, (6, 7, 8.5, 9.5), strict=True):
        card(jury.round, a, entry, total)

    table = round_standings(jury.round)
    rows = by_code(table)

    # Juror A: mean = (6 + 7 + 8.5 + 9.5) / 4 = 31 / 4 = 7.75
    # deviations −1.75, −0.75, 0.75, 1.75; squares 3.0625 + 0.5625 + 0.5625 + 3.0625 = 7.25
    # SD = √(7.25 / 4) = √1.8125 = 1.346291…
    # z = deviation / SD: −1.75 / 1.346291 = −1.2999, −0.75 / 1.346291 = −0.5571, …
    juror = table.jurors[a.pk]
    assert (juror.count, r4(juror.mean), r4(juror.sd), juror.problem) == (4, 7.75, 1.3463, None)
    assert r4(table.panel_mean) == 7.75 and r4(table.panel_sd) == 1.3463
    # One score per entry: mean = median = min = max = the total, SD 0.
    assert [summary(rows[f"{n:04d}"]) for n in (1, 2, 3, 4)] == [
        (6.0, 6.0, 0.0, 6.0, 6.0, 1, 0),
        (7.0, 7.0, 0.0, 7.0, 7.0, 1, 0),
        (8.5, 8.5, 0.0, 8.5, 8.5, 1, 0),
        (9.5, 9.5, 0.0, 9.5, 9.5, 1, 0),
    ]
    assert [r4(rows[f"{n:04d}"].normalised) for n in (1, 2, 3, 4)] == [
        -1.2999,
        -0.5571,
        0.5571,
        1.2999,
    ]
    assert [(s.reference_code[-4:], s.rank, s.tied) for s in table.entries] == [
        ("0004", 1, False),
        ("0003", 2, False),
        ("0002", 3, False),
        ("0001", 4, False),
    ]


def test_a_juror_with_zero_spread_is_left_out_of_normalised_means_and_flagged(client):
    jury = panel(entries=3, jurors="FG")
    flat, g = jury.jurors["F"], jury.jurors["G"]
    for entry, total in zip(jury.entries, (5, 6, 9), strict=True):
        card(jury.round, flat, entry, 7)  # the same total for everything
        card(jury.round, g, entry, total)

    table = round_standings(jury.round)
    rows = by_code(table)

    # F: 7, 7, 7 → mean 7, SD 0: no z-score can be made, so F's totals are left out.
    assert (table.jurors[flat.pk].sd, table.jurors[flat.pk].problem) == (0.0, "flat")
    # G: mean = (5 + 6 + 9) / 3 = 20/3 = 6.6667; deviations −5/3, −2/3, 7/3
    # SD = √((25 + 4 + 49) / 9 / 3) = √(26/9) = √26 / 3 = 1.699673…
    # z = (x − 20/3) / (√26/3) = (3x − 20) / √26: −5/√26 = −0.9806, −2/√26 = −0.3922, 7/√26 = 1.3728
    assert (r4(table.jurors[g.pk].mean), r4(table.jurors[g.pk].sd)) == (6.6667, r4(sqrt(26) / 3))
    # Entries: [7, 5] mean 6, SD 1; [7, 6] mean 6.5, SD 0.5; [7, 9] mean 8, SD 1.
    assert [summary(rows[c]) for c in ("0001", "0002", "0003")] == [
        (6.0, 6.0, 1.0, 5.0, 7.0, 2, 0),
        (6.5, 6.5, 0.5, 6.0, 7.0, 2, 0),
        (8.0, 8.0, 1.0, 7.0, 9.0, 2, 0),
    ]
    # The normalised mean is G's z alone; each entry says one score was left out.
    assert [(r4(rows[c].normalised), rows[c].excluded) for c in ("0001", "0002", "0003")] == [
        (-0.9806, 1),
        (-0.3922, 1),
        (1.3728, 1),
    ]

    client.force_login(OrganizerFactory())
    html = client.get(reverse("judging:standings", args=[jury.round.pk])).content.decode()
    assert html.count("mọi điểm bằng nhau: không chuẩn hóa") == 1  # on F's calibration line


def test_equal_totals_that_floats_cannot_hold_exactly_are_still_zero_spread():
    jury = panel(entries=4, jurors="FG")
    flat, g = jury.jurors["F"], jury.jurors["G"]
    for entry in jury.entries[:3]:  # 7.35 each time; (3 × 7.35) / 3 is not 7.35 in floats
        card(jury.round, flat, entry, (7.5, 8, 6.5))
    for entry, total in zip(jury.entries, (5, 6, 9, 8), strict=True):
        card(jury.round, g, entry, total)

    table = round_standings(jury.round)

    stats = table.jurors[flat.pk]
    assert (r4(stats.mean), stats.sd, stats.problem) == (7.35, 0.0, "flat")
    assert [s.excluded for s in sorted(table.entries, key=lambda s: s.reference_code)] == [
        1,
        1,
        1,
        0,
    ]


def test_a_juror_with_fewer_than_three_scores_is_flagged_and_ranks_differ(client):
    jury = panel(entries=4, jurors="GH")
    g, few = jury.jurors["G"], jury.jurors["H"]
    e1, e2, e3, e4 = jury.entries
    for entry, total in ((e1, 5), (e2, 6), (e3, 9)):
        card(jury.round, g, entry, total)
    card(jury.round, few, e1, 9)
    card(jury.round, few, e4, 3)

    raw = round_standings(jury.round, rank_by="raw")
    normalised = round_standings(jury.round, rank_by="normalised")

    # H has a spread (SD of 9 and 3 = 3) but only 2 scores: too few to say what is usual for H.
    assert (raw.jurors[few.pk].count, raw.jurors[few.pk].problem) == (2, "few")
    # Raw means: e1 (5 + 9) / 2 = 7; e2 6; e3 9; e4 3.
    assert [(s.reference_code[-4:], r4(s.mean), s.rank) for s in raw.entries] == [
        ("0003", 9.0, 1),
        ("0001", 7.0, 2),
        ("0002", 6.0, 3),
        ("0004", 3.0, 4),
    ]
    # Normalised (G's z only, as above): e3 1.3728, e2 −0.3922, e1 −0.9806 (H's 9 left out);
    # e4 has no usable score at all: no normalised mean, no rank, listed last.
    assert [
        (s.reference_code[-4:], r4(s.normalised), s.rank, s.excluded) for s in normalised.entries
    ] == [
        ("0003", 1.3728, 1, 0),
        ("0002", -0.3922, 2, 0),
        ("0001", -0.9806, 3, 1),
        ("0004", None, None, 1),
    ]

    client.force_login(OrganizerFactory())
    html = client.get(reverse("judging:standings", args=[jury.round.pk])).content.decode()
    assert html.count("dưới 3 phiếu: không chuẩn hóa") == 1  # on H's calibration line


def test_missing_scores_count_and_drafts_are_not_scores():
    jury = panel(entries=2, jurors="ABC")
    a, b, c = jury.jurors["A"], jury.jurors["B"], jury.jurors["C"]
    e1, e2 = jury.entries
    card(jury.round, a, e1, 8)
    card(jury.round, b, e1, 2, status="draft")  # complete, but not submitted
    card(jury.round, c, e2, 5, status="draft")
    for juror, entry in ((c, e1), (a, e2), (b, e2)):
        juror.assignments.create(round=jury.round, entry=entry)

    table = round_standings(jury.round)
    rows = by_code(table)

    # e1: 3 jurors assigned, 1 submitted (8): mean 8, 2 missing; B's draft 2 is not counted.
    assert summary(rows["0001"]) == (8.0, 8.0, 0.0, 8.0, 8.0, 1, 2)
    # e2: 3 assigned, nothing submitted: no value, no rank, listed last.
    assert (rows["0002"].mean, rows["0002"].count, rows["0002"].missing) == (None, 0, 3)
    assert [(s.reference_code[-4:], s.rank) for s in table.entries] == [("0001", 1), ("0002", None)]
    # Jurors with drafts only are not in the calibration at all.
    assert list(table.jurors) == [a.pk]


def test_ties_share_a_rank_are_flagged_and_the_next_rank_is_skipped():
    jury = panel(entries=5, jurors="AB")
    a, b = jury.jurors["A"], jury.jurors["B"]
    e1, e2, e3, e4, e5 = jury.entries
    for entry, total in ((e1, 9), (e2, 8), (e3, 8), (e4, 6)):
        card(jury.round, a, entry, total)
    # e5: (7.35 + 9.55) / 2 = 8.45, between 9 and 8: no tie. e2 and e3 are tied at 8, and
    # listed by reference code, the same on every load (never in the database's order).
    card(jury.round, a, e5, (7.5, 8, 6.5))
    card(jury.round, b, e5, (10, 9.5, 9))

    table = round_standings(jury.round, rank_by="raw")

    assert [(s.reference_code[-4:], r4(s.mean), s.rank, s.tied) for s in table.entries] == [
        ("0001", 9.0, 1, False),
        ("0005", 8.45, 2, False),
        ("0002", 8.0, 3, True),
        ("0003", 8.0, 3, True),
        ("0004", 6.0, 5, False),
    ]


def test_ties_rank_1_2_2_4_by_raw_and_by_normalised_mean():
    jury = panel(entries=4, jurors="A")
    a = jury.jurors["A"]
    for entry, total in zip(jury.entries, (9, 8, 8, 6), strict=True):
        card(jury.round, a, entry, total)

    raw = round_standings(jury.round, rank_by="raw")
    normalised = round_standings(jury.round, rank_by="normalised")

    # One juror: equal totals are equal z-scores, so the tie holds in both rankings.
    expected = [(1, False), (2, True), (2, True), (4, False)]
    assert [(s.rank, s.tied) for s in raw.entries] == expected
    assert [(s.rank, s.tied) for s in normalised.entries] == expected


def test_a_tie_is_not_split_by_float_noise():
    jury = panel(entries=2, jurors="AB")
    a, b = jury.jurors["A"], jury.jurors["B"]
    e1, e2 = jury.entries
    card(jury.round, a, e1, (7.5, 8, 6.5))  # 7.35
    card(jury.round, b, e1, (10, 9.5, 9))  # 9.55 → mean 8.45
    card(jury.round, a, e2, (8, 8.5, 9))  # 8×40 + 8.5×30 + 9×30 = 320 + 255 + 270 → 8.45

    table = round_standings(jury.round, rank_by="raw")

    assert [(r4(s.mean), s.rank, s.tied) for s in table.entries] == [
        (8.45, 1, True),
        (8.45, 1, True),
    ]


@pytest.mark.parametrize(
    ("totals", "flagged"),
    [
        # Default threshold: a quarter of the scale, (10 − 1) / 4 = 2.25.
        ([(5, 4.5, 4), (9.5, 8.5, 9)], False),  # 4.55 and 9.05: SD = 4.5 / 2 = 2.25, at it
        ([(5, 4.5, 4), (10, 8.5, 8.5)], True),  # 4.55 and 9.1: SD = 4.55 / 2 = 2.275, above
        ([(4.5, 4.5, 4.5), 9], False),  # 4.5 and 9: SD 2.25
        ([(4.5, 4.5, 4.5), (9, 9.5, 9)], True),  # 4.5 and 9.15: SD 2.325
    ],
)
def test_disagreement_is_flagged_above_the_default_threshold_not_at_it(totals, flagged):
    jury = panel(entries=1, jurors="AB")
    for juror, values in zip(jury.jurors.values(), totals, strict=True):
        card(jury.round, juror, jury.entries[0], values)

    table = round_standings(jury.round)

    assert table.threshold == 2.25
    assert table.entries[0].disagreement is flagged


@pytest.mark.parametrize(
    ("second", "flagged"),
    [
        (8, False),  # 6 and 8: SD 1, at the round's threshold
        ((8.5, 8, 7.5), True),  # 6 and 8.05 (3.4 + 2.4 + 2.25): SD 1.025, above
    ],
)
def test_disagreement_threshold_set_on_the_round(second, flagged):
    jury = panel(entries=1, jurors="AB", disagreement=1)
    a, b = jury.jurors["A"], jury.jurors["B"]
    card(jury.round, a, jury.entries[0], 6)
    card(jury.round, b, jury.entries[0], second)

    table = round_standings(jury.round)

    assert (table.threshold, table.entries[0].disagreement) == (1.0, flagged)


def lenient_and_severe():
    """L, lenient, judges three entries; S, severe, three others (one juror per entry)."""
    jury = panel(entries=6, jurors="LS")
    lenient, severe = jury.jurors["L"], jury.jurors["S"]
    for entry, total in zip(jury.entries[:3], (9, 8.5, 8), strict=True):
        card(jury.round, lenient, entry, total)
    for entry, total in zip(jury.entries[3:], (6.5, 3, 2.5), strict=True):
        card(jury.round, severe, entry, total)
    return jury


def test_raw_and_normalised_rankings_differ_with_a_lenient_and_a_severe_juror():
    jury = lenient_and_severe()

    raw = round_standings(jury.round, rank_by="raw")
    normalised = round_standings(jury.round, rank_by="normalised")

    # L: mean (9 + 8.5 + 8) / 3 = 8.5; deviations 0.5, 0, −0.5; SD = √(0.5 / 3) = 0.408248
    #    z = 0.5 / 0.408248 = 1.2247, 0, −1.2247
    # S: mean (6.5 + 3 + 2.5) / 3 = 4; deviations 2.5, −1, −1.5; SD = √(9.5 / 3) = 1.779513
    #    z = 2.5 / 1.779513 = 1.4049, −1 / 1.779513 = −0.5620, −1.5 / 1.779513 = −0.8429
    assert [(s.reference_code[-4:], r4(s.mean), s.rank) for s in raw.entries] == [
        ("0001", 9.0, 1),
        ("0002", 8.5, 2),
        ("0003", 8.0, 3),
        ("0004", 6.5, 4),
        ("0005", 3.0, 5),
        ("0006", 2.5, 6),
    ]
    assert [(s.reference_code[-4:], r4(s.normalised), s.rank) for s in normalised.entries] == [
        ("0004", 1.4049, 1),  # S's best: 4th by raw mean
        ("0001", 1.2247, 2),
        ("0002", 0.0, 3),
        ("0005", -0.5620, 4),
        ("0006", -0.8429, 5),
        ("0003", -1.2247, 6),  # L's worst: 3rd by raw mean
    ]
    # The raw mean is shown beside the normalised one, never replaced.
    assert [r4(s.mean) for s in normalised.entries] == [6.5, 9.0, 8.5, 3.0, 2.5, 8.0]


def test_calibration_calls_the_lenient_and_the_severe_juror_what_they_are():
    jury = lenient_and_severe()

    table = round_standings(jury.round)
    rows = {row["stats"].name: row for row in calibration(table)}

    # Panel: mean 37.5 / 6 = 6.25; SD = √(40.375 / 6) = 2.594064. L's mean is
    # (8.5 − 6.25) / 2.594064 = 0.87 SD above it, S's (4 − 6.25) / 2.594064 = 0.87 below:
    # more than half an SD either way.
    assert (r4(table.panel_mean), r4(table.panel_sd)) == (6.25, 2.5941)
    assert (rows["Juror L"]["lean"], rows["Juror S"]["lean"]) == ("lenient", "severe")


# The page -----------------------------------------------------------------------------------


def test_standings_page_queries_do_not_grow_with_entries(client, django_assert_max_num_queries):
    jury = panel(entries=0, jurors="ABC")
    client.force_login(OrganizerFactory())
    url = reverse("judging:standings", args=[jury.round.pk])
    counts = []
    for rows in (1, 3):
        while len(jury.entries) < rows:
            entry = submitted_entry(jury.arc, number=len(jury.entries) + 1)
            jury.round.round_entries.create(entry=entry)
            for juror, total in zip(jury.jurors.values(), (5, 7, 9), strict=True):
                card(jury.round, juror, entry, total)
            jury.entries.append(entry)
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
        assert len(response.context["table"].entries) == rows
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]


def test_standings_page_is_for_organizers_only(client, people):
    jury = panel(entries=1, jurors="A")
    url = reverse("judging:standings", args=[jury.round.pk])
    client.force_login(people.creator)

    assert client.get(url).status_code == 404


def test_ranking_choice_is_remembered_per_round_and_audited(client):
    jury = lenient_and_severe()
    other = panel(entries=1, jurors="A", year=jury.cycle.festival_year + 2).round
    organizer = OrganizerFactory()
    client.force_login(organizer)
    url = reverse("judging:standings", args=[jury.round.pk])

    response = client.post(url, {"rank_by": "normalised"})
    later = client.get(url)

    assert response.status_code == 302
    jury.round.refresh_from_db()
    other.refresh_from_db()
    assert (jury.round.rank_by, other.rank_by) == ("normalised", "raw")
    assert later.context["table"].rank_by == "normalised"
    assert later.context["table"].entries[0].reference_code.endswith("0004")  # S's best
    event = AuditEvent.objects.get(action=Action.ROUND_RANKING)
    assert (event.actor, event.object_id, event.data) == (
        organizer,
        str(jury.round.pk),
        {"rank_by": "normalised"},
    )
