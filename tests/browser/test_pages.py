"""Every page of the site's main paths, in both languages, through the common checks:
no sideways scrolling at 360 px, no text in the other language, axe-core (WCAG 2.2 AA)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from submissions import services
from tests.browser.checks import check_page, foreign_words, serious_violations, sideways_overflow
from tests.factories import (
    PASSWORD,
    AwardCycleFactory,
    CategoryFactory,
    CompleteEntryFactory,
    CreatorProfileFactory,
    OrganizerFactory,
    PrizeFactory,
    open_cycle_dates,
    ready_image,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["vi", "en"]


@pytest.fixture
def editions():
    past = AwardCycleFactory(
        dates=open_cycle_dates(now=timezone.now() - timedelta(days=4 * 365)),
        theme_vi="Di sản sống",
        theme_en="Living Heritage",
    )
    current = AwardCycleFactory()
    category = CategoryFactory(
        cycle=current,
        code="ARC",
        name_vi="Kiến trúc và không gian",
        name_en="Architecture and Space",
    )
    PrizeFactory(cycle=current)
    return past, current, category


def sign_in(page, base, email):
    page.goto(f"{base}/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages(live_server, phone, editions, lang):
    past, current, _category = editions
    base = f"{live_server.url}/{lang}"

    for path in (
        "/",
        f"/awards/{current.festival_year}/",
        f"/awards/{current.festival_year}/rules/",
        f"/awards/{past.festival_year}/",
        "/awards/",
        "/no-such-page/",
        "/accounts/login/",
        "/accounts/signup/",
    ):
        phone.goto(base + path)
        check_page(phone)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_organizer_pages(live_server, phone, editions, lang):
    _past, current, category = editions
    organizer = OrganizerFactory()
    owner = CreatorProfileFactory(display_name="Xưởng Sông Hồng").user
    # A long, unbroken address: it must wrap on a phone, not push the page sideways.
    owner.email = "a-very-long-address-for-a-studio-name@studio-song-hong-design.example.vn"
    owner.save()
    entry = CompleteEntryFactory(owner=owner, category=category)
    for n in range(category.min_images):
        ready_image(entry, position=n, name=f"ban-ve-mat-bang-tang-{n}.jpg")
    services.entry_submit(entry=entry, by=owner)
    sign_in(phone, live_server.url, organizer.email)
    base = f"{live_server.url}/{lang}"

    phone.goto(f"{base}/organize/")
    expect(phone.locator("#rounds-title")).to_be_visible()
    check_page(phone)
    phone.goto(f"{base}/organize/{current.festival_year}/entries/")
    check_page(phone)
    phone.goto(live_server.url + entry.get_organizer_url().replace("/vi/", f"/{lang}/"))
    expect(phone.locator(".code").first).to_be_visible()
    check_page(phone)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_creator_pages(live_server, phone, editions, lang):
    _past, _current, category = editions
    creator = CreatorProfileFactory().user
    entry = CompleteEntryFactory(owner=creator, category=category)
    for n in range(category.min_images):
        ready_image(entry, position=n)
    services.entry_submit(entry=entry, by=creator)
    sign_in(phone, live_server.url, creator.email)
    base = f"{live_server.url}/{lang}"

    for path in ("/me/entries/", "/me/profile/", "/accounts/email/"):
        phone.goto(base + path)
        check_page(phone)
    phone.goto(live_server.url + entry.get_absolute_url().replace("/vi/", f"/{lang}/"))
    check_page(phone)


def test_the_checks_catch_what_they_look_for(phone):
    phone.set_content(
        '<html lang="vi"><head><title>Thử</title></head><body><main><h1>Trang</h1><p>Bấm Save để lưu.</p>'
        '<p lang="en">Save the river</p><div style="width:500px">rộng</div>'
        '<input type="text"></main></body></html>'
    )

    assert foreign_words(phone) == ["Save"]
    assert sideways_overflow(phone) >= 140
    assert [v.split(" ")[0] for v in serious_violations(phone)] == ["label"]
    with pytest.raises(AssertionError):
        check_page(phone)
