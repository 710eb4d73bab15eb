"""Certificates: a PDF per award in the URL's language, with the snapshot's facts in the award's
typefaces (Vietnamese letters extracted back exactly), a QR code and a link that open the
verification page, and the same 404s as that page before publication or for a code that
does not stand."""

import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import segno
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from judging import results
from judging.models import RoundEntry
from tests.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CreatorFactory,
    OrganizerFactory,
    PrizeFactory,
    RoundFactory,
    submitted_entry,
)


def past_edition_dates(now=None) -> dict:
    """An edition whose festival is under way: results could be published an hour ago."""
    now = now or timezone.now()
    return {
        "festival_year": 2024,
        "theme_announced_at": now - timedelta(days=500),
        "submissions_open_at": now - timedelta(days=200),
        "submissions_close_at": now - timedelta(days=100),
        "judging_starts_at": now - timedelta(days=90),
        "festival_starts_at": now - timedelta(days=2),
        "results_publish_at": now - timedelta(hours=1),
        "festival_ends_at": now + timedelta(days=7),
    }


@pytest.fixture
def edition(db):
    return build_edition()


def build_edition() -> SimpleNamespace:
    """A gold award and an honourable mention decided in the final round and frozen; the
    test publishes (or not)."""
    cycle = AwardCycleFactory(
        dates=past_edition_dates(), theme_vi="Sông và Thành phố", theme_en="The River and the City"
    )
    craft = CategoryFactory(cycle=cycle, code="CRA", name_vi="Thủ công", name_en="Craft")
    gold = PrizeFactory(cycle=cycle, name_vi="Giải Vàng", name_en="Gold Award")
    giang = CreatorFactory(profile__display_name="Đặng Thị Hương Giang")
    winner = submitted_entry(
        craft,
        owner=giang,
        number=7,
        title_vi="Gốm men lam Chu Đậu",
        title_en="Chu Đậu blue-glazed ceramics",
    )
    mentioned = submitted_entry(
        craft,
        number=8,
        owner=CreatorFactory(profile__display_name="Studio Tre Xanh"),
        title_vi="Ghế tre uốn",
        title_en="Bent bamboo chair",
    )
    final = RoundFactory(
        cycle=cycle,
        categories=[craft],
        opens_at=timezone.now() - timedelta(days=80),
        closes_at=timezone.now() - timedelta(days=60),
    )
    RoundEntry.objects.bulk_create([RoundEntry(round=final, entry=e) for e in (winner, mentioned)])
    organizer = OrganizerFactory()
    results.decision_add(cycle=cycle, entry=winner, prize=gold, by=organizer)
    results.decision_add(cycle=cycle, entry=mentioned, by=organizer)
    snapshot, _warnings = results.results_freeze(cycle=cycle, by=organizer)
    codes = {c.entry_id: c.code for c in snapshot.certificates.all()}
    return SimpleNamespace(
        cycle=cycle,
        organizer=organizer,
        winner=winner,
        mentioned=mentioned,
        gold_code=codes[winner.pk],
        mention_code=codes[mentioned.pk],
    )


def publish(edition):
    results.results_publish(cycle=edition.cycle, by=edition.organizer, now=timezone.now())


def certificate_url(code: str, lang: str) -> str:
    with translation.override(lang):
        return reverse("judging:certificate", kwargs={"code": code})


def verify_url(code: str, lang: str) -> str:
    with translation.override(lang):
        return "http://testserver" + reverse("judging:verify", kwargs={"code": code})


def pdf_lines(response) -> list[str]:
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    return [line.strip() for line in page.extract_text().splitlines() if line.strip()]


def link_targets(response) -> set[str]:
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    return {annot.get_object()["/A"]["/URI"] for annot in page.get("/Annots", [])}


def qr_modules(response) -> set[tuple[int, int]]:
    """The dark modules of the QR code drawn on the page: the form holds one rectangle per run
    of dark modules, in module units, with the first row at the top."""
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    form = page["/Resources"]["/XObject"]["/FormXob.qr"].get_object()
    size = round(float(form["/BBox"][2]))
    cells = set()
    for x, y, w, _h in re.findall(
        rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re", form.get_data()
    ):
        for col in range(int(float(x)), int(float(x)) + int(float(w))):
            cells.add((size - 1 - int(float(y)), col))
    return cells


