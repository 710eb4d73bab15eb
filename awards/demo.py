"""Demo editions around today's date, so that the demo always shows every phase of the award.

`config`'s `seed_demo` command calls each app's demo module in order (awards, submissions,
judging); each seeds only its own data.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from awards.models import AwardCycle, Category, Prize
from awards.services import cycle_announce

DEMO_PASSWORD = "hanoi-design-2026"
DEMO_DOMAIN = "demo.hcda.vn"

THEMES = [
    {
        "theme_vi": "Di sản sống",
        "theme_en": "Living Heritage",
        "theme_statement_vi": (
            "Hà Nội lưu giữ hàng nghìn năm văn hiến trong từng con phố, mái đình, làng nghề. "
            "Chủ đề Di sản sống mời các nhà sáng tạo đưa di sản vật thể và phi vật thể vào đời sống hôm nay: "
            "những thiết kế giúp di sản được dùng, được yêu và được trao lại cho thế hệ sau.\n\n"
            "Từ không gian sáng tạo ở Văn Miếu – Quốc Tử Giám đến những nhà hát múa rối, từ gốm Bát Tràng "
            "đến lụa Vạn Phúc, chúng tôi tìm những tác phẩm biến ký ức thành thứ con người chạm tới mỗi ngày."
        ),
        "theme_statement_en": (
            "Hanoi keeps a thousand years of culture in its streets, communal houses and craft villages. "
            "Living Heritage invites creators to bring tangible and intangible heritage into today's life: "
            "designs that let heritage be used, loved and handed on.\n\n"
            "From the creative space at the Temple of Literature to the water-puppet theatres, from Bát Tràng "
            "ceramics to Vạn Phúc silk, we look for work that turns memory into something people touch every day."
        ),
    },
    {
        "theme_vi": "Sông và Thành phố",
        "theme_en": "The River and the City",
        "theme_statement_vi": (
            "Sông Hồng đã tạo nên Hà Nội: đất bồi, làng ven đê, những cây cầu và các hồ nước giữa lòng phố. "
            "Chủ đề Sông và Thành phố hỏi: thiết kế có thể giúp Hà Nội sống cùng dòng sông của mình ra sao, "
            "trước biến đổi khí hậu, đô thị hóa và nhu cầu không gian công cộng?\n\n"
            "Chúng tôi chào đón kiến trúc, sản phẩm, truyền thông, thủ công và trải nghiệm số: từ bãi giữa sông "
            "thành công viên, vật liệu từ phù sa, đến những câu chuyện về nước kể bằng hình ảnh và tương tác."
        ),
        "theme_statement_en": (
            "The Red River made Hanoi: its silt, its dyke-side villages, its bridges and the lakes inside the city. "
            "The River and the City asks how design can help Hanoi live with its river in a time of climate "
            "change, fast urban growth and a need for public space.\n\n"
            "We welcome architecture, products, communication, craft and digital experiences: sandbanks turned "
            "into parks, materials made from river silt, stories of water told in images and interaction."
        ),
    },
    {
        "theme_vi": "Làng nghề giữa đô thị",
        "theme_en": "Craft Villages in the Metropolis",
        "theme_statement_vi": (
            "Quanh Hà Nội có hơn một nghìn làng nghề. Khi thành phố lớn lên, các làng nghề trở thành một phần "
            "của đô thị. Chủ đề này tìm những thiết kế giúp nghề truyền thống sống tiếp: sản phẩm mới, "
            "không gian mới, cách làm việc chung giữa nghệ nhân và nhà thiết kế."
        ),
        "theme_statement_en": (
            "More than a thousand craft villages surround Hanoi, and the growing city is reaching them. "
            "This theme looks for design that keeps traditional crafts alive: new products, new spaces, "
            "and new ways for artisans and designers to work together."
        ),
    },
]

CATEGORIES = [
    (
        "ARC",
        "Kiến trúc và không gian",
        "Architecture and Space",
        "Công trình, cải tạo, cảnh quan và không gian công cộng.",
        "Buildings, adaptive reuse, landscape and public space.",
        3,
        10,
        True,
        2,
    ),
    (
        "PRD",
        "Thiết kế sản phẩm",
        "Product Design",
        "Đồ dùng, nội thất, thiết bị và vật liệu mới.",
        "Objects, furniture, devices and new materials.",
        3,
        8,
        True,
        3,
    ),
    (
        "GRC",
        "Đồ họa và truyền thông",
        "Graphic and Communication",
        "Nhận diện, ấn phẩm, chữ, áp phích và chiến dịch.",
        "Identity, publications, type, posters and campaigns.",
        3,
        12,
        True,
        3,
    ),
    (
        "CRH",
        "Thủ công và di sản",
        "Craft and Heritage",
        "Thiết kế cùng nghệ nhân và làng nghề, từ chất liệu truyền thống.",
        "Design with artisans and craft villages, from traditional materials.",
        3,
        10,
        True,
        3,
    ),
    (
        "DIG",
        "Tương tác và số",
        "Digital and Interaction",
        "Ứng dụng, trải nghiệm tương tác, trò chơi và sắp đặt số.",
        "Apps, interactive experiences, games and digital installations.",
        2,
        8,
        True,
        2,
    ),
]

PRIZES = [
    (
        "Giải Thiết kế sáng tạo Hà Nội",
        "Hanoi Creative Design Grand Prize",
        "Tượng giải, giấy chứng nhận và hỗ trợ hoàn thiện tác phẩm.",
        "Trophy, certificate and support to develop the work.",
        1,
    ),
    ("Giải Vàng", "Gold Award", "Một giải cho mỗi hạng mục.", "One per category.", 5),
    (
        "Giải Bạc",
        "Silver Award",
        "Tối đa hai giải cho mỗi hạng mục.",
        "Up to two per category.",
        10,
    ),
    (
        "Giải Nhà thiết kế trẻ",
        "Young Designer Award",
        "Dành cho sinh viên và nhà thiết kế dưới 30 tuổi.",
        "For students and designers under 30.",
        1,
    ),
    ("Giải Bình chọn của công chúng", "People's Choice", "", "", 1),
]


@dataclass
class EditionDates:
    festival_year: int
    theme_announced_at: datetime
    submissions_open_at: datetime
    submissions_close_at: datetime
    judging_starts_at: datetime
    festival_starts_at: datetime
    festival_ends_at: datetime
    results_publish_at: datetime


def _at(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def _festival(year: int, start: datetime) -> dict:
    return {
        "festival_year": year,
        "festival_starts_at": start,
        "results_publish_at": start + timedelta(days=1, hours=10),  # 19:00, the ceremony
        "festival_ends_at": start + timedelta(days=9, hours=13),
    }


PHASES = ("open", "judging")


def plan_editions(
    now: datetime, phase: str = "open"
) -> tuple[EditionDates, EditionDates, EditionDates]:
    """Past (festival over), current (open, deadline three weeks ahead), next (draft).

    Festivals are held in even years, in the autumn, and each theme is announced more than a
    year ahead; the current edition's festival moves later in its year when the deadline
    would otherwise come too close to it.

    `phase="judging"` moves the current edition's deadline ten days back and its judging
    start a week back, so that the jury has work today; its festival (and so its year and
    results date) stays where the open phase puts it, so switching back and forth keeps the
    same edition.
    """
    if phase not in PHASES:
        raise ValueError(f"phase is one of {', '.join(PHASES)}")
    local = timezone.localtime(now)
    # Past: the latest even year whose festival (10 October, ten days) is over by now.
    past_year = local.year - (local.year % 2)
    while _at(past_year, 10, 21) >= now:
        past_year -= 2
    past_start = _at(past_year, 10, 10, 9)
    past_close = past_start - timedelta(days=120)
    past = EditionDates(
        **_festival(past_year, past_start),
        theme_announced_at=past_start - timedelta(days=430),
        submissions_open_at=past_close - timedelta(days=150),
        submissions_close_at=past_close,
        judging_starts_at=past_close + timedelta(days=14),
    )

    close = (local + timedelta(days=21)).replace(hour=23, minute=59, second=0, microsecond=0)
    open_at = (local - timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    year = past_year + 2
    while True:
        start = max(_at(year, 10, 10, 9), close + timedelta(days=45))
        if start.year == year and (start + timedelta(days=10)).year == year:
            break
        year += 2
    judging_at = close + timedelta(days=7)
    if phase == "judging":
        close = (local - timedelta(days=10)).replace(hour=23, minute=59, second=0, microsecond=0)
        open_at = (close - timedelta(days=60)).replace(hour=9, minute=0)
        judging_at = close + timedelta(days=3)  # six to seven days ago
    current = EditionDates(
        **_festival(year, start),
        theme_announced_at=min(open_at - timedelta(days=45), start - timedelta(days=400)),
        submissions_open_at=open_at,
        submissions_close_at=close,
        judging_starts_at=judging_at,
    )

    next_start = _at(year + 2, 10, 10, 9)
    next_close = next_start - timedelta(days=120)
    upcoming = EditionDates(
        **_festival(year + 2, next_start),
        theme_announced_at=next_start - timedelta(days=400),
        submissions_open_at=next_close - timedelta(days=150),
        submissions_close_at=next_close,
        judging_starts_at=next_close + timedelta(days=14),
    )
    return past, current, upcoming


def demo_user(name: str, password_hash: str, staff: bool = False):
    email = f"{name}@{DEMO_DOMAIN}"
    user, created = get_user_model().objects.get_or_create(
        username=name, defaults={"email": email, "password": password_hash, "is_staff": staff}
    )
    if not created and (user.email != email or user.is_staff != staff):
        user.email, user.is_staff = email, staff
        user.save(update_fields=["email", "is_staff"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_edition(plan: EditionDates, theme: dict, announce: bool, by) -> AwardCycle:
    cycle = AwardCycle.objects.filter(festival_year=plan.festival_year).first() or AwardCycle()
    for field, value in {**plan.__dict__, **theme}.items():
        setattr(cycle, field, value)
    cycle.full_clean()
    cycle.save()
    for position, (code, name_vi, name_en, desc_vi, desc_en, lo, hi, pdf, per) in enumerate(
        CATEGORIES
    ):
        Category.objects.update_or_create(
            cycle=cycle,
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "description_vi": desc_vi,
                "description_en": desc_en,
                "min_images": lo,
                "max_images": hi,
                "pdf_allowed": pdf,
                "max_entries_per_creator": per,
                "position": position,
            },
        )
    for position, (name_vi, name_en, desc_vi, desc_en, quantity) in enumerate(PRIZES):
        Prize.objects.update_or_create(
            cycle=cycle,
            position=position,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "description_vi": desc_vi,
                "description_en": desc_en,
                "quantity": quantity,
            },
        )
    if announce:
        cycle_announce(cycle=cycle, by=by)
    return cycle
