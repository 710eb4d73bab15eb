from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from awards.roles import ORGANIZERS, is_organizer
from submissions.models import CreatorProfile


def load_creator_standing(user) -> None:
    """Fetch the creator's profile and whether they organize in one query, and keep both on the
    user object for this request (`has_creator_profile`, `is_organizer` then ask nothing).

    Every creator page asks both first, and autosave asks them every few seconds per creator.
    Without a profile nothing is kept: the usual checks then run (newcomers and organizers).
    """
    if not user.is_authenticated or hasattr(user, "_is_organizer"):
        return
    profile = (
        CreatorProfile.objects.filter(user=user)
        .annotate(organizer=Exists(Group.objects.filter(name=ORGANIZERS, user=OuterRef("user_id"))))
        .first()
    )
    if profile is not None:
        user.creator_profile = profile
        user._is_organizer = profile.organizer  # awards.roles.is_organizer's per-request cache


def has_creator_profile(user) -> bool:
    if not user.is_authenticated:
        return False
    try:
        user.creator_profile  # noqa: B018 - the reverse one-to-one raises when missing
    except CreatorProfile.DoesNotExist:
        return False
    return True


def needs_creator_profile(user) -> bool:
    """Creators must complete a profile first; organizers run the award and need none."""
    return user.is_authenticated and not is_organizer(user) and not has_creator_profile(user)
