"""The jury's demo data: `seed_demo --jurors M --phase open|judging`."""

from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from awards.demo import plan_editions
from awards.models import AuditEvent, AwardCycle
from judging.demo import category_spread, round_one_dates
from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    Juror,
    Round,
    RoundEntry,
    Score,
    Scorecard,
)
from judging.selectors import round_eligible_entries, visible_assignments
from submissions.models import Entry
from tests.factories import hanoi

# One moment every five weeks over four years, as in the foundation's demo test.
MOMENTS = [hanoi(2026, 10, 22, 8) + timedelta(days=35 * n, hours=7 * n) for n in range(42)]


@pytest.mark.django_db
@pytest.mark.parametrize("now", MOMENTS, ids=lambda m: m.strftime("%Y-%m-%d"))
def test_both_phases_obey_every_edition_and_round_rule_at_any_date(now):
    years = {}
    for phase, expected in (
        ("open", AwardCycle.Phase.OPEN),
        ("judging", AwardCycle.Phase.JUDGING),
    ):
        past, current, upcoming = plan_editions(now, phase=phase)
        cycles = []
        for plan in (past, current, upcoming):
            cycle = AwardCycle(
                theme_vi="x",
                theme_en="x",
                theme_statement_vi="x",
                theme_statement_en="x",
                status=AwardCycle.Status.ANNOUNCED,
                announced_at=now,
                **plan.__dict__,
            )
            cycle.full_clean()
            cycle.save()  # the database checks its constraints too
            cycles.append(cycle)
        opens, closes = round_one_dates(cycles[1], now)
        round_ = Round(cycle=cycles[1], number=1, name_vi="x", name_en="x")
        round_.opens_at, round_.closes_at = opens, closes
        round_.full_clean(exclude=["categories", "entries"])
        # The past edition's results time has passed: seeding publishes them (demo_results).
        assert cycles[0].results_publish_at < now
        cycles[0].results_published_at = cycles[0].results_publish_at

        assert [c.phase(now) for c in cycles] == [AwardCycle.Phase.PUBLISHED, expected, "upcoming"]
        assert round_.state(now) == ("open" if phase == "judging" else "upcoming")
        years[phase] = [c.festival_year for c in cycles]
        AwardCycle.objects.all().delete()

    # Switching phase moves dates, never the edition: the same three festival years.
    assert years["open"] == years["judging"]


@pytest.mark.parametrize("count", range(1, 61))
def test_every_category_gets_at_least_three_jurors_however_many_there_are(count):
    codes = ["ARC", "PRD", "GRC", "CRH", "DIG"]

    spread = category_spread(count, codes)

    per_category = Counter(code for judged in spread for code in judged)
    assert set(per_category) == set(codes)
    assert min(per_category.values()) >= min(3, count)  # all of them when fewer than three
    assert all(judged[0] == codes[i % 5] for i, judged in enumerate(spread))


def seed(settings, **options):
    settings.DEBUG = True  # as under `make run`
    call_command("seed_demo", entries=12, jurors=5, seed=4, **options)


def current_round():
    return Round.objects.select_related("cycle").get(cycle__festival_year=current_year())


def current_year():
    return AwardCycle.objects.order_by("festival_year")[1].festival_year


def assert_every_edition_rule_holds():
    for cycle in AwardCycle.objects.all():
        cycle.full_clean()
    round_ = current_round()
    round_.full_clean()
    assert {c.pk for c in round_.categories.all()} == set(
        round_.cycle.categories.values_list("pk", flat=True)
    )


def demo_juror_user():
    return get_user_model().objects.get(email="juror@demo.hcda.vn")


def jury_counts():
    models = (Juror, Conflict, Round, Criterion, RoundEntry, Assignment, Scorecard, Score)
    return {
        model.__name__: model.objects.count()
        for model in (*models, AuditEvent, get_user_model(), Entry)
    }


@pytest.mark.django_db
def test_the_default_demo_has_a_jury_and_an_upcoming_round_one(settings):
    seed(settings)

    cycle = AwardCycle.objects.get(festival_year=current_year())
    jurors = Juror.objects.filter(cycle=cycle).prefetch_related("categories")
    round_ = current_round()
    assert cycle.current_phase == AwardCycle.Phase.OPEN
    assert_every_edition_rule_holds()
    assert jurors.count() == 1 + 5
    assert {j.state for j in jurors} == {"accepted"}
    assert [j.name for j in jurors if j.role == "chair"] == ["Trần Quang Minh"]
    assert all(j.title_vi and j.title_en and j.bio_vi and j.bio_en for j in jurors)
    demo = jurors.get(user=demo_juror_user())
    assert demo.categories.count() == cycle.categories.count()
    others = Counter(c.code for j in jurors.exclude(pk=demo.pk) for c in j.categories.all())
    assert min(others[c.code] for c in cycle.categories.all()) >= 3
    assert (round_.state(), round_.jurors_per_entry) == ("upcoming", 3)
    assert (round_.scale_min, round_.scale_max, round_.scale_step) == (1, 10, 0.5)
    criteria = list(round_.criteria.all())
    assert sum(c.weight for c in criteria) == 100
    assert all("2 –" in c.guidance_vi and "9 –" in c.guidance_en for c in criteria)
    assert Assignment.objects.filter(round=round_).count() == 0  # the past edition has its own


