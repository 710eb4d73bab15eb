from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from awards.models import AwardCycle
from awards.roles import is_organizer
from submissions.forms import CreatorProfileForm
from submissions.models import CreatorProfile
from submissions.permissions import needs_creator_profile
from submissions.services import profile_save


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where sign-in lands: each person's own starting point."""
    if is_organizer(request.user):
        return redirect("admin:index")
    if needs_creator_profile(request.user):
        return redirect("submissions:profile")
    return redirect("awards:home")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    instance = CreatorProfile.objects.filter(user=request.user).first()
    first_time = instance is None
    form = CreatorProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        profile_save(user=request.user, data={f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, _("Your profile is saved."))
        return redirect(_safe_next(request, "awards:home" if first_time else "submissions:profile"))
    return render(
        request,
        "submissions/profile.html",
        {
            "form": form,
            "first_time": first_time,
            "next": _safe_next(request, ""),
            "current_cycle": AwardCycle.objects.current(),
        },
    )
