from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from awards.models import AwardCycle, year_before
from tests.factories import (
    AwardCycleFactory,
    CategoryFactory,
    DraftCycleFactory,
    PrizeFactory,
    hanoi,
    open_cycle_dates,
)

pytestmark = pytest.mark.django_db

DATE_FIELDS = [
    "theme_announced_at",
    "submissions_open_at",
    "submissions_close_at",
    "judging_starts_at",
    "festival_starts_at",
    "results_publish_at",
    "festival_ends_at",
]


def unsaved_cycle(**changes) -> AwardCycle:
    fields = {**AwardCycleFactory.build().__dict__}
    fields = {k: v for k, v in fields.items() if not k.startswith("_") and k != "id"}
    fields.update(changes)
    return AwardCycle(**fields)


def test_valid_cycle_passes_validation():
    unsaved_cycle().full_clean()


@pytest.mark.parametrize("year", [2027, 2029])
def test_odd_festival_year_is_refused_by_form_validation(year):
    dates = open_cycle_dates()
    cycle = unsaved_cycle(
        festival_year=year, **{k: v for k, v in dates.items() if k != "festival_year"}
    )

    with translation.override("en"), pytest.raises(ValidationError) as error:
        cycle.full_clean()

    assert "choose an even festival year" in " ".join(error.value.message_dict["festival_year"])


def test_odd_festival_year_is_refused_by_the_database():
    cycle = AwardCycleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        AwardCycle.objects.filter(pk=cycle.pk).update(festival_year=cycle.festival_year + 1)


@pytest.mark.parametrize(("earlier", "later"), list(pairwise(DATE_FIELDS)))
def test_each_date_out_of_order_is_refused_with_a_message_on_the_later_date(earlier, later):
    cycle = unsaved_cycle()
    setattr(cycle, later, getattr(cycle, earlier) - timedelta(minutes=1))

    with pytest.raises(ValidationError) as error:
        cycle.full_clean()

    assert later in error.value.message_dict
    assert error.value.message_dict[later][0] != ""


@pytest.mark.parametrize(("earlier", "later"), list(pairwise(DATE_FIELDS)))
def test_each_date_out_of_order_is_refused_by_the_database(earlier, later):
    cycle = AwardCycleFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        AwardCycle.objects.filter(pk=cycle.pk).update(
            **{later: getattr(cycle, earlier) - timedelta(minutes=1)}
        )


def test_festival_may_start_at_the_moment_results_are_published():
    cycle = unsaved_cycle()
    cycle.results_publish_at = cycle.festival_starts_at

    cycle.full_clean()


def test_theme_announced_less_than_twelve_months_before_the_festival_is_refused():
    cycle = unsaved_cycle()
    cycle.theme_announced_at = year_before(cycle.festival_starts_at) + timedelta(minutes=1)
    cycle.submissions_open_at = cycle.theme_announced_at + timedelta(days=1)
    cycle.submissions_close_at = cycle.submissions_open_at + timedelta(days=30)
    cycle.judging_starts_at = cycle.submissions_close_at + timedelta(days=7)

    with translation.override("en"), pytest.raises(ValidationError) as error:
        cycle.full_clean()

    assert "at least 12 months" in error.value.message_dict["theme_announced_at"][0]


def test_theme_announced_exactly_twelve_months_before_the_festival_is_accepted():
    cycle = unsaved_cycle()
    cycle.theme_announced_at = year_before(cycle.festival_starts_at)
    cycle.submissions_open_at = cycle.theme_announced_at + timedelta(days=1)
    cycle.submissions_close_at = cycle.submissions_open_at + timedelta(days=30)
    cycle.judging_starts_at = cycle.submissions_close_at + timedelta(days=7)

    cycle.full_clean()


def test_year_before_a_leap_day_is_the_28th_of_february():
    assert year_before(hanoi(2028, 2, 29, 10)) == hanoi(2027, 2, 28, 10)


def test_festival_must_start_in_its_festival_year():
    cycle = unsaved_cycle()
    cycle.festival_year += 2

    with pytest.raises(ValidationError) as error:
        cycle.full_clean()

    assert "festival_starts_at" in error.value.message_dict


