"""Open data: results.json and results.csv, one documented schema, only once published."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from judging.public_views import OPEN_DATA_FIELDS
from tests.judging.published import results_edition

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    assert content.startswith("\ufeff")  # spreadsheet programs then read UTF-8
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


def test_json_and_csv_have_the_same_fields_in_the_same_order_and_the_same_rows(client):
    made = results_edition(awards=4, shortlisted=1)  # Grand, Golden Lotus, Silver, a mention
    year = made.cycle.festival_year

    data = client.get(url("judging:results_json", year=year)).json()
    header, *rows = csv_rows(client.get(url("judging:results_csv", year=year)))

    assert data["schema"] == "hcda-results/1"
    assert data["fields"] == header == OPEN_DATA_FIELDS
    assert [list(award) for award in data["awards"]] == [OPEN_DATA_FIELDS] * 4
    flat = [
        [
            "; ".join(f"{c['name']} ({c['role']})" for c in value)
            if field == "credits"
            else ("" if value is None else str(value))
            for field, value in award.items()
        ]
        for award in data["awards"]
    ]
    assert rows == flat


def test_open_data_rows_hold_the_documented_values(client):
    made = results_edition(awards=4, shortlisted=1)
    year = made.cycle.festival_year
    grand, mention = made.winners[0], made.winners[3]
    certificate = made.snapshot.certificates.get(entry=grand).code

    data = client.get(url("judging:results_json", year=year)).json()

    assert (data["edition"], data["checksum"]) == (year, made.snapshot.checksum)
    assert data["theme"] == {"vi": "Di sản sống", "en": "Living Heritage"}
    first, *_others, last = data["awards"]
    assert first == {
        "edition": year,
        "award_kind": "prize",
        "award_vi": "Giải thưởng lớn Hà Nội",
        "award_en": "Hanoi Grand Prize",
        "place": 1,
        "category_code": "ARC",
        "category_vi": "Kiến trúc và không gian",
        "category_en": "Architecture and Space",
        "reference_code": grand.reference_code,
        "title_vi": "Tác phẩm số 001",
        "title_en": "Work number 001",
        "creator": "Xưởng Thiết Kế 001",
        "credits": [{"name": "Kiến trúc sư 001", "role": "Thiết kế / Design"}],
        "citation_vi": "Lời bình của ban giám khảo cho tác phẩm số 001.",
        "citation_en": "The jury's citation for work number 001.",
        "url": "http://testserver"
        + url("judging:winner", year=year, slug=grand.reference_code.lower()),
        "certificate_code": certificate,
        "certificate_url": "http://testserver" + url("judging:verify", code=certificate),
    }
    assert (last["award_kind"], last["award_en"], last["award_vi"], last["place"]) == (
        "mention",
        "Honourable mention",
        "Giải khuyến khích",
        None,
    )
    assert last["reference_code"] == mention.reference_code
    # The shortlist is on the results page, not in the awards data.
    assert made.shortlist[0].reference_code not in str(data)


def test_open_data_links_follow_the_language_of_the_address(client):
    made = results_edition(awards=1, shortlisted=0)
    year = made.cycle.festival_year

    data = client.get(url("judging:results_json", "vi", year=year)).json()

    assert data["awards"][0]["url"].startswith(f"http://testserver/vi/awards/{year}/results/")
    assert data["awards"][0]["certificate_url"].startswith("http://testserver/vi/verify/")


@pytest.mark.parametrize("name", ["judging:results_json", "judging:results_csv"])
def test_open_data_is_a_404_until_published_and_reusable_after(client, name):
    made = results_edition(awards=1, publish=False, publish_at=timezone.now() + timedelta(days=1))
    year = made.cycle.festival_year

    assert client.get(url(name, year=year)).status_code == 404

    published = results_edition(awards=1, festival_year=year + 2)
    response = client.get(url(name, year=published.cycle.festival_year))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
