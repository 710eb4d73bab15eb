from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from awards.roles import is_organizer
from submissions.permissions import load_creator_standing, needs_creator_profile


def creator_required(view):
    """Signed in as a creator with a completed profile (else: to the profile form, then back).

    Organizers may not enter the award: creators' pages do not exist for them (404).
    """

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        load_creator_standing(request.user)
        if is_organizer(request.user):
            raise Http404
        if needs_creator_profile(request.user):
            return redirect(
                f"{reverse('submissions:profile')}?{urlencode({'next': request.get_full_path()})}"
            )
        return view(request, *args, **kwargs)

    return wrapped
