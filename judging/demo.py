"""The jury's demo data: jurors, round 1 with its criteria, and — in the judging phase —
assignments and a few scorecards, made through the real services.

`config`'s `seed_demo` calls `seed_jury`, then `seed_round_one` once the entries exist.
Everything is keyed so that running it again adds nothing twice:
memberships by (edition, email), the round by (edition, number), criteria by position;
assignments are filled by `round_assign` (which only fills gaps) and demo scorecards are
written only into a round that has none.

Phases (`seed_demo --phase`):
- `open` (the default): round 1 is upcoming, and has no entries, assignments or scorecards —
  a round that has not opened holds no scores, so switching back clears them;
- `judging`: round 1 is open, every eligible entry is assigned (k = 3, the demo juror among
  the jurors), and the demo juror and the others have scored some of their entries.
  Switching back and forth gives the demo juror the same entries (the same seed).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from awards import demo as awards_demo
from awards.models import AwardCycle
from judging import services
from judging.models import Assignment, Criterion, Juror, Round, RoundEntry, Scorecard
from judging.selectors import juror_queue

DEMO_JUROR = "juror"  # juror@demo.hcda.vn
JURORS_PER_ENTRY = 3


@dataclass(frozen=True)
class Profile:
    name: str
    language: str
    category: str  # the category of their trade; they may judge others too
    title_vi: str
    title_en: str
    bio_vi: str
    bio_en: str
    organizations: str = ""


# Invented people with invented studios: plausible juries for a design award held in Hanoi,
# half Vietnamese, half from abroad. Their trades cycle through the categories so that any
# first M of them cover every category.
JURY = [
    Profile(
        "Trần Quang Minh",
        "vi",
        "ARC",
        "Kiến trúc sư, sáng lập Xưởng kiến trúc Mái Ngói (Hà Nội)",
        "Architect, founder of Mái Ngói Architecture Workshop (Hanoi)",
        "Ba mươi năm thiết kế nhà ở và công trình công cộng ở đồng bằng sông Hồng. Nghiên cứu "
        "nhà truyền thống và vật liệu địa phương; từng chủ trì nhiều hội đồng thẩm định "
        "kiến trúc đô thị.",
        "Thirty years of housing and public buildings in the Red River Delta. He studies "
        "vernacular houses and local materials, and has chaired several urban design review "
        "boards.",
        "Xưởng kiến trúc Mái Ngói\nViện Nhà ở Đồng bằng",
    ),
    Profile(
        "Camille Durand",
        "en",
        "PRD",
        "Nhà thiết kế sản phẩm, đồng sáng lập Atelier Durand & Lê (Lyon – Hà Nội)",
        "Product designer, co-founder of Atelier Durand & Lê (Lyon – Hanoi)",
        "Thiết kế đồ nội thất và đồ dùng bàn ăn cùng các xưởng thủ công ở Pháp và Việt Nam; "
        "giảng dạy thiết kế sản phẩm bắt đầu từ vật liệu.",
        "Designs furniture and tableware with craft workshops in France and Vietnam, and "
        "teaches material-led product design.",
        "Atelier Durand & Lê\nÉcole de Design Rhône",
    ),
    Profile(
        "Phạm Thu Trang",
        "vi",
        "GRC",
        "Nhà thiết kế đồ họa, giám đốc sáng tạo Studio Chữ Việt",
        "Graphic designer, creative director of Chữ Việt Studio",
        "Thiết kế phông chữ có dấu tiếng Việt và nhận diện cho các sự kiện văn hóa. "
        "Chị tin rằng một bộ chữ tốt là một phần di sản của thành phố.",
        "Designs typefaces that handle Vietnamese diacritics well, and identities for "
        "cultural events. She believes a good typeface is part of a city's heritage.",
        "Studio Chữ Việt",
    ),
    Profile(
        "Nguyễn Văn Thành",
        "vi",
        "CRH",
        "Nghệ nhân gốm, chủ xưởng gốm Men Lam (Bát Tràng)",
        "Ceramic artisan, head of the Men Lam pottery (Bát Tràng)",
        "Nghệ nhân đời thứ tư của một gia đình làm gốm. Phục dựng men lam cổ và cùng các nhà "
        "thiết kế trẻ làm những dòng sản phẩm mới cho đời sống hôm nay.",
        "A fourth-generation potter. He has revived an old blue glaze and works with young "
        "designers on new lines for everyday life.",
        "Xưởng gốm Men Lam\nHợp tác xã Gốm Giang Cao",
    ),
    Profile(
        "Kenji Morimoto",
        "en",
        "DIG",
        "Nhà thiết kế tương tác, giám đốc Kōbō Digital (Tokyo)",
        "Interaction designer, director of Kōbō Digital (Tokyo)",
        "Làm các sắp đặt tương tác cho bảo tàng và lễ hội ánh sáng ở châu Á; quan tâm tới "
        "cách công nghệ giúp người xem chạm vào di sản mà không thay thế nó.",
        "Makes interactive installations for museums and light festivals across Asia; "
        "interested in technology that lets people touch heritage without replacing it.",
        "Kōbō Digital\nMuseum Interaction Network",
    ),
    Profile(
        "Vũ Đức Anh",
        "vi",
        "ARC",
        "Kiến trúc sư, đồng sáng lập Đất Nung Architects (TP. Hồ Chí Minh)",
        "Architect, co-founder of Đất Nung Architects (Ho Chi Minh City)",
        "Thiết kế trường học và nhà cộng đồng bằng gạch nung và tre. Trước đó anh làm việc "
        "nhiều năm ở một studio tại Hà Nội.",
        "Designs schools and community houses in fired brick and bamboo. Before that he "
        "worked for several years at a studio in Hanoi.",
        # A past studio that is also a demo creator's: the system suggests a conflict.
        "Đất Nung Architects\nStudio Sông Hồng",
    ),
    Profile(
        "Lê Hoàng Nam",
        "vi",
        "PRD",
        "Nhà thiết kế công nghiệp, trưởng nhóm thiết kế Gia dụng Hòa Bình",
        "Industrial designer, design lead at Hòa Bình Home Appliances",
        "Mười lăm năm đưa đồ gia dụng từ bản vẽ tới dây chuyền sản xuất. Anh chấm một thiết kế "
        "bằng câu hỏi: nó có được làm ra, sửa chữa và dùng lâu dài không?",
        "Fifteen years taking household products from drawing to production line. He judges "
        "a design by one question: can it be made, repaired and used for years?",
        "Gia dụng Hòa Bình",
    ),
    Profile(
        "Sofia Marchetti",
        "en",
        "GRC",
        "Nhà thiết kế đồ họa, giám tuyển Casa della Grafica (Milano)",
        "Graphic designer, curator at Casa della Grafica (Milan)",
        "Giám tuyển các triển lãm áp phích và sách ảnh; từng làm nhận diện cho nhiều bảo tàng "
        "thành phố ở Ý.",
        "Curates exhibitions of posters and photobooks, and has designed identities for "
        "several Italian city museums.",
        "Casa della Grafica",
    ),
    Profile(
        "Đỗ Thị Mai Lan",
        "vi",
        "CRH",
        "Nhà nghiên cứu văn hóa, giám tuyển Bảo tàng Nghề Thăng Long",
        "Cultural researcher, curator at the Thăng Long Crafts Museum",
        "Hai mươi năm khảo sát các làng nghề quanh Hà Nội; biên soạn nhiều ấn phẩm về lụa, "
        "giấy dó và sơn mài.",
        "Twenty years documenting the craft villages around Hanoi; author of publications on "
        "silk, dó paper and lacquer.",
        "Bảo tàng Nghề Thăng Long",
    ),
    Profile(
        "Park Ji-won",
        "en",
        "DIG",
        "Nhà nghiên cứu trải nghiệm người dùng, giảng viên Trường Thiết kế Hanbit (Seoul)",
        "UX researcher, lecturer at Hanbit School of Design (Seoul)",
        "Nghiên cứu cách người cao tuổi dùng dịch vụ số của thành phố; hướng dẫn đồ án về "
        "thiết kế dịch vụ công.",
        "Researches how older people use city digital services, and supervises projects in "
        "public service design.",
        "Hanbit School of Design",
    ),
    Profile(
        "Ingrid Solberg",
        "en",
        "ARC",
        "Kiến trúc sư cảnh quan, thành viên hợp danh Fjord & Delta Landskap (Oslo)",
        "Landscape architect, partner at Fjord & Delta Landskap (Oslo)",
        "Thiết kế công viên ven sông và không gian công cộng chịu được ngập lụt ở Bắc Âu và "
        "Đông Nam Á.",
        "Designs riverside parks and flood-tolerant public space in northern Europe and "
        "South-East Asia.",
        "Fjord & Delta Landskap",
    ),
    Profile(
        "Daniel Okafor",
        "en",
        "PRD",
        "Nhà thiết kế sản phẩm hỗ trợ, sáng lập Okafor Design Lab (London)",
        "Designer of assistive products, founder of Okafor Design Lab (London)",
        "Thiết kế dụng cụ cho người khuyết tật cùng chính người dùng; thành viên nhiều hội "
        "đồng giải thưởng thiết kế toàn diện.",
        "Designs aids for disabled people together with the people who use them; has sat on "
        "several inclusive design award juries.",
        "Okafor Design Lab",
    ),
    Profile(
        "Hoàng Minh Châu",
        "vi",
        "GRC",
        "Nhà thiết kế sách, giám đốc nghệ thuật Nhà xuất bản Hồ Gươm",
        "Book designer, art director of Hồ Gươm Publishing",
        "Thiết kế hơn ba trăm đầu sách, nhiều cuốn về lịch sử và kiến trúc Hà Nội.",
        "Has designed more than three hundred books, many of them on Hanoi's history and "
        "architecture.",
        "Nhà xuất bản Hồ Gươm",
    ),
    Profile(
        "Hana Kobayashi",
        "en",
        "CRH",
        "Nhà thiết kế dệt, làm việc với thợ nhuộm chàm ở Nhật Bản và miền Bắc Việt Nam",
        "Textile designer working with indigo dyers in Japan and northern Vietnam",
        "Theo đuổi dệt nhuộm thủ công suốt hai mươi năm; tổ chức các khóa trao đổi giữa "
        "nghệ nhân hai nước.",
        "Twenty years in hand dyeing and weaving; runs exchanges between artisans of the two "
        "countries.",
        "Aizome Textile Studio",
    ),
    Profile(
        "Bùi Quốc Khánh",
        "vi",
        "DIG",
        "Nhà thiết kế trò chơi, sáng lập Mây Games",
        "Game designer, founder of Mây Games",
        "Làm trò chơi kể chuyện lấy cảm hứng từ truyện dân gian Việt Nam; giảng dạy thiết kế "
        "trò chơi cho sinh viên.",
        "Makes narrative games drawn from Vietnamese folk tales, and teaches game design to "
        "students.",
        "Mây Games",
    ),
    Profile(
        "Jonas Weber",
        "en",
        "ARC",
        "Kiến trúc sư và nhà nghiên cứu đô thị, Viện Xây dựng Nhiệt đới (Berlin)",
        "Architect and urban researcher, Institute for Tropical Building (Berlin)",
        "Nghiên cứu nhà ở mật độ cao và khí hậu nóng ẩm; cố vấn cho các dự án cải tạo khu phố "
        "cũ ở Đông Nam Á.",
        "Researches dense housing in hot, humid climates and advises on the renewal of old "
        "neighbourhoods in South-East Asia.",
        "Institute for Tropical Building",
    ),
    Profile(
        "Ngô Phương Linh",
        "vi",
        "PRD",
        "Nhà thiết kế nội thất và vật liệu, sáng lập Xưởng Tre Xanh",
        "Furniture and materials designer, founder of the Tre Xanh workshop",
        "Phát triển vật liệu ép từ tre và bã mía; sản phẩm của chị được bán ở châu Âu và Nhật Bản.",
        "Develops pressed materials from bamboo and sugar-cane fibre; her products are sold in "
        "Europe and Japan.",
        "Xưởng Tre Xanh",
    ),
    Profile(
        "Arjun Mehta",
        "en",
        "GRC",
        "Nhà thiết kế thương hiệu và thông tin, thành viên hợp danh Monsoon Studio (Mumbai)",
        "Brand and information designer, partner at Monsoon Studio (Mumbai)",
        "Thiết kế bản đồ và biển chỉ dẫn cho hệ thống giao thông công cộng của nhiều thành phố "
        "châu Á.",
        "Designs maps and wayfinding for public transport in several Asian cities.",
        "Monsoon Studio",
    ),
    Profile(
        "Lý Thị Hương",
        "vi",
        "CRH",
        "Nghệ nhân thêu, giảng viên thỉnh giảng về thiết kế thủ công",
        "Embroidery artisan, visiting lecturer in craft design",
        "Lớn lên ở làng thêu Quất Động; hướng dẫn sinh viên thiết kế làm việc cùng nghệ nhân "
        "để đưa đường thêu vào sản phẩm đương đại.",
        "Grew up in the Quất Động embroidery village; guides design students working with "
        "artisans to bring embroidery into contemporary products.",
        "Hợp tác xã Thêu Quất Động",
    ),
    Profile(
        "Lena Fischer",
        "en",
        "DIG",
        "Nhà công nghệ sáng tạo, giám tuyển liên hoan Light & Code (Vienna)",
        "Creative technologist, curator of the Light & Code festival (Vienna)",
        "Giám tuyển sắp đặt ánh sáng và nghệ thuật mã nguồn trong không gian công cộng; trước "
        "đó làm kỹ sư phần mềm.",
        "Curates light installations and code art in public space; a software engineer "
        "before that.",
        "Light & Code Festival",
    ),
]

# Beyond the hand-written jury (`--jurors` above 20), plausible people from these parts.
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Hải"]
GIVEN = ["An", "Bảo", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Lâm", "My", "Phong", "Quyên", "Sơn"]
FIRST = ["Anna", "Marco", "Yuki", "Tomás", "Amira", "Lucas", "Mei", "Oliver", "Nadia", "Felix"]
LAST = ["Lindqvist", "Moreau", "Tanaka", "Silva", "Haddad", "Novak", "Chen", "Brooks", "Kowalski"]
TRADES = {
    "ARC": ("Kiến trúc sư", "Architect", "kiến trúc và quy hoạch", "architecture and planning"),
    "PRD": ("Nhà thiết kế sản phẩm", "Product designer", "thiết kế sản phẩm", "product design"),
    "GRC": ("Nhà thiết kế đồ họa", "Graphic designer", "thiết kế truyền thông", "communication"),
    "CRH": ("Chuyên gia thủ công", "Craft specialist", "nghề thủ công", "traditional crafts"),
    "DIG": ("Nhà thiết kế tương tác", "Interaction designer", "thiết kế số", "digital design"),
}
STUDIOS = ["Gạch Mộc", "Sen Trắng", "Lantern", "Ngõ Nhỏ", "Delta", "Phù Sa", "Mosaic", "Gió Mùa"]


# juror@demo.hcda.vn, who judges every category.
DEMO_PROFILE = Profile(
    "Đặng Hải Yến",
    "vi",
    "ARC",
    "Kiến trúc sư, giảng viên thiết kế đô thị (tài khoản demo)",
    "Architect, lecturer in urban design (demo account)",
    "Tài khoản giám khảo để thử chấm điểm: đăng nhập bằng juror@demo.hcda.vn.",
    "The juror account for trying the jury: sign in as juror@demo.hcda.vn.",
    "Trường Thiết kế Đô thị Long Biên",
)


def profile(number: int, codes: list[str]) -> Profile:
    """Juror `number` (1-based): from the hand-written jury, then made up from parts."""
    if number <= len(JURY):
        return JURY[number - 1]
    rng = random.Random(number)
    code = codes[(number - 1) % len(codes)]
    job_vi, job_en, field_vi, field_en = TRADES.get(code, TRADES["ARC"])
    studio = f"Studio {STUDIOS[number % len(STUDIOS)]} {number}"
    years = rng.randrange(8, 30)
    if number % 2:
        name, language = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", "vi"
    else:
        name, language = f"{rng.choice(FIRST)} {rng.choice(LAST)}", "en"
    return Profile(
        name,
        language,
        code,
        f"{job_vi}, {studio}",
        f"{job_en}, {studio}",
        f"{years} năm làm {field_vi}; thành viên hội đồng của nhiều cuộc thi thiết kế.",
        f"{years} years in {field_en}; has sat on several design competition juries.",
        studio,
    )


def category_spread(count: int, codes: list[str], k: int = JURORS_PER_ENTRY) -> list[list[str]]:
    """Which categories each of `count` jurors judges: their own trade first, then the next
    ones — as few as it takes for every category to have at least k of them (all of them
    when there are fewer than k)."""
    if not codes or count == 0:
        return [[] for _ in range(count)]
    wanted = min(k, count)
    for per in range(min(len(codes), -(-k * len(codes) // count)), len(codes) + 1):
        # Juror i starts at category i mod C and takes `per` consecutive ones.
        spread = [[codes[(i + j) % len(codes)] for j in range(per)] for i in range(count)]
        covered = Counter(code for judged in spread for code in judged)
        if all(covered[code] >= wanted for code in codes):
            break
    return spread


def seed_jury(*, cycle: AwardCycle, count: int, password_hash: str, by) -> list[Juror]:
    """The demo juror (every category) and `count` more jurors, the first the chair; their
    accounts are juror001…, accepted. An existing member keeps the categories it has (they
    may have changed by hand in the demo, and assignments follow them)."""
    now = timezone.now()
    categories = {c.code: c for c in cycle.categories.order_by("position", "code")}
    codes = list(categories)
    people = [(awards_demo.demo_user(DEMO_JUROR, password_hash), DEMO_PROFILE, codes)]
    spread = category_spread(count, codes)
    for number in range(1, count + 1):
        user = awards_demo.demo_user(f"juror{number:03d}", password_hash)
        people.append((user, profile(number, codes), spread[number - 1]))

    jurors = []
    for user, person, judged in people:
        juror = Juror.objects.filter(cycle=cycle, email__iexact=user.email).first()
        new = juror is None
        juror = juror or Juror(cycle=cycle, email=user.email, invited_at=now, invited_by=by)
        juror.user = user
        juror.state = Juror.State.ACCEPTED
        juror.responded_at = juror.responded_at or now
        juror.role = Juror.Role.CHAIR if user.username == "juror001" else Juror.Role.JUROR
        juror.name, juror.language = person.name, person.language
        juror.title_vi, juror.title_en = person.title_vi, person.title_en
        juror.bio_vi, juror.bio_en = person.bio_vi, person.bio_en
        juror.organizations = person.organizations
        juror.token_hash = juror.token_expires_at = None
        juror.full_clean(exclude=["categories"])
        juror.save()
        if new or not juror.categories.exists():
            juror.categories.set([categories[code] for code in judged])
        jurors.append(juror)
    return jurors


def seed_conflicts(*, cycle: AwardCycle, by) -> None:
    """A tie the demo juror declared (with the demo creator's studio, so the creator's entry
    never reaches them) and the system's suggestions for organizers to confirm."""
    demo = Juror.objects.get(cycle=cycle, user__username=DEMO_JUROR)
    if not demo.declared_ties:
        services.juror_declare_ties(juror=demo, by=demo.user, ties="Studio Sông Hồng")
    services.conflicts_suggest(cycle=cycle, by=by)


