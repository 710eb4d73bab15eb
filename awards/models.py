from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.actions import Action
from awards.languages import other_language, reading_language


class Translated:
    """Read `<name>_vi` or `<name>_en` by the active language, falling back to the other.

    Organizers write public content in both languages; a missing translation should show
    the other language rather than an empty heading.
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        first = reading_language()
        second = other_language(first)
        return getattr(instance, f"{self.name}_{first}") or getattr(
            instance, f"{self.name}_{second}"
        )


def year_before(moment: datetime) -> datetime:
    """The same local wall-clock time twelve calendar months earlier (29 Feb → 28 Feb)."""
    local = timezone.localtime(moment)
    try:
        return local.replace(year=local.year - 1)
    except ValueError:
        return local.replace(year=local.year - 1, day=28)


class ConstraintErrorsOnFields:
    """Show a check constraint's message beside the field it names as its violation code.

    Django files check-constraint errors under the form as a whole; an organizer fixing a
    date wants the message next to that date.
    """

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            fields = {field.name for field in self._meta.fields}
            errors: dict[str, list[ValidationError]] = {}
            for name, field_errors in error.error_dict.items():
                for err in field_errors:
                    target = err.code if name == NON_FIELD_ERRORS and err.code in fields else name
                    errors.setdefault(target, []).append(err)
            raise ValidationError(errors) from None


# Each date-order constraint, and the field its message belongs to in a form.
DATE_ORDER = [
    (
        "theme_announced_at",
        "submissions_open_at",
        "lt",
        _("Submissions must open after the theme is announced."),
    ),
    (
        "submissions_open_at",
        "submissions_close_at",
        "lt",
        _("The deadline must be after submissions open."),
    ),
    (
        "submissions_close_at",
        "judging_starts_at",
        "lte",
        _("Judging cannot start before the deadline."),
    ),
    ("judging_starts_at", "festival_starts_at", "lt", _("Judging must start before the festival.")),
    (
        "festival_starts_at",
        "results_publish_at",
        "lte",
        _("Results cannot be published before the festival starts."),
    ),
    (
        "results_publish_at",
        "festival_ends_at",
        "lte",
        _("Results must be published by the end of the festival."),
    ),
]


class AwardCycleQuerySet(models.QuerySet):
    def public(self, now: datetime | None = None):
        """Editions the public may read: announced, and their announcement time has come."""
        now = now or timezone.now()
        return self.filter(status=AwardCycle.Status.ANNOUNCED, theme_announced_at__lte=now)

    def visible_to(self, user, now: datetime | None = None):
        if user.is_authenticated and user.has_perm("awards.view_awardcycle"):
            return self.all()
        return self.public(now)

    def current(self, now: datetime | None = None):
        """The edition the home page is about: the latest public one by festival year."""
        return self.public(now).order_by("-festival_year").first()


class AwardCycle(ConstraintErrorsOnFields, models.Model):
    """One edition of the award, named by the year of the festival that announces its winners."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ANNOUNCED = "announced", _("Announced")

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open for entries")
        CLOSED = "closed", _("Entries closed")
        JUDGING = "judging", _("Judging")
        PUBLISHED = "published", _("Results published")

    festival_year = models.PositiveSmallIntegerField(
        _("festival year"),
        unique=True,
        validators=[MinValueValidator(2026)],
        help_text=_(
            "The even year of the Hanoi Festival of Creative Design that announces the winners."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.DRAFT, editable=False
    )
    theme_vi = models.CharField(_("theme (Vietnamese)"), max_length=200)
    theme_en = models.CharField(_("theme (English)"), max_length=200)
    theme_statement_vi = models.TextField(_("theme statement (Vietnamese)"))
    theme_statement_en = models.TextField(_("theme statement (English)"))
    theme_announced_at = models.DateTimeField(
        _("theme announced"), help_text=_("At least 12 months before the festival starts.")
    )
    submissions_open_at = models.DateTimeField(_("submissions open"))
    submissions_close_at = models.DateTimeField(
        _("submissions close"), help_text=_("The deadline, checked on the server in Hanoi time.")
    )
    judging_starts_at = models.DateTimeField(_("judging starts"))
    festival_starts_at = models.DateTimeField(_("festival starts"))
    festival_ends_at = models.DateTimeField(_("festival ends"))
    results_publish_at = models.DateTimeField(
        _("results published"), help_text=_("During the festival; nothing is public before.")
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, editable=False)
    # Set once, by the publication of the results snapshot (judging.results): the phase
    # "results published" follows from this fact, never from the date alone.
    results_published_at = models.DateTimeField(
        _("results published at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AwardCycleQuerySet.as_manager()

    theme = Translated()
    theme_statement = Translated()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-festival_year"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Mod("festival_year", 2), 0),
                name="awards_awardcycle_festival_year_even",
                violation_error_code="festival_year",
                violation_error_message=_(
                    "The festival is held in even years (2026, 2028, …); choose an even festival year."
                ),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{earlier}__{op}": F(later)}),
                    name=f"awards_awardcycle_{earlier.removesuffix('_at')}_before_{later.removesuffix('_at')}",
                    violation_error_code=later,
                    violation_error_message=message,
                )
                for earlier, later, op, message in DATE_ORDER
            ],
            models.CheckConstraint(
                condition=Q(status="draft") | Q(announced_at__isnull=False),
                name="awards_awardcycle_announced_has_time",
            ),
        ]

    def __str__(self):
        return f"HCDA {self.festival_year} — {self.theme}"

    def get_absolute_url(self):
        return reverse("awards:edition", kwargs={"year": self.festival_year})

    def get_rules_url(self):
        return reverse("awards:rules", kwargs={"year": self.festival_year})

    @property
    def code(self) -> str:
        """Short edition code used in reference numbers: HCDA26 for the 2026 festival."""
        return f"HCDA{self.festival_year % 100:02d}"

    def phase(self, now: datetime | None = None) -> AwardCycle.Phase:
        """Where the edition stands, from its dates (nobody flips a switch at midnight) and,
        for the last phase, from the published results snapshot: a date alone never says
        that results exist."""
        if self.status == self.Status.DRAFT:
            return self.Phase.DRAFT
        now = now or timezone.now()
        if now < self.submissions_open_at:
            return self.Phase.UPCOMING
        if now < self.submissions_close_at:
            return self.Phase.OPEN
        if now < self.judging_starts_at:
            return self.Phase.CLOSED
        if self.results_are_public(now):
            return self.Phase.PUBLISHED
        return self.Phase.JUDGING

    def results_are_public(self, now: datetime | None = None) -> bool:
        return self.results_published_at is not None and self.results_published_at <= (
            now or timezone.now()
        )

    def is_public(self, now: datetime | None = None) -> bool:
        """The rule of `AwardCycleQuerySet.public`, for an edition already in hand."""
        now = now or timezone.now()
        return self.status == AwardCycle.Status.ANNOUNCED and self.theme_announced_at <= now

    @property
    def current_phase(self) -> AwardCycle.Phase:
        return self.phase()

    def is_open_for_entries(self, now: datetime | None = None) -> bool:
        return self.phase(now) == self.Phase.OPEN

    def timeline(self) -> list[tuple[str, datetime, bool]]:
        """(label, moment, passed) for the public timeline, in order."""
        now = timezone.now()
        steps = [
            (_("Theme announced"), self.theme_announced_at),
            (_("Submissions open"), self.submissions_open_at),
            (_("Submission deadline"), self.submissions_close_at),
            (_("Judging"), self.judging_starts_at),
            (_("Festival opens"), self.festival_starts_at),
            (_("Winners announced"), self.results_publish_at),
            (_("Festival closes"), self.festival_ends_at),
        ]
        return [(label, moment, moment <= now) for label, moment in steps]

    def clean(self):
        errors = {}
        if (
            self.festival_starts_at
            and self.festival_year
            and timezone.localtime(self.festival_starts_at).year != self.festival_year
        ):
            errors["festival_starts_at"] = _(
                "The festival must start in the festival year (%(year)s)."
            ) % {"year": self.festival_year}
        # Not a database constraint: "twelve calendar months" has no portable SQL form.
        if self.theme_announced_at and self.festival_starts_at:
            latest = year_before(self.festival_starts_at)
            if self.theme_announced_at > latest:
                errors["theme_announced_at"] = _(
                    "The theme must be announced at least 12 months before the festival starts "
                    "(on or before %(date)s)."
                ) % {"date": latest.strftime("%Y-%m-%d %H:%M")}
        if errors:
            raise ValidationError(errors)


