"""The reader's language and the other one: every page is in Vietnamese or English, and
content written in both falls back to the other language when one is empty."""

from django.utils.translation import get_language


def reading_language() -> str:
    """ "vi" or "en", from the active language (Vietnamese unless the page is English)."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def other_language(lang: str) -> str:
    return "vi" if lang == "en" else "en"


def localise(value, lang: str):
    """{"vi": …, "en": …} → the text in `lang`, or in the other language when it is empty;
    anything else as it is."""
    if isinstance(value, dict) and set(value) == {"vi", "en"}:
        return value[lang] or value[other_language(lang)]
    return value