CRITERIA = [
    (
        "Ý tưởng và tính sáng tạo",
        "Idea and originality",
        40,
        "2 – một giải pháp quen thuộc, nhắc lại mà không có góc nhìn riêng.\n"
        "5 – ý tưởng rõ ràng, vận dụng tốt những gì đã có.\n"
        "9 – một ý tưởng hội đồng chưa từng thấy, mở ra cách hiểu mới về đề bài.",
        "2 – a familiar solution, restated without a point of view.\n"
        "5 – a clear idea that makes good use of known work.\n"
        "9 – an idea the jury has not seen before, that opens a new reading of the brief.",
    ),
    (
        "Gắn với chủ đề và với Hà Nội",
        "Fit with the theme and with Hanoi",
        30,
        "2 – có nhắc đến chủ đề, nhưng bỏ chủ đề đi thì tác phẩm vẫn vậy.\n"
        "5 – tác phẩm trả lời chủ đề và dựa trên nơi chốn, nghề thủ công hay ký ức của Hà Nội.\n"
        "9 – tác phẩm chỉ có thể ra đời từ Hà Nội và dòng sông của nó, và trao lại cho thành "
        "phố một điều gì đó.",
        "2 – the theme is named, but the work would be the same without it.\n"
        "5 – the work answers the theme and draws on Hanoi's places, crafts or memory.\n"
        "9 – the work could only come from Hanoi and its river, and gives something back to "
        "the city.",
    ),
    (
        "Chất lượng thực hiện và tính khả thi",
        "Execution and feasibility",
        30,
        "2 – chưa hoàn chỉnh hoặc khó hiểu; khó thấy nó sẽ được làm ra hay dùng thế nào.\n"
        "5 – thực hiện tốt, có con đường đáng tin để sản xuất hoặc xây dựng.\n"
        "9 – mẫu mực về chi tiết và vật liệu, sẵn sàng để xây, để sản xuất hay ra mắt.",
        "2 – unfinished or unclear; it is hard to see how it would be made or used.\n"
        "5 – well made, with a credible path to production or construction.\n"
        "9 – exemplary in detail and materials, ready to be built, made or launched.",
    ),
]


