import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from awards.models import Translated
from awards.roles import is_organizer


class CreatorProfile(models.Model):
    """Who a creator is. Every creator completes it before anything else on the platform."""

    class CreatorType(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual designer")
        TEAM = "team", _("Team")
        STUDIO = "studio", _("Studio or company")
        STUDENT = "student", _("Student")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="creator_profile",
        verbose_name=_("account"),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=120,
        help_text=_("Your name, or your team's or studio's name."),
    )
    creator_type = models.CharField(_("creator type"), max_length=12, choices=CreatorType)
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=100)
    organization = models.CharField(
        _("organization"),
        max_length=150,
        blank=True,
        help_text=_("Studio, company or school, if any."),
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    website = models.URLField(_("website"), blank=True)
    rules_accepted_at = models.DateTimeField(_("rules accepted at"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("creator profile")
        verbose_name_plural = _("creator profiles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(display_name=""),
                name="submissions_creatorprofile_display_name_required",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("submissions:profile")


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organizers see every entry; a creator sees their own; nobody else sees any."""
        if not user.is_authenticated:
            return self.none()
        if is_organizer(user):
            return self.all()
        return self.filter(owner=user)

    def owned_by(self, user):
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def counting_towards_limit(self):
        """Entries that use one of a creator's places in a category (withdrawn ones do not)."""
        return self.exclude(status=Entry.Status.WITHDRAWN)


STAGING_PREFIX = "staging/"

ENTRY_TEXT_FIELDS = ("title", "summary", "statement", "heritage")


class Entry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Screening(models.TextChoices):
        PENDING = "pending", _("Not screened")
        ELIGIBLE = "eligible", _("Eligible")
        DISQUALIFIED = "disqualified", _("Disqualified")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Separate from public_id, so that nothing in a page's URL leads to the entry's objects.
    storage_prefix = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(
        "awards.AwardCycle", models.PROTECT, related_name="entries", verbose_name=_("edition")
    )
    category = models.ForeignKey(
        "awards.Category", models.PROTECT, related_name="entries", verbose_name=_("category")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="entries", verbose_name=_("creator")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    reference_code = models.CharField(
        _("reference code"), max_length=20, null=True, blank=True, unique=True
    )
    sequence = models.PositiveIntegerField(_("number in category"), null=True, blank=True)

    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_vi = models.TextField(_("summary (Vietnamese)"), max_length=600, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=600, blank=True)
    statement_vi = models.TextField(_("design statement (Vietnamese)"), max_length=4000, blank=True)
    statement_en = models.TextField(_("design statement (English)"), max_length=4000, blank=True)
    heritage_vi = models.TextField(
        _("culture and heritage (Vietnamese)"), max_length=2000, blank=True
    )
    heritage_en = models.TextField(_("culture and heritage (English)"), max_length=2000, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    credits = models.JSONField(_("credits"), default=list, blank=True)
    declared_original = models.BooleanField(_("original work"), default=False)
    declared_rights = models.BooleanField(_("rights to every image"), default=False)
    declared_rules = models.BooleanField(_("rules accepted"), default=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    extended_until = models.DateTimeField(
        _("deadline extended until"),
        null=True,
        blank=True,
        help_text=_("Granted by the organizers, for this entry only."),
    )

    screening = models.CharField(
        _("screening"), max_length=14, choices=Screening, default=Screening.PENDING
    )
    screening_reason = models.TextField(_("screening reason"), blank=True)
    screened_at = models.DateTimeField(_("screened"), null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    # Unaccented, lower-case text of what organizers search (title, creator, city, code), kept
    # by the services: "ha noi" finds "Hà Nội" on SQLite and PostgreSQL alike.
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = EntryQuerySet.as_manager()

    title = Translated()
    summary = Translated()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | Q(submitted_at__isnull=False, reference_code__isnull=False),
                name="submissions_entry_submitted_has_time_and_code",
            ),
            models.UniqueConstraint(
                fields=["category", "sequence"],
                name="submissions_entry_unique_sequence_in_category",
            ),
            models.CheckConstraint(
                condition=~Q(screening="disqualified") | ~Q(screening_reason=""),
                name="submissions_entry_disqualified_has_reason",
            ),
        ]
        indexes = [
            # The organizer list pages through ids in these indexes, in the list's order
            # (newest first, then id), with or without a status filter: page 200 skips index
            # entries, not rows. SQLite and PostgreSQL read the ids from the index alone.
            models.Index(
                fields=["cycle", "-created_at", "-id"], name="submissions_entry_cycle_idx"
            ),
            models.Index(
                fields=["cycle", "status", "-created_at", "-id"], name="submissions_entry_list_idx"
            ),
            # The counts per category and status, from the index alone.
            models.Index(
                fields=["cycle", "category", "status"], name="submissions_entry_counts_idx"
            ),
            # Not declared here because SQLite has no such index: on PostgreSQL, migration 0003
            # adds a trigram GIN index on search_text that serves LIKE '%word%' (pg_trgm).
            models.Index(fields=["owner", "-created_at"], name="submissions_entry_owner_idx"),
        ]

    def __str__(self):
        return self.reference_code or self.title or str(self.public_id)

    def get_absolute_url(self):
        return reverse("submissions:entry", kwargs={"entry_id": self.public_id})

    @staticmethod
    def make_reference_code(cycle, category, sequence: int) -> str:
        """HCDA28-ARC-0042: edition, category, number in the category (gap-free, from 1)."""
        return f"{cycle.code}-{category.code}-{sequence:04d}"

    def get_organizer_url(self):
        return reverse("submissions:organize_entry", kwargs={"entry_id": self.public_id})

    def deadline(self) -> datetime:
        """The moment this entry stops changing: the edition's deadline or its extension."""
        close = self.cycle.submissions_close_at
        return max(close, self.extended_until) if self.extended_until else close

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.cycle.submissions_open_at <= now < self.deadline()

    def complete_languages(self) -> list[str]:
        return [
            lang
            for lang in ("vi", "en")
            if all(getattr(self, f"{name}_{lang}").strip() for name in ENTRY_TEXT_FIELDS)
        ]


class EntryAssetQuerySet(models.QuerySet):
    """The one definition of "ready" and "image" that counts, lists and receipts share."""

    def ready(self):
        return self.filter(status=EntryAsset.Status.READY)

    def images(self):
        return self.filter(kind=EntryAsset.Kind.IMAGE)

    def pdfs(self):
        return self.filter(kind=EntryAsset.Kind.PDF)

    def ready_images(self):
        """The images that count towards a category's minimum and are shown to anyone."""
        return self.ready().images()


class EntryAsset(models.Model):
    """One file of an entry. Its object key is opaque; the original file name lives only here."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF portfolio")

    class Status(models.TextChoices):
        PENDING = "pending", _("Uploading")
        READY = "ready", _("Ready")

    class Renditions(models.TextChoices):
        NONE = "none", _("Not needed")
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(Entry, models.CASCADE, related_name="assets", verbose_name=_("entry"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.PENDING)
    # Files are immutable once verified. The browser uploads to `staging_key`, which only its
    # presigned POST names; finalize copies the verified bytes to `key`, which no upload
    # permission ever names, and only `key` is read from then on. A replayed POST can touch
    # the staging object only, which nothing serves (see services.asset_finalize).
    staging_key = models.CharField(
        _("upload key"), max_length=200, blank=True, default="", editable=False
    )
    # Not unique: demo data shares objects between entries (see seed_demo), so deleting a file
    # removes an object only when no other asset points at it (services._discard).
    key = models.CharField(
        _("storage key"), max_length=200, blank=True, default="", db_index=True, editable=False
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=60)
    declared_size = models.PositiveBigIntegerField(_("declared size"))
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    renditions = models.CharField(
        _("renditions"), max_length=8, choices=Renditions, default=Renditions.NONE
    )
    thumb_key = models.CharField(max_length=200, blank=True)
    web_key = models.CharField(max_length=200, blank=True)
    jury_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    objects = EntryAssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["kind", "position", "pk"]
        indexes = [
            # "Has problems" and cleanup_uploads look for these few rows among many.
            models.Index(fields=["renditions"], name="submissions_asset_rend_idx"),
            models.Index(fields=["status", "created_at"], name="submissions_asset_pending_idx"),
            # An entry's ready images and PDFs (counted on every list, dashboard and status
            # box): equality on all three columns, so that no planner, even SQLite's before
            # ANALYZE, prefers the status index above and reads every ready file instead.
            models.Index(fields=["entry", "kind", "status"], name="submissions_asset_entry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(size__isnull=False) & ~Q(checksum=""),
                name="submissions_entryasset_ready_is_verified",
            ),
            # Pending: only the upload key. Ready: only the permanent key.
            models.CheckConstraint(
                condition=Q(status="pending", key="") & ~Q(staging_key="")
                | Q(status="ready", staging_key="") & ~Q(key=""),
                name="submissions_entryasset_key_follows_status",
            ),
            # The local upload endpoint finds a reservation by its upload key.
            models.UniqueConstraint(
                fields=["staging_key"],
                condition=~Q(staging_key=""),
                name="submissions_entryasset_unique_staging_key",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_ready_image(self) -> bool:
        """The same rule as `EntryAsset.objects.ready_images()`, for rows already fetched."""
        return self.is_image and self.is_ready

    @staticmethod
    def new_key(entry: Entry) -> str:
        """entries/<entry's opaque prefix>/<random>: no names, nothing a person could guess."""
        return f"entries/{entry.storage_prefix.hex}/{uuid.uuid4().hex}"

    @staticmethod
    def new_staging_key() -> str:
        """staging/<random>: where one presigned upload may write, tied to nothing else."""
        return f"{STAGING_PREFIX}{uuid.uuid4().hex}"

    def download_name(self, extension: str) -> str:
        """A neutral name to save the file as: HCDA28-ARC-0042-3.jpg (code and position).

        Never the creator's own file name, which may name them and would travel in URLs;
        that name is shown only in the pages of the owner and the organizers.
        """
        return f"{self.entry.reference_code or 'entry'}-{self.position}.{extension}"

    def storage_keys(self) -> list[str]:
        keys = (self.staging_key, self.key, self.thumb_key, self.web_key, self.jury_key)
        return [k for k in keys if k]
