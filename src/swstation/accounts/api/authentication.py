"""API authentication that honours the state of the account behind a token or a session.

DRF's own classes let a token work while its account is locked out by django-axes (too many
wrong passwords), and say so in English when it is deactivated. These subclasses refuse both,
in the user's language, for every API call (settings.REST_FRAMEWORK), and refuse an account
whose password must be changed first (after a reset, or expired) until it is.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from swstation.accounts import selectors

INACTIVE_MESSAGE = _("This account has been deactivated.")
LOCKED_MESSAGE = _(
    "This account is locked: too many wrong passwords in a row. Try again later, or ask the "
    "city bureau to reset its password."
)


PASSWORD_CHANGE_MESSAGE = _(
    "You must change your password before using the API: log in on the website and choose a "
    "new one (My account → Change password)."
)


def check_account(request: Request, user: Any) -> None:
    """Refuse a deactivated or locked-out account (401 with a token, 403 with a session), and
    an account that must change its password first (403)."""
    if not user.is_active:
        raise exceptions.AuthenticationFailed(INACTIVE_MESSAGE)
    if selectors.user_is_locked_out(user=user, request=request._request):
        raise exceptions.AuthenticationFailed(LOCKED_MESSAGE)
    if selectors.user_password_change_required(user=user):
        raise exceptions.PermissionDenied(PASSWORD_CHANGE_MESSAGE)


class AccountTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token …``, refused while the account is deactivated or locked out."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE_MESSAGE)
        return (token.user, token)

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            check_account(request, result[0])
        return result


class AccountSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, refused while the account is locked out (the page middleware
    has usually logged such a user out already: see accounts.middleware)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            check_account(request, result[0])
        return result


class AccountSessionScheme(SessionScheme):
    """The OpenAPI schema documents the session as DRF's (the token's scheme matches
    subclasses by itself)."""

    target_class = "swstation.accounts.api.authentication.AccountSessionAuthentication"
