"""Builders for the micro-governance tests: proposals, pledges and meetings made through the
ORM (the rule tests call the services themselves)."""

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from swstation.community.models import GovernanceMeeting, Pledge, Proposal
from swstation.linkage.models import Partner
from tests.community import helpers as h
from tests.linkage import helpers as linkage_helpers

RAISED = date(2024, 3, 1)
_serial = count(1)


def proposal(code: str = h.CICHENG, name: str = "", **extra: Any) -> Proposal:
    extra.setdefault("problem", "小区楼道堆物多，存在消防隐患")
    extra.setdefault("solution", "居民议事后统一清理，设置共享储物角")
    extra.setdefault("raised_on", RAISED)
    extra.setdefault("lead_worker", h.worker(code))
    place = extra.pop("region", None) or h.region(h.VILLAGE_OF.get(code, code))
    return Proposal.objects.create(
        station=h.station(code),
        region=place,
        name=name or f"测试微治项目{next(_serial):04d}",
        **extra,
    )


def pledge(of: Proposal, **extra: Any) -> Pledge:
    extra.setdefault("kind", "funds")
    extra.setdefault("source", "resident")
    extra.setdefault("pledged_on", date(2024, 3, 10))
    if extra["source"] == "resident":
        extra.setdefault("resident_name", f"居民{next(_serial):04d}")
    if extra["kind"] == "funds":
        extra.setdefault("amount_pledged", Decimal("500.00"))
        extra.setdefault("amount_received", Decimal("0.00"))
    else:
        extra.setdefault("description", "出谋划策")
    return Pledge.objects.create(proposal=of, **extra)


def council(code: str = h.YUEHU, name: str = "") -> Partner:
    return linkage_helpers.partner(
        code, name=name or f"测试邻舍家{next(_serial):04d}", kind="self_governance"
    )


def meeting(
    of: Proposal | None = None, council_of: Partner | None = None, **extra: Any
) -> GovernanceMeeting:
    extra.setdefault("held_on", date(2024, 3, 20))
    extra.setdefault("place", "社区议事厅")
    extra.setdefault("attendee_count", 12)
    extra.setdefault("topics", f"议题{next(_serial):04d}：楼道清理方案")
    region_id = of.region_id if of is not None else council_of.region_id  # type: ignore[union-attr]
    return GovernanceMeeting.objects.create(
        proposal=of, council=council_of, region_id=region_id, **extra
    )
