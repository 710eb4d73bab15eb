"""Roles are facts in the data: the organizers group, a CreatorProfile, a Juror membership.

`awards` knows only the organizers. The other roles belong to the apps that hold their data;
they tell this module about themselves (`register_edition_role`) so that a rule spanning
them — nobody is a creator and a juror in the same edition — is asked in one place without
`awards` or `submissions` importing the apps to their right.
"""

from collections.abc import Callable
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.http import Http404

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


def organizer_required(view):
    """Organizers only; for everyone else these pages do not exist (404)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_organizer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# Roles a person can hold in one edition ("creator", "juror"), each answered by its own app.
_EDITION_ROLES: dict[str, Callable] = {}


def register_edition_role(name: str, holds: Callable) -> None:
    """`holds(user, cycle) -> bool`, registered by the app that owns the role (in `ready()`)."""
    _EDITION_ROLES[name] = holds


def edition_roles(user, cycle) -> set[str]:
    """The roles `user` holds in `cycle`: a creator (has entries) or a juror (a membership)."""
    if not user.is_authenticated:
        return set()
    return {name for name, holds in _EDITION_ROLES.items() if holds(user, cycle)}


def needs_two_factor(user) -> bool:
    """Jurors and organizers decide who wins: their pages ask them to add an authenticator
    app until they have one."""
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
