from django.utils.functional import SimpleLazyObject

from awards.models import AwardCycle
from awards.roles import is_organizer
from judging.models import Juror
from submissions.permissions import has_creator_profile


def roles(request):
    """What the menus need to know about the person: one lazy query per role, asked only by
    the pages that show it."""
    user = getattr(request, "user", None)
    signed_in = bool(user) and user.is_authenticated
    organizer = signed_in and is_organizer(user)
    return {
        "is_organizer": organizer,
        "is_juror": SimpleLazyObject(lambda: Juror.objects.live().of_user(user).exists())
        if signed_in and not organizer
        else False,
        # A juror in one edition may be a creator in another: their menu shows both.
        "is_creator": SimpleLazyObject(lambda: has_creator_profile(user))
        if signed_in and not organizer
        else False,
        # Only organizers' menus link to it; lazy, so no other page pays the query.
        "current_cycle": SimpleLazyObject(AwardCycle.objects.current) if organizer else None,
    }
