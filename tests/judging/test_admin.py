"""The round admin, where organizers set up a round: only the edition's categories, and the
next round number already filled in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from judging.models import Round
from tests.factories import CategoryFactory, JudgingCycleFactory, OrganizerFactory, RoundFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def editions():
    """Two editions whose categories share their codes, as every edition's do."""
    this, other = JudgingCycleFactory(), JudgingCycleFactory(festival_year=2040)
    mine = [CategoryFactory(cycle=this, code=code) for code in ("ARC", "PRD")]
    theirs = [CategoryFactory(cycle=other, code=code) for code in ("ARC", "PRD")]
    first = RoundFactory(cycle=this, categories=mine)
    return this, mine, theirs, first


def offered(response) -> set[int]:
    return set(
        response.context["adminform"]
        .form.fields["categories"]
        .queryset.values_list("pk", flat=True)
    )


def test_setting_up_a_round_offers_the_editions_categories_and_the_next_number(client, editions):
    this, mine, _theirs, _first = editions
    client.force_login(OrganizerFactory())

    response = client.get(url("admin:judging_round_add") + f"?cycle={this.pk}")

    assert offered(response) == {c.pk for c in mine}
    assert response.context["adminform"].form.initial["number"] == 2


def test_editing_a_round_offers_only_its_editions_categories(client, editions):
    _this, mine, _theirs, first = editions
    client.force_login(OrganizerFactory())

    response = client.get(url("admin:judging_round_change", first.pk))

    assert offered(response) == {c.pk for c in mine}


def test_a_round_with_another_editions_category_is_refused_with_a_message(client, editions):
    this, mine, theirs, _first = editions
    opens = timezone.localtime(timezone.now() + timedelta(days=20))
    closes = opens + timedelta(days=5)
    client.force_login(OrganizerFactory())

    response = client.post(
        url("admin:judging_round_add") + f"?cycle={this.pk}",
        {
            "cycle": this.pk,
            "number": 2,
            "name_vi": "Vòng chung khảo",
            "name_en": "Final round",
            "categories": [mine[0].pk, theirs[1].pk],
            "opens_at_0": opens.strftime("%Y-%m-%d"),
            "opens_at_1": opens.strftime("%H:%M:%S"),
            "closes_at_0": closes.strftime("%Y-%m-%d"),
            "closes_at_1": closes.strftime("%H:%M:%S"),
            "scale_min": "1",
            "scale_max": "10",
            "scale_step": "0.5",
            "jurors_per_entry": 3,
            "blind": "on",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["categories"]
    assert Round.objects.filter(cycle=this).count() == 1
