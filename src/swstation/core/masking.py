"""Masking of personal data for display (spec/identifiers.md: "display it masked")."""

from typing import Any

from swstation.core.roles import MASKED_ROLES


def mask_phone(value: str | None) -> str:
    """Mask the middle four digits of an 11-digit mobile number: 138****5678."""
    if not value:
        return ""
    digits = value.strip()
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[7:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_value(value: Any) -> str:
    if value in (None, ""):
        return ""
    return mask_phone(str(value))


def user_sees_personal_data(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or getattr(user, "role", None) not in MASKED_ROLES
    )
