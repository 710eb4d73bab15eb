from datetime import datetime, timedelta

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from awards.models import AwardCycle, Category, Prize
from awards.roles import ensure_organizers_group
from submissions.models import CreatorProfile, Entry, EntryAsset

PASSWORD = "correct-horse-battery-staple"


def hanoi(year, month, day, hour=0, minute=0, second=0, microsecond=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute, second, microsecond))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            if extracted is not False:
                EmailAddress.objects.create(
                    user=self, email=self.email, verified=True, primary=True
                )


class OrganizerFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def organizer_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(ensure_organizers_group())


class CreatorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreatorProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Creator {n}")
    creator_type = CreatorProfile.CreatorType.INDIVIDUAL
    country = "VN"
    city = "Hà Nội"
    rules_accepted_at = factory.LazyFunction(timezone.now)


class CreatorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    profile = factory.RelatedFactory(CreatorProfileFactory, factory_related_name="user")


def open_cycle_dates(now: datetime | None = None, festival_year: int | None = None) -> dict:
    """Dates of an edition that is open for entries at `now`, obeying every rule."""
    now = now or timezone.now()
    year = festival_year or (timezone.localtime(now).year + 2) // 2 * 2 + 2
    festival = hanoi(year, 10, 10, 9)
    return {
        "festival_year": year,
        "theme_announced_at": now - timedelta(days=60),
        "submissions_open_at": now - timedelta(days=30),
        "submissions_close_at": now + timedelta(days=21),
        "judging_starts_at": now + timedelta(days=28),
        "festival_starts_at": festival,
        "results_publish_at": festival + timedelta(days=1),
        "festival_ends_at": festival + timedelta(days=9),
    }


class AwardCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardCycle
        django_get_or_create = ("festival_year",)

    class Params:
        dates = factory.LazyFunction(open_cycle_dates)

    festival_year = factory.LazyAttribute(lambda o: o.dates["festival_year"])
    status = AwardCycle.Status.ANNOUNCED
    announced_at = factory.LazyFunction(timezone.now)
    theme_vi = "Sông và Thành phố"
    theme_en = "The River and the City"
    theme_statement_vi = "Sông Hồng đã tạo nên Hà Nội."
    theme_statement_en = "The Red River made Hanoi."
    theme_announced_at = factory.LazyAttribute(lambda o: o.dates["theme_announced_at"])
    submissions_open_at = factory.LazyAttribute(lambda o: o.dates["submissions_open_at"])
    submissions_close_at = factory.LazyAttribute(lambda o: o.dates["submissions_close_at"])
    judging_starts_at = factory.LazyAttribute(lambda o: o.dates["judging_starts_at"])
    festival_starts_at = factory.LazyAttribute(lambda o: o.dates["festival_starts_at"])
    results_publish_at = factory.LazyAttribute(lambda o: o.dates["results_publish_at"])
    festival_ends_at = factory.LazyAttribute(lambda o: o.dates["festival_ends_at"])


