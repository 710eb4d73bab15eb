"""What the award accepts in a file, and the copies it makes for the jury."""

import io

import pytest
from pypdf import PdfReader

from submissions import files
from tests import images

ACTIVE = ["/JavaScript", "/JS", "/AA", "/OpenAction", "/EmbeddedFiles", "/EmbeddedFile", "/Launch"]


@pytest.mark.parametrize(
    ("carries", "found"),
    [
        ("names_js", {"javascript"}),
        ("open_action_js", {"javascript"}),
        ("page_aa_js", {"javascript"}),
        ("launch", {"launch"}),
        ("attachment", {"embedded"}),
        ("file_annotation", {"embedded"}),
        ("harmless_actions", set()),
    ],
)
def test_active_content_in_a_pdf_is_found(carries, found):
    reader = PdfReader(io.BytesIO(images.pdf_with(**{carries: True})))

    assert files.pdf_active_content(reader) == found


def test_pdf_jury_copy_keeps_the_pages_and_nothing_that_acts_or_names_the_creator():
    original = images.pdf_with(
        pages=3,
        names_js=True,
        open_action_js=True,
        page_aa_js=True,
        launch=True,
        attachment=True,
        file_annotation=True,
        harmless_actions=True,
        author="Nguyen Van A",
    )
    assert set(ACTIVE) <= images.pdf_names(original)  # what the copy must lose is there

    copy = files.pdf_jury_copy(io.BytesIO(original))

    reader = PdfReader(io.BytesIO(copy))
    assert [p.extract_text() for p in reader.pages] == [f"Cau tre, trang {n}" for n in (1, 2, 3)]
    assert [list(p.mediabox) for p in reader.pages] == [[0, 0, 595, 842]] * 3
    unwanted = {*ACTIVE, "/Annots", "/URI", "/Names", "/Author", "/Creator"}
    assert images.pdf_names(copy) & unwanted == set()
    assert reader.metadata is None
    assert b"Nguyen Van A" not in copy and b"studio.example" not in copy