def expected_modules(url: str) -> set[tuple[int, int]]:
    matrix = segno.make(url, error="m", micro=False).matrix
    return {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}


def test_certificate_in_vietnamese_prints_the_facts_exactly(client, edition):
    publish(edition)

    response = client.get(certificate_url(edition.gold_code, "vi"))

    assert response.status_code == 200
    lines = pdf_lines(response)
    announced = timezone.localtime(edition.cycle.results_published_at)
    for fact in [
        "GIẤY CHỨNG NHẬN",
        "2024",
        "Sông và Thành phố",
        "Giải Vàng",
        "Gốm men lam Chu Đậu",
        "Đặng Thị Hương Giang",
        "Thủ công",
        f"{announced.day} tháng {announced.month} năm {announced.year}",
        edition.gold_code,
        f"Xác thực giấy chứng nhận tại {verify_url(edition.gold_code, 'vi')}",
    ]:
        assert fact in lines, (fact, lines)
    assert "Chu Đậu blue-glazed ceramics" not in lines


def test_certificate_in_english_prints_the_facts_exactly(client, edition):
    publish(edition)

    response = client.get(certificate_url(edition.gold_code, "en"))

    lines = pdf_lines(response)
    announced = timezone.localtime(edition.cycle.results_published_at)
    for fact in [
        "CERTIFICATE",
        "The River and the City",
        "Gold Award",
        "Chu Đậu blue-glazed ceramics",
        "Đặng Thị Hương Giang",
        "Craft",
        f"{announced.day} {announced:%B} {announced.year}",
        edition.gold_code,
        f"Verify this certificate at {verify_url(edition.gold_code, 'en')}",
    ]:
        assert fact in lines, (fact, lines)


@pytest.mark.parametrize(
    ("lang", "mention"), [("vi", "Giải khuyến khích"), ("en", "Honourable mention")]
)
def test_honourable_mention_has_its_own_certificate(client, edition, lang, mention):
    publish(edition)

    response = client.get(certificate_url(edition.mention_code, lang))

    lines = pdf_lines(response)
    assert mention in lines
    assert "Ghế tre uốn" in lines or "Bent bamboo chair" in lines
    assert "Studio Tre Xanh" in lines


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_qr_code_and_link_open_the_verification_page(client, edition, lang):
    publish(edition)
    url = verify_url(edition.gold_code, lang)

    response = client.get(certificate_url(edition.gold_code, lang))

    assert link_targets(response) == {url}
    assert qr_modules(response) == expected_modules(url)
    assert client.get(url).status_code == 200


def test_certificate_uses_the_host_the_reader_asked(client, edition, settings):
    settings.ALLOWED_HOSTS = ["awards.example.org"]
    publish(edition)

    response = client.get(certificate_url(edition.gold_code, "en"), HTTP_HOST="awards.example.org")
    refused = client.get(certificate_url(edition.gold_code, "en"), HTTP_HOST="evil.example.com")

    assert link_targets(response) == {f"http://awards.example.org/en/verify/{edition.gold_code}/"}
    assert refused.status_code == 400


def test_vietnamese_typed_with_combining_marks_prints_as_letters(client, edition):
    # "ệ" as e + dot below + circumflex, as some keyboards send it.
    edition.winner.owner.creator_profile.display_name = (
        "Nguye\u0302\u0303n Thi\u0323 Hie\u0323\u0302n"
    )
    edition.winner.owner.creator_profile.save()
    results.results_unfreeze(cycle=edition.cycle, by=edition.organizer, reason="A name was wrong")
    snapshot, _ = results.results_freeze(cycle=edition.cycle, by=edition.organizer)
    publish(edition)
    code = snapshot.certificates.get(entry=edition.winner).code

    response = client.get(certificate_url(code, "vi"))

    assert "Nguyễn Thị Hiện" in pdf_lines(response)


