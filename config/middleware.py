from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path

from awards.views import page_not_found

# The public site: the home page and the editions (their rules, results and archive). Every
# other page a signed-in person sees may show private data — their entries, other creators'
# entries for organizers, scores for jurors — including pages added later.
PUBLIC_AREAS = ("awards/",)
# Areas that are private for everyone, signed in or not (their redirects and error pages too).
PRIVATE_AREAS = ("me/", "organize/", "jury/", "accounts/", "admin/", "dev/")


def _area(path: str) -> str:
    """The path without its language prefix: "/vi/me/entries/" -> "me/entries/"."""
    language = get_language_from_path(path)
    if language:
        path = path.removeprefix(f"/{language}")
    return path.lstrip("/")


class PrivatePagesMiddleware:
    """Pages with private data are never stored: `Cache-Control: private, no-store`.

    Private by default: every response to a signed-in person outside the public site, and
    every response in the private areas, unless the view set its own Cache-Control (a signed
    file's short-lived redirect, the admin's never_cache).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        area = _area(request.path_info)
        public = area == "" or area.startswith(PUBLIC_AREAS)
        if area.startswith(PRIVATE_AREAS) or (request.user.is_authenticated and not public):
            patch_cache_control(response, private=True, no_store=True)
        return response


class SiteNotFoundMiddleware:
    """In debug (`make run`), answer "not found" with the site's own 404 page.

    With DEBUG on, Django answers an Http404 (an unknown URL or a view's 404) with its
    technical page listing every URL pattern; people trying the demo should see the page
    the public sees. A 404 that is not HTML (a JSON answer to a script) is left as it is.
    Without debug, Django already uses `handler404`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request, None)
        return response
