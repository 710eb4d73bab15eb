"""Jury pages as people read them: the scores a juror typed, the files an entry has, what
an organizer's preview promises."""

import re

import pytest
from django.utils import translation

from judging import services
from judging.models import Assignment
from submissions.models import EntryAsset
from tests.factories import OrganizerFactory, submitted_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def score_field_values(html: str) -> list[str]:
    return re.findall(r'name="score-\d+" value="([^"]*)"', html)


def test_saved_scores_come_back_as_the_juror_wrote_them(client, jury):
    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    ids = [str(c.pk) for c in jury.round.criteria.order_by("position")]
    services.scorecard_save(
        assignment=assignment, user=juror.user, values={ids[0]: "7,5", ids[1]: "10", ids[2]: "1"}
    )
    client.force_login(juror.user)

    response = client.get(f"/en/jury/score/{assignment.public_id}/")

    assert score_field_values(response.content.decode()) == ["7.5", "10", "1"]


def test_an_entry_with_only_a_portfolio_offers_it_without_waiting_for_images(client, jury):
    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    EntryAsset.objects.create(
        entry=assignment.entry,
        kind=EntryAsset.Kind.PDF,
        status=EntryAsset.Status.READY,
        key="entries/x/pdf",
        jury_key="entries/x/pdf-jury",
        original_name="portfolio.pdf",
        content_type="application/pdf",
        declared_size=1000,
        size=1000,
        checksum="0" * 64,
        pages=12,
    )
    client.force_login(juror.user)

    page = client.get(f"/en/jury/score/{assignment.public_id}/").content.decode()

    assert "PDF portfolio" in page and "(12 pages)" in page
    assert 'class="gallery"' not in page  # no empty image list to scroll past
    assert "The images are still being prepared" not in page


def test_the_assignment_preview_counts_entries_submitted_since_the_last_assignment(client, jury):
    late = submitted_entry(jury.arc, number=5)
    client.force_login(OrganizerFactory())

    preview = client.get(f"/en/organize/rounds/{jury.round.pk}/assign/").content.decode()
    client.post(f"/en/organize/rounds/{jury.round.pk}/assign/", {"seed": "0"})

    assert "Preview: 2 new assignments" in preview
    assert Assignment.objects.filter(entry=late).count() == 2


def test_the_two_factor_prompt_names_an_opening_date_only_when_it_is_still_ahead(client, jury):
    from datetime import timedelta

    from django.utils import timezone

    juror = jury.jurors[0]
    client.force_login(juror.user)
    during = client.get("/en/jury/").content.decode()
    jury.round.opens_at = timezone.now() + timedelta(days=3)
    jury.round.save(update_fields=["opens_at"])

    before = client.get("/en/jury/").content.decode()

    assert "before your first round opens" not in during
    assert "protect your account with an authenticator app." in during
    assert "before your first round opens" in before


def test_a_title_written_only_in_the_other_language_is_shown_and_marked_as_such(client, jury):
    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    assignment.entry.title_en = ""
    assignment.entry.save(update_fields=["title_en"])
    client.force_login(juror.user)

    page = client.get(f"/en/jury/score/{assignment.public_id}/").content.decode()

    assert '<h2 class="score-work__title" id="work-title" lang="vi">Cầu tre ven sông</h2>' in page


@pytest.mark.parametrize("page", ["organizer entry list", "organizer standings", "chair standings"])
def test_wide_tables_scroll_in_their_own_focusable_labelled_region(client, jury, page):
    # On a 390 px phone these tables are wider than the screen: the table scrolls, not the
    # page, and a keyboard user must be able to reach the region and hear what it holds.
    from judging.models import Juror
    from tests.factories import JurorFactory

    chair = JurorFactory(cycle=jury.cycle, categories=[jury.arc], role=Juror.Role.CHAIR)
    client.force_login(chair.user if page == "chair standings" else OrganizerFactory())
    path = {
        "organizer entry list": f"/en/organize/{jury.cycle.festival_year}/entries/",
        "organizer standings": f"/en/organize/rounds/{jury.round.pk}/standings/",
        "chair standings": f"/en/jury/rounds/{jury.round.pk}/standings/",
    }[page]

    html = client.get(path).content.decode()

    wraps = re.findall(r'<div class="table-wrap"[^>]*>', html)
    assert wraps
    for wrap in wraps:
        assert 'tabindex="0"' in wrap and 'role="region"' in wrap, wrap
        assert re.search(r'aria-label(ledby)?="[^"]+"', wrap), wrap


def _pdf(entry, *, jury_key: str):
    return EntryAsset.objects.create(
        entry=entry,
        kind=EntryAsset.Kind.PDF,
        status=EntryAsset.Status.READY,
        key="entries/x/pdf",
        jury_key=jury_key,
        original_name="portfolio.pdf",
        content_type="application/pdf",
        declared_size=1000,
        size=1000,
        checksum="0" * 64,
        pages=12,
    )


def test_files_whose_jury_copies_are_not_ready_are_announced_not_left_out(client, jury):
    # The images wait for their metadata-stripped copies while the portfolio is ready: the
    # juror must learn that images are coming, not judge a work that seems to have none.
    from tests.factories import ready_image

    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    ready_image(assignment.entry, position=0)
    ready_image(assignment.entry, position=1)
    _pdf(assignment.entry, jury_key="entries/x/pdf-jury")
    client.force_login(juror.user)

    page = client.get(f"/en/jury/score/{assignment.public_id}/").content.decode()

    assert "PDF portfolio" in page
    assert "2 files are still being prepared; reload in a minute." in page


def test_a_portfolio_still_being_prepared_is_announced_beside_ready_images(client, jury):
    from tests.factories import ready_image

    juror = jury.jurors[0]
    assignment = Assignment.objects.filter(juror=juror).first()
    image = ready_image(assignment.entry)
    EntryAsset.objects.filter(pk=image.pk).update(web_key="entries/x/web", jury_key="entries/x/j")
    _pdf(assignment.entry, jury_key="")
    client.force_login(juror.user)

    page = client.get(f"/en/jury/score/{assignment.public_id}/").content.decode()

    assert 'class="gallery"' in page and "PDF portfolio" not in page
    assert "1 file is still being prepared; reload in a minute." in page
