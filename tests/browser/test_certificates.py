"""A winner's certificate from the pages that link it: the verification page in both
languages (through the common checks), and the creator's own entry list; each PDF's QR link
opens the verification page that shows the same code."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.checks import check_page
from tests.factories import PASSWORD
from tests.judging.test_certificates import build_edition, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def verification_link(pdf: bytes) -> str:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    (uri,) = {annot.get_object()["/A"]["/URI"] for annot in page["/Annots"]}
    return uri


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_verification_page_offers_the_certificate_in_both_languages(live_server, phone, lang):
    edition = build_edition()
    publish(edition)
    code = edition.gold_code

    phone.goto(f"{live_server.url}/{lang}/verify/{code}/")
    check_page(phone)

    pdfs = {
        pdf_lang: phone.locator(f'a[type="application/pdf"][hreflang="{pdf_lang}"]').get_attribute(
            "href"
        )
        for pdf_lang in ("vi", "en")
    }
    for pdf_lang, href in pdfs.items():
        response = phone.request.get(live_server.url + href)
        assert response.headers["content-type"] == "application/pdf"
        link = verification_link(response.body())
        assert link == f"{live_server.url}/{pdf_lang}/verify/{code}/"
        phone.goto(link)
        expect(phone.locator("dd.code")).to_have_text(code)


def test_winner_downloads_the_certificate_from_their_entries(live_server, phone):
    edition = build_edition()
    publish(edition)
    phone.goto(f"{live_server.url}/en/accounts/login/")
    phone.get_by_label("Email").fill(edition.winner.owner.email)
    phone.get_by_label("Password:").fill(PASSWORD)
    phone.get_by_role("button", name="Sign In").click()
    expect(phone).not_to_have_url(re.compile(r"/accounts/login/"))

    phone.goto(f"{live_server.url}/en/me/entries/")
    check_page(phone)
    pdf = phone.get_by_role("link", name="PDF", exact=True)
    response = phone.request.get(live_server.url + pdf.get_attribute("href"))

    assert response.status == 200
    phone.goto(verification_link(response.body()))
    expect(phone.locator("dd.code")).to_have_text(edition.gold_code)
