"""The standings page's calibration chart: SVG coordinates are numbers, in every language."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from judging.models import Score, Scorecard
from tests.factories import OrganizerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_calibration_chart_coordinates_are_not_localised(client, jury, lang):
    # Scores with fractions, so that coordinates have decimals (Vietnamese writes "98,3").
    for n, assignment in enumerate(jury.round.assignments.all()):
        card = Scorecard.objects.create(
            round=jury.round,
            juror=assignment.juror,
            entry=assignment.entry,
            status="submitted",
            submitted_at=timezone.now(),
        )
        Score.objects.bulk_create(
            [
                Score(scorecard=card, criterion=c, value=Decimal("5.5") + n % 4)
                for c in jury.round.criteria.all()
            ]
        )
    Scorecard.objects.filter(round=jury.round).refresh_totals()
    client.force_login(OrganizerFactory())
    with translation.override(lang):
        path = reverse("judging:standings", kwargs={"round_id": jury.round.pk})

    html = client.get(path).content.decode()

    svg = "".join(re.findall(r"<svg class=\"spark\".*?</svg>", html, re.S))
    values = re.findall(r'\s(?:x|x1|x2|cx|width|viewBox)="([^"]*)"', svg)
    assert values and any("." in v for v in values)
    assert [v for v in values if "," in v] == []
