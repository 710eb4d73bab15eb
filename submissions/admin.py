from django.contrib import admin

from submissions.models import CreatorProfile


@admin.register(CreatorProfile)
class CreatorProfileAdmin(admin.ModelAdmin):
    """Read-only, for organizers and superusers alike.

    A profile is the creator's own statement, with the time they accepted the rules: only the
    creator changes it (their profile page), and it stays as long as their entries do. An
    organizer who edited or deleted it would rewrite who entered and what they consented to.
    """

    list_display = ["display_name", "user", "creator_type", "country", "city", "rules_accepted_at"]
    list_filter = ["creator_type", "country"]
    search_fields = ["display_name", "user__email", "city", "organization"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
