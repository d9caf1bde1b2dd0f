from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class ExpiredSessionMiddleware:
    """Tell a user whose session ran out why they are back at the login page.

    A browser that still sends a session cookie the server no longer knows (expired or
    logged out elsewhere) gets a message; htmx requests are sent to the login page whole.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        expired = bool(cookie) and not request.user.is_authenticated and not request.session.keys()
        response = self.get_response(request)
        if (
            expired
            and response.status_code in (301, 302)
            and "login" in response.get("Location", "")
        ):
            messages.warning(request, _("Your session has expired. Please log in again."))
            if request.headers.get("HX-Request"):
                response["HX-Redirect"] = response["Location"]
        return response
