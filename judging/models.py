"""The jury: memberships and invitations, conflicts, rounds with weighted criteria, assignments
and scorecards.

A score is stored raw, per criterion, keyed by (round, juror, entry) through its scorecard;
standings read it and never write it back.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.models import ConstraintErrorsOnFields, Translated


def token_digest(token: str) -> str:
    """Invitation tokens are stored only as their SHA-256: a leaked table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class JurorQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(state=Juror.State.ACCEPTED)

    def of_user(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()

    def live(self, now: datetime | None = None):
        """Accepted memberships of editions whose festival is not over: where a juror works."""
        now = now or timezone.now()
        return self.accepted().filter(cycle__festival_ends_at__gt=now)

    def listed(self):
        """The edition's announced jury: accepted and shown on the public jury list."""
        return self.accepted().filter(listed=True)


class Juror(ConstraintErrorsOnFields, models.Model):
    """One person's membership of one edition's jury, from invitation to acceptance."""

    class Role(models.TextChoices):
        JUROR = "juror", _("Juror")
        CHAIR = "chair", _("Chair of the jury")

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    class Language(models.TextChoices):
        VI = "vi", "Tiếng Việt"
        EN = "en", "English"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(
        "awards.AwardCycle", models.PROTECT, related_name="jurors", verbose_name=_("edition")
    )
    # Empty until the invitation is accepted: the person may sign in with any address.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="juror_memberships",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("invited at"), help_text=_("Where the invitation was sent."))
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.VI)
    name = models.CharField(_("public name"), max_length=120)
    role = models.CharField(_("role"), max_length=8, choices=Role, default=Role.JUROR)
    categories = models.ManyToManyField(
        "awards.Category", related_name="jurors", verbose_name=_("categories judged")
    )
    title_vi = models.CharField(_("title and affiliation (Vietnamese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title and affiliation (English)"), max_length=200, blank=True)
    bio_vi = models.TextField(_("short bio (Vietnamese)"), max_length=1500, blank=True)
    bio_en = models.TextField(_("short bio (English)"), max_length=1500, blank=True)
    organizations = models.TextField(
        _("organizations, current and past"),
        blank=True,
        help_text=_("One per line. Used to suggest conflicts of interest."),
    )
    declared_ties = models.TextField(
        _("declared ties"),
        blank=True,
        help_text=_(
            "People, studios, schools and companies the juror is connected to, one per line."
        ),
    )
    listed = models.BooleanField(
        _("on the public jury list"), default=True, help_text=_("Once accepted.")
    )
    state = models.CharField(
        _("invitation"), max_length=10, choices=State, default=State.INVITED, editable=False
    )
    # NULL, not "", for "no token": the unique index then allows many jurors without one.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    token_expires_at = models.DateTimeField(_("invitation valid until"), null=True, editable=False)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True, editable=False)

    objects = JurorQuerySet.as_manager()

    title = Translated()
    bio = Translated()

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "user"],
                condition=Q(user__isnull=False),
                name="judging_juror_one_membership_per_person",
                violation_error_message=_("This person is already on this edition's jury."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "cycle",
                name="judging_juror_one_invitation_per_email",
                violation_error_message=_("This address has already been invited."),
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(user__isnull=False, responded_at__isnull=False),
                name="judging_juror_accepted_has_account",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.cycle.festival_year})"

    @property
    def is_chair(self) -> bool:
        return self.role == self.Role.CHAIR


