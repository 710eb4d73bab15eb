from django.utils.functional import SimpleLazyObject

from awards.models import AwardCycle
from awards.roles import is_organizer


def site(request):
    user = getattr(request, "user", None)
    organizer = bool(user) and is_organizer(user)
    return {
        "is_organizer": organizer,
        # Only organizers' menus link to it; lazy, so no other page pays the query.
        "current_cycle": SimpleLazyObject(AwardCycle.objects.current) if organizer else None,
    }