class Category(ConstraintErrorsOnFields, models.Model):
    cycle = models.ForeignKey(
        AwardCycle, models.CASCADE, related_name="categories", verbose_name=_("edition")
    )
    code = models.CharField(
        _("code"),
        max_length=4,
        validators=[
            RegexValidator(r"^[A-Z]{2,4}$", _("Two to four capital letters, such as ARC."))
        ],
        help_text=_("Two to four capital letters, used in reference codes (HCDA26-ARC-0042)."),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    min_images = models.PositiveSmallIntegerField(_("minimum images"), default=3)
    max_images = models.PositiveSmallIntegerField(_("maximum images"), default=10)
    pdf_allowed = models.BooleanField(_("PDF allowed"), default=True)
    max_entries_per_creator = models.PositiveSmallIntegerField(
        _("maximum entries per creator"), default=3
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated()
    description = Translated()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "code"],
                name="awards_category_unique_code",
                violation_error_message=_("This edition already has a category with this code."),
            ),
            models.CheckConstraint(
                condition=Q(min_images__gte=1),
                name="awards_category_min_images_positive",
                violation_error_code="min_images",
                violation_error_message=_("An entry needs at least one image."),
            ),
            models.CheckConstraint(
                condition=Q(max_images__gte=F("min_images")),
                name="awards_category_max_images_gte_min",
                violation_error_code="max_images",
                violation_error_message=_(
                    "The maximum number of images cannot be below the minimum."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_entries_per_creator__gte=1),
                name="awards_category_max_entries_positive",
                violation_error_code="max_entries_per_creator",
                violation_error_message=_("Allow at least one entry per creator."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"


class Prize(ConstraintErrorsOnFields, models.Model):
    cycle = models.ForeignKey(
        AwardCycle, models.CASCADE, related_name="prizes", verbose_name=_("edition")
    )
    name_vi = models.CharField(_("tier name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("tier name (English)"), max_length=120)
    description_vi = models.CharField(_("what it brings (Vietnamese)"), max_length=300, blank=True)
    description_en = models.CharField(_("what it brings (English)"), max_length=300, blank=True)
    quantity = models.PositiveSmallIntegerField(
        _("how many may be given"),
        default=1,
        help_text=_("The most entries that may receive this prize."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated()
    description = Translated()

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="awards_prize_quantity_positive",
                violation_error_code="quantity",
                violation_error_message=_("A prize is given at least once."),
            ),
        ]

    def __str__(self):
        return self.name


class AuditEvent(models.Model):
    """Who did what to which record, and when. Written by services, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object"), max_length=40)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # A hash chain: each event seals its own content and the hash of the one before it, so
    # an edited, inserted or deleted event breaks every link after it (`verify_audit`).
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="awards_audit_object_idx")
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    @property
    def action_label(self) -> str:
        """The action in the reader's language ("Scores saved"); the code for an action
        this version no longer names."""
        return Action(self.action).label if self.action in Action.values else self.action

    def content_hash(self) -> str:
        return audit_hash(
            self.prev_hash,
            self.actor_id,
            self.action,
            self.object_type,
            self.object_id,
            self.data,
            self.created_at,
        )


def audit_hash(prev_hash, actor_id, action, object_type, object_id, data, created_at) -> str:
    """SHA-256 of the previous hash and an event's content, in a canonical form (also used by
    the migration that sealed the events written before the chain existed)."""
    import hashlib
    import json

    content = json.dumps(
        [prev_hash, actor_id, str(action), object_type, object_id, data, created_at.isoformat()],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(content.encode()).hexdigest()
