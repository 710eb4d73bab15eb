"""A newcomer on `make run` verifies their account from the readable dev email page."""

import importlib

import pytest
from django.urls import clear_url_caches
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def as_make_run(settings, tmp_path):
    """Debug on and the development mailer, as `make run` has them (the dev email page is
    wired only in debug)."""
    import config.urls

    settings.DEBUG = True
    settings.DEV_MAIL_DIR = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "config.devmail.EmailBackend",
            "OPTIONS": {"directory": settings.DEV_MAIL_DIR},
        }
    }
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_a_newcomer_verifies_their_account_from_the_dev_email_page(live_server, phone, as_make_run):
    page = phone
    base = live_server.url

    page.goto(f"{base}/vi/accounts/signup/")
    page.get_by_label("Email").fill("minh.anh@example.vn")
    page.get_by_label("Mật khẩu:", exact=True).fill(PASSWORD)
    page.get_by_label("Mật khẩu (nhập lại):").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()

    # The email is not sent anywhere: the dev page shows it, readable, its link clickable.
    page.goto(f"{base}/vi/dev/emails/")
    check_page(page)
    expect(page.get_by_text("minh.anh@example.vn").first).to_be_visible()
    page.locator("a[href*='/accounts/confirm-email/']").first.click()
    page.locator("form button[type=submit]").last.click()

    page.goto(f"{base}/vi/me/")
    expect(page.get_by_role("heading", name="Hoàn thiện hồ sơ nhà sáng tạo")).to_be_visible()
