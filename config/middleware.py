from django.conf import settings

from awards.views import page_not_found


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