class Conflict(models.Model):
    """A juror must not judge an entry, or any entry of a creator.

    Suggestions (from the data) do nothing until an organizer or the juror confirms them; every
    other source is a conflict at once.
    """

    class Source(models.TextChoices):
        JUROR = "juror", _("Declared by the juror")
        CREATOR = "creator", _("Declared by the creator")
        SYSTEM = "system", _("Suggested by the system")
        ORGANIZER = "organizer", _("Set by an organizer")
        RECUSAL = "recusal", _("Juror recused while scoring")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    juror = models.ForeignKey(
        Juror, models.CASCADE, related_name="conflicts", verbose_name=_("juror")
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creator"),
    )
    entry = models.ForeignKey(
        "submissions.Entry",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
        verbose_name=_("entry"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source)
    status = models.CharField(_("status"), max_length=10, choices=Status)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(creator__isnull=True, entry__isnull=False)
                | Q(creator__isnull=False, entry__isnull=True),
                name="judging_conflict_one_target",
            ),
            models.UniqueConstraint(
                fields=["juror", "creator"],
                condition=Q(creator__isnull=False),
                name="judging_conflict_unique_creator",
            ),
            models.UniqueConstraint(
                fields=["juror", "entry"],
                condition=Q(entry__isnull=False),
                name="judging_conflict_unique_entry",
            ),
            models.CheckConstraint(
                condition=~Q(source="system")
                | ~Q(status="confirmed")
                | Q(decided_at__isnull=False),
                name="judging_conflict_suggestion_confirmed_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.juror} × {self.entry or self.creator}"

    # Reasons found in the data are stored as codes, so that each reader sees them in their
    # own language; what a person typed (a recusal's why) is kept as typed.
    REASONS = {
        "org": _("Same organization: %(value)s"),
        "domain": _("Same domain: %(value)s"),
        "named": _("The juror is named as a creator"),
        "tie": _("Declared tie: %(value)s"),
    }

    def reason_display(self) -> str:
        code, colon, value = self.reason.partition(":")
        if colon and code in self.REASONS:
            return str(self.REASONS[code]) % {"value": value}
        return self.reason


class RoundQuerySet(models.QuerySet):
    def open(self, now: datetime | None = None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True)

    def with_counts(self):
        """Each round's entries, assignments and submitted scorecards, each counted in its own
        subquery: counting them through joins multiplies the three tables before counting
        (20,000 × 100,000 × 100,000 rows for one round of a large edition)."""

        def count(model, **filters):
            rows = model.objects.filter(round=OuterRef("pk"), **filters).order_by()
            return Coalesce(Subquery(rows.values("round").annotate(n=Count("pk")).values("n")), 0)

        return self.annotate(
            entry_count=count(RoundEntry),
            assignment_count=count(Assignment),
            submitted=count(Scorecard, status=Scorecard.Status.SUBMITTED),
        )


class Round(ConstraintErrorsOnFields, models.Model):
    """One round of judging: when, on what scale, by how many jurors per entry, which entries."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", pgettext_lazy("round", "Upcoming")
        OPEN = "open", pgettext_lazy("round", "Open")
        CLOSED = "closed", pgettext_lazy("round", "Closed")

    cycle = models.ForeignKey(
        "awards.AwardCycle", models.PROTECT, related_name="rounds", verbose_name=_("edition")
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"), help_text=_("Hanoi time."))
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    scale_min = models.DecimalField(_("lowest score"), max_digits=5, decimal_places=2, default=1)
    scale_max = models.DecimalField(_("highest score"), max_digits=5, decimal_places=2, default=10)
    scale_step = models.DecimalField(
        _("step"), max_digits=5, decimal_places=2, default=Decimal("0.5")
    )
    jurors_per_entry = models.PositiveSmallIntegerField(_("jurors per entry"), default=3)
    blind = models.BooleanField(
        _("blind"), default=True, help_text=_("Jurors never see who made an entry.")
    )
    disagreement = models.DecimalField(
        _("high disagreement above"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Flag entries whose scores' standard deviation is above this; empty: a quarter of the scale."
        ),
    )
    rank_by = models.CharField(
        _("rank by"),
        max_length=10,
        choices=[("raw", _("Raw mean")), ("normalised", _("Normalised mean"))],
        default="raw",
    )
    # Set when advancement writes this round's entry list: from then on it changes no more.
    entries_frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    categories = models.ManyToManyField(
        "awards.Category", related_name="rounds", verbose_name=_("categories")
    )
    entries = models.ManyToManyField(
        "submissions.Entry",
        through="RoundEntry",
        related_name="rounds",
        verbose_name=_("entries"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    name = Translated()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "number"],
                name="judging_round_unique_number",
                violation_error_message=_("This edition already has a round with this number."),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")),
                name="judging_round_opens_before_closes",
                violation_error_code="closes_at",
                violation_error_message=_("A round must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")),
                name="judging_round_scale_ordered",
                violation_error_code="scale_max",
                violation_error_message=_("The highest score must be above the lowest."),
            ),
            models.CheckConstraint(
                condition=Q(scale_step__gt=0),
                name="judging_round_step_positive",
                violation_error_code="scale_step",
                violation_error_message=_("The step must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(jurors_per_entry__gte=1),
                name="judging_round_k_positive",
                violation_error_code="jurors_per_entry",
                violation_error_message=_("At least one juror per entry."),
            ),
        ]

    def __str__(self):
        return f"{self.cycle.festival_year} · {self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("judging:round", kwargs={"round_id": self.pk})

    def get_organizer_url(self):
        return reverse("judging:organize_round", kwargs={"round_id": self.pk})

    def state(self, now: datetime | None = None) -> Round.State:
        """From its dates, plus an explicit early close (audited): nobody opens it by hand."""
        now = now or timezone.now()
        if self.closed_at is not None or now >= self.closes_at:
            return self.State.CLOSED
        if now < self.opens_at:
            return self.State.UPCOMING
        return self.State.OPEN

    @property
    def current_state(self) -> Round.State:
        return self.state()

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) == self.State.OPEN

    @property
    def disagreement_threshold(self) -> Decimal:
        if self.disagreement is not None:
            return self.disagreement
        return (self.scale_max - self.scale_min) / 4

    @property
    def effective_close(self) -> datetime:
        return min(self.closes_at, self.closed_at) if self.closed_at else self.closes_at

    def scale_text(self) -> dict[str, str]:
        """The scale's min, max and step as people write them: 1, 10 and 0.5 (0,5 in
        Vietnamese) rather than 1.00, 10.00, 0.50."""
        return {
            name: scale_number(getattr(self, f"scale_{name}")) for name in ("min", "max", "step")
        }

    def score_problem(self, value: Decimal) -> str | None:
        """Why a value is not a score on this round's scale, or None when it is."""
        if value < self.scale_min or value > self.scale_max:
            return _("Give a score from %(min)s to %(max)s.") % {
                "min": scale_number(self.scale_min),
                "max": scale_number(self.scale_max),
            }
        if (value - self.scale_min) % self.scale_step != 0:
            return _("Scores go in steps of %(step)s (for example %(a)s or %(b)s).") % {
                "step": scale_number(self.scale_step),
                "a": scale_number(self.scale_min + self.scale_step),
                "b": scale_number(self.scale_min + 2 * self.scale_step),
            }
        return None

    def clean(self):
        errors = {}
        cycle = getattr(self, "cycle", None) if self.cycle_id else None
        if cycle and self.opens_at and self.opens_at < cycle.submissions_close_at:
            errors["opens_at"] = _("A round opens after the submission deadline (%(when)s).") % {
                "when": timezone.localtime(cycle.submissions_close_at).strftime("%Y-%m-%d %H:%M")
            }
        if cycle and self.closes_at and self.closes_at > cycle.results_publish_at:
            errors["closes_at"] = _(
                "A round closes before the results are published (%(when)s)."
            ) % {"when": timezone.localtime(cycle.results_publish_at).strftime("%Y-%m-%d %H:%M")}
        if self.scale_min is not None and self.scale_max is not None and self.scale_step:
            span = self.scale_max - self.scale_min
            if span > 0 and span % self.scale_step != 0:
                errors["scale_step"] = _("The step must divide the scale evenly.")
        if errors:
            raise ValidationError(errors)


