from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


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
    country = CountryField(_("country"))
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
