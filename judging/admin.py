from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from judging.models import Conflict, Criterion, Juror, Round


class CriterionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        weights = [
            form.cleaned_data.get("weight") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if weights and sum(weights) != 100:
            raise forms.ValidationError(
                _("The weights add up to %(total)d; they must add up to 100.")
                % {"total": sum(weights)}
            )


class CriterionInline(admin.StackedInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 0
    fields = [("position", "weight"), ("name_vi", "name_en"), ("guidance_vi", "guidance_en")]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "opens_at", "closes_at", "jurors_per_entry", "state_display"]
    list_filter = ["cycle"]
    inlines = [CriterionInline]
    filter_horizontal = ["categories"]
    readonly_fields = ["closed_at", "closed_by"]
    fieldsets = [
        (None, {"fields": ["cycle", "number", ("name_vi", "name_en"), "categories"]}),
        (
            _("Dates (Hanoi time)"),
            {"fields": [("opens_at", "closes_at"), ("closed_at", "closed_by")]},
        ),
        (
            _("Scoring"),
            {"fields": [("scale_min", "scale_max", "scale_step"), "jurors_per_entry", "blind"]},
        ),
    ]

    @admin.display(description=_("state"))
    def state_display(self, obj):
        return obj.state().label


@admin.register(Juror)
class JurorAdmin(admin.ModelAdmin):
    """Invitations, resending and revoking happen on the organizers' jury page (audited);
    here organizers edit what the public jury page shows and what conflict suggestions use."""

    list_display = ["name", "cycle", "role", "state", "email", "listed"]
    list_filter = ["cycle", "state", "role"]
    search_fields = ["name", "email", "user__email"]
    readonly_fields = [
        "cycle",
        "email",
        "user",
        "state",
        "invited_at",
        "responded_at",
        "revoked_at",
    ]
    filter_horizontal = ["categories"]
    fields = [
        ("cycle", "state"),
        ("email", "user"),
        ("name", "role", "language"),
        ("title_vi", "title_en"),
        ("bio_vi", "bio_en"),
        "organizations",
        "declared_ties",
        "listed",
        ("invited_at", "responded_at", "revoked_at"),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["juror", "entry", "creator", "source", "status", "created_at"]
    list_filter = ["status", "source", "juror__cycle"]
    list_select_related = ["juror__cycle", "entry", "creator"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