class DraftCycleFactory(AwardCycleFactory):
    status = AwardCycle.Status.DRAFT
    announced_at = None


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    cycle = factory.SubFactory(AwardCycleFactory)
    code = factory.Sequence(lambda n: "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0)))
    name_vi = factory.Sequence(lambda n: f"Hạng mục {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    position = factory.Sequence(int)


class PrizeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prize

    cycle = factory.SubFactory(AwardCycleFactory)
    name_vi = factory.Sequence(lambda n: f"Giải {n}")
    name_en = factory.Sequence(lambda n: f"Prize {n}")
    quantity = 1
    position = factory.Sequence(int)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    cycle = factory.LazyAttribute(lambda o: o.category.cycle)
    owner = factory.SubFactory(CreatorFactory)
    title_vi = "Cầu tre ven sông"
    title_en = "Bamboo bridge by the river"

    @factory.post_generation
    def index_for_search(self, create, extracted, **kwargs):
        # What the services keep for organizers' search, for entries made straight in tests.
        if create:
            from submissions.services import _search_text

            self.search_text = _search_text(self)
            Entry.objects.filter(pk=self.pk).update(search_text=self.search_text)


class CompleteEntryFactory(EntryFactory):
    """Texts in both languages and the declarations; files are added by the tests."""

    summary_vi = "Một cây cầu tre cho bãi giữa sông Hồng."
    summary_en = "A bamboo bridge for the Red River sandbank."
    statement_vi = "Thiết kế dùng tre địa phương."
    statement_en = "The design uses local bamboo."
    heritage_vi = "Kỹ thuật buộc tre của làng Phù Đổng."
    heritage_en = "Bamboo lashing from Phù Đổng village."
    declared_original = True
    declared_rights = True
    declared_rules = True


def ready_image(entry, *, content: bytes | None = None, name="photo.jpg", position=0):
    """A verified image stored under the entry's prefix, as finalize would leave it."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.images import jpeg

    content = content or jpeg()
    key = EntryAsset.new_key(entry)
    default_storage.save(key, ContentFile(content))
    return EntryAsset.objects.create(
        entry=entry,
        kind="image",
        status="ready",
        key=key,
        original_name=name,
        content_type="image/jpeg",
        declared_size=len(content),
        size=len(content),
        checksum=hashlib.sha256(content).hexdigest(),
        width=2000,
        height=1400,
        position=position,
        ready_at=timezone.now(),
    )


# Jury ---------------------------------------------------------------------------------------


def judging_cycle_dates(now: datetime | None = None, festival_year: int | None = None) -> dict:
    """Dates of an edition in its judging phase at `now`: the deadline passed a week ago."""
    now = now or timezone.now()
    year = festival_year or (timezone.localtime(now).year + 2) // 2 * 2 + 2
    festival = hanoi(year, 10, 10, 9)
    return {
        "festival_year": year,
        "theme_announced_at": now - timedelta(days=120),
        "submissions_open_at": now - timedelta(days=90),
        "submissions_close_at": now - timedelta(days=7),
        "judging_starts_at": now - timedelta(days=2),
        "festival_starts_at": festival,
        "results_publish_at": festival + timedelta(days=1),
        "festival_ends_at": festival + timedelta(days=9),
    }


class JudgingCycleFactory(AwardCycleFactory):
    class Params:
        dates = factory.LazyFunction(judging_cycle_dates)


class JurorFactory(factory.django.DjangoModelFactory):
    """An accepted juror with an account, judging the categories given (or none)."""

    class Meta:
        model = "judging.Juror"
        skip_postgeneration_save = True

    cycle = factory.SubFactory(JudgingCycleFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "juror@example.org")
    name = factory.Sequence(lambda n: f"Juror {n}")
    state = "accepted"
    responded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class RoundFactory(factory.django.DjangoModelFactory):
    """Round 1, open now, 1–10 by 0.5, k = 2, with three criteria weighing 40/30/30."""

    class Meta:
        model = "judging.Round"
        skip_postgeneration_save = True

    cycle = factory.SubFactory(JudgingCycleFactory)
    number = 1
    name_vi = "Vòng 1"
    name_en = "Round 1"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    jurors_per_entry = 2

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from judging.models import Criterion

        for position, (vi, en, weight) in enumerate(
            extracted
            or [
                ("Sáng tạo", "Originality", 40),
                ("Di sản", "Heritage", 30),
                ("Khả thi", "Feasibility", 30),
            ]
        ):
            Criterion.objects.create(
                round=self, position=position, name_vi=vi, name_en=en, weight=weight
            )


def submitted_entry(category, *, owner=None, number: int = 1, **fields):
    """A submitted entry with its reference code, as entry_submit leaves it."""
    from submissions.models import Entry

    entry = CompleteEntryFactory(
        category=category,
        owner=owner or CreatorFactory(),
        status="submitted",
        submitted_at=timezone.now() - timedelta(days=10),
        sequence=number,
        reference_code=Entry.make_reference_code(category.cycle, category, number),
        **fields,
    )
    return entry