@pytest.mark.django_db
def test_judging_phase_assigns_every_entry_and_gives_the_demo_juror_work(settings):
    seed(settings, phase="judging")
    counts = jury_counts()

    seed(settings, phase="judging")

    assert jury_counts() == counts
    round_ = current_round()
    cycle = round_.cycle
    assert cycle.current_phase == AwardCycle.Phase.JUDGING
    assert round_.current_state == Round.State.OPEN
    assert_every_edition_rule_holds()
    # The deadline moved into the past: every entry still came in before it.
    for entry in Entry.objects.filter(cycle=cycle).exclude(submitted_at=None):
        assert entry.submitted_at < cycle.submissions_close_at
        assert (entry.withdrawn_at or entry.submitted_at) < cycle.submissions_close_at
    eligible = set(round_eligible_entries(round_).values_list("pk", flat=True))
    assignments = list(Assignment.objects.filter(round=round_).select_related("entry", "juror"))
    assert eligible and Counter(a.entry_id for a in assignments) == dict.fromkeys(eligible, 3)
    judged = {(j.pk, c.pk) for j in Juror.objects.all() for c in j.categories.all()}
    assert all((a.juror_id, a.entry.category_id) in judged for a in assignments)
    conflicted = {
        (c.juror_id, c.entry_id or c.creator_id)
        for c in Conflict.objects.filter(status=Conflict.Status.CONFIRMED)
    }
    assert conflicted  # the demo juror declared a tie with the demo creator's studio
    assert not [
        a
        for a in assignments
        if (a.juror_id, a.entry_id) in conflicted or (a.juror_id, a.entry.owner_id) in conflicted
    ]
    # The demo juror has open work and a few scorecards done; so have the others.
    user = demo_juror_user()
    mine = Assignment.objects.filter(round=round_, juror__user=user)
    cards = Scorecard.objects.filter(round=round_, juror__user=user)
    # Every assignment is one the juror may open: none conflicted, hidden or closed.
    assert set(visible_assignments(user)) == set(mine)
    assert not mine.filter(entry__owner__email="creator@demo.hcda.vn").exists()
    statuses = Counter(cards.values_list("status", flat=True))
    assert statuses["submitted"] >= 1 and statuses["draft"] == 1
    assert mine.count() - cards.count() >= 1  # something left to score
    submitted = Scorecard.objects.filter(round=round_, status="submitted")
    assert submitted.exclude(juror__user=user).exists()  # the others have started too
    for card in submitted:
        values = list(card.scores.values_list("value", flat=True))
        assert len(values) == 3
        assert all(round_.score_problem(v) is None for v in values)


@pytest.mark.django_db
def test_phases_switch_back_and_forth_on_the_same_edition(settings):
    seed(settings, phase="judging")
    first = set(
        Assignment.objects.filter(juror__user=demo_juror_user()).values_list("entry", flat=True)
    )
    editions = list(AwardCycle.objects.values_list("pk", "festival_year"))

    seed(settings)  # back to open

    round_ = current_round()
    assert round_.cycle.current_phase == AwardCycle.Phase.OPEN
    assert round_.current_state == Round.State.UPCOMING
    assert_every_edition_rule_holds()
    current = {"round": round_}
    assert (
        Assignment.objects.filter(**current).count(),
        Scorecard.objects.filter(**current).count(),
        Score.objects.filter(scorecard__round=round_).count(),
    ) == (0, 0, 0)
    assert Conflict.objects.filter(status=Conflict.Status.CONFIRMED).exists()  # kept

    seed(settings, phase="judging")

    assert current_round().current_state == Round.State.OPEN
    again = set(
        Assignment.objects.filter(juror__user=demo_juror_user()).values_list("entry", flat=True)
    )
    assert again == first
    assert list(AwardCycle.objects.values_list("pk", "festival_year")) == editions


@pytest.mark.django_db
def test_judging_phase_clears_the_deadline_extensions_granted_while_open(settings):
    from submissions.services import entry_extend_deadline

    seed(settings)
    cycle = AwardCycle.objects.get(festival_year=current_year())
    organizer = get_user_model().objects.get(email="organizer@demo.hcda.vn")
    extended = Entry.objects.filter(cycle=cycle, owner__email="creator@demo.hcda.vn").first()
    entry_extend_deadline(
        entry=extended, by=organizer, until=cycle.submissions_close_at + timedelta(days=3)
    )

    seed(settings, phase="judging")

    extended.refresh_from_db()
    cycle.refresh_from_db()
    assert extended.extended_until is None
    assert not extended.is_open()  # the creator's page no longer offers changes
    assert not [e for e in Entry.objects.filter(cycle=cycle) if e.is_open()]
    cleared = AuditEvent.objects.filter(action="entry.extend").order_by("-pk").first()
    assert cleared.data["until"] is None
