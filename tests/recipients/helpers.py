"""Builders for the recipient tests. People are recorded through the service (so that their
numbers are encrypted, hashed and masked as in real use), with consent and without the
duplicate check unless a test asks for it."""

from datetime import date
from itertools import count
from typing import Any

from swstation.core.actors import SYSTEM
from swstation.recipients.identifiers import id_check_character
from swstation.recipients.models import Category, Household, Recipient
from swstation.recipients.services import recipient_create
from swstation.regions.models import Region
from tests.conftest import CICHENG, CICHENG_VILLAGE, YUEHU, YUEHU_COMMUNITY

__all__ = ["CICHENG", "CICHENG_VILLAGE", "YUEHU", "YUEHU_COMMUNITY"]

CICHENG_VILLAGE_2 = "330205103202"  # another village of 慈城镇
CONSENT_DAY = date(2025, 3, 1)
_serials = count(1)


def id_number(
    birth: date = date(1950, 1, 1), serial: int | None = None, area: str = "330205"
) -> str:
    """A valid 18-character identity number (GB 11643-1999) born on ``birth``; an odd serial's
    holder is male, an even one's female."""
    serial = next(_serials) if serial is None else serial
    first17 = f"{area}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_character(first17)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def make_recipient(
    code: str = CICHENG_VILLAGE,
    name: str = "测试对象",
    *,
    actor: Any = SYSTEM,
    number: str | None = None,
    birth: date = date(1950, 1, 1),
    phone: str = "",
    categories: tuple[str, ...] = (),
    **extra: Any,
) -> Recipient:
    if number is None:
        number = id_number(birth)
    return recipient_create(
        actor=actor,
        name=name,
        region=region(code),
        document_number=number,
        phone=phone,
        consent_given=True,
        consent_on=CONSENT_DAY,
        categories=[category(c) for c in categories],
        allow_duplicates=True,
        **extra,
    )


def make_household(code: str = CICHENG_VILLAGE, head_name: str = "户主", **extra: Any) -> Household:
    household = Household(
        region=region(code),
        head_name=head_name,
        address=extra.pop("address", "慈城镇测试路1号"),
        **extra,
    )
    household.full_clean()
    household.save()
    return household
