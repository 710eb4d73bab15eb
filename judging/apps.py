from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_juror(user, cycle) -> bool:
    from judging.models import Juror

    return Juror.objects.accepted().filter(cycle=cycle, user=user).exists()


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self):
        from awards.roles import register_edition_role

        register_edition_role("juror", _is_juror)
