from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from awards.models import AuditEvent, AwardCycle, Category, Prize
from awards.services import cycle_announce, cycle_withdraw_announcement


class CategoryInline(admin.StackedInline):
    model = Category
    extra = 0
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("code", "position"),
                    ("name_vi", "name_en"),
                    ("description_vi", "description_en"),
                ]
            },
        ),
        (
            _("Entry rules"),
            {"fields": [("min_images", "max_images"), ("pdf_allowed", "max_entries_per_creator")]},
        ),
    ]


class PrizeInline(admin.TabularInline):
    model = Prize
    extra = 0
    fields = ["position", "name_vi", "name_en", "description_vi", "description_en", "quantity"]


@admin.register(AwardCycle)
class AwardCycleAdmin(admin.ModelAdmin):
    list_display = [
        "festival_year",
        "theme_vi",
        "theme_en",
        "status",
        "phase_display",
        "submissions_close_at",
    ]
    list_filter = ["status"]
    search_fields = ["theme_vi", "theme_en"]
    readonly_fields = ["status", "announced_at", "phase_display"]
    inlines = [CategoryInline, PrizeInline]
    actions = ["announce", "withdraw_announcement"]
    fieldsets = [
        (None, {"fields": ["festival_year", ("status", "announced_at", "phase_display")]}),
        (
            _("Theme"),
            {"fields": [("theme_vi", "theme_en"), ("theme_statement_vi", "theme_statement_en")]},
        ),
        (
            _("Dates (Hanoi time)"),
            {
                "description": _(
                    "In order: theme announced (at least 12 months before the festival) < submissions open "
                    "< deadline ≤ judging < festival starts ≤ results published ≤ festival ends."
                ),
                "fields": [
                    "theme_announced_at",
                    ("submissions_open_at", "submissions_close_at"),
                    "judging_starts_at",
                    ("festival_starts_at", "festival_ends_at"),
                    "results_publish_at",
                ],
            },
        ),
    ]

    @admin.display(description=_("phase"))
    def phase_display(self, obj):
        return obj.phase().label if obj.pk else "—"

    @admin.action(description=_("Announce the selected editions"), permissions=["change"])
    def announce(self, request, queryset):
        done = 0
        for cycle in queryset:
            try:
                cycle_announce(cycle=cycle, by=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{cycle.festival_year}: {' '.join(error.messages)}", messages.ERROR
                )
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d edition announced; it is public from its announcement time.",
                    "%(count)d editions announced; each is public from its announcement time.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Return the selected editions to draft"), permissions=["change"])
    def withdraw_announcement(self, request, queryset):
        for cycle in queryset:
            cycle_withdraw_announcement(cycle=cycle, by=request.user)
        self.message_user(
            request, _("The selected editions are drafts again and hidden from the public.")
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "what", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__email"]
    list_select_related = ["actor"]

    @admin.display(description=_("action"), ordering="action")
    def what(self, event):
        return event.action_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
