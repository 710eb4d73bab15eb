"""Results where other apps' pages show them (the archive, the creator's entries), read
through the one embargo check. Template-level, so that `awards` and `submissions` never
import `judging`."""

from django import template

from awards.languages import localise, reading_language
from judging.models import Decision, ResultsSnapshot, RoundEntry
from judging.results import published_snapshot

register = template.Library()


@register.simple_tag
def published_winners(cycle) -> list[dict]:
    """The prize winners of an edition, once published; [] before (and for drafts)."""
    snapshot = published_snapshot(cycle)
    if snapshot is None:
        return []
    lang = reading_language()
    return [
        {
            "prize": localise(award["prize"]["name"], lang),
            "title": localise(award["entry"]["title"], lang),
            "creator": award["entry"]["creator"],
            "slug": award["entry"]["slug"],
            "image": award["entry"]["images"][0] if award["entry"]["images"] else None,
        }
        for award in snapshot.data["awards"]
        if award["kind"] == "prize"
    ]


@register.simple_tag
def entry_result(entry) -> dict:
    """What a creator may know of their entry's result: nothing before publication but the
    date; after it, their award, their place on the shortlist, or "not selected"."""
    cycle = entry.cycle
    if entry.status != "submitted":
        return {"state": "none"}
    snapshot = published_snapshot(cycle)
    if snapshot is None:
        return {"state": "embargo", "publish_at": cycle.results_publish_at}
    lang = reading_language()
    awards = [a for a in snapshot.data["awards"] if a["entry"]["id"] == str(entry.public_id)]
    if awards:
        return {
            "state": "winner",
            "awards": [
                {
                    "name": localise(a["prize"]["name"], lang) if a["prize"] else None,
                    "certificate": a["certificate"],
                }
                for a in awards
            ],
            "slug": awards[0]["entry"]["slug"],
        }
    shortlisted = any(
        item["entry"]["id"] == str(entry.public_id) for item in snapshot.data.get("shortlist", [])
    )
    return {"state": "shortlisted" if shortlisted else "not_selected"}


# Kept importable for the embargo tests: these are the models whose rows reveal results.
RESULT_MODELS = (Decision, ResultsSnapshot, RoundEntry)