def test_messages_are_translated_to_vietnamese():
    cycle = unsaved_cycle(festival_year=2029)

    with translation.override("vi"), pytest.raises(ValidationError) as error:
        cycle.full_clean()

    assert "năm chẵn" in error.value.message_dict["festival_year"][0]


@pytest.fixture
def cycle():
    return AwardCycleFactory()


def test_phase_follows_the_dates_around_each_boundary(cycle):
    tick = timedelta(microseconds=1)
    expectations = [
        (cycle.submissions_open_at - tick, AwardCycle.Phase.UPCOMING),
        (cycle.submissions_open_at, AwardCycle.Phase.OPEN),
        (cycle.submissions_close_at - tick, AwardCycle.Phase.OPEN),
        (cycle.submissions_close_at, AwardCycle.Phase.CLOSED),
        (cycle.judging_starts_at - tick, AwardCycle.Phase.CLOSED),
        (cycle.judging_starts_at, AwardCycle.Phase.JUDGING),
        (cycle.results_publish_at - tick, AwardCycle.Phase.JUDGING),
        # The date alone never says results exist: without a published snapshot it is
        # still judging, however late.
        (cycle.results_publish_at, AwardCycle.Phase.JUDGING),
        (cycle.festival_ends_at + timedelta(days=800), AwardCycle.Phase.JUDGING),
    ]

    assert [(moment, cycle.phase(moment)) for moment, _ in expectations] == expectations


def test_results_are_published_when_the_snapshot_is_and_not_before(cycle):
    tick = timedelta(microseconds=1)
    cycle.results_published_at = cycle.results_publish_at + timedelta(minutes=1)

    assert cycle.phase(cycle.results_published_at - tick) == AwardCycle.Phase.JUDGING
    assert cycle.phase(cycle.results_published_at) == AwardCycle.Phase.PUBLISHED


def test_draft_cycle_is_in_draft_phase_whatever_the_date():
    cycle = DraftCycleFactory()

    assert cycle.phase(cycle.submissions_open_at + timedelta(days=1)) == AwardCycle.Phase.DRAFT


def test_public_editions_exclude_drafts_and_announcements_still_to_come():
    now = timezone.now()
    public = AwardCycleFactory(dates=open_cycle_dates(now, festival_year=2030))
    DraftCycleFactory(dates=open_cycle_dates(now, festival_year=2032))
    scheduled = AwardCycleFactory(
        dates=open_cycle_dates(now + timedelta(days=100), festival_year=2034)
    )

    assert list(AwardCycle.objects.public(now=now)) == [public]
    assert set(AwardCycle.objects.public(now=scheduled.theme_announced_at)) == {public, scheduled}


def test_translated_fields_follow_the_active_language_and_fall_back():
    cycle = AwardCycleFactory(theme_en="")

    with translation.override("en"):
        english = cycle.theme
    with translation.override("vi"):
        vietnamese = cycle.theme

    assert (english, vietnamese) == ("Sông và Thành phố", "Sông và Thành phố")
    cycle.theme_en = "The River and the City"
    with translation.override("en"):
        assert cycle.theme == "The River and the City"


def test_edition_code_is_hcda_and_two_digit_year():
    assert AwardCycleFactory.build(festival_year=2026).code == "HCDA26"


def test_category_code_is_unique_within_an_edition(cycle):
    CategoryFactory(cycle=cycle, code="ARC")

    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryFactory(cycle=cycle, code="ARC")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"min_images": 0}, "min_images"),
        ({"min_images": 5, "max_images": 4}, "max_images"),
        ({"max_entries_per_creator": 0}, "max_entries_per_creator"),
        ({"code": "arc"}, "code"),
        ({"code": "ARCHI"}, "code"),
    ],
)
def test_category_rules_are_explained_on_their_field(cycle, changes, field):
    category = CategoryFactory.build(cycle=cycle, **changes)

    with pytest.raises(ValidationError) as error:
        category.full_clean()

    assert list(error.value.message_dict) == [field]


def test_prize_is_given_at_least_once(cycle):
    prize = PrizeFactory.build(cycle=cycle, quantity=0)

    with pytest.raises(ValidationError) as error:
        prize.full_clean()

    assert list(error.value.message_dict) == ["quantity"]
