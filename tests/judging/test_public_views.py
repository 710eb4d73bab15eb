"""The published results as the public reads them: the results page, a winner's page, the
winners' images, the archive and the edition page, open data and the sitemap."""

import re
import urllib.request
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from judging import results
from tests.judging.published import results_edition

pytestmark = pytest.mark.django_db


def url(name, lang="vi", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


def text(response) -> str:
    """The page's text without tags or repeated spaces, to read like a person would."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.replace("&#x27;", "'").split())


def positions(page: str, *words: str) -> list[int]:
    return [page.index(word) for word in words]


def sections(response) -> dict[str, str]:
    """The results page's sections, in order: their id and their text."""
    parts = re.split(
        r'<section class="results-section[^"]*" id="([^"]+)"', response.content.decode()
    )
    return {
        parts[n]: " ".join(
            re.sub(r"<[^>]+>", " ", parts[n + 1].split(">", 1)[1]).replace("&#x27;", "'").split()
        )
        for n in range(1, len(parts), 2)
    }


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            {
                "title": "Work number",
                "prizes": ["Hanoi Grand Prize", "Golden Lotus Award", "Silver Lotus Award"],
                "juror": [
                    "Chair of the jury",
                    "Giám khảo 01",
                    "Title of juror 01",
                    "Biography of juror 01.",
                ],
                "category": "Product Design",
            },
        ),
        (
            "vi",
            {
                "title": "Tác phẩm số",
                "prizes": ["Giải thưởng lớn Hà Nội", "Giải Sen Vàng", "Giải Sen Bạc"],
                "juror": [
                    "Chủ tịch Ban giám khảo",
                    "Giám khảo 01",
                    "Chức danh giám khảo 01",
                    "Tiểu sử giám khảo 01.",
                ],
                "category": "Thiết kế sản phẩm",
            },
        ),
    ],
)
def test_results_page_shows_prizes_in_order_then_mentions_shortlist_jury_and_open_data(
    client, lang, words
):
    # Five awards: the Grand Prize (1), two Golden Lotus (2, 3), one Silver (4), one mention (5).
    made = results_edition(awards=5, shortlisted=2, not_selected=1, jurors=2)
    year = made.cycle.festival_year
    prize_keys = [f"prize-{made.prizes[k].pk}" for k in ("grand", "gold", "silver")]

    response = client.get(url("judging:results", lang, year=year))

    found = sections(response)
    assert list(found) == [*prize_keys, "mentions", "shortlist", "jury", "open-data"]
    numbers = {key: re.findall(rf"{words['title']} (\d+)", found[key]) for key in found}
    assert [numbers[key] for key in (*prize_keys, "mentions", "shortlist")] == [
        ["001"],
        ["002", "003"],
        ["004"],
        ["005"],
        ["006", "007"],
    ]
    for key, prize in zip(prize_keys, words["prizes"], strict=True):
        assert found[key].startswith(prize)
    assert "Xưởng Thiết Kế 001" in found[prize_keys[0]]
    assert "Xưởng Thiết Kế 006" in found["shortlist"]
    assert words["category"] in found["shortlist"]
    # Not selected: not on the page.
    assert f"{words['title']} 008" not in text(response)
    assert "Xưởng Thiết Kế 008" not in text(response)
    jury = found["jury"]
    assert positions(jury, *words["juror"]) == sorted(positions(jury, *words["juror"]))
    html = response.content.decode()
    assert url("judging:results_json", lang, year=year) in html
    assert url("judging:results_csv", lang, year=year) in html
    for entry in made.winners:
        assert url("judging:winner", lang, year=year, slug=entry.reference_code.lower()) in html


def test_results_page_queries_do_not_grow_with_winners(client, django_assert_num_queries):
    """The snapshot is the page: one query for the edition, one for its published results."""
    for awards, year in ((1, 2030), (3, 2032)):
        results_edition(awards=awards, shortlisted=awards, jurors=awards, festival_year=year)

        with django_assert_num_queries(2):
            response = client.get(url("judging:results", "en", year=year))

        assert response.content.decode().count('<li class="winner-card') == awards


def test_results_page_is_kept_per_language_and_follows_the_editions_own_texts(client):
    made = results_edition(awards=2)
    year = made.cycle.festival_year
    body = "judging/results/_results_body.html"
    first = client.get(url("judging:results", "en", year=year))

    again = client.get(url("judging:results", "en", year=year))
    english = text(again)
    vietnamese = text(client.get(url("judging:results", "vi", year=year)))
    made.cycle.theme_en = "Heritage, Alive"
    made.cycle.save()
    edited = text(client.get(url("judging:results", "en", year=year)))

    assert body in [t.name for t in first.templates]
    assert body not in [t.name for t in again.templates]  # kept, not rendered again
    assert english == text(first)
    assert "Work number 001" in english and "Living Heritage" in english
    assert "Tác phẩm số 001" in vietnamese and "Work number 001" not in vietnamese
    assert "Heritage, Alive" in edited and "Living Heritage" not in edited


