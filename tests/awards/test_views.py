import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    AwardCycleFactory,
    CategoryFactory,
    DraftCycleFactory,
    PrizeFactory,
    open_cycle_dates,
)

pytestmark = pytest.mark.django_db


def url(name, lang="vi", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def cycle():
    cycle = AwardCycleFactory()
    CategoryFactory(
        cycle=cycle, code="ARC", name_vi="Kiến trúc và không gian", name_en="Architecture and Space"
    )
    PrizeFactory(cycle=cycle, name_vi="Giải Vàng", name_en="Gold Award", quantity=5)
    return cycle


@pytest.mark.parametrize(
    ("lang", "theme", "category", "prize", "label"),
    [
        ("vi", "Sông và Thành phố", "Kiến trúc và không gian", "Giải Vàng", "Hạng mục"),
        ("en", "The River and the City", "Architecture and Space", "Gold Award", "Categories"),
    ],
)
def test_home_shows_the_current_edition_in_each_language(
    client, cycle, lang, theme, category, prize, label
):
    response = client.get(url("awards:home", lang))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    for text in (theme, category, prize, label):
        assert text in html
    assert f'href="{url("awards:edition", lang, year=cycle.festival_year)}"' in html


def test_home_shows_the_deadline_with_its_time_zone_and_a_countdown(client, cycle):
    response = client.get(url("awards:home", "en"))

    html = response.content.decode()
    assert "data-countdown=" in html
    assert "Hanoi time, GMT+7" in html


def test_root_redirects_to_a_language(client):
    response = client.get("/", headers={"accept-language": "en"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_language_switcher_links_to_the_same_page_in_the_other_language(client, cycle):
    response = client.get(url("awards:rules", "vi", year=cycle.festival_year))

    assert (
        f'href="/en/awards/{cycle.festival_year}/rules/" hreflang="en"' in response.content.decode()
    )


def test_edition_page_shows_statement_categories_prizes_and_timeline(client, cycle):
    response = client.get(url("awards:edition", "en", year=cycle.festival_year))

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "The Red River made Hanoi.",
        "Architecture and Space",
        "Gold Award",
        "Submission deadline",
    ):
        assert text in html


def test_draft_edition_is_not_found_for_the_public(client):
    draft = DraftCycleFactory()

    for name in ("awards:edition", "awards:rules"):
        assert client.get(url(name, year=draft.festival_year)).status_code == 404


def test_draft_edition_is_visible_to_organizers(client, people):
    draft = DraftCycleFactory()
    client.force_login(people.organizer)

    assert client.get(url("awards:edition", year=draft.festival_year)).status_code == 200


def test_draft_edition_is_not_found_for_creators(client, people):
    draft = DraftCycleFactory()
    client.force_login(people.creator)

    assert client.get(url("awards:edition", year=draft.festival_year)).status_code == 404


def test_home_never_features_a_draft(client):
    DraftCycleFactory(theme_en="Secret theme")

    response = client.get(url("awards:home", "en"))

    assert "Secret theme" not in response.content.decode()
    assert "will be announced here" in response.content.decode()


def test_archive_lists_public_editions_newest_first(client):
    AwardCycleFactory(dates=open_cycle_dates(festival_year=2030), theme_en="Older")
    AwardCycleFactory(dates=open_cycle_dates(festival_year=2032), theme_en="Newer")
    DraftCycleFactory(dates=open_cycle_dates(festival_year=2034), theme_en="Hidden")

    html = client.get(url("awards:archive", "en")).content.decode()

    assert html.index("Newer") < html.index("Older")
    assert "Hidden" not in html


def test_rules_page_lists_each_category_limit(client, cycle):
    html = client.get(url("awards:rules", "en", year=cycle.festival_year)).content.decode()

    assert "ARC · Architecture and Space" in html
    assert "20 MB" in html


def test_unknown_edition_is_a_styled_404(client):
    response = client.get(url("awards:edition", "en", year=1990))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["awards:home", "awards:edition"])
def test_public_pages_do_a_fixed_number_of_queries(client, django_assert_max_num_queries, name):
    counts = []
    for size, year in ((1, 2030), (6, 2032)):
        cycle = AwardCycleFactory(dates=open_cycle_dates(festival_year=year))
        CategoryFactory.create_batch(size, cycle=cycle)
        PrizeFactory.create_batch(size, cycle=cycle)
        kwargs = {"year": year} if name == "awards:edition" else {}
        with django_assert_max_num_queries(10) as ctx:
            response = client.get(url(name, "en", **kwargs))
        assert response.status_code == 200
        assert response.content.decode().count("category-card__name") == size
        counts.append(len(ctx.captured_queries))

    assert counts[0] == counts[1]


def test_healthz_reports_database_and_storage(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}


@pytest.mark.parametrize(
    ("delta", "lang", "text"),
    [
        ({"days": 20, "hours": 3}, "en", "20 days"),
        ({"hours": 26, "minutes": 10, "seconds": 30}, "en", "26 h 10 min"),
        ({"minutes": 9, "seconds": 30}, "en", "9 minutes"),
        ({"days": 20, "hours": 3}, "vi", "20 ngày"),
        ({"minutes": 9, "seconds": 30}, "vi", "9 phút"),
    ],
)
def test_time_left_is_precise_near_the_deadline(delta, lang, text):
    from datetime import timedelta

    from django.utils import timezone

    from awards.templatetags.hcda import time_left

    with translation.override(lang):
        assert time_left(timezone.now() + timedelta(**delta)) == text


def past_cycle(days_ago):
    """An edition whose submissions opened `days_ago` days ago (the demo's past edition)."""
    from datetime import timedelta

    from django.utils import timezone

    return AwardCycleFactory(
        dates=open_cycle_dates(now=timezone.now() - timedelta(days=days_ago)), theme_en="Heritage"
    )


def test_edition_after_its_results_date_does_not_claim_winners_without_results(client):
    cycle = past_cycle(days_ago=4 * 365)
    assert cycle.current_phase == "judging"  # the date passed, but nothing is published

    html = client.get(url("awards:edition", "en", year=cycle.festival_year)).content.decode()

    assert "were announced" not in html
    assert "Results published" not in html
    assert "Results will be published here." in html


def test_edition_in_judging_says_when_winners_will_be_announced(client):
    cycle = past_cycle(days_ago=45)
    assert cycle.current_phase == "judging"

    html = client.get(url("awards:edition", "en", year=cycle.festival_year)).content.decode()

    assert "Winners will be announced at the Hanoi Festival of Creative Design on" in html


@pytest.mark.parametrize(("days_ago", "offered"), [(0, True), (45, False), (4 * 365, False)])
def test_how_to_enter_is_offered_only_while_one_can_enter(client, days_ago, offered):
    cycle = AwardCycleFactory() if days_ago == 0 else past_cycle(days_ago)

    html = client.get(url("awards:edition", "en", year=cycle.festival_year)).content.decode()

    assert ("Rules and how to enter" in html, f'href="{cycle.get_rules_url()}"' in html) == (
        offered,
        True,
    )


@pytest.mark.parametrize(
    ("who", "target"),
    [("anonymous", "account_signup"), ("creator", "submissions:dashboard")],
)
def test_home_invites_to_enter_during_an_open_call(client, people, cycle, who, target):
    if who != "anonymous":
        client.force_login(getattr(people, who))

    html = client.get(url("awards:home", "en")).content.decode()

    assert (
        f'<a class="button button--primary" href="{url(target, "en")}">Enter the award</a>' in html
    )


def test_debug_answers_an_unknown_page_with_the_sites_404(client, settings):
    settings.DEBUG = True

    response = client.get("/en/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert ("URLconf" in html, "Back to the home page" in html) == (False, True)
