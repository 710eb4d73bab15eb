"""What every browser test checks on every page it visits: `check_page(page)`.

- no sideways scrolling on a 360 px wide phone;
- no text in the other language (the page's own words, not people's content);
- axe-core finds no critical or serious violation of WCAG 2.2 AA.
"""

import re

from axe_playwright_python.sync_playwright import Axe

NARROWEST = 360

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Words of the interface that must be translated: a /vi/ page showing one of these has an
# untranslated string (and the other way round). Whole words, case-sensitive: people's
# content in the other language sits in elements marked with their own `lang`.
FOREIGN_WORDS = {
    "vi": [
        "Submit",
        "Save",
        "Entries",
        "Entry",
        "Deadline",
        "Sign in",
        "Sign out",
        "Register",
        "Upload",
        "Uploading",
        "Files",
        "Rules",
        "Edition",
        "Categories",
        "Category",
        "Profile",
        "Results",
        "Draft",
        "Withdraw",
        "Delete",
        "Search",
        "Filter",
        "Screening",
        "Choose",
        "Select an option",
        "Theme",
        "Prizes",
        "Timeline",
        "Account",
        "Organizer",
    ],
    "en": [
        "Lưu",
        "Nộp",
        "Đăng nhập",
        "Đăng xuất",
        "Đăng ký",
        "Hạn chót",
        "Tác phẩm",
        "Hạng mục",
        "Mùa giải",
        "Thể lệ",
        "Tải lên",
        "Hồ sơ",
        "Giải thưởng",
        "Chủ đề",
        "Thẩm định",
        "Chọn",
    ],
}

# The page's visible text, leaving out what is marked as another language (a Vietnamese
# title on an English page, the language switcher) and form fields' contents.
VISIBLE_TEXT_JS = """
() => {
  const lang = document.documentElement.lang;
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript, textarea, select, option")) continue;
    const marked = parent.closest("[lang]");
    if (marked && marked.getAttribute("lang") !== lang) continue;
    if (!parent.checkVisibility({ visibilityProperty: true })) continue;
    parts.push(node.textContent);
  }
  return parts.join(" ");
}
"""


def foreign_words(page) -> list[str]:
    """UI words of the other language in the page's visible text."""
    lang = page.evaluate("document.documentElement.lang")
    text = page.evaluate(VISIBLE_TEXT_JS)
    return [
        word
        for word in FOREIGN_WORDS.get(lang, [])
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)
    ]


def sideways_overflow(page) -> int:
    """How many pixels the page scrolls sideways at 360 px (0 when it does not)."""
    size = page.viewport_size
    page.set_viewport_size({"width": NARROWEST, "height": size["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(size)
    return max(0, width - NARROWEST)


def serious_violations(page) -> list[str]:
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def check_page(page) -> None:
    """Assert the three checks on the page as it is now; the message names the page."""
    problems = {
        "scrolls sideways at 360 px by": sideways_overflow(page),
        "words in the other language": foreign_words(page),
        "accessibility": serious_violations(page),
    }
    found = {name: value for name, value in problems.items() if value}
    if found:
        raise AssertionError(f"{page.url}: {found}")
