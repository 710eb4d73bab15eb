from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from awards.models import AwardCycle, Category, Prize


def _editions_with_details(request: HttpRequest):
    # Two prefetches, whatever the number of categories or prizes: the page's query count
    # stays fixed as an edition grows.
    return AwardCycle.objects.visible_to(request.user).prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "code")),
        Prefetch("prizes", queryset=Prize.objects.order_by("position", "pk")),
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    cycle = _editions_with_details(request).current()
    return render(request, "awards/home.html", {"cycle": cycle})


@require_GET
def edition(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(_editions_with_details(request), festival_year=year)
    return render(request, "awards/edition.html", {"cycle": cycle})


@require_GET
def rules(request: HttpRequest, year: int) -> HttpResponse:
    cycle = get_object_or_404(_editions_with_details(request), festival_year=year)
    return render(request, "awards/rules.html", {"cycle": cycle})


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    cycles = AwardCycle.objects.public().order_by("-festival_year")
    return render(request, "awards/archive.html", {"cycles": cycles})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: does this node reach the database and the object store?"""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "not healthy"
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        default_storage.exists("healthz/probe")
        checks["storage"] = "ok"
    except Exception as exc:
        checks["storage"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def page_not_found(request, exception: Http404) -> HttpResponse:
    return render(request, "404.html", status=404)