def round_one_dates(cycle: AwardCycle, now: datetime) -> tuple[datetime, datetime]:
    """Round 1 opens when judging starts and runs three weeks from then, or from today when
    judging has started; it always closes ten days before the festival (so before the
    results are published)."""
    opens = cycle.judging_starts_at
    local = timezone.localtime(max(opens, now))
    closes = (local + timedelta(days=21)).replace(hour=23, minute=59, second=0, microsecond=0)
    return opens, min(closes, cycle.festival_starts_at - timedelta(days=10))


@transaction.atomic
def seed_round_one(*, cycle: AwardCycle, phase: str, by, seed: int, stdout=None) -> Round:
    """Round 1 and its criteria; then, by phase, assignments and scorecards or none."""
    now = timezone.now()
    opens, closes = round_one_dates(cycle, now)
    round_ = Round.objects.filter(cycle=cycle, number=1).first() or Round(cycle=cycle, number=1)
    round_.name_vi, round_.name_en = "Vòng 1 – chấm trực tuyến", "Round 1 – online scoring"
    round_.opens_at, round_.closes_at = opens, closes
    round_.closed_at = round_.closed_by = None  # an early close in an earlier demo is undone
    round_.scale_min, round_.scale_max, round_.scale_step = 1, 10, Decimal("0.5")
    round_.jurors_per_entry = JURORS_PER_ENTRY
    round_.blind = True
    round_.full_clean(exclude=["categories", "entries"])
    round_.save()
    round_.categories.set(cycle.categories.all())
    for position, (name_vi, name_en, weight, guidance_vi, guidance_en) in enumerate(CRITERIA):
        Criterion.objects.update_or_create(
            round=round_,
            position=position,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "weight": weight,
                "guidance_vi": guidance_vi,
                "guidance_en": guidance_en,
            },
        )

    if phase == "judging":
        services.round_sync_entries(round_=round_, by=by)
        plan = services.round_plan(round_=round_, seed=seed)
        if plan.new_count:  # asked first, so that a second run leaves no empty audit record
            plan = services.round_assign(round_=round_, by=by, seed=seed)
        for problem in plan.problems:
            if stdout:
                stdout.write(f"  round 1: {problem}")
        if not Scorecard.objects.filter(round=round_).exists():
            _score_some(round_, random.Random(seed), now)
    else:
        # Not through the services: this is the demo going back in time, not an organizer
        # removing work. A round that has not opened holds no assignments or scores.
        Scorecard.objects.filter(round=round_).delete()  # their Scores go with them
        Assignment.objects.filter(round=round_).delete()
        RoundEntry.objects.filter(round=round_).delete()
    return round_


