"""The past edition's results for the demo: two completed rounds, decisions, a published
snapshot — so that the results page, the archive, certificates and open data show real
content on `make run`.

Scores are written in bulk (demo data, like the demo entries); decisions, freezing and
publication go through the real services, so the audit trail and the snapshot are genuine.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from awards.demo import DEMO_DOMAIN
from awards.models import AwardCycle
from judging import results
from judging.models import (
    Assignment,
    Criterion,
    Juror,
    ResultNotice,
    ResultsSnapshot,
    Round,
    RoundEntry,
    Score,
    Scorecard,
)
from judging.standings import round_standings
from submissions import storage
from submissions.demo import draw_image
from submissions.models import CreatorProfile, Entry, EntryAsset
from submissions.tasks import make_renditions

PAST_JURY = [
    (
        "Hoàng Thu Hà",
        "chair",
        "Kiến trúc sư, Hội Kiến trúc sư Việt Nam",
        "Architect, Vietnam Association of Architects",
        "Ba mươi năm thiết kế nhà ở và không gian công cộng ở Hà Nội.",
        "Thirty years of housing and public space design in Hanoi.",
    ),
    (
        "Julia Berger",
        "juror",
        "Giám tuyển thiết kế, Berlin",
        "Design curator, Berlin",
        "Giám tuyển các triển lãm về thủ công đương đại châu Á.",
        "Curates exhibitions of contemporary Asian craft.",
    ),
    (
        "Trần Quốc Bảo",
        "juror",
        "Nhà thiết kế sản phẩm, giảng viên Đại học Mỹ thuật Công nghiệp",
        "Product designer, lecturer at the University of Industrial Fine Arts",
        "Thiết kế đồ gia dụng từ tre, mây và gốm làng nghề.",
        "Designs household objects in bamboo, rattan and village ceramics.",
    ),
    (
        "Kenji Watanabe",
        "juror",
        "Nhà thiết kế đồ họa, Tokyo",
        "Graphic designer, Tokyo",
        "Thiết kế chữ và nhận diện cho các bảo tàng.",
        "Type and identity design for museums.",
    ),
    (
        "Lê Minh Châu",
        "juror",
        "Nhà nghiên cứu di sản, Viện Bảo tồn di tích",
        "Heritage researcher, Institute for Monuments Conservation",
        "Nghiên cứu kỹ thuật xây dựng truyền thống của vùng châu thổ sông Hồng.",
        "Studies traditional building techniques of the Red River delta.",
    ),
]
PAST_TITLES = [
    ("Mái đình mới", "A new communal roof"),
    ("Gạch nung phù sa", "Fired silt bricks"),
    ("Ghế tre uốn", "Bent bamboo chair"),
    ("Chữ Hàng Đào", "Hàng Đào lettering"),
    ("Gốm Chu Đậu hôm nay", "Chu Đậu ceramics today"),
    ("Bản đồ âm thanh phố cổ", "A sound map of the Old Quarter"),
    ("Chợ nổi trên hồ", "A floating market on the lake"),
    ("Đèn giấy dó", "Dó paper lamps"),
    ("Áo dài tái chế", "Upcycled áo dài"),
    ("Nhà tập thể sống lại", "Collective housing revived"),
    ("Bộ nhận diện làng nghề", "Craft village identities"),
    ("Trò chơi múa rối nước", "Water-puppet game"),
    ("Sơn mài trên nhôm", "Lacquer on aluminium"),
    ("Cầu đi bộ Long Biên", "Long Biên footbridge"),
    ("Bàn thờ gia đình nhỏ", "A small family altar"),
]
STUDIOS = [
    "Xưởng Đất Việt",
    "Studio Tre Xanh",
    "Atelier Hồ Tây",
    "Nhóm Phố Nghề",
    "Lotus Lab",
    "Nguyễn & Partners",
    "Studio Mộc",
    "Khánh Linh",
    "Bùi Quang Huy",
    "Đỗ Thảo Vy",
    "Ngô Bảo Ngọc",
    "Phạm Gia Minh",
    "Collectif Sông Hồng",
    "Vũ Hà Anh",
    "Trương Mỹ Linh",
]


def seed_past_results(*, cycle: AwardCycle, organizer, rng: random.Random, stdout) -> bool:
    """Idempotent: an edition whose results are already published is left alone."""
    if ResultsSnapshot.objects.filter(cycle=cycle, published_at__isnull=False).exists():
        return False
    if cycle.results_publish_at > timezone.now():
        return False
    categories = list(cycle.categories.order_by("position"))
    with transaction.atomic():
        jurors = _jury(cycle, categories)
        entries = _entries(cycle, categories, rng)
        first, second = _rounds(cycle, categories)
        _score(first, entries, jurors, rng, k=3)
        shortlisted = []
        for category in categories:
            table = round_standings(first, category_id=category.pk)
            shortlisted += [s.entry_id for s in table.entries[:2]]
        RoundEntry.objects.bulk_create(
            [
                RoundEntry(round=second, entry_id=pk, source=RoundEntry.Source.ADVANCED)
                for pk in shortlisted
            ]
        )
        second.entries_frozen_at = first.closes_at
        second.save(update_fields=["entries_frozen_at"])
        _score(second, [e for e in entries if e.pk in shortlisted], jurors, rng, k=len(jurors))
        _decide(cycle, second, categories, organizer)
        # As it happened: frozen the day before, published at its time during the festival.
        results.results_freeze(
            cycle=cycle, by=organizer, now=cycle.results_publish_at - timedelta(days=1)
        )
        results.results_publish(cycle=cycle, by=organizer, now=cycle.results_publish_at)
        # The demo's creators are not real: their result emails count as sent long ago.
        ResultNotice.objects.filter(cycle=cycle).update(sent_at=cycle.results_publish_at)
    stdout.write(f"  {cycle.festival_year}: results published ({len(entries)} entries)")
    return True


def _jury(cycle, categories) -> list[Juror]:
    User = get_user_model()
    jurors = []
    for n, (name, role, title_vi, title_en, bio_vi, bio_en) in enumerate(PAST_JURY, start=1):
        username = f"pastjuror{cycle.festival_year}-{n}"
        user, _created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@{DEMO_DOMAIN}"}
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        juror, _ = Juror.objects.update_or_create(
            cycle=cycle,
            email=user.email,
            defaults={
                "user": user,
                "name": name,
                "role": role,
                "title_vi": title_vi,
                "title_en": title_en,
                "bio_vi": bio_vi,
                "bio_en": bio_en,
                "state": Juror.State.ACCEPTED,
                "responded_at": cycle.judging_starts_at,
                "invited_at": cycle.judging_starts_at - timedelta(days=30),
            },
        )
        juror.categories.set(categories)
        jurors.append(juror)
    return jurors


def _entries(cycle, categories, rng) -> list[Entry]:
    User = get_user_model()
    pool = []
    for _n in range(8):
        data = draw_image(rng)
        key = f"entries/{uuid.uuid4().hex}/{uuid.uuid4().hex}"
        storage.save_bytes(key, data, "image/jpeg")
        pool.append((key, data))
    entries, assets, fresh = [], [], {}
    for n, ((title_vi, title_en), studio) in enumerate(zip(PAST_TITLES, STUDIOS, strict=True)):
        username = f"laureate{cycle.festival_year}-{n + 1:02d}"
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@{DEMO_DOMAIN}"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        CreatorProfile.objects.get_or_create(
            user=user,
            defaults={
                "display_name": studio,
                "creator_type": CreatorProfile.CreatorType.STUDIO,
                "country": "VN" if n % 4 else "FR",
                "city": "Hà Nội" if n % 4 else "Paris",
                "rules_accepted_at": cycle.submissions_open_at,
            },
        )
        category = categories[n % len(categories)]
        sequence = n // len(categories) + 1
        entry = Entry.objects.create(
            cycle=cycle,
            category=category,
            owner=user,
            status=Entry.Status.SUBMITTED,
            screening=Entry.Screening.ELIGIBLE,
            sequence=sequence,
            reference_code=Entry.make_reference_code(cycle, category, sequence),
            title_vi=title_vi,
            title_en=title_en,
            summary_vi=f"{title_vi}: một đề xuất cho Hà Nội hôm nay.",
            summary_en=f"{title_en}: a proposal for today's Hanoi.",
            statement_vi="Thiết kế bắt đầu từ đời sống hằng ngày và vật liệu địa phương.",
            statement_en="The design starts from everyday life and local materials.",
            heritage_vi="Kỹ thuật truyền thống của các làng nghề quanh Hà Nội.",
            heritage_en="Traditional techniques of the craft villages around Hanoi.",
            credits=[{"name": studio, "role": "Thiết kế / Design"}],
            declared_original=True,
            declared_rights=True,
            declared_rules=True,
            submitted_at=cycle.submissions_close_at - timedelta(days=3, hours=n),
        )
        entries.append(entry)
        for position in range(3):
            key, data = pool[(n + position) % len(pool)]
            asset = EntryAsset(
                entry=entry,
                kind=EntryAsset.Kind.IMAGE,
                status=EntryAsset.Status.READY,
                key=key,
                original_name=f"anh-{position + 1}.jpg",
                content_type="image/jpeg",
                declared_size=len(data),
                size=len(data),
                checksum=hashlib.sha256(data).hexdigest(),
                width=1800,
                height=1200,
                position=position + 1,
                renditions=EntryAsset.Renditions.PENDING,
                ready_at=entry.submitted_at,
            )
            assets.append(asset)
    EntryAsset.objects.bulk_create(assets)
    for asset in assets:
        fresh.setdefault(asset.key, asset)
    for asset in fresh.values():
        make_renditions.call(asset_id=asset.pk)
    for asset in EntryAsset.objects.filter(pk__in=[a.pk for a in fresh.values()]):
        EntryAsset.objects.filter(key=asset.key).update(
            renditions=asset.renditions,
            thumb_key=asset.thumb_key,
            web_key=asset.web_key,
            jury_key=asset.jury_key,
        )
    return entries


def _rounds(cycle, categories) -> tuple[Round, Round]:
    start = cycle.judging_starts_at
    rounds = []
    for number, (vi, en), opens, closes in (
        (1, ("Vòng sơ khảo", "First round"), start, start + timedelta(days=20)),
        (
            2,
            ("Vòng chung khảo", "Final round"),
            start + timedelta(days=25),
            start + timedelta(days=40),
        ),
    ):
        round_ = Round.objects.create(
            cycle=cycle,
            number=number,
            name_vi=vi,
            name_en=en,
            opens_at=opens,
            closes_at=min(closes, cycle.results_publish_at),
            jurors_per_entry=3,
        )
        round_.categories.set(categories)
        for position, (name_vi, name_en, weight) in enumerate(
            [
                ("Sáng tạo", "Originality", 40),
                ("Di sản", "Heritage", 30),
                ("Hoàn thiện", "Craft", 30),
            ]
        ):
            Criterion.objects.create(
                round=round_, position=position, name_vi=name_vi, name_en=name_en, weight=weight
            )
        rounds.append(round_)
    first, _second = rounds
    RoundEntry.objects.bulk_create(
        [
            RoundEntry(round=first, entry=e)
            for e in Entry.objects.filter(cycle=cycle, status=Entry.Status.SUBMITTED)
        ]
    )
    return rounds[0], rounds[1]


def _score(round_, entries, jurors, rng, *, k: int) -> None:
    criteria = list(round_.criteria.all())
    at = round_.closes_at - timedelta(days=1)
    for index, entry in enumerate(entries):
        quality = rng.uniform(4.5, 9.0)
        for offset in range(k):
            juror = jurors[(index + offset) % len(jurors)]
            Assignment.objects.create(round=round_, juror=juror, entry=entry, created_at=at)
            card = Scorecard.objects.create(
                round=round_,
                juror=juror,
                entry=entry,
                status=Scorecard.Status.SUBMITTED,
                created_at=at,
                updated_at=at,
                submitted_at=at,
            )
            Score.objects.bulk_create(
                [
                    Score(
                        scorecard=card,
                        criterion=criterion,
                        value=Decimal(
                            str(
                                max(
                                    1.0,
                                    min(10.0, round((quality + rng.uniform(-1.5, 1.5)) * 2) / 2),
                                )
                            )
                        ),
                    )
                    for criterion in criteria
                ]
            )
    # Written around the service (a past edition's history): store the totals it would have.
    Scorecard.objects.filter(round=round_).refresh_totals()


def _decide(cycle, final, categories, organizer) -> None:
    prizes = list(cycle.prizes.order_by("position"))
    table = round_standings(final)
    ranked = [s for s in table.entries if s.rank is not None]
    by_category: dict[str, list] = {}
    for standing in ranked:
        by_category.setdefault(standing.category_code, []).append(standing)
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=[s.entry_id for s in ranked])}
    citations = [
        (
            "Một tác phẩm đưa di sản vào đời sống hằng ngày với sự tinh tế hiếm có.",
            "A work that brings heritage into everyday life with rare finesse.",
        ),
        (
            "Vật liệu địa phương được dùng một cách táo bạo và chính xác.",
            "Local materials used boldly and precisely.",
        ),
    ]
    grand, gold, silver = prizes[0], prizes[1], prizes[2]
    top = ranked[0].entry_id
    results.decision_add(
        cycle=cycle,
        entry=entries[top],
        prize=grand,
        by=organizer,
        citation_vi=citations[0][0],
        citation_en=citations[0][1],
    )
    # The Grand Prize winner leaves its category's Gold to the next entry. Runners-up: the
    # first two a Silver, the last none (it stays on the shortlist), the others a mention —
    # so the results page shows every kind of result.
    runners_up = []
    for n, category in enumerate(categories):
        rows = [s for s in by_category.get(category.code, []) if s.entry_id != top]
        if rows:
            results.decision_add(
                cycle=cycle,
                entry=entries[rows[0].entry_id],
                prize=gold,
                by=organizer,
                citation_vi=citations[n % 2][0],
                citation_en=citations[n % 2][1],
            )
        if len(rows) > 1:
            runners_up.append(rows[1].entry_id)
    for n, entry_id in enumerate(runners_up[:-1]):
        if n < 2:
            results.decision_add(
                cycle=cycle,
                entry=entries[entry_id],
                prize=silver,
                by=organizer,
                citation_vi=citations[(n + 1) % 2][0],
                citation_en=citations[(n + 1) % 2][1],
            )
        else:
            results.decision_add(cycle=cycle, entry=entries[entry_id], by=organizer)
