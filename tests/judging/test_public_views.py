"""The published results as the public reads them: the results page, a winner's page, the
winners' images, the archive and the edition page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.judging.published import results_edition

pytestmark = pytest.mark.django_db


def url(name, lang="vi", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


def text(response) -> str:
    """The page's text without tags or repeated spaces, to read like a person would."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.split())


def test_results_page_lists_the_jury_chair_first(client):
    made = results_edition(awards=1, jurors=3)

    page = text(client.get(url("judging:results", "en", year=made.cycle.festival_year)))

    assert page.index("Giám khảo 01") < page.index("Giám khảo 02") < page.index("Giám khảo 03")


def test_sitemap_lists_results_only_once_published(client):
    waiting = results_edition(
        awards=2, publish=False, publish_at=timezone.now() + timedelta(days=1), festival_year=2030
    )
    published = results_edition(awards=2, festival_year=2028)

    sitemap = client.get(reverse("sitemap"))

    assert sitemap.status_code == 200
    locations = re.findall(r"<loc>http://testserver(.*?)</loc>", sitemap.content.decode())
    for year in (2028, 2030):
        for lang in ("vi", "en"):
            assert url("awards:edition", lang, year=year) in locations
            assert url("awards:rules", lang, year=year) in locations
    assert [loc for loc in locations if "/results" in loc] == [
        url("judging:results", lang, year=2028)
        if slug is None
        else url("judging:winner", lang, year=2028, slug=slug)
        for slug in [None] + [e.reference_code.lower() for e in published.winners]
        for lang in ("vi", "en")
    ]
    assert not [loc for loc in locations if "/2030/results" in loc]
    assert waiting.cycle.results_published_at is None
