import re

import pytest
from playwright.sync_api import expect

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

    phone.get_by_role("link", name="Rules and how to enter").click()
    phone.get_by_role("link", name="Tiếng Việt").click()

    expect(phone).to_have_url(f"{live_server.url}/vi/awards/{cycle.festival_year}/rules/")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")


def test_local_time_is_shown_to_visitors_abroad(live_server, browser):
    AwardCycleFactory()
    context = browser.new_context(timezone_id="Europe/Paris", locale="en-GB")
    page = context.new_page()

    page.goto(f"{live_server.url}/en/")

    expect(page.locator(".countdown__local")).to_be_visible()
    expect(page.locator(".countdown__local")).to_contain_text("In your time zone")
    context.close()
