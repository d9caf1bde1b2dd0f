from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from swstation.accounts import selectors
from swstation.accounts.api.authentication import LOCKED_MESSAGE


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


class AccountStateMiddleware:
    """Hold a logged-in user to their account's current state on every request.

    A user whose account django-axes has since locked out (too many wrong passwords, perhaps
    typed by someone else) is logged out and told why, as their API token is refused
    (accounts.api.authentication): a lockout holds for every way in. A deactivated account's
    session already ends by itself (the authentication backend no longer loads an inactive
    user). A user who must change their password (after a reset by the city bureau, or once it
    has expired) is sent to the change page from every page but a few; the API answers 403
    (accounts.api.authentication). Sits after the authentication and message middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        api = request.path.startswith("/api/")
        if selectors.user_is_locked_out(user=user, request=request):
            logout(request)
            messages.error(request, LOCKED_MESSAGE)
            if not api:
                return _redirect(request, redirect_to_login(request.get_full_path()))
        elif (
            not api
            and selectors.user_password_change_required(user=user)
            and not _open_before_the_change(request.path)
        ):
            return _redirect(request, HttpResponseRedirect(reverse("accounts:password_change")))
        return self.get_response(request)


def _open_before_the_change(path: str) -> bool:
    """Pages a user who must change their password may still open: the change page itself,
    logging out, the language switch, static files and the health check."""
    exact = {reverse("accounts:password_change"), reverse("accounts:logout"), reverse("healthz")}
    prefixes = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
        "/i18n/",
    )
    return path in exact or path.startswith(prefixes)


def _redirect(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A redirect; an htmx request is told to load the new page whole."""
    if request.headers.get("HX-Request"):
        response["HX-Redirect"] = response["Location"]
    return response
