"""Roles are facts in the data: the organizers group, a CreatorProfile, a Juror membership."""

from django.contrib.auth.models import Group, Permission

ORGANIZERS = "organizers"
# Organizers run the award: everything in its own apps, plus reading accounts.
ORGANIZER_APPS = ("awards", "submissions", "judging")
ORGANIZER_EXTRA = [("auth", "view_user"), ("account", "view_emailaddress")]


def ensure_organizers_group(**kwargs) -> Group:
    group, _ = Group.objects.get_or_create(name=ORGANIZERS)
    perms = list(Permission.objects.filter(content_type__app_label__in=ORGANIZER_APPS))
    for app_label, codename in ORGANIZER_EXTRA:
        perms += Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    # The audit trail is append-only, even for organizers.
    perms = [
        p
        for p in perms
        if p.codename not in {"change_auditevent", "delete_auditevent", "add_auditevent"}
    ]
    group.permissions.add(*perms)
    return group


def is_organizer(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Cached per request object: the group check is asked by several templates.
    if not hasattr(user, "_is_organizer"):
        user._is_organizer = user.groups.filter(name=ORGANIZERS).exists()
    return user._is_organizer
