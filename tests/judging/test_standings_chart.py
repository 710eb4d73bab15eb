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


def _css_rule(selector: str) -> str:
    """The declarations of the site's stylesheet for one selector (all its rules, joined)."""
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text("utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    return " ".join(
        body for selectors, body in found if selector in re.split(r"\s*,\s*", selectors.strip())
    )


def test_every_part_of_the_calibration_chart_is_drawn_visibly():
    # Unstyled, an SVG line has no stroke (the axis and the panel's mean vanish) and every
    # shape fills black (the band hides the dots and the juror's mean).
    assert "stroke:" in _css_rule(".spark__axis")
    assert "stroke:" in _css_rule(".spark__panel")
    for part in (".spark__band", ".spark__dot", ".spark__mean"):
        assert "fill:" in _css_rule(part), part
    assert _css_rule(".spark__band") != _css_rule(".spark__mean")


def test_the_calibration_table_stacks_on_a_phone_with_each_figure_named(client, jury):
    for assignment in jury.round.assignments.all():
        card = Scorecard.objects.create(
            round=jury.round,
            juror=assignment.juror,
            entry=assignment.entry,
            status="submitted",
            submitted_at=timezone.now(),
        )
        Score.objects.bulk_create(
            [
                Score(scorecard=card, criterion=c, value=Decimal("6"))
                for c in jury.round.criteria.all()
            ]
        )
    Scorecard.objects.filter(round=jury.round).refresh_totals()  # written in bulk
    client.force_login(OrganizerFactory())
    with translation.override("en"):
        path = reverse("judging:standings", kwargs={"round_id": jury.round.pk})

    html = client.get(path).content.decode()

    table = re.search(r'<table class="([^"]*calibration[^"]*)">.*?</table>', html, re.S)
    assert "table--stack" in table.group(1).split()
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table.group(0), re.S).group(1)
    assert re.findall(r'<td[^>]*data-label="([^"]*)"', row) == [
        "Scores",
        "Mean",
        "Spread",
        "Distribution 1–10",  # the scale's ends: the column's header is hidden on a phone
        "Note",
    ]
