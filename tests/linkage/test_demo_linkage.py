"""The demo's partners-and-referrals step on a small world of its own: partners of every kind,
慈城镇's 24 enterprises with their 449 jobs, 月湖街道's 13 邻舍家, the agencies in the one list,
referrals in every state passing the models' rules, and a second run changing nothing."""

import time
from collections import Counter
from datetime import date
from typing import Any

import pytest

from swstation.demo.history import history
from swstation.demo.linkage import CICHENG, YUEHU, build_linkage
from swstation.linkage.models import Partner, PartnerKind, Referral, ReferralStatus, Resource
from swstation.stations.models import ServiceAgency
from tests.cases import case_builders as cb
from tests.linkage import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> None:
    ServiceAgency.objects.bulk_create(  # in bulk, as the demo makes them: no signal
        [
            ServiceAgency(
                name="江北区测试社工服务中心",
                credit_code="52330205MJ0000002X",
                region=h.region(h.JIANGBEI),
            )
        ]
    )
    for code in (CICHENG, YUEHU, cb.KONGPU):
        worker = cb.worker(code)
        supervisor = cb.supervisor()
        for _ in range(30):
            cb.make_case(code, case_worker=worker, case_supervisor=supervisor)


def test_the_demo_links_partners_resources_and_referrals(world: None) -> None:
    logged: list[str] = []
    started = time.monotonic()
    with history(end=date(2025, 6, 30)):
        build_linkage(logged.append)
    assert time.monotonic() - started < 10
    kinds = Counter(Partner.objects.values_list("kind", flat=True))
    assert set(kinds) == set(PartnerKind.values)
    agency = ServiceAgency.objects.get()
    assert Partner.objects.get(agency=agency).kind == PartnerKind.SOCIAL_ORG
    cicheng = Partner.objects.filter(
        region__code=CICHENG, kind=PartnerKind.ENTERPRISE, name__startswith="宁波慈城"
    )
    assert cicheng.count() == 24
    jobs = Resource.objects.filter(partner__in=cicheng, kind="jobs")
    assert sum(jobs.values_list("capacity", flat=True)) == 449
    assert (
        Partner.objects.filter(region__code=YUEHU, kind=PartnerKind.SELF_GOVERNANCE).count() == 13
    )
    departments = set(
        Partner.objects.filter(region__code=h.JIANGBEI, kind="government").values_list(
            "department", flat=True
        )
    )
    assert len(departments) == 7
    states = Counter(Referral.objects.values_list("status", flat=True))
    assert set(states) == set(ReferralStatus.values), states
    for model in (Partner, Resource, Referral):
        for record in model.objects.all():  # type: ignore[attr-defined]
            record.full_clean()
        assert model.history.count() == model.objects.count()  # type: ignore[attr-defined]
    overdue = Referral.objects.filter(status="sent", answer_due_on__lt=date(2025, 6, 30))
    assert overdue.exists()
    before: dict[str, Any] = {m.__name__: m.objects.count() for m in (Partner, Resource, Referral)}
    with history(end=date(2025, 6, 30)):
        build_linkage(logged.append)
    assert {m.__name__: m.objects.count() for m in (Partner, Resource, Referral)} == before
    assert "already built" in logged[-1]
