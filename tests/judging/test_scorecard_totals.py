"""The weighted total stored on each scorecard never disagrees with its raw scores.

Standings read `Scorecard.total` instead of joining every score to its criterion; every way
scores or weights are written must keep it equal to Σ value × weight ÷ 100.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import TestCase

from judging import services
from judging.models import Assignment, Criterion, Score, Scorecard
from judging.standings import round_standings
from tests.judging.scoring import card, panel

pytestmark = pytest.mark.django_db


def recomputed(scorecard: Scorecard) -> float | None:
    pairs = [(s.value, s.criterion.weight) for s in scorecard.scores.select_related("criterion")]
    return float(sum(v * w for v, w in pairs)) / 100 if pairs else None


def assert_every_total_is_its_scores():
    cards = list(Scorecard.objects.all())
    assert cards
    for scorecard in cards:
        expected = recomputed(scorecard)
        if expected is None:
            assert scorecard.total is None
        else:
            assert scorecard.total == pytest.approx(expected, abs=1e-9), scorecard


def save(assignment, values: dict, **kwargs):
    by_position = list(assignment.round.criteria.order_by("position"))
    return services.scorecard_save(
        assignment=assignment,
        user=assignment.juror.user,
        values={str(by_position[n].pk): v for n, v in values.items()},
        **kwargs,
    )


def test_a_juror_changing_a_score_moves_the_standings(jury):
    mine = Assignment.objects.filter(juror=jury.jurors[0]).select_related("round", "juror__user")
    first, second = mine[0], mine[1]
    save(first, {0: "8", 1: "8", 2: "8"}, submit=True)
    save(second, {0: "6", 1: "6", 2: "6"}, submit=True)
    before = {
        s.entry_id: (s.mean, s.rank) for s in round_standings(jury.round, rank_by="raw").entries
    }

    save(second, {0: "10", 1: "10"})  # 10 × 40 + 10 × 30 + 6 × 30 = 880 → 8.8
    after = {
        s.entry_id: (s.mean, s.rank) for s in round_standings(jury.round, rank_by="raw").entries
    }

    assert before[first.entry_id] == (8.0, 1) and before[second.entry_id] == (6.0, 2)
    assert after[second.entry_id] == (pytest.approx(8.8), 1)
    assert after[first.entry_id] == (8.0, 2)


def test_the_total_follows_every_save_of_the_juror(jury):
    assignment = Assignment.objects.filter(juror=jury.jurors[0]).first()

    save(assignment, {0: "7.5"})  # a draft: 7.5 × 40 = 300 → 3
    draft = Scorecard.objects.get()
    save(assignment, {1: "8", 2: "6.5"}, submit=True)  # 300 + 240 + 195 = 735 → 7.35
    submitted = Scorecard.objects.get()
    save(assignment, {1: ""})  # a score cleared: back to a draft of 300 + 195 → 4.95
    cleared = Scorecard.objects.get()

    assert (draft.status, draft.total) == ("draft", 3.0)
    assert (submitted.status, submitted.total) == ("submitted", pytest.approx(7.35))
    assert (cleared.status, cleared.total) == ("draft", pytest.approx(4.95))
    assert_every_total_is_its_scores()


def test_a_weight_changed_under_existing_scores_changes_the_totals(jury):
    assignment = Assignment.objects.filter(juror=jury.jurors[0]).first()
    save(assignment, {0: "10", 1: "5", 2: "5"}, submit=True)  # 400 + 150 + 150 → 7
    a, b, _c = jury.round.criteria.order_by("position")

    # In the admin, one criterion's form after the other: 60/10/30, then 60/10/30 holds.
    a.weight, b.weight = 60, 10
    a.save()
    b.save()

    # 10 × 60 + 5 × 10 + 5 × 30 = 600 + 50 + 150 = 800 → 8
    assert Scorecard.objects.get().total == 8.0
    table = round_standings(jury.round, rank_by="raw")
    assert [s.mean for s in table.entries if s.count] == [8.0]


def test_bulk_written_scores_get_their_totals_from_refresh_totals():
    jury = panel(entries=2, jurors="AB")
    plain = Scorecard.objects.create(
        round=jury.round, juror=jury.jurors["A"], entry=jury.entries[0]
    )
    criteria = list(Criterion.objects.filter(round=jury.round).order_by("position"))
    Score.objects.bulk_create(
        Score(scorecard=plain, criterion=c, value=Decimal(v))
        for c, v in zip(criteria, ("9.5", "7", "6.5"), strict=True)
    )
    helped = card(jury.round, jury.jurors["B"], jury.entries[1], (7.5, 8, 6.5))

    Scorecard.objects.filter(pk=plain.pk).refresh_totals()

    # 9.5 × 40 + 7 × 30 + 6.5 × 30 = 380 + 210 + 195 = 785 → 7.85
    assert Scorecard.objects.get(pk=plain.pk).total == pytest.approx(7.85)
    assert helped.total == pytest.approx(7.35)
    assert_every_total_is_its_scores()


def test_demo_seeding_stores_the_totals_of_every_round(settings):
    settings.DEBUG = True  # as under `make run`
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", entries=12, jurors=5, seed=4, phase="judging")

    # The current round scored through the service; the past edition's two rounds in bulk.
    assert Scorecard.objects.order_by().values("round").distinct().count() == 3
    assert_every_total_is_its_scores()
