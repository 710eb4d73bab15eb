from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from awards import views as award_views
from config import views as config_views
from config.sitemaps import SITEMAPS
from submissions import views as submission_views

# Lazy: the admin's header is in the language of the page, like the rest of the site.
admin.site.site_header = _("Hanoi Creative Design Award")
admin.site.site_title = "HCDA"

urlpatterns = [
    path("healthz", award_views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Stand-ins for the bucket when no S3 is configured (same flow, signed like S3).
    path("uploads/local/", submission_views.local_upload, name="local_upload"),
    path("files/<str:token>", submission_views.local_file, name="local_file"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("me/", config_views.start, name="start"),
    path("", include("judging.urls")),
    path("", include("submissions.urls")),
    path("", include("awards.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from config import devmail

    urlpatterns += i18n_patterns(
        path("dev/emails/", devmail.email_list, name="dev_emails"), prefix_default_language=True
    )

handler404 = "awards.views.page_not_found"
