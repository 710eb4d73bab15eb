"""Where sign-in lands. Routed here, above the apps, because it needs to know every role:
organizer → juror of a live edition → creator."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from awards.roles import is_organizer
from judging.models import Juror
from submissions.permissions import has_creator_profile


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    if is_organizer(user):
        return redirect("submissions:organize_home")
    # A juror needs no creator profile, and is never sent to its form.
    if Juror.objects.live().of_user(user).exists():
        return redirect("judging:home")
    if not has_creator_profile(user):
        return redirect("submissions:profile")
    return redirect("submissions:dashboard")
