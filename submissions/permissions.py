from awards.roles import is_organizer
from submissions.models import CreatorProfile


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
