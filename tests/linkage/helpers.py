"""Builders for the linkage tests: partners, resources and referrals made through the ORM
(the rule tests call the services themselves)."""

from datetime import date, timedelta
from itertools import count
from typing import Any

from django.utils import timezone

from swstation.linkage.models import Partner, Referral, ReferralStatus, Resource
from swstation.regions.models import Region
from swstation.workforce.models import SocialWorker
from tests.cases import case_builders as cb
from tests.conftest import CICHENG, CICHENG_VILLAGE, CITY, JIANGBEI, YUEHU, YUEHU_COMMUNITY

__all__ = ["CICHENG", "CICHENG_VILLAGE", "CITY", "JIANGBEI", "YUEHU", "YUEHU_COMMUNITY"]

_serial = count(1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def partner(code: str = CICHENG, name: str = "", kind: str = "enterprise", **extra: Any) -> Partner:
    if kind == "government":
        extra.setdefault("department", "women")
    return Partner.objects.create(
        name=name or f"测试伙伴{next(_serial):04d}", kind=kind, region=region(code), **extra
    )


def resource(
    code: str = CICHENG, title: str = "", by: Partner | None = None, **extra: Any
) -> Resource:
    extra.setdefault("kind", "services")
    extra.setdefault("valid_from", date(2024, 1, 1))
    return Resource.objects.create(
        partner=by or partner(code), title=title or f"测试资源{next(_serial):04d}", **extra
    )


def worker(code: str = CICHENG, **extra: Any) -> SocialWorker:
    return cb.worker(code, **extra)


def referral(
    code: str = CICHENG,
    service: str = "",
    *,
    to: Partner | None = None,
    by: SocialWorker | None = None,
    status: str = ReferralStatus.SENT,
    due_in: int = 7,
    **extra: Any,
) -> Referral:
    """A referral from the township station of ``code`` (sent 3 days ago, the answer due
    ``due_in`` days from today)."""
    today = timezone.localdate()
    by = by or worker(code)
    return Referral.objects.create(
        recipient=extra.pop("recipient", None) or cb.recipient(code),
        station=by.station,
        worker=by,
        partner=to or partner(code),
        service=service or f"测试转介{next(_serial):04d}",
        sent_on=extra.pop("sent_on", today - timedelta(days=3)),
        answer_due_on=today + timedelta(days=due_in),
        status=status,
        **extra,
    )
