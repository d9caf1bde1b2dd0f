from datetime import timedelta

from axes.conf import settings as axes_settings
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from swstation.accounts.models import User
from swstation.core.actors import Actor


def user_list(*, actor: Actor) -> QuerySet[User]:
    queryset: QuerySet[User] = User.objects.visible_to(actor)
    return queryset.select_related("jurisdiction")


def user_api_token(*, user: User) -> Token | None:
    return Token.objects.filter(user=user).first()


def user_is_locked_out(*, user: User, request: HttpRequest) -> bool:
    """Whether django-axes currently locks ``user`` out (too many wrong passwords in a row,
    within ``AXES_COOLOFF_TIME``). The lockout is by user name (``AXES_LOCKOUT_PARAMETERS``),
    so it holds whatever the address; read once per request."""
    if not axes_settings.AXES_ENABLED:
        return False
    cached: bool | None = getattr(request, "_swstation_locked_out", None)
    if cached is None:
        credentials = {axes_settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
        cached = bool(AxesProxyHandler.is_locked(request, credentials=credentials))
        request._swstation_locked_out = cached  # type: ignore[attr-defined]
    return cached


def user_password_expired(*, user: User) -> bool:
    """Whether the user's password is older than ``PASSWORD_MAX_AGE_DAYS`` (0: never expires).
    A password never changed since the field was added counts from the day the account was
    created."""
    days: int = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    expired: bool = changed <= timezone.now() - timedelta(days=days)
    return expired


def user_password_change_required(*, user: User) -> bool:
    """Whether the user must choose a new password before doing anything else: after a reset
    by the city bureau, or once the password has expired."""
    return bool(getattr(user, "must_change_password", False)) or user_password_expired(user=user)
