"""Writes on user accounts: creation, role and jurisdiction changes, passwords, API tokens."""

import secrets
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from swstation.accounts.models import User
from swstation.core.actors import Actor
from swstation.core.history import record_author, save_with_history
from swstation.core.permissions import user_can
from swstation.core.roles import JURISDICTION_LEVELS, Role
from swstation.core.scoping import ensure_writable
from swstation.regions.models import Region


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
    actor: Actor,
    username: str,
    password: str | None,
    role: str,
    jurisdiction: Any,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    is_active: bool = True,
) -> User:
    validate_role_jurisdiction(role=role, jurisdiction=jurisdiction)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        jurisdiction=jurisdiction,
        phone=phone,
        email=email,
        is_active=is_active,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    save_with_history(user, actor=actor)
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, **changes: Any) -> User:
    """Change an account. Nobody deactivates their own account or changes their own role, and
    a city keeps at least one active city administrator (see :func:`_refuse_if_last_city_admin`)."""
    before = _locked_copy(user)
    for key, value in changes.items():
        setattr(user, key, value)
    if before is not None:
        _check_own_account(actor=actor, before=before, after=user)
        _check_city_keeps_an_admin(before=before, after=user)
    validate_role_jurisdiction(role=user.role, jurisdiction=user.jurisdiction)
    user.full_clean(exclude=["password"])
    save_with_history(user, actor=actor)
    return user


@transaction.atomic
def user_delete(*, actor: Actor, user: User) -> None:
    """Delete an account: never one's own, never a city's last active city administrator."""
    if getattr(actor, "pk", None) == user.pk:
        raise PermissionDenied(_("You cannot delete your own account."))
    before = _locked_copy(user)
    if before is not None and _is_active_city_admin(before):
        _refuse_if_last_city_admin(before, field=None)
    user.delete()


def _locked_copy(user: User) -> User | None:
    """The account as stored, its row locked (``SELECT … FOR UPDATE``) for the transaction."""
    if user.pk is None:
        return None
    return (
        User.objects.select_for_update()
        .only("pk", "username", "role", "is_active", "jurisdiction_id")
        .filter(pk=user.pk)
        .first()
    )


def _is_active_city_admin(user: User) -> bool:
    return bool(user.is_active and user.role == Role.CITY_ADMIN)


def _check_own_account(*, actor: Actor, before: User, after: User) -> None:
    if getattr(actor, "pk", None) != before.pk:
        return
    if before.is_active and not after.is_active:
        raise ValidationError(
            {
                "is_active": _(
                    "You cannot deactivate your own account: ask another city administrator."
                )
            }
        )
    if before.role != after.role:
        raise ValidationError(
            {"role": _("You cannot change your own role: ask another city administrator.")}
        )


def _check_city_keeps_an_admin(*, before: User, after: User) -> None:
    if not _is_active_city_admin(before):
        return
    if _is_active_city_admin(after) and after.jurisdiction_id == before.jurisdiction_id:
        return
    if before.role != after.role:
        field = "role"
    elif not after.is_active:
        field = "is_active"
    else:
        field = "jurisdiction"
    _refuse_if_last_city_admin(before, field=field)


def _refuse_if_last_city_admin(before: User, *, field: str | None) -> None:
    """Refuse to remove the last active city administrator of ``before``'s city.

    The city's region row is locked first (``FOR NO KEY UPDATE``: it does not hold up the
    records that merely refer to the region). Two concurrent removals of a city's last two
    administrators therefore take turns, and the second one counts after the first one's
    commit. Every writer locks its own account row before the region, never the other way
    round, so that two of them cannot deadlock.
    """
    region_name = None
    if before.jurisdiction_id is not None:
        region = Region.objects.select_for_update(no_key=True).filter(pk=before.jurisdiction_id)
        region_name = region.values_list("name", flat=True).first()
    others = User.objects.filter(
        role=Role.CITY_ADMIN, is_active=True, jurisdiction_id=before.jurisdiction_id
    ).exclude(pk=before.pk)
    if others.exists():
        return
    message = _(
        "%(region)s must keep at least one active city administrator, and %(user)s is the "
        "last one: make another account city administrator first."
    ) % {"region": region_name or "—", "user": before.username}
    raise ValidationError({field: message} if field else message)


@transaction.atomic
def user_token_regenerate(*, actor: Actor, user: User) -> Token:
    """Replace the user's API token with a new one (the old one stops working at once).

    Only the user themselves may do it: a token is a password for scripts.
    """
    if actor != user:
        raise PermissionDenied(_("Only the owner of an account may replace its API token."))
    Token.objects.filter(user=user).delete()
    token: Token = Token.objects.create(user=user)
    return token


# Temporary passwords: no look-alike characters (0/O, 1/l/I), in groups a person can read out.
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _temporary_password(user: User) -> str:
    while True:
        password = "-".join(
            "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _char in range(4))
            for _group in range(3)
        )
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """The user's own new password (checked against AUTH_PASSWORD_VALIDATORS); it lifts a
    reset's or the expiry's demand for a change."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    record_author(user, user)
    user._change_reason = _("Password changed by the account's owner")  # type: ignore[attr-defined]
    user.save()
    return user


@transaction.atomic
def user_password_reset(*, actor: Actor, user: User, password: str | None = None) -> str:
    """The city bureau gives ``user`` a temporary password, typed by the administrator or
    generated (``password`` empty), and returns it. The user must change it at the next login;
    the old password stops working at once (and with it every session), and a lockout of the
    account is lifted. The history records who reset whose password, never the password."""
    if not user_can(actor, "change", User):
        raise PermissionDenied(_("Your role may not do this."))
    ensure_writable(actor, user)
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationError(
            {"password": _("Change your own password on “My account”, not with a reset.")}
        )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    else:
        password = _temporary_password(user)
    user.set_password(password)
    user.must_change_password = True
    record_author(user, actor)
    user._change_reason = _(  # type: ignore[attr-defined]
        "Password reset by %(actor)s: to be changed at the next login"
    ) % {"actor": getattr(actor, "username", actor)}
    user.save()
    axes_reset(username=user.get_username())
    return password
