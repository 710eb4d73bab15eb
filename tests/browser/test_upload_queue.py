"""The upload queue on the entry page: failures give their place back and can be dismissed."""

import time

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from submissions.models import EntryAsset
from tests import images
from tests.factories import AwardCycleFactory, CategoryFactory, CompleteEntryFactory, CreatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def entry():
    category = CategoryFactory(cycle=AwardCycleFactory(), code="ARC", min_images=3, max_images=6)
    return CompleteEntryFactory(owner=CreatorFactory(), category=category)


def open_entry(page, live_server, entry):
    """Signed in as the entry's creator (a session made by Django's test client)."""
    client = Client()
    client.force_login(entry.owner)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + entry.get_absolute_url().replace("/vi/", "/en/"))


def eventually(check, timeout=10.0):
    """Wait for the app (in the live server's thread) to reach a state the page cannot show."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_an_upload_the_store_refuses_gives_its_place_back(live_server, phone, entry, tmp_path):
    open_entry(phone, live_server, entry)
    phone.route(
        "**/uploads/local/",
        lambda route: route.fulfill(status=403, body="The upload permission has expired."),
    )

    phone.locator("#file-input").set_input_files(write(tmp_path, "mat-dung.jpg", images.jpeg()))

    expect(phone.locator(".upload--error")).to_contain_text("The upload permission has expired.")
    eventually(lambda: not EntryAsset.objects.filter(entry=entry).exists())


def test_images_are_listed_in_the_order_they_were_dropped(live_server, phone, entry, tmp_path):
    # Larger files first: the first dropped is the last to arrive.
    dropped = [
        write(tmp_path, "1-mat-dung.jpg", images.jpeg(3200, 2400)),
        write(tmp_path, "2-mat-bang.png", images.png()),
        write(tmp_path, "3-chi-tiet.webp", images.webp()),
    ]
    open_entry(phone, live_server, entry)

    phone.locator("#file-input").set_input_files(dropped)

    expect(phone.locator(".upload--done")).to_have_count(3, timeout=30_000)
    expect(phone.locator("#file-list .file__name")).to_have_text(
        ["1-mat-dung.jpg", "2-mat-bang.png", "3-chi-tiet.webp"]
    )


def test_a_failed_upload_can_be_dismissed(live_server, phone, entry, tmp_path):
    open_entry(phone, live_server, entry)
    phone.locator("#file-input").set_input_files(
        [write(tmp_path, "virus.jpg", images.EXE), write(tmp_path, "mat-dung.jpg", images.jpeg())]
    )
    expect(phone.locator(".upload--error")).to_contain_text("not a JPEG, PNG, WebP or PDF")
    expect(phone.locator(".upload--done")).to_have_count(1, timeout=20_000)

    phone.get_by_role("button", name="Dismiss: virus.jpg").click()

    expect(phone.locator(".upload")).to_have_count(1)
    expect(phone.locator(".upload__name")).to_have_text(["mat-dung.jpg"])
