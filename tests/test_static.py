"""The static files the browser gets are whole: no merge leftovers, every CSS block closed.

A stray conflict marker inside an @media print block once swallowed every rule after it, so
the results gallery lost its layout on screen.
"""

import re
from pathlib import Path

from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "static"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
MARKER = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)


def _files(*roots, suffixes=(".css", ".js", ".html", ".svg")):
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix in suffixes and path.is_file():
                yield path


def test_no_merge_conflict_markers():
    leftovers = [str(p) for p in _files(STATIC, TEMPLATES) if MARKER.search(p.read_text("utf-8"))]
    assert leftovers == []


def _top_level_selectors(css):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    depth, start, found = 0, 0, []
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                found.append(css[start:i].strip())
            depth += 1
        elif ch == "}":
            depth -= 1
            assert depth >= 0, f"unbalanced '}}' at offset {i}"
            start = i + 1
        elif ch == ";" and depth == 0:
            start = i + 1
    assert depth == 0, "a CSS block is never closed"
    return found


def test_stylesheets_close_every_block_and_keep_screen_rules_out_of_print():
    for path in STATIC.rglob("*.css"):
        selectors = _top_level_selectors(path.read_text("utf-8"))
        assert selectors, path
    site = _top_level_selectors((STATIC / "css" / "site.css").read_text("utf-8"))
    # The results gallery and the scoring page are styled on screen, not only in print.
    for selector in (".results-hero .hero__inner", ".results-section", ".queue__row > a"):
        assert selector in site, f"{selector} is not a top-level rule"


def _rule(selector):
    css = (STATIC / "css" / "site.css").read_text("utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    return " ".join(
        body
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
        if selector in re.split(r"\s*,\s*", selectors.strip())
    )


def test_wide_tables_keep_a_reading_width_and_scroll_in_their_region_on_a_phone():
    # Squeezed to 390 px, the entry list and the standings broke every title a word per line
    # and every reference code over four lines; they keep their width and scroll instead.
    for table in (".table--entries", ".table.standings"):
        assert "min-width:" in _rule(table), table
        assert "white-space: nowrap" in _rule(f"{table} .code"), table
