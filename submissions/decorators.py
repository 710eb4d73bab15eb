from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from submissions.permissions import needs_creator_profile


def creator_required(view):
    """Signed in, with a completed creator profile (else: to the profile form, then back)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if needs_creator_profile(request.user):
            return redirect(
                f"{reverse('submissions:profile')}?{urlencode({'next': request.get_full_path()})}"
            )
        return view(request, *args, **kwargs)

    return wrapped
