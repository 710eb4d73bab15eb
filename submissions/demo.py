"""Demo creators and entries for `seed_demo`: real images drawn with Pillow, stored like real uploads.

Entries are written in bulk rather than through the services (twenty thousand receipts would
be sent otherwise). Beyond the first POOL entries, files share the pool's stored objects, so
that a benchmark-sized demo does not write gigabytes (`--image-sets` sets how many); deleting a shared file removes the
object only when nothing else points at it.
"""

import hashlib
import io
import random
import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from PIL import Image, ImageDraw

from awards.demo import DEMO_DOMAIN
from awards.models import AwardCycle
from submissions import storage
from submissions.models import CreatorProfile, Entry, EntryAsset
from submissions.services import entry_extend_deadline
from submissions.tasks import make_renditions
from submissions.text import entry_search_text

CITIES = [
    ("VN", "Hà Nội"),
    ("VN", "Hồ Chí Minh"),
    ("VN", "Đà Nẵng"),
    ("VN", "Huế"),
    ("JP", "Tokyo"),
    ("KR", "Seoul"),
    ("FR", "Paris"),
    ("DE", "Berlin"),
    ("SG", "Singapore"),
    ("TH", "Bangkok"),
    ("US", "New York"),
    ("GB", "London"),
    ("IT", "Milano"),
    ("NL", "Rotterdam"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hương",
    "Khánh",
    "Linh",
    "Minh",
    "Ngọc",
    "Phương",
    "Quân",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
]


POOL = 24
PALETTE = [
    (168, 35, 27),
    (23, 19, 14),
    (229, 204, 160),
    (44, 96, 84),
    (210, 120, 60),
    (60, 80, 140),
    (246, 242, 234),
]
TITLES = [
    ("Cầu tre bãi giữa", "Bamboo bridge on the sandbank"),
    ("Gạch phù sa", "Silt bricks"),
    ("Nhà nổi Long Biên", "Floating house at Long Biên"),
    ("Ghế mây làng Phú Vinh", "Rattan chair from Phú Vinh"),
    ("Bộ chữ phố cổ", "Old Quarter typeface"),
    ("Bản đồ nước Hà Nội", "Hanoi water map"),
    ("Gốm men lam mới", "New blue-glaze ceramics"),
    ("Vườn mưa Hoàn Kiếm", "Hoàn Kiếm rain garden"),
    ("Đèn lồng giấy dó", "Dó paper lanterns"),
    ("Trò chơi sông Hồng", "Red River game"),
]


def draw_image(rng: random.Random) -> bytes:
    """A 1800 × 1200 composition of blocks and circles: a plausible poster, not noise. No
    caption or number drawn in: jurors see these images blind, and a code in the picture
    would read as a leak of the entry's reference."""
    width, height = 1800, 1200
    background, *colors = rng.sample(PALETTE, 4)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 7)):
        x, y = rng.randrange(0, width), rng.randrange(0, height)
        w, h = rng.randrange(120, 900), rng.randrange(120, 700)
        shape = rng.choice(("rect", "ellipse"))
        (draw.rectangle if shape == "rect" else draw.ellipse)(
            (x, y, x + w, y + h), fill=rng.choice(colors)
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _pool_files(cycle: AwardCycle, rng: random.Random, needed: int) -> list[list[EntryAsset]]:
    """Image sets stored for real, with renditions made by the real task."""
    sets = []
    for _n in range(needed):
        images = []
        for position in range(3):
            data = draw_image(rng)
            checksum = hashlib.sha256(data).hexdigest()
            key = f"entries/{uuid.uuid4().hex}/{uuid.uuid4().hex}"  # opaque, like real uploads
            storage.save_bytes(key, data, "image/jpeg")
            images.append(
                EntryAsset(
                    kind="image",
                    status="ready",
                    key=key,
                    original_name=f"ban-ve-{position + 1}.jpg",
                    content_type="image/jpeg",
                    declared_size=len(data),
                    size=len(data),
                    checksum=checksum,
                    width=1800,
                    height=1200,
                    position=position + 1,
                    renditions="pending",
                )
            )
        sets.append(images)
    return sets


def seed_entries(
    *, cycle: AwardCycle, creator, count: int, rng: random.Random, stdout, image_sets: int = POOL
) -> int:
    """Bring the edition to `count` entries: the demo creator's two first, then one for each
    demo creator who has none in it yet. Returns how many were made."""
    wanted = count - Entry.objects.filter(cycle=cycle).count()
    if wanted <= 0:
        return 0
    demo_has_entries = Entry.objects.filter(cycle=cycle, owner=creator).exists()
    own = 0 if demo_has_entries else min(2, wanted)
    User = get_user_model()
    owners = list(
        User.objects.filter(username__regex=r"^creator[0-9]+$", creator_profile__isnull=False)
        .exclude(entries__cycle=cycle)
        .select_related("creator_profile")
        .order_by("pk")[: wanted - own]
    )
    categories = list(cycle.categories.order_by("position"))
    plans = [(creator, categories[0], "submitted"), (creator, categories[1], "draft")][:own]
    if not plans and not owners:
        return 0
    profiles = {owner.pk: owner.creator_profile for owner in owners}
    profiles[creator.pk] = CreatorProfile.objects.filter(user=creator).first()
    now = timezone.now()
    pool = _pool_files(cycle, rng, max(1, min(image_sets, len(owners) + len(plans))))

    # Every status shows up even in a small demo: mostly submitted, as on a real deadline night.
    statuses = [
        "submitted",
        "draft",
        "submitted",
        "withdrawn",
        "submitted",
        "draft-empty",
        "submitted",
        "draft",
        "submitted",
        "submitted",
    ]
    plans += [
        (owner, categories[i % len(categories)], statuses[i % len(statuses)])
        for i, owner in enumerate(owners)
    ]

    with transaction.atomic():
        sequence = {
            c.pk: (Entry.objects.filter(category=c).aggregate(m=Max("sequence"))["m"] or 0)
            for c in categories
        }
        entries = []
        for i, (owner, category, status) in enumerate(plans):
            title_vi, title_en = TITLES[i % len(TITLES)]
            entry = Entry(
                cycle=cycle,
                category=category,
                owner=owner,
                title_vi=title_vi,
                title_en="" if i % 3 == 0 else title_en,
                summary_vi=f"{title_vi}: một đề xuất cho Hà Nội bên sông.",
                statement_vi="Thiết kế bắt đầu từ đời sống ven sông và những vật liệu sẵn có.",
                heritage_vi="Kỹ thuật truyền thống của các làng nghề quanh Hà Nội.",
                declared_original=status != "draft-empty",
                declared_rights=status != "draft-empty",
                declared_rules=status != "draft-empty",
            )
            if status == "draft-empty":
                entry.summary_vi = entry.statement_vi = entry.heritage_vi = ""
            if status in ("submitted", "withdrawn"):
                sequence[category.pk] += 1
                entry.sequence = sequence[category.pk]
                entry.reference_code = Entry.make_reference_code(cycle, category, entry.sequence)
                entry.submitted_at = now - timezone.timedelta(minutes=rng.randrange(60, 40_000))
                entry.status = "submitted" if status == "submitted" else "withdrawn"
                entry.withdrawn_at = now if status == "withdrawn" else None
                if status == "submitted" and i % 7 == 0:
                    entry.screening, entry.screened_at = "eligible", now
                elif status == "submitted" and i % 13 == 2:
                    entry.screening, entry.screened_at = "disqualified", now
                    entry.screening_reason = (
                        "Ảnh có tên tác giả. / The images show the author's name."
                    )
            entry.search_text = entry_search_text(entry, profiles.get(owner.pk))
            entries.append((entry, status))
        Entry.objects.bulk_create([e for e, _ in entries], batch_size=2000)

        assets, fresh, seen = [], [], set()
        copied = [
            f.attname
            for f in EntryAsset._meta.concrete_fields
            if f.name not in ("id", "public_id", "entry", "ready_at")
        ]
        for i, (entry, status) in enumerate(entries):
            if status == "draft-empty":
                continue
            count_images = 1 if status == "draft" and i % 2 else 3
            for template in pool[i % len(pool)][:count_images]:
                asset = EntryAsset(
                    entry=entry, ready_at=now, **{name: getattr(template, name) for name in copied}
                )
                assets.append(asset)
                if asset.key not in seen:  # the first asset of each object gets the renditions made
                    seen.add(asset.key)
                    fresh.append(asset)
        EntryAsset.objects.bulk_create(assets, batch_size=5000)

    for asset in fresh:  # by the same code real uploads use
        make_renditions.call(asset_id=asset.pk)
    # The other assets of each object share its renditions.
    for asset in EntryAsset.objects.filter(pk__in=[a.pk for a in fresh]):
        key = asset.key
        EntryAsset.objects.filter(key=key).update(
            renditions=asset.renditions,
            thumb_key=asset.thumb_key,
            web_key=asset.web_key,
            jury_key=asset.jury_key,
        )
    stdout.write(f"  {len(entries)} entries, {len(assets)} files ({len(fresh)} images drawn)")
    return len(entries)


def fit_to_deadline(cycle: AwardCycle) -> int:
    """Move the edition's demo entries back in time so that every one was created, submitted
    and withdrawn before its deadline (after `seed_demo --phase judging` moved the deadline
    into the past). Order and gaps are kept; returns how many entries moved."""
    entries = Entry.objects.filter(cycle=cycle)
    latest = max(
        (
            moment
            for moment in entries.aggregate(
                a=Max("created_at"), s=Max("submitted_at"), w=Max("withdrawn_at")
            ).values()
            if moment is not None
        ),
        default=None,
    )
    limit = cycle.submissions_close_at - timezone.timedelta(hours=1)
    if latest is None or latest <= limit:
        return 0
    shift = latest - limit
    # update() leaves `updated_at` alone: these are the entries' histories, not edits.
    return entries.update(
        created_at=F("created_at") - shift,
        submitted_at=F("submitted_at") - shift,
        withdrawn_at=F("withdrawn_at") - shift,
    )


def clear_stale_extensions(cycle: AwardCycle, by) -> int:
    """Lift the deadline extensions that no longer fit the edition's moved dates (an extension
    must end after the deadline and before judging starts). One granted while the edition was
    open would otherwise outlive `--phase judging`: the deadline moves ten days back, the
    extension stays weeks ahead, and that creator's entry looks open in the judging phase.
    Through the service, so that each lift is in the audit trail like an organizer's."""
    stale = Entry.objects.filter(cycle=cycle).filter(
        Q(extended_until__lte=cycle.submissions_close_at)
        | Q(extended_until__gte=cycle.judging_starts_at)
    )
    count = 0
    for entry in stale:
        entry_extend_deadline(entry=entry, by=by, until=None)
        count += 1
    return count


def seed_creators(count: int, password_hash: str, rng: random.Random) -> None:
    """`count` demo creators (creator00001 …, creator20000 …) with verified emails and profiles."""
    User = get_user_model()
    existing = set(
        User.objects.filter(username__startswith="creator").values_list("username", flat=True)
    )
    names = [f"creator{n:05d}" for n in range(1, count + 1)]
    new = [name for name in names if name not in existing]
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@{DEMO_DOMAIN}", password=password_hash)
            for name in new
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(username__in=new))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=1000,
    )
    now = timezone.now()
    profiles = []
    for user in users:
        country, city = rng.choice(CITIES)
        kind = rng.choice(CreatorProfile.CreatorType.values)
        person = (
            f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
            if country == "VN"
            else f"Studio {city} {user.pk}"
        )
        profiles.append(
            CreatorProfile(
                user=user,
                display_name=person,
                creator_type=kind,
                country=country,
                city=city,
                rules_accepted_at=now,
            )
        )
    CreatorProfile.objects.bulk_create(profiles, batch_size=1000)
