"""Text as people search and compare it: without case or diacritics.

Organizers' search ("ha noi" finds "Hà Nội") and the jury's conflict suggestions (the same
studio spelt "Đông Sơn" and "Dong Son") both compare folded text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from submissions.models import CreatorProfile, Entry


def fold(text: str) -> str:
    """Lower-case, without diacritics: "Hà Nội" → "ha noi", "Đà Lạt" → "da lat"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold_words(text: str) -> str:
    """Folded, punctuation to spaces, single-spaced: "Studio  Sông-Hồng!" → "studio song hong"."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(text)).split())


def entry_search_text(entry: Entry, profile: CreatorProfile | None) -> str:
    """What organizers' search looks through: code, titles, and who the creator is."""
    parts = [entry.reference_code or "", entry.title_vi, entry.title_en, entry.owner.email]
    if profile:
        parts += [profile.display_name, profile.organization, profile.city]
    return fold(" ".join(p for p in parts if p))
