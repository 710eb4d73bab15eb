from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_creator(user, cycle) -> bool:
    from submissions.models import Entry

    return Entry.objects.filter(cycle=cycle, owner=user).exists()


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Entries and creators")

    def ready(self):
        from awards.roles import register_edition_role

        register_edition_role("creator", _is_creator)
