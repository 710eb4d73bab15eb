import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.factories import AwardCycleFactory, CategoryFactory, PrizeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_countdown_ticks_and_language_switch_keeps_the_page(live_server, phone):
    cycle = AwardCycleFactory()
    CategoryFactory(
        cycle=cycle, code="ARC", name_vi="Kiến trúc và không gian", name_en="Architecture and Space"
    )
    PrizeFactory(cycle=cycle)

    phone.goto(f"{live_server.url}/vi/")

    expect(phone.locator("h1")).to_have_text("Sông và Thành phố")
    check_page(phone)
    days = phone.locator('[data-unit="days"]')
    expect(days).to_have_text(re.compile(r"^(20|21)$"))
    seconds = phone.locator('[data-unit="seconds"]')
    first = seconds.text_content()
    expect(seconds).not_to_have_text(first, timeout=3000)  # the clock ticks
    expect(phone.locator(".countdown__deadline")).to_contain_text("GMT+7")

    phone.get_by_role("link", name="English").click()

    expect(phone).to_have_url(f"{live_server.url}/en/")
    expect(phone.locator("h1")).to_have_text("The River and the City")
    expect(phone.get_by_text("Architecture and Space")).to_be_visible()
    expect(phone.locator(".countdown__title")).to_have_text("Entries close in")
    check_page(phone)

    phone.get_by_role("link", name="Rules and how to enter").click()
    phone.get_by_role("link", name="Tiếng Việt").click()

    expect(phone).to_have_url(f"{live_server.url}/vi/awards/{cycle.festival_year}/rules/")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    check_page(phone)


def test_phone_header_is_one_bar_with_a_menu(live_server, phone):
    AwardCycleFactory()
    phone.goto(f"{live_server.url}/en/")
    toggle = phone.get_by_role("button", name="Menu")
    menu = phone.get_by_role("navigation", name="Main menu")

    assert phone.locator(".site-header").bounding_box()["height"] <= 72
    expect(menu).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Sign in")).to_be_visible()
    phone.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Editions")).to_be_focused()
    phone.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")


def test_desktop_keeps_a_horizontal_menu(live_server, browser):
    AwardCycleFactory()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    page.goto(f"{live_server.url}/vi/")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    links = page.get_by_role("navigation", name="Menu chính").get_by_role("link")
    tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
    assert len(tops) == 1
    check_page(page)
    context.close()


def test_local_time_is_shown_to_visitors_abroad(live_server, browser):
    AwardCycleFactory()
    context = browser.new_context(timezone_id="Europe/Paris", locale="en-GB")
    page = context.new_page()

    page.goto(f"{live_server.url}/en/")

    expect(page.locator(".countdown__local")).to_be_visible()
    expect(page.locator(".countdown__local")).to_contain_text("In your time zone")
    context.close()