def scale_number(value: Decimal) -> str:
    """A value of a scale as people write it, in the reader's language: 1.50 → "1.5" in
    English, "1,5" in Vietnamese; 10.00 → "10". For text only: markup attributes and form
    values keep the decimal point (`f"{value.normalize():f}"`)."""
    return number_format(Decimal(f"{value.normalize():f}"))


class RoundEntry(models.Model):
    """An entry judged in a round: the stored, explicit list that advancement writes."""

    class Source(models.TextChoices):
        SCREENING = "screening", _("Submitted and not disqualified")
        ADVANCED = "advanced", _("Advanced from the previous round")
        MANUAL = "manual", _("Added by an organizer")

    round = models.ForeignKey(Round, models.CASCADE, related_name="round_entries")
    entry = models.ForeignKey("submissions.Entry", models.PROTECT, related_name="round_entries")
    source = models.CharField(max_length=10, choices=Source, default=Source.SCREENING)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("entry in round")
        verbose_name_plural = _("entries in round")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entry"], name="judging_roundentry_unique_entry"
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.entry_id}"


class Criterion(ConstraintErrorsOnFields, models.Model):
    round = models.ForeignKey(
        Round, models.CASCADE, related_name="criteria", verbose_name=_("round")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    guidance_vi = models.TextField(
        _("guidance (Vietnamese)"),
        blank=True,
        help_text=_("What a low, a middle and a high score look like."),
    )
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), help_text=_("The weights of a round add up to 100.")
    )

    name = Translated()
    guidance = Translated()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100),
                name="judging_criterion_weight_range",
                violation_error_code="weight",
                violation_error_message=_("A weight is between 1 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight} %)"

    # Scores keep their raw values when a weight changes (in the admin, or the demo seeding
    # again); the weighted totals stored beside them follow, in the same transaction.
    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            Scorecard.objects.filter(round_id=self.round_id).refresh_totals()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            Scorecard.objects.filter(round_id=self.round_id).refresh_totals()
        return result


class AssignmentQuerySet(models.QuerySet):
    def next_numbers(self, round_id: int, juror_ids) -> dict[int, int]:
        """Juror → the next free number in their queue of this round (1 for a new queue)."""
        last = dict(
            self.filter(round_id=round_id, juror_id__in=set(juror_ids))
            .values("juror_id")
            .annotate(last=models.Max("number"))
            .values_list("juror_id", "last")
        )
        return {juror: (last.get(juror) or 0) + 1 for juror in set(juror_ids)}


class Assignment(models.Model):
    """This juror judges this entry in this round."""

    class Source(models.TextChoices):
        AUTO = "auto", _("Assigned automatically")
        MANUAL = "manual", _("Assigned by an organizer")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, models.CASCADE, related_name="assignments")
    juror = models.ForeignKey(Juror, models.CASCADE, related_name="assignments")
    entry = models.ForeignKey("submissions.Entry", models.CASCADE, related_name="assignments")
    # "Entry 17" in the juror's queue: 1…n per juror and round in the order assigned, never
    # reused. A recusal or a disqualification leaves a gap instead of renumbering the entries
    # after it, so what a juror noted as 17 stays 17 all weekend.
    number = models.PositiveIntegerField(_("number in the juror's queue"), default=0)
    source = models.CharField(max_length=8, choices=Source, default=Source.AUTO)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "juror", "entry"], name="judging_assignment_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["juror", "round"], name="judging_assign_juror_idx"),
            models.Index(fields=["round", "entry"], name="judging_assign_entry_idx"),
        ]

    def __str__(self):
        return f"{self.round} · {self.juror_id} × {self.entry_id}"

    def save(self, *args, **kwargs):
        # One at a time (by hand, in tests, in demo data): the next number of this queue.
        # Bulk paths number their rows themselves with `next_numbers`.
        if not self.number:
            self.number = Assignment.objects.next_numbers(self.round_id, [self.juror_id])[
                self.juror_id
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("judging:score", kwargs={"assignment_id": self.public_id})


class ScorecardQuerySet(models.QuerySet):
    def refresh_totals(self) -> int:
        """Store each scorecard's weighted total again from its raw scores, in one UPDATE.

        For writes that bypass `scorecard_save` (bulk loads: the demo's past rounds, the
        benchmarks' data) and for a criterion's weight changing under existing scores. The
        arithmetic is the one `Scorecard.weighted_total` does: exact sum, then ÷ 100.
        """
        total = (
            Score.objects.filter(scorecard=OuterRef("pk"))
            .order_by()
            .values("scorecard")
            .annotate(t=Cast(Sum(F("value") * F("criterion__weight")), models.FloatField()))
            .values("t")
        )
        return self.update(total=Subquery(total) / Value(100.0))


class Scorecard(models.Model):
    """One juror's scores for one entry in one round; its Score rows hold the raw values.

    `total` keeps the scorecard's weighted total (Σ value × weight ÷ 100, on the round's scale)
    beside them, so that standings read one number per scorecard instead of joining every
    score to its criterion (most of their time at 20,000 entries). The raw scores stay the
    truth: every write of scores stores the total again in the same transaction
    (`scorecard_save`; `refresh_totals` for bulk writes and weight changes).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(Round, models.CASCADE, related_name="scorecards")
    juror = models.ForeignKey(Juror, models.PROTECT, related_name="scorecards")
    entry = models.ForeignKey("submissions.Entry", models.PROTECT, related_name="scorecards")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    comment = models.TextField(_("private note to the organizers"), max_length=3000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    total = models.FloatField(_("weighted total"), null=True, blank=True, editable=False)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "juror", "entry"], name="judging_scorecard_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="judging_scorecard_submitted_has_time",
            ),
        ]
        indexes = [
            # The progress board (and standings) count a round's submitted scorecards per entry
            # and per juror, with the juror's last activity: with these columns in the indexes
            # the counts read no table rows (`make bench-jury`: the board at 20,000 entries).
            # Standings read each entry's totals in order (for the median) from the first.
            models.Index(
                fields=["round", "status", "entry", "total", "juror"],
                name="judging_scorecard_totals_idx",
            ),
            # With the total and the entry, the z-scores of standings reach a juror's
            # scorecards through it alone (SQLite otherwise reads the whole round's totals
            # index once for each juror).
            models.Index(
                fields=["round", "juror", "status", "updated_at", "total", "entry"],
                name="judging_scorecard_juror_idx",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.juror_id} × {self.entry_id}"

    @staticmethod
    def weighted_total(values_and_weights) -> float | None:
        """Σ value × weight ÷ 100 from (Decimal value, weight %) pairs: summed exactly, then
        a float, as PostgreSQL computes it in `refresh_totals`. None without any score."""
        pairs = list(values_and_weights)
        if not pairs:
            return None
        return float(sum(value * weight for value, weight in pairs)) / 100


class Score(models.Model):
    scorecard = models.ForeignKey(Scorecard, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="scores")
    value = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="judging_score_unique_criterion"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


# Results ------------------------------------------------------------------------------------


class Decision(models.Model):
    """The jury's verdict on one entry: a prize (in one of its places) or an honourable mention.

    A prize's places are numbered 1…quantity and each is unique: two organizers giving the
    last place at once cannot both succeed, whatever the locks.
    """

    class Kind(models.TextChoices):
        PRIZE = "prize", _("Prize")
        MENTION = "mention", _("Honourable mention")

    cycle = models.ForeignKey(
        "awards.AwardCycle", models.PROTECT, related_name="decisions", verbose_name=_("edition")
    )
    entry = models.ForeignKey(
        "submissions.Entry", models.PROTECT, related_name="decisions", verbose_name=_("entry")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind, default=Kind.PRIZE)
    prize = models.ForeignKey(
        "awards.Prize",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("prize"),
    )
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True, editable=False)
    citation_vi = models.TextField(_("jury citation (Vietnamese)"), max_length=1500, blank=True)
    citation_en = models.TextField(_("jury citation (English)"), max_length=1500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    citation = Translated()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        # Prizes in their order, honourable mentions (no prize) last on every database:
        # SQLite would put a missing prize first, PostgreSQL last.
        ordering = [F("prize__position").asc(nulls_last=True), "place", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="prize", prize__isnull=False, place__gte=1)
                | Q(kind="mention", prize__isnull=True, place__isnull=True),
                name="judging_decision_prize_has_place",
            ),
            models.UniqueConstraint(
                fields=["prize", "place"],
                condition=Q(prize__isnull=False),
                name="judging_decision_unique_place",
            ),
            models.UniqueConstraint(
                fields=["prize", "entry"],
                condition=Q(prize__isnull=False),
                name="judging_decision_prize_once_per_entry",
            ),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(kind="mention"),
                name="judging_decision_one_mention_per_entry",
            ),
        ]

    def __str__(self):
        return f"{self.prize or self.get_kind_display()} · {self.entry}"


class ResultsSnapshotQuerySet(models.QuerySet):
    def live(self):
        """The snapshot that stands (not superseded by an unfreeze)."""
        return self.filter(superseded_at__isnull=True)

    def published(self, now: datetime | None = None):
        return self.filter(published_at__isnull=False, published_at__lte=now or timezone.now())


class ResultsSnapshot(models.Model):
    """Decisions frozen into what the public will read, with its checksum. Published once."""

    cycle = models.ForeignKey(
        "awards.AwardCycle", models.PROTECT, related_name="snapshots", verbose_name=_("edition")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField(_("contents"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    frozen_at = models.DateTimeField(_("frozen"), default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    superseded_at = models.DateTimeField(_("unfrozen"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ResultsSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("results snapshot")
        verbose_name_plural = _("results snapshots")
        ordering = ["cycle", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "version"], name="judging_snapshot_unique_version"
            ),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(superseded_at__isnull=True),
                name="judging_snapshot_one_live_per_edition",
            ),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(published_at__isnull=False),
                name="judging_snapshot_published_once",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(superseded_at__isnull=True),
                name="judging_snapshot_published_never_superseded",
            ),
        ]

    def __str__(self):
        return f"{self.cycle.festival_year} v{self.version}"


class Certificate(models.Model):
    """A winner's or an honourable mention's certificate, verifiable by its code."""

    snapshot = models.ForeignKey(ResultsSnapshot, models.CASCADE, related_name="certificates")
    entry = models.ForeignKey("submissions.Entry", models.PROTECT, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    award_key = models.CharField(max_length=40)  # "prize-<id>" or "mention", as in the data

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "entry", "award_key"], name="judging_certificate_unique"
            ),
        ]

    def __str__(self):
        return self.code


class ResultNotice(models.Model):
    """One result email per round-1 entry, written at publication and sent exactly once."""

    class Outcome(models.TextChoices):
        WINNER = "winner", _("Winner")
        MENTION = "mention", _("Honourable mention")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        NOT_SELECTED = "not_selected", _("Not selected")

    cycle = models.ForeignKey("awards.AwardCycle", models.CASCADE, related_name="+")
    entry = models.ForeignKey("submissions.Entry", models.CASCADE, related_name="result_notices")
    outcome = models.CharField(max_length=14, choices=Outcome)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "entry"], name="judging_notice_once"),
        ]
        indexes = [models.Index(fields=["sent_at"], name="judging_notice_unsent_idx")]

    def __str__(self):
        return f"{self.entry_id}: {self.outcome}"
