from django.contrib import admin

from submissions.models import CreatorProfile


@admin.register(CreatorProfile)
class CreatorProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "creator_type", "country", "city", "rules_accepted_at"]
    list_filter = ["creator_type", "country"]
    search_fields = ["display_name", "user__email", "city", "organization"]
    list_select_related = ["user"]
    readonly_fields = ["rules_accepted_at", "created_at", "updated_at"]