def test_certificate_document_properties(client, edition):
    publish(edition)

    response = client.get(certificate_url(edition.gold_code, "en"))

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert [round(float(v)) for v in reader.pages[0].mediabox] == [0, 0, 842, 595]  # A4 landscape
    assert reader.metadata.title == (
        f"Certificate {edition.gold_code} · Hanoi Creative Design Award 2024"
    )
    assert reader.metadata.author == "Hanoi Creative Design Award"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts == {
        "Newsreader-Medium",
        "Newsreader-Italic",
        "BeVietnamPro-Regular",
        "BeVietnamPro-SemiBold",
    }


def test_certificate_response_headers(client, edition):
    publish(edition)

    response = client.get(certificate_url(edition.gold_code.lower(), "vi"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="HCDA24-certificate-{edition.gold_code}.pdf"'
    )
    assert response["Cache-Control"] == "public, max-age=604800, immutable"
    assert response.content.startswith(b"%PDF-")


def test_same_certificate_same_bytes(client, edition):
    publish(edition)

    first = client.get(certificate_url(edition.gold_code, "vi"))
    second = client.get(certificate_url(edition.gold_code, "vi"))

    assert first.content == second.content


def test_signed_in_reader_gets_the_same_public_document(client, edition):
    publish(edition)
    client.force_login(edition.winner.owner)

    response = client.get(certificate_url(edition.gold_code, "vi"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=604800, immutable"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_certificate_before_publication(client, edition, lang):
    response = client.get(certificate_url(edition.gold_code, lang))

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert "Gốm men lam" not in response.content.decode()


def test_no_certificate_before_the_publish_time(client, db):
    """A frozen snapshot of an edition whose festival is ahead: 404 until it is published."""
    edition_dates = past_edition_dates()
    edition_dates |= {
        "festival_year": 2026,
        "results_publish_at": timezone.now() + timedelta(seconds=1),
    }
    cycle = AwardCycleFactory(dates=edition_dates)
    category = CategoryFactory(cycle=cycle)
    entry = submitted_entry(category)
    final = RoundFactory(
        cycle=cycle,
        categories=[category],
        opens_at=timezone.now() - timedelta(days=80),
        closes_at=timezone.now() - timedelta(days=60),
    )
    RoundEntry.objects.create(round=final, entry=entry)
    organizer = OrganizerFactory()
    results.decision_add(cycle=cycle, entry=entry, prize=PrizeFactory(cycle=cycle), by=organizer)
    snapshot, _ = results.results_freeze(cycle=cycle, by=organizer)
    code = snapshot.certificates.get().code

    with pytest.raises(results.NotYet):
        results.results_publish(cycle=cycle, by=organizer)

    assert client.get(certificate_url(code, "vi")).status_code == 404


def test_unknown_code_is_not_found(client, edition):
    publish(edition)

    response = client.get(certificate_url("AAAA-BBBB-CCCC", "vi"))

    assert response.status_code == 404


def test_code_of_an_unfrozen_snapshot_is_not_found(client, edition):
    results.results_unfreeze(cycle=edition.cycle, by=edition.organizer, reason="Typo in a title")
    snapshot, _ = results.results_freeze(cycle=edition.cycle, by=edition.organizer)
    publish(edition)
    standing = snapshot.certificates.get(entry=edition.winner).code

    superseded = client.get(certificate_url(edition.gold_code, "vi"))
    current = client.get(certificate_url(standing, "vi"))

    assert superseded.status_code == 404
    assert current.status_code == 200


def test_verify_page_links_the_certificate_in_both_languages(client, edition):
    publish(edition)

    page = client.get(verify_url(edition.gold_code, "en")).content.decode()

    assert f'href="{certificate_url(edition.gold_code, "en")}"' in page
    assert f'href="{certificate_url(edition.gold_code, "vi")}"' in page


def test_winner_page_links_the_certificate(client, edition):
    publish(edition)

    page = client.get(
        reverse(
            "judging:winner", kwargs={"year": 2024, "slug": edition.winner.reference_code.lower()}
        )
    ).content.decode()

    assert f'href="{certificate_url(edition.gold_code, "vi")}"' in page


def test_creators_entry_result_links_the_certificate(client, edition):
    publish(edition)
    client.force_login(edition.winner.owner)

    page = client.get(reverse("submissions:dashboard")).content.decode()

    assert f'href="{certificate_url(edition.gold_code, "vi")}"' in page
