"""The published results as the public reads them: the results page, a winner's page, the
winners' images, the archive and the edition page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

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
