"""Writes on user accounts: creation, role and jurisdiction changes, API tokens."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from swstation.accounts.models import User
from swstation.core.roles import JURISDICTION_LEVELS, Role


def validate_role_jurisdiction(*, role: str, jurisdiction: Any) -> None:
    """A role works at the region levels of domain.md §4 (a station manager at a township...)."""
    if not role:
        return
    if jurisdiction is None:
        raise ValidationError({"jurisdiction": _("Every role needs a jurisdiction region.")})
    allowed = JURISDICTION_LEVELS[role]
    if jurisdiction.level not in allowed:
        raise ValidationError(
            {
                "jurisdiction": _(
                    "A %(role)s works at the level of: %(levels)s; %(region)s is a %(level)s."
                )
                % {
                    "role": Role(role).label,
                    "levels": "、".join(str(_level_label(level)) for level in sorted(allowed)),
                    "region": jurisdiction.name,
                    "level": jurisdiction.get_level_display(),
                }
            }
        )


def _level_label(level: str) -> str:
    from swstation.regions.models import RegionLevel

    return str(RegionLevel(level).label)


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    role: str,
    jurisdiction: Any,
    full_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    validate_role_jurisdiction(role=role, jurisdiction=jurisdiction)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        jurisdiction=jurisdiction,
        phone=phone,
        email=email,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
    user.save()
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, **changes: Any) -> User:
    for key, value in changes.items():
        setattr(user, key, value)
    validate_role_jurisdiction(role=user.role, jurisdiction=user.jurisdiction)
    user.full_clean(exclude=["password"])
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    return user


@transaction.atomic
def user_token_regenerate(*, actor: Any, user: User) -> Token:
    """Replace the user's API token with a new one (the old one stops working at once).

    Only the user themselves may do it: a token is a password for scripts.
    """
    if actor != user:
        raise PermissionDenied(_("Only the owner of an account may replace its API token."))
    Token.objects.filter(user=user).delete()
    token: Token = Token.objects.create(user=user)
    return token
