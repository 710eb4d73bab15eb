import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from submissions.models import Entry
from tests import images
from tests.browser.checks import check_page
from tests.factories import PASSWORD, AwardCycleFactory, CategoryFactory, PrizeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, data in {
        "mat-dung.jpg": images.jpeg(exif_gps=True),
        "mat-bang.png": images.png(),
        "chi-tiet.webp": images.webp(),
        "ho-so.pdf": images.pdf(pages=4),
        "virus.jpg": images.EXE,
    }.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths[name] = str(path)
    return paths


def test_from_sign_up_to_a_submitted_entry_on_a_phone(live_server, phone, files):
    cycle = AwardCycleFactory()
    CategoryFactory(
        cycle=cycle, code="ARC", name_en="Architecture and Space", min_images=3, max_images=6
    )
    PrizeFactory(cycle=cycle)
    page = phone
    base = live_server.url

    # Sign up and verify the email address.
    page.goto(f"{base}/en/accounts/signup/")
    check_page(page)
    # A long address (it must wrap on a phone, not push the page sideways).
    page.get_by_label("Email").fill(
        "lan.nguyen-thi-thu-ha.studio-song-hong@example-design-studio.vn"
    )
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    check_page(page)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(base + link.split("testserver", 1)[-1].replace(live_server.url, ""))
    check_page(page)
    page.get_by_role("button", name="Confirm").click()

    # Signed in by the confirmation: first the profile.
    page.goto(f"{base}/en/me/")
    expect(page.get_by_role("heading", name="Complete your creator profile")).to_be_visible()
    check_page(page)
    page.get_by_label("Display name").fill("Lan Studio")
    page.get_by_label("Creator type").select_option("studio")
    page.get_by_label("Country").select_option("VN")
    page.get_by_label("City").fill("Hà Nội")
    page.get_by_label("I have read and accept the rules").check()
    page.get_by_role("button", name="Save profile").click()

    # The profile done, on to the entries (not back to the home page).
    expect(page).to_have_url(f"{base}/en/me/entries/")
    check_page(page)
    page.get_by_role("button", name="Start an entry").click()
    expect(page.get_by_role("heading", name="Untitled entry")).to_be_visible()
    check_page(page)
    # What is missing comes first, each step linking to its part of the page.
    expect(page.locator(".checklist a")).to_have_text(["Texts", "Images", "Declarations"])
    # One language open at a time: the page's own first.
    expect(page.locator("details[data-lang=en]")).to_have_attribute("open", "")
    expect(page.locator("details[data-lang=vi]")).not_to_have_attribute("open", "")
    texts = page.locator("details[data-lang=en]")
    texts.get_by_label("Title").fill("Bamboo bridge by the river")
    texts.get_by_label("Summary").fill("A bamboo bridge for the Red River sandbank.")
    texts.get_by_label("Design statement").fill("Local bamboo, lashed by hand.")
    texts.get_by_label("How the work draws on culture and heritage").fill(
        "Lashing from Phù Đổng village."
    )
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at", timeout=10_000)
    # The heading follows the saved title, without a reload.
    expect(page.locator("h1")).to_have_text("Bamboo bridge by the river")
    expect(texts.locator("[data-lang-state]")).to_have_text("✓ complete")

    # A bad file first: it is refused with a message, nothing else changes.
    page.locator("#file-input").set_input_files(files["virus.jpg"])
    expect(page.locator(".upload--error")).to_contain_text("not a JPEG, PNG, WebP or PDF")

    # Three images and a PDF, uploaded together.
    page.locator("#file-input").set_input_files(
        [files["mat-dung.jpg"], files["mat-bang.png"], files["chi-tiet.webp"], files["ho-so.pdf"]]
    )
    expect(page.locator(".upload--done")).to_have_count(4, timeout=30_000)
    expect(page.locator("#file-list .files .file")).to_have_count(3)
    expect(page.get_by_role("link", name="ho-so.pdf")).to_be_visible()
    check_page(page)

    page.get_by_label("This is our original work.").check()
    page.get_by_label("We hold the rights to every image and document in this entry.").check()
    page.get_by_label("We accept the rules of the award.").check()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at", timeout=10_000)
    expect(page.locator(".ready-note")).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Submit entry").click()

    code = f"HCDA{cycle.festival_year % 100}-ARC-0001"
    expect(page.locator("[data-testid=reference-code]")).to_have_text(code)
    check_page(page)
    entry = Entry.objects.get()
    assert (entry.status, entry.title_en, entry.assets.filter(status="ready").count()) == (
        "submitted",
        "Bamboo bridge by the river",
        4,
    )
    receipt = [m for m in mail.outbox if code in m.subject]
    assert len(receipt) == 1
    assert "mat-dung.jpg" in receipt[0].body and "ho-so.pdf" in receipt[0].body
