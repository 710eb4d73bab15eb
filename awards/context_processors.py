from django.conf import settings

from awards.roles import is_organizer


def site(request):
    return {
        "is_organizer": is_organizer(getattr(request, "user", None) or _Anonymous),
        "time_zone_name": settings.TIME_ZONE,
    }


class _Anonymous:
    is_authenticated = False
