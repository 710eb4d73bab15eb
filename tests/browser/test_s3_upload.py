import pytest
from django.core.management import call_command
from django.utils.csp import CSP
from playwright.sync_api import expect

from submissions.models import EntryAsset
from tests import images
from tests.browser.checks import check_page
from tests.factories import AwardCycleFactory, CategoryFactory, CompleteEntryFactory, CreatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browser_uploads_straight_to_the_bucket(live_server, phone, s3_storage, settings, tmp_path):
    # What production does: the page may talk to the bucket, and the bucket allows this site.
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "connect-src": [CSP.SELF, s3_storage.endpoint],
        "img-src": [CSP.SELF, "data:", s3_storage.endpoint],
    }
    call_command("configure_bucket", origin=[live_server.url])
    creator = CreatorFactory()
    entry = CompleteEntryFactory(owner=creator, category=CategoryFactory(cycle=AwardCycleFactory()))
    photo = tmp_path / "song-hong.jpg"
    photo.write_bytes(images.jpeg())
    phone.goto(f"{live_server.url}/en/accounts/login/")
    phone.get_by_label("Email").fill(creator.email)
    phone.get_by_label("Password:").fill("correct-horse-battery-staple")
    phone.get_by_role("button", name="Sign In").click()

    phone.goto(live_server.url + entry.get_absolute_url().replace("/vi/", "/en/"))
    check_page(phone)
    phone.locator("#file-input").set_input_files(str(photo))

    expect(phone.locator(".upload--done")).to_have_count(1, timeout=20_000)
    asset = EntryAsset.objects.get(entry=entry)
    assert (asset.status, asset.original_name) == ("ready", "song-hong.jpg")
    thumb = phone.locator("#file-list img.file__thumb")
    expect(thumb).to_have_count(1)
    thumb.scroll_into_view_if_needed()  # thumbnails load lazily
    # Signed by the app, served by the bucket: the thumbnail really loads.
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000
    )
    check_page(phone)
