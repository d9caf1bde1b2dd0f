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


def mask_email(value: str | None) -> str:
    """Keep the first character and the domain: z***@example.org."""
    if not value or "@" not in value:
        return mask_phone(value)
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_value(value: Any) -> str:
    """Mask a personal value for display, by its shape (e-mail address or number)."""
    if value in (None, ""):
        return ""
    text = str(value)
    return mask_email(text) if "@" in text else mask_phone(text)


def user_sees_personal_data(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or getattr(user, "role", None) not in MASKED_ROLES
    )