NOTES = [
    "Ý tưởng mạnh, nhưng bản vẽ chi tiết còn thiếu.",
    "Strong story; I would like to see the material tested at full size.",
    "Rất gần với chủ đề. Cần làm rõ chi phí.",
    "",
    "",
]


def _score_some(round_: Round, rng: random.Random, now: datetime) -> None:
    """The demo juror submits up to three scorecards and leaves the next half done; the others
    have done none, a third, half, two thirds or all of theirs, so the progress board shows
    every case. Values are an entry's quality, a juror's leniency and some noise, on the
    round's scale."""
    criteria = list(round_.criteria.order_by("position"))
    quality: dict[int, float] = {}
    jurors = Juror.objects.filter(cycle=round_.cycle, assignments__round=round_).distinct()
    shares = [1 / 2, 1, 1 / 3, 0, 2 / 3]
    for n, juror in enumerate(jurors.select_related("user").order_by("pk")):
        queue = juror_queue(juror.user, round_, now)
        is_demo = juror.user.username == DEMO_JUROR
        # The demo juror always keeps a draft and at least one entry to do.
        done = (
            min(3, max(0, len(queue) - 2))
            if is_demo
            else round(len(queue) * shares[n % len(shares)])
        )
        drafts = 1 if is_demo and len(queue) - done >= 2 else 0
        leniency = rng.uniform(-1, 1)
        for position, row in enumerate(queue[: done + drafts]):
            assignment = Assignment.objects.get(public_id=row["public_id"])
            base = quality.setdefault(assignment.entry_id, rng.uniform(4, 8.5))
            values = {}
            for criterion in criteria:
                value = base + leniency + rng.gauss(0, 0.8)
                value = min(10, max(1, round(value * 2) / 2))
                values[str(criterion.pk)] = f"{value:g}"
            draft = position == done  # the demo juror's fourth: two of three criteria
            if draft:
                values.pop(str(criteria[-1].pk))
            services.scorecard_save(
                assignment=assignment,
                user=juror.user,
                values=values,
                comment=rng.choice(NOTES),
                submit=not draft,
                # Spread over the days the round has been open, for the progress board.
                now=max(round_.opens_at, now - timedelta(hours=rng.uniform(1, 120))),
            )
