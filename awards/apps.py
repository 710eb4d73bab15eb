from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Editions")

    def ready(self):
        from awards import checks  # noqa: F401  (registers the deploy checks)
        from awards.roles import ensure_organizers_group

        # After every migrate, so permissions of models added later reach the group too.
        post_migrate.connect(ensure_organizers_group, sender=self)
