"""Masking of personal data for display (spec/identifiers.md: "display it masked").

A date of birth is masked as its five-year age band ("80–84岁"), never as a fragment of the
date: "******0-30" beside the exact age gives the date away (issue 16). Where the exact age is
shown beside a date of birth, it is left out for the roles that read personal data masked.
"""

import re
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.dates import age_on
from swstation.core.roles import MASKED_ROLES

BAND_YEARS = 5
BAND_TOP = 100  # one band for every age from here on
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def age_band_bounds(age: int) -> tuple[int, int | None]:
    """The band holding ``age``: (80, 84); (100, None) from BAND_TOP on."""
    age = max(age, 0)
    if age >= BAND_TOP:
        return BAND_TOP, None
    low = age // BAND_YEARS * BAND_YEARS
    return low, low + BAND_YEARS - 1


def age_band(birth_date: date, today: date | None = None) -> str:
    """The age band of a date of birth, for people: "80–84岁", "100岁及以上"."""
    low, high = age_band_bounds(age_on(birth_date, today))
    if high is None:
        return _("%(low)d years or more") % {"low": low}
    return _("%(low)d–%(high)d years") % {"low": low, "high": high}


def age_band_code(birth_date: date | None, today: date | None = None) -> str | None:
    """The age band of a date of birth, for programs (the API): "80-84", "100+"; None for none."""
    if birth_date is None:
        return None
    low, high = age_band_bounds(age_on(birth_date, today))
    return f"{low}+" if high is None else f"{low}-{high}"


def _as_birth_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


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
    """Mask a personal value for display, by its shape: a date (of birth) as its age band, an
    e-mail address or a number as such."""
    if value in (None, ""):
        return ""
    day = _as_birth_date(value)
    if day is not None:
        return age_band(day)
    text = str(value)
    return mask_email(text) if "@" in text else mask_phone(text)


def mask_api_value(value: Any) -> Any:
    """A personal value as the API gives it to a role that reads it masked: a date (of birth)
    is left out (null: the record's ``age_band`` says as much as may be said, and a band is no
    date); anything else is masked as for display."""
    if _as_birth_date(value) is not None:
        return None
    return mask_value(value)


def user_sees_personal_data(user: Actor | None) -> bool:
    return (
        user is not None
        and bool(user.is_authenticated)
        and (user.is_superuser or getattr(user, "role", None) not in MASKED_ROLES)
    )
