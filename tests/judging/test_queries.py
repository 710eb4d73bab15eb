"""Queries per jury page do not grow with what is on it: measured at 1 and at 3 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from judging import services
from judging.models import Assignment, Conflict
from submissions.models import EntryAsset
from tests.factories import (
    CategoryFactory,
    CreatorFactory,
    JudgingCycleFactory,
    JurorFactory,
    OrganizerFactory,
    RoundFactory,
    ready_image,
    submitted_entry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class Growing:
    """An open round whose juror is given one entry more each time `to(n)` is called."""

    def __init__(self):
        self.cycle = JudgingCycleFactory()
        self.arc = CategoryFactory(cycle=self.cycle, code="ARC")
        self.juror = JurorFactory(cycle=self.cycle, categories=[self.arc], name="Juror A")
        self.round = RoundFactory(cycle=self.cycle, categories=[self.arc], jurors_per_entry=1)
        self.entries = []

    def to(self, n: int) -> None:
        while len(self.entries) < n:
            entry = submitted_entry(self.arc, number=len(self.entries) + 1)
            for position in range(2):
                image = ready_image(entry, position=position)
                EntryAsset.objects.filter(pk=image.pk).update(
                    jury_key=image.key, web_key=image.key, renditions="ready"
                )
            self.entries.append(entry)
            services.round_assign(round_=self.round, by=None)
            assignment = Assignment.objects.get(entry=entry)
            # Every other one scored and submitted: the queue shows both states.
            if len(self.entries) % 2:
                services.scorecard_save(
                    assignment=assignment,
                    user=self.juror.user,
                    values={str(c.pk): "7" for c in self.round.criteria.all()},
                    submit=True,
                )
        assert Assignment.objects.filter(juror=self.juror).count() == n


def counted(get):
    """The response, and the queries it took (after a first request warmed the session)."""
    get()
    with CaptureQueriesContext(connection) as captured:
        response = get()
    assert response.status_code == 200
    return len(captured.captured_queries)


def counts_at_1_and_3(growing, django_assert_num_queries, get) -> list[int]:
    growing.to(1)
    at_one = counted(get)
    growing.to(3)
    get()
    with django_assert_num_queries(at_one) as captured:
        assert get().status_code == 200
    return [at_one, len(captured.captured_queries)]


@pytest.mark.parametrize("page", ["home", "queue", "queue all", "scoring page"])
def test_jury_pages_do_not_grow_with_assignments(client, django_assert_num_queries, page):
    growing = Growing()
    client.force_login(growing.juror.user)

    def get():
        if page == "home":
            return client.get(reverse("judging:home"))
        if page.startswith("queue"):
            query = "?show=all" if page == "queue all" else ""
            return client.get(reverse("judging:round", args=[growing.round.pk]) + query)
        last = Assignment.objects.filter(juror=growing.juror).order_by("pk").last()
        return client.get(reverse("judging:score", args=[last.public_id]))

    counts = counts_at_1_and_3(growing, django_assert_num_queries, get)

    assert counts[0] == counts[1]


def test_autosave_does_not_grow_with_assignments(client, django_assert_num_queries):
    growing = Growing()
    client.force_login(growing.juror.user)
    first = growing.round.criteria.order_by("position").first()

    def post():
        last = Assignment.objects.filter(juror=growing.juror).order_by("pk").last()
        return client.post(
            reverse("judging:autosave", args=[last.public_id]), {f"score-{first.pk}": "6"}
        )

    counts = counts_at_1_and_3(growing, django_assert_num_queries, post)

    assert counts[0] == counts[1]


@pytest.mark.parametrize("page", ["progress board", "jury", "conflicts", "rounds"])
def test_organizer_pages_do_not_grow_with_jurors_and_scores(
    client, django_assert_num_queries, page
):
    cycle = JudgingCycleFactory()
    arc = CategoryFactory(cycle=cycle, code="ARC")
    round_ = RoundFactory(cycle=cycle, categories=[arc], jurors_per_entry=1)
    client.force_login(OrganizerFactory())
    address = {
        "progress board": reverse("judging:organize_round", args=[round_.pk]),
        "jury": reverse("judging:organize_jury", args=[cycle.festival_year]),
        "conflicts": reverse("judging:organize_conflicts", args=[cycle.festival_year]),
        "rounds": reverse("judging:organize_rounds", args=[cycle.festival_year]),
    }[page]
    counts = []
    for n in (1, 3):
        while arc.entries.count() < n:
            number = arc.entries.count() + 1
            juror = JurorFactory(cycle=cycle, categories=[arc])
            entry = submitted_entry(arc, number=number, owner=CreatorFactory())
            services.round_assign(round_=round_, by=None)
            assignment = Assignment.objects.get(entry=entry)
            services.scorecard_save(
                assignment=assignment,
                user=assignment.juror.user,
                values={str(c.pk): "8" for c in round_.criteria.all()},
                submit=True,
            )
            Conflict.objects.create(
                juror=juror, creator=entry.owner, source="system", status="suggested"
            )
            Conflict.objects.create(juror=juror, entry=entry, source="juror", status="confirmed")
        if not counts:
            counts.append(counted(lambda: client.get(address)))
            continue
        client.get(address)
        with django_assert_num_queries(counts[0]) as captured:
            assert client.get(address).status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1]
