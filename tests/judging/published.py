"""An edition with frozen (and, by default, published) results, built through the real
services: decisions, freeze, publish. Shared by the results tests, the embargo test, the
browser journey and `bench/results_pages.py`.

Every title, public name and prize name is distinct and no one of them contains another, so
a test can look for each of them in a page and know what it found.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.utils import timezone

from awards.models import AwardCycle
from judging import results
from judging.models import Round, RoundEntry
from submissions.models import EntryAsset
from tests.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CreatorProfileFactory,
    JurorFactory,
    OrganizerFactory,
    PrizeFactory,
    ready_image,
    submitted_entry,
)

CATEGORIES = [
    ("ARC", "Kiến trúc và không gian", "Architecture and Space"),
    ("PRD", "Thiết kế sản phẩm", "Product Design"),
    ("GRC", "Đồ họa và truyền thông", "Graphic and Communication"),
    ("CRH", "Thủ công và di sản", "Craft and Heritage"),
]


def results_dates(publish_at: datetime) -> dict:
    """An edition whose festival is on at `publish_at`, the moment its results go public."""
    local = timezone.localtime(publish_at)
    return {
        "festival_year": local.year + local.year % 2,
        "theme_announced_at": publish_at - timedelta(days=400),
        "submissions_open_at": publish_at - timedelta(days=150),
        "submissions_close_at": publish_at - timedelta(days=50),
        "judging_starts_at": publish_at - timedelta(days=40),
        "festival_starts_at": publish_at - timedelta(days=1),
        "results_publish_at": publish_at,
        "festival_ends_at": publish_at + timedelta(days=6),
    }


def award_plan(awards: int) -> tuple[int, int, int, int]:
    """(grand, gold, silver, mentions) adding up to `awards`."""
    if awards < 1:
        return 0, 0, 0, 0
    rest = awards - 1
    gold = math.ceil(rest / 3)
    silver = math.ceil((rest - gold) / 2)
    return 1, gold, silver, rest - gold - silver


def results_edition(
    *,
    awards: int = 3,
    shortlisted: int = 1,
    not_selected: int = 1,
    jurors: int = 2,
    publish_at: datetime | None = None,
    publish: bool = True,
    festival_year: int | None = None,
    real_images: bool = False,
    images: int = 2,
    organizer=None,
) -> SimpleNamespace:
    """Entries 1…awards win (prizes, then honourable mentions), the next `shortlisted`
    reached the final round, the last `not_selected` stayed in round 1.

    `publish_at` defaults to a week ago; with `publish` the snapshot is published at that
    moment (as the scheduled task would have), else it stays frozen, under embargo.
    `real_images` stores images and makes their renditions (slow); otherwise the assets
    name rendition keys that hold nothing (enough for pages and redirects).
    """
    publish_at = publish_at or timezone.now() - timedelta(days=7)
    dates = results_dates(publish_at)
    if festival_year:
        dates["festival_year"] = festival_year
    cycle: AwardCycle = AwardCycleFactory(
        dates=dates, theme_vi="Di sản sống", theme_en="Living Heritage"
    )
    organizer = organizer or OrganizerFactory()
    categories = [
        CategoryFactory(cycle=cycle, code=code, name_vi=vi, name_en=en, position=n)
        for n, (code, vi, en) in enumerate(CATEGORIES)
    ]
    grand, gold, silver, mentions = award_plan(awards)
    prizes = {}
    for position, (key, vi, en, quantity) in enumerate(
        [
            ("grand", "Giải thưởng lớn Hà Nội", "Hanoi Grand Prize", grand),
            ("gold", "Giải Sen Vàng", "Golden Lotus Award", gold),
            ("silver", "Giải Sen Bạc", "Silver Lotus Award", silver),
        ]
    ):
        if quantity:
            prizes[key] = PrizeFactory(
                cycle=cycle, name_vi=vi, name_en=en, quantity=quantity, position=position
            )

    total = awards + shortlisted + not_selected
    entries, numbers = [], {}
    for n in range(1, total + 1):
        category = categories[(n - 1) % len(categories)]
        numbers[category.pk] = numbers.get(category.pk, 0) + 1
        owner = CreatorProfileFactory(display_name=f"Xưởng Thiết Kế {n:03d}").user
        entries.append(
            submitted_entry(
                category,
                owner=owner,
                number=numbers[category.pk],
                title_vi=f"Tác phẩm số {n:03d}",
                title_en=f"Work number {n:03d}",
                summary_vi=f"Tóm tắt của tác phẩm số {n:03d}.",
                summary_en=f"Summary of work number {n:03d}.",
                credits=[{"name": f"Kiến trúc sư {n:03d}", "role": "Thiết kế / Design"}],
                screening="eligible",
            )
        )
    _images(entries, images, real=real_images)

    first = _round(cycle, categories, 1, publish_at - timedelta(days=40), days=18)
    final = _round(cycle, categories, 2, publish_at - timedelta(days=20), days=15)
    finalists = entries[: awards + shortlisted]
    RoundEntry.objects.bulk_create([RoundEntry(round=first, entry=e) for e in entries])
    RoundEntry.objects.bulk_create(
        [RoundEntry(round=final, entry=e, source=RoundEntry.Source.ADVANCED) for e in finalists]
    )
    Round.objects.filter(pk=final.pk).update(entries_frozen_at=first.closes_at)

    jury = [
        JurorFactory(
            cycle=cycle,
            name=f"Giám khảo {n:02d}",
            role="chair" if n == 1 else "juror",
            title_vi=f"Chức danh giám khảo {n:02d}",
            title_en=f"Title of juror {n:02d}",
            bio_vi=f"Tiểu sử giám khảo {n:02d}.",
            bio_en=f"Biography of juror {n:02d}.",
        )
        for n in range(1, jurors + 1)
    ]

    order = (
        [prizes["grand"]] * grand
        + [prizes.get("gold")] * gold
        + [prizes.get("silver")] * silver
        + [None] * mentions
    )
    decisions = [
        results.decision_add(
            cycle=cycle,
            entry=entries[n],
            prize=prize,
            by=organizer,
            citation_vi=f"Lời bình của ban giám khảo cho tác phẩm số {n + 1:03d}.",
            citation_en=f"The jury's citation for work number {n + 1:03d}.",
        )
        for n, prize in enumerate(order)
    ]
    snapshot, _warnings = results.results_freeze(
        cycle=cycle, by=organizer, now=publish_at - timedelta(days=2)
    )
    if publish:
        snapshot = results.results_publish(cycle=cycle, by=organizer, now=publish_at)
    cycle.refresh_from_db()
    return SimpleNamespace(
        cycle=cycle,
        organizer=organizer,
        categories=categories,
        prizes=prizes,
        entries=entries,
        winners=entries[:awards],
        shortlist=entries[awards : awards + shortlisted],
        others=entries[awards + shortlisted :],
        decisions=decisions,
        snapshot=snapshot,
        jury=jury,
        rounds=(first, final),
    )


def _round(cycle, categories, number, opens_at, *, days) -> Round:
    from tests.factories import RoundFactory

    return RoundFactory(
        cycle=cycle,
        number=number,
        name_vi=f"Vòng {number}",
        name_en=f"Round {number}",
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=days),
        categories=categories,
    )


def _images(entries, count: int, *, real: bool) -> None:
    if real:
        from submissions.tasks import make_renditions

        for entry in entries:
            for position in range(count):
                asset = ready_image(entry, position=position)
                make_renditions.call(asset_id=asset.pk)
        return
    now = timezone.now()
    EntryAsset.objects.bulk_create(
        [
            EntryAsset(
                entry=entry,
                kind=EntryAsset.Kind.IMAGE,
                status=EntryAsset.Status.READY,
                key=f"entries/{uuid.uuid4().hex}/{uuid.uuid4().hex}",
                thumb_key=f"entries/{uuid.uuid4().hex}/{uuid.uuid4().hex}",
                web_key=f"entries/{uuid.uuid4().hex}/{uuid.uuid4().hex}",
                renditions=EntryAsset.Renditions.READY,
                original_name=f"image-{position}.jpg",
                content_type="image/jpeg",
                declared_size=1000,
                size=1000,
                checksum="0" * 64,
                width=2000,
                height=1400,
                position=position,
                ready_at=now,
            )
            for entry in entries
            for position in range(count)
        ]
    )
