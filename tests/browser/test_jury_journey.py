"""The jury's journey, in a real browser, on a phone and on a laptop: an organizer invites a
juror; the juror accepts with another address than the one invited, declares a tie, scores
three entries with the keyboard alone and steps aside from a fourth; the organizer watches
the round board move and sees the recused entry go to another juror."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from judging.models import Assignment, Conflict, Juror, Scorecard
from submissions.tasks import make_renditions
from tests import images
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    CreatorFactory,
    JudgingCycleFactory,
    JurorFactory,
    OrganizerFactory,
    RoundFactory,
    ready_image,
    submitted_entry,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
STUDIOS = [
    "Studio Sông",
    "Xưởng Gạch Đỏ",
    "Nhà Tre Collective",
    "Lacquer Lab",
    "Phố Cũ Atelier",
    "Bãi Giữa Works",
    "Mây Tre Đan",
    "Gốm Mới",
    "Ngõ Nhỏ Studio",
    "Đê Xanh",
]


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):
    """Opens pages of one size, one browser context per person. A script error or a
    Content-Security-Policy violation on any of them fails the test."""
    contexts, problems = [], []

    def open_page(user=None):
        context = browser.new_context(**VIEWPORTS[request.param])
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": request.getfixturevalue("live_server").url,
                    }
                ]
            )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "console", lambda message: message.type == "error" and problems.append(message.text)
        )
        return page

    open_page.name = request.param
    yield open_page
    for context in contexts:
        context.close()
    assert problems == []


@pytest.fixture
def edition():
    # allauth rate-limits confirmation emails per address in the cache, which outlives a test.
    cache.clear()
    cycle = JudgingCycleFactory()
    category = CategoryFactory(cycle=cycle, code="ARC", name_en="Architecture and Space")
    other = JurorFactory(cycle=cycle, name="Kenji Morita", categories=[category])
    for number, studio in enumerate(STUDIOS, start=1):
        owner = CreatorFactory(profile__display_name=studio)
        entry = submitted_entry(category, owner=owner, number=number, title_en=f"Work {number}")
        asset = ready_image(entry, content=images.jpeg(900, 600))
        make_renditions.call(asset.pk)
    round_ = RoundFactory(cycle=cycle, categories=[category], jurors_per_entry=1)
    return cycle, round_, other


def assert_fits_the_screen(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0, f"{page.url} scrolls sideways by {overflow}px"


def type_scores(page, *values):
    """Type each score and Tab on to the next: the keyboard alone."""
    for position, value in enumerate(values):
        page.keyboard.type(value)
        if position < len(values) - 1:
            page.keyboard.press("Tab")


def test_a_juror_joins_declares_a_tie_scores_by_keyboard_and_steps_aside(
    live_server, screen, edition
):
    cycle, round_, other = edition
    base = f"{live_server.url}/en"
    organizer = screen(OrganizerFactory())

    # The organizer invites a juror by the address the organizers know.
    organizer.goto(f"{base}/organize/{cycle.festival_year}/jury/")
    invite = organizer.locator("form", has=organizer.get_by_label("Public name"))
    invite.get_by_label("Public name").fill("Trần Thu Hà")
    invite.get_by_label("Email address").fill("ha.tran@old-university.example")
    invite.get_by_label("ARC").check()
    invite.get_by_label("Language of the invitation").select_option("en")
    invite.get_by_role("button", name="Send the invitation").click()
    expect(organizer.locator(".message--success")).to_have_text("1 invitation sent.")
    expect(organizer.get_by_role("row", name=re.compile("Trần Thu Hà"))).to_contain_text("Invited")

    # The juror opens the link from the email and signs up with another address.
    link = re.search(r"https?://\S+(/en/jury/invitations/\S+/)", mail.outbox[-1].body).group(1)
    juror = screen()
    juror.goto(live_server.url + link)
    expect(juror.get_by_role("heading", name="Invitation to the jury")).to_be_visible()
    juror.get_by_role("link", name="Create an account").click()
    juror.get_by_label("Email").fill("ha@studio-song.example")
    juror.get_by_label("Password:", exact=True).fill(PASSWORD)
    juror.get_by_label("Password (again):").fill(PASSWORD)
    juror.get_by_role("button", name="Sign Up").click()
    expect(juror.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    confirm = re.search(r"https?://\S+(/\S*accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    juror.goto(live_server.url + confirm.group(1))
    juror.get_by_role("button", name="Confirm").click()

    # Signed in by the confirmation, back on the invitation: accept it.
    expect(juror.get_by_role("heading", name="Invitation to the jury")).to_be_visible()
    expect(juror.get_by_text("You are signed in as ha@studio-song.example")).to_be_visible()
    juror.get_by_role("button", name="Accept the invitation").click()
    expect(juror.get_by_role("heading", name="Your jury page")).to_be_visible()
    membership = Juror.objects.get(cycle=cycle, name="Trần Thu Hà")
    assert (membership.state, membership.email, membership.user.email) == (
        "accepted",
        "ha.tran@old-university.example",
        "ha@studio-song.example",
    )

    # The organizer assigns the round: ten entries, one juror each, five each.
    organizer.goto(f"{base}/organize/rounds/{round_.pk}/")
    expect(organizer.get_by_test_id("scored-total")).to_have_text("0 / 0")
    organizer.get_by_role("link", name="Assign entries").click()
    organizer.get_by_role("button", name="Save these assignments").click()
    expect(organizer.locator(".message--success")).to_have_text("10 assignments saved.")
    expect(organizer.get_by_test_id("scored-total")).to_have_text("0 / 10")
    mine = list(
        Assignment.objects.filter(juror=membership).order_by("pk").select_related("entry__owner")
    )
    assert len(mine) == 5

    # The juror knows one of the studios and says so; that entry goes to another juror.
    known = mine[-1].entry
    juror.goto(f"{base}/jury/")
    juror.get_by_role("link", name="Declare conflicts of interest").click()
    juror.get_by_label("One per line").fill(known.owner.creator_profile.display_name)
    juror.get_by_role("button", name="Save").click()
    expect(juror.locator(".message--success")).to_contain_text("will not be given to you")
    assert Conflict.objects.filter(juror=membership, creator=known.owner).exists()
    assert Assignment.objects.get(entry=known).juror == other

    # Four entries left. The first three are scored with the keyboard alone.
    juror.get_by_role("link", name="Continue scoring").click()
    expect(juror.get_by_role("heading", name="Round 1")).to_be_visible()
    juror.locator(".queue a").first.click()
    expect(juror.get_by_role("heading", name="Entry 1")).to_be_visible()
    expect(juror.locator(".score-head__count")).to_have_text("1 of 4 in your queue")
    image = juror.get_by_role("img", name="Image 1 of 1")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 900
    assert_fits_the_screen(juror)
    juror.keyboard.press("1")  # 1 to 9: straight to that criterion
    expect(juror.get_by_label("Originality")).to_be_focused()
    type_scores(juror, "7", "8.5", "6")
    juror.keyboard.press("Control+Enter")

    expect(juror.get_by_role("heading", name="Entry 2")).to_be_visible()
    expect(juror.locator(".score-head__count")).to_have_text("2 of 4 in your queue")
    # Submitted from the keyboard: the next entry starts in its first score.
    expect(juror.get_by_label("Originality")).to_be_focused()
    type_scores(juror, "6", "7,5", "9")  # a decimal comma is a decimal point
    juror.keyboard.press("Control+Enter")

    expect(juror.get_by_role("heading", name="Entry 3")).to_be_visible()
    expect(juror.locator(".score-head__count")).to_have_text("3 of 4 in your queue")
    type_scores(juror, "8", "8", "8")
    juror.keyboard.press("ArrowUp")  # one step up the scale
    expect(juror.get_by_label("Feasibility")).to_have_value("8.5")
    juror.keyboard.press("Control+Enter")
    expect(juror.get_by_role("heading", name="Entry 4")).to_be_visible()
    expect(juror.locator(".score-head__count")).to_have_text("4 of 4 in your queue")

    cards = Scorecard.objects.filter(juror=membership, status="submitted").order_by("entry_id")
    assert [sorted(str(s.value) for s in card.scores.all()) for card in cards] == [
        ["6.00", "7.00", "8.50"],
        ["6.00", "7.50", "9.00"],
        ["8.00", "8.00", "8.50"],
    ]

    # The fourth: the juror recognises the work and steps aside.
    recused = Assignment.objects.get(
        juror=membership, public_id=juror.url.rstrip("/").split("/")[-1]
    )
    juror.get_by_text("I know this work").click()
    juror.get_by_label("Why (only organizers read this)").fill("I taught this student.")
    juror.once("dialog", lambda dialog: dialog.accept())
    juror.get_by_role("button", name="Step aside from this entry").click()
    expect(juror.locator(".message--success")).to_contain_text("You have stepped aside")
    expect(juror.get_by_role("heading", name="Round 1")).to_be_visible()
    juror.get_by_role("link", name=re.compile("^Done")).click()
    expect(juror.locator(".queue__row")).to_have_count(3)

    # The organizer's board: three scorecards in, nobody short, the entry with Kenji.
    organizer.reload()
    expect(organizer.get_by_test_id("scored-total")).to_have_text("3 / 10")
    assert_fits_the_screen(organizer)
    rows = organizer.get_by_test_id("juror-progress")
    expect(rows.get_by_role("row", name=re.compile("Trần Thu Hà"))).to_contain_text("3")
    expect(rows.get_by_role("row", name=re.compile("Kenji Morita"))).to_contain_text("7")
    expect(organizer.get_by_text("entries short of jurors")).to_be_visible()
    assert Assignment.objects.get(round=round_, entry_id=recused.entry_id).juror == other
    assert Assignment.objects.filter(round=round_).count() == 10