def test_winner_page_shows_the_work_its_awards_credits_and_citation(client):
    made = results_edition(awards=3, shortlisted=1, images=3)
    year = made.cycle.festival_year
    entry = made.winners[1]  # the Golden Lotus
    images = next(
        a["entry"]["images"]
        for a in made.snapshot.data["awards"]
        if a["entry"]["id"] == str(entry.public_id)
    )

    response = client.get(url("judging:winner", "en", year=year, slug=entry.reference_code.lower()))

    assert response.status_code == 200
    page = text(response)
    for expected in (
        "Work number 002",
        "Xưởng Thiết Kế 002",
        "Golden Lotus Award",
        "Product Design",
        "The jury's citation for work number 002.",
        "Kiến trúc sư 002 Thiết kế / Design",
        entry.reference_code,
        "Summary of work number 002.",
    ):
        assert expected in page
    html = response.content.decode()
    for asset_id in images:
        assert (
            url("judging:results_image", "en", year=year, asset_id=asset_id, variant="web") in html
        )
    certificate = made.snapshot.certificates.get(entry=entry).code
    assert url("judging:verify", "en", code=certificate) in html
    # Previous and next follow the results page: the Grand Prize before, the Silver after.
    assert (
        url("judging:winner", "en", year=year, slug=made.winners[0].reference_code.lower()) in html
    )
    assert (
        url("judging:winner", "en", year=year, slug=made.winners[2].reference_code.lower()) in html
    )


def test_only_awarded_entries_have_a_winner_page(client):
    made = results_edition(awards=1, shortlisted=1, not_selected=1)
    year = made.cycle.festival_year

    for entry in (made.shortlist[0], made.others[0]):
        slug = entry.reference_code.lower()
        assert client.get(url("judging:winner", "en", year=year, slug=slug)).status_code == 404
    assert client.get(url("judging:winner", "en", year=year, slug="nothing")).status_code == 404


@pytest.mark.parametrize("variant", ["web", "thumb"])
def test_winner_images_redirect_to_a_short_lived_signed_url_of_the_rendition(
    client, backend, variant, settings
):
    made = results_edition(awards=1, shortlisted=0, not_selected=1, images=1, real_images=True)
    year = made.cycle.festival_year
    shown = made.snapshot.data["awards"][0]["entry"]["images"][0]
    hidden = str(made.others[0].assets.get().public_id)

    response = client.get(
        url("judging:results_image", "en", year=year, asset_id=shown, variant=variant)
    )

    assert response.status_code == 302
    # A cached redirect never outlives the signature it points to.
    assert response["Cache-Control"] == "public, max-age=60"
    assert settings.S3_URL_EXPIRY > 60
    location = response["Location"]
    if backend == "s3":
        assert (
            "X-Amz-Signature=" in location and f"X-Amz-Expires={settings.S3_URL_EXPIRY}" in location
        )
        with urllib.request.urlopen(location) as image:
            data, content_type = image.read(), image.headers["Content-Type"]
    else:
        image = client.get(location)
        data, content_type = b"".join(image.streaming_content), image["Content-Type"]
    asset = made.winners[0].assets.get()
    assert content_type == "image/jpeg"
    assert data[:3] == b"\xff\xd8\xff"
    assert asset.web_key != asset.key  # a rendition, never the original upload
    for other in (
        url("judging:results_image", "en", year=year, asset_id=hidden, variant=variant),
        url("judging:results_image", "en", year=year, asset_id=shown, variant="original"),
    ):
        assert client.get(other).status_code == 404


def test_archive_shows_each_editions_winners_as_thumbnails_once_published(client):
    published = results_edition(awards=2, festival_year=2028)
    waiting = results_edition(
        awards=2, publish=False, publish_at=timezone.now() + timedelta(days=1), festival_year=2030
    )

    response = client.get(url("awards:archive", "en"))

    html = response.content.decode()
    page = text(response)
    assert "Work number 001" in page and "Hanoi Grand Prize" in page
    thumb = published.snapshot.data["awards"][0]["entry"]["images"][0]
    assert url("judging:results_image", "en", year=2028, asset_id=thumb, variant="thumb") in html
    assert url("judging:results", "en", year=2028) in html
    assert "/2030/results" not in html
    assert waiting.cycle.results_published_at is None


def test_edition_page_shows_its_winners_and_links_the_results_once_published(client):
    # The publish time has passed, but nothing is published yet: a date alone shows nothing.
    made = results_edition(awards=2, publish=False, publish_at=timezone.now() - timedelta(hours=1))
    edition = url("awards:edition", "en", year=made.cycle.festival_year)
    results_url = url("judging:results", "en", year=made.cycle.festival_year)
    before = client.get(edition).content.decode()

    results.results_publish(cycle=made.cycle)
    after = client.get(edition).content.decode()

    assert results_url not in before and "Work number 001" not in before
    assert results_url in after and "Work number 001" in after and "Hanoi Grand Prize" in after


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
