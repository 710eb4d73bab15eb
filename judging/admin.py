from django import forms
from django.contrib import admin
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from awards.models import Category
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


class RoundForm(forms.ModelForm):
    """A round judges categories of its own edition: only those are offered (every edition has
    an "ARC — Architecture", so a list of all of them cannot be told apart), and a category of
    another edition is refused with a message."""

    class Meta:
        model = Round
        fields = ["cycle", "number", "categories"]  # the admin adds its fieldsets' others

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cycle_id = (
            self.data.get("cycle")
            or self.initial.get("cycle")
            or (self.instance.cycle_id if self.instance.pk else None)
        )
        if "categories" in self.fields and str(cycle_id or "").isdigit():
            self.fields["categories"].queryset = Category.objects.filter(
                cycle_id=cycle_id
            ).order_by("position", "code")
        elif "categories" in self.fields:
            # No edition yet (the add page opened without one): say which edition each is.
            field = self.fields["categories"]
            field.queryset = Category.objects.select_related("cycle").order_by(
                "-cycle__festival_year", "position", "code"
            )
            field.label_from_instance = lambda c: f"{c.cycle.festival_year} · {c}"

    def clean(self):
        cleaned = super().clean()
        cycle, categories = cleaned.get("cycle"), cleaned.get("categories")
        if cycle and categories and any(c.cycle_id != cycle.pk for c in categories):
            self.add_error("categories", _("Choose categories of this round's edition only."))
        return cleaned


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    form = RoundForm
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

    def get_changeform_initial_data(self, request):
        """Opened from an edition's rounds page (?cycle=…): the round after its last one."""
        initial = super().get_changeform_initial_data(request)
        cycle_id = str(initial.get("cycle") or "")
        if cycle_id.isdigit():
            last = Round.objects.filter(cycle_id=cycle_id).aggregate(n=Max("number"))["n"]
            initial["number"] = (last or 0) + 1
        return initial


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
