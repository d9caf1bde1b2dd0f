"""Every count on the home pages is computed from records (issue 10): each changes when the
records change. Read from the rendered page, by the count's id."""

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from swstation.cases.models import (
    Case,
    CaseStage,
    ChildNeedsAssessment,
    ElderlyAssessment,
    VisitSchedule,
)
from swstation.core.roles import Role
from swstation.dashboard.charts import headlines
from swstation.dashboard.selectors import cockpit, cockpit_region, default_period
from swstation.funds.models import Funder, Grant
from swstation.recipients.models import DuplicateReview, Recipient, ReviewStatus
from swstation.stations.models import (
    ConstructionStandard,
    ServiceAgency,
    Station,
    SubsidyPolicy,
)
from swstation.workforce.models import (
    PaymentBatch,
    RewardPolicy,
    SocialWorker,
    SupervisionSession,
)
from tests.cases import case_builders as cb
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG, CICHENG_VILLAGE, CITY, JIANGBEI, YUEHU, YUEHU_COMMUNITY

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


def page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def count(body: str, element_id: str) -> int:
    found = re.search(rf'id="{element_id}"[^>]*>\s*([\d,]+)\s*<', body)
    assert found, f"no count #{element_id}"
    return int(found.group(1).replace(",", ""))


def counts(user: Any, *ids: str) -> tuple[int, ...]:
    body = page(user)
    return tuple(count(body, element_id) for element_id in ids)


def elderly(person: Recipient, by: SocialWorker, next_due: date, **extra: Any) -> Any:
    return ElderlyAssessment.objects.create(
        recipient=person,
        assessed_on=extra.pop("assessed_on", next_due - timedelta(days=180)),
        reason="routine",
        assessor=by,
        second_assessor=extra.pop("second", by),
        base_level=1,
        level=1,
        next_due=next_due,
        **extra,
    )


# --- a social worker's agenda ----------------------------------------------------------------


VISITS = ("home-visits-overdue", "home-visits-today", "home-visits-soon")
ASSESSMENTS = ("home-assessments-overdue", "home-assessments-today", "home-assessments-soon")
GOALS = ("home-goals-overdue", "home-goals-today", "home-goals-soon")


def test_visit_counts_follow_the_schedules_and_services(users: dict[str, Any]) -> None:
    user = users[Role.SOCIAL_WORKER]
    me, colleague = cb.worker_of(user), build.worker(CICHENG_VILLAGE)
    assert counts(user, *VISITS) == (0, 0, 0)
    person = build.recipient(CICHENG_VILLAGE)
    # Twice a month: a visit every 15 days from the start, none made yet.
    build.schedule(person, me, today() - timedelta(days=40), 2)
    assert counts(user, *VISITS) == (1, 0, 0)
    build.record(person, colleague, today() - timedelta(days=15), "health_visit")
    assert counts(user, *VISITS) == (0, 1, 0)
    build.record(person, me, today() - timedelta(days=14), "health_visit")
    assert counts(user, *VISITS) == (0, 0, 1)
    # A colleague's schedule is not mine.
    build.schedule(build.recipient(CICHENG_VILLAGE), colleague, today() - timedelta(days=40))
    assert counts(user, *VISITS) == (0, 0, 1)
    VisitSchedule.objects.filter(worker=me).update(active=False)
    assert counts(user, *VISITS) == (0, 0, 0)


def test_reassessment_counts_follow_the_latest_assessments(users: dict[str, Any]) -> None:
    user = users[Role.SOCIAL_WORKER]
    me = cb.worker_of(user)
    person = build.recipient(CICHENG_VILLAGE)
    elderly(person, me, today() - timedelta(days=3))
    assert counts(user, *ASSESSMENTS) == (1, 0, 0)
    # A newer assessment supersedes it.
    elderly(person, me, today(), assessed_on=today() - timedelta(days=1))
    assert counts(user, *ASSESSMENTS) == (0, 1, 0)
    ChildNeedsAssessment.objects.create(
        recipient=build.recipient(CICHENG_VILLAGE, birth_date=date(2016, 1, 1)),
        assessed_on=today() - timedelta(days=170),
        assessor=me,
        risk_level=2,
        help_plan="每周探访",
        next_due=today() + timedelta(days=5),
    )
    assert counts(user, *ASSESSMENTS) == (0, 1, 1)
    # Someone else's assessment is not mine.
    elderly(build.recipient(CICHENG_VILLAGE), build.worker(CICHENG_VILLAGE), today())
    assert counts(user, *ASSESSMENTS) == (0, 1, 1)


def test_goal_counts_and_open_cases_follow_the_cases(users: dict[str, Any]) -> None:
    user = users[Role.SOCIAL_WORKER]
    me = cb.worker_of(user)
    assert counts(user, "home-cases-total", *GOALS) == (0, 0, 0, 0)
    case = cb.make_case(CICHENG, case_worker=me, case_supervisor=cb.supervisor())
    late = cb.goal(case, "每周参加一次社区活动", target_date=today() - timedelta(days=1))
    cb.goal(case, target_date=today())
    cb.goal(case, target_date=today() + timedelta(days=3))
    cb.goal(case)  # no target date: never due
    assert counts(user, "home-cases-total", *GOALS) == (1, 1, 1, 1)
    body = page(user)
    assert "每周参加一次社区活动" in body and "1 个目标逾期" in body
    late.achieved = True
    late.save()
    assert counts(user, "home-cases-total", *GOALS) == (1, 0, 1, 1)
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.CLOSED)
    assert counts(user, "home-cases-total", *GOALS) == (0, 0, 0, 0)


def test_overdue_health_visits_are_shown_however_many_reassessments_are_overdue(
    users: dict[str, Any],
) -> None:
    """The issue: 10 long-overdue reassessments filled the list and hid the overdue health
    visits. Each kind keeps its own items."""
    user = users[Role.SOCIAL_WORKER]
    me = cb.worker_of(user)
    for n in range(12):
        elderly(build.recipient(CICHENG_VILLAGE), me, today() - timedelta(days=60 + n))
    for name in ("健康随访甲", "健康随访乙"):
        person = build.recipient(CICHENG_VILLAGE, name=name)
        build.schedule(person, me, today() - timedelta(days=60), 2)
        build.record(person, me, today() - timedelta(days=25), "health_visit")
    body = page(user)
    assert counts(user, "home-visits-overdue", "home-assessments-overdue") == (2, 12)
    visits = body[body.index('id="home-due-visits"') : body.index('id="home-due-assessments"')]
    assert "健康随访甲" in visits and "健康随访乙" in visits
    assert "登记" in visits
    assessments = body[body.index('id="home-due-assessments"') : body.index('id="home-due-goals"')]
    assert assessments.count("due-item due-elderly") == 5 and "还有 7 项" in assessments


def test_the_worker_home_costs_the_same_queries_however_many_records(
    users: dict[str, Any],
) -> None:
    user = users[Role.SOCIAL_WORKER]
    me = cb.worker_of(user)

    def queries() -> int:
        client = Client()
        client.force_login(user)
        client.get("/")  # the session and the login's own queries out of the way
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    def add(n: int) -> None:
        for _ in range(n):
            person = build.recipient(CICHENG_VILLAGE)
            build.schedule(person, me, today() - timedelta(days=40))
            elderly(person, me, today() - timedelta(days=2))
            case = cb.make_case(CICHENG, case_worker=me, case_supervisor=cb.supervisor())
            cb.goal(case, target_date=today() - timedelta(days=1))

    add(1)
    few = queries()
    add(8)
    assert queries() == few


# --- a station manager ------------------------------------------------------------------------


def load_row(body: str, person: SocialWorker) -> dict[str, int]:
    row = body[body.index(f'id="home-load-{person.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'class="[^"]*load-(\w+)[^"]*"[^>]*>\s*([\d,]+)\s*<', row)
    return {name: int(value) for name, value in cells}


def test_the_manager_sees_each_workers_load(users: dict[str, Any]) -> None:
    manager = users[Role.STATION_MANAGER]
    busy, idle = build.worker(CICHENG_VILLAGE, name="忙碌"), build.worker(CICHENG_VILLAGE)
    zero = {"cases": 0, "visits": 0, "assessments": 0, "goals": 0, "other": 0}
    assert load_row(page(manager), busy) == zero
    case = cb.make_case(CICHENG, case_worker=busy, case_supervisor=cb.supervisor())
    build.schedule(build.recipient(CICHENG_VILLAGE), busy, today() - timedelta(days=40))
    elderly(build.recipient(CICHENG_VILLAGE), busy, today() - timedelta(days=9))
    cb.goal(case, target_date=today() - timedelta(days=2))
    body = page(manager)
    assert load_row(body, busy) == {
        "cases": 1,
        "visits": 1,
        "assessments": 1,
        "goals": 1,
        "other": 0,
    }
    assert load_row(body, idle) == zero
    # The busiest first; a worker who left is not listed.
    assert body.index(f'id="home-load-{busy.pk}"') < body.index(f'id="home-load-{idle.pk}"')
    SocialWorker.objects.filter(pk=idle.pk).update(left_on=today() - timedelta(days=1))
    assert f'id="home-load-{idle.pk}"' not in page(manager)
    # Another station's people are not the manager's.
    stranger = build.worker(YUEHU_COMMUNITY)
    assert f'id="home-load-{stranger.pk}"' not in page(manager)


def test_the_manager_sees_cases_by_next_step(users: dict[str, Any]) -> None:
    manager = users[Role.STATION_MANAGER]
    ids = ("home-step-intake", "home-step-evaluation", "home-step-evaluation-waiting")
    assert counts(manager, *ids) == (0, 0, 0)
    first = cb.make_case(CICHENG)
    cb.make_case(CICHENG)
    cb.make_case(YUEHU)  # another township's
    assert counts(manager, *ids) == (2, 0, 0)
    Case.objects.filter(pk=first.pk).update(stage=CaseStage.EVALUATION)
    assert counts(manager, *ids) == (1, 1, 0)
    Case.objects.filter(pk=first.pk).update(closure_requested_at=timezone.now())
    assert counts(manager, *ids) == (1, 0, 1)


def test_the_manager_sees_the_station_compliance_and_staff(users: dict[str, Any]) -> None:
    manager = users[Role.STATION_MANAGER]
    station = cb.station(CICHENG)
    Station.objects.filter(pk=station.pk).update(has_sign=True)
    body = page(manager)
    assert count(body, "home-station-staff") == 0 and "未评估" in body
    ConstructionStandard.objects.create(
        name="测试标准",
        valid_from=date(2020, 1, 1),
        station_kinds=["township"],
        required_rooms=[],
        requires_sign=False,
        min_fulltime_staff=1,
        requires_portfolio=False,
    )
    body = page(manager)
    assert "未达建设标准" in body and count(body, "home-station-staff") == 0
    build.worker(CICHENG_VILLAGE, is_fulltime=True)
    body = page(manager)
    assert "达到建设标准" in body and "未达建设标准" not in body
    assert count(body, "home-station-staff") == 1


def test_an_ended_agency_contract_is_flagged(users: dict[str, Any]) -> None:
    manager = users[Role.STATION_MANAGER]
    agency = ServiceAgency.objects.create(
        name="知行社会工作服务中心",
        credit_code="52330205MJ0000001X",
        region=cb.region(JIANGBEI),
    )
    station = cb.station(CICHENG)
    Station.objects.filter(pk=station.pk).update(
        operating_model="commissioned_agency",
        agency=agency,
        contract_start=date(2023, 1, 1),
        contract_end=today() + timedelta(days=200),
    )
    assert "合同已到期" not in page(manager)
    Station.objects.filter(pk=station.pk).update(contract_end=today() + timedelta(days=10))
    body = page(manager)
    assert "10 天后到期" in body and "知行社会工作服务中心" in body
    Station.objects.filter(pk=station.pk).update(contract_end=today() - timedelta(days=1))
    body = page(manager)
    assert "合同已到期" in body
    # The district sees it too; a social worker has no such card.
    assert "合同已到期" in page(users[Role.DISTRICT_OFFICER])
    assert "合同已到期" not in page(users[Role.SOCIAL_WORKER])


def test_a_policy_about_to_lapse_is_listed_until_another_takes_over(
    users: dict[str, Any],
) -> None:
    manager = users[Role.STATION_MANAGER]
    SubsidyPolicy.objects.create(
        name="市级建站补助（测试）",
        source="city",
        amount=Decimal("50000"),
        station_kinds=["township"],
        valid_from=date(2022, 1, 1),
        valid_to=today() + timedelta(days=20),
    )
    RewardPolicy.objects.create(
        kind="exam_reward",
        level="assistant",
        amount=Decimal("1500"),
        valid_from=date(2022, 1, 1),
        valid_to=today() + timedelta(days=30),
    )
    body = page(manager)
    assert "市级建站补助（测试）" in body and body.count("home-policy") == 2
    # A rule of the same kind carries on: no warning; a rule of another level does not.
    RewardPolicy.objects.create(
        kind="exam_reward",
        level="intermediate",
        amount=Decimal("3000"),
        valid_from=today() + timedelta(days=31),
    )
    assert page(manager).count("home-policy") == 2
    SubsidyPolicy.objects.create(
        name="市级建站补助（续）",
        source="city",
        amount=Decimal("50000"),
        station_kinds=["township"],
        valid_from=today() + timedelta(days=21),
    )
    body = page(manager)
    assert "市级建站补助（测试）" not in body and body.count("home-policy") == 1
    assert "home-policy" in page(users[Role.CITY_ADMIN])
    assert "home-policy" not in page(users[Role.AUDITOR])


# --- a supervisor --------------------------------------------------------------------------------


def test_the_supervisor_sees_the_closures_to_approve(users: dict[str, Any]) -> None:
    user = users[Role.SUPERVISOR]
    mine, other = cb.supervisor_of(user), cb.supervisor()
    worker = build.worker(CICHENG_VILLAGE, name="结案社工")
    requested = {"stage": CaseStage.EVALUATION, "closure_requested_at": timezone.now()}
    case = cb.make_case(CICHENG, case_worker=worker, case_supervisor=mine, **requested)
    cb.make_case(CICHENG, case_worker=worker, case_supervisor=other, **requested)
    body = page(user)
    assert count(body, "home-closures-total") == 1 and case.number in body
    assert count(page(users[Role.CITY_ADMIN]), "home-closures-total") == 2
    Case.objects.filter(pk=case.pk).update(closure_requested_at=None)
    assert count(page(user), "home-closures-total") == 0


def test_the_supervisor_sees_their_sessions_and_follow_ups(users: dict[str, Any]) -> None:
    user = users[Role.SUPERVISOR]
    mine = cb.supervisor_of(user)
    station = cb.station(CICHENG)
    ids = ("home-follow-ups-overdue", "home-follow-ups-due")
    assert counts(user, *ids) == (0, 0)

    def session(held_on: date, topic: str, **extra: Any) -> SupervisionSession:
        return SupervisionSession.objects.create(
            supervisor=extra.pop("supervisor", mine),
            station=station,
            held_on=held_on,
            hours=Decimal("2.0"),
            topic=topic,
            **extra,
        )

    late = session(
        today() - timedelta(days=20), "个案记录规范", follow_up_due=today() - timedelta(1)
    )
    session(today() - timedelta(days=5), "危机干预", follow_up_due=today() + timedelta(days=7))
    session(today() + timedelta(days=3), "下次督导")
    session(today() - timedelta(days=2), "他人的督导", supervisor=cb.supervisor())
    body = page(user)
    assert counts(user, *ids) == (1, 1)
    assert "下次督导" in body and "个案记录规范" in body and "他人的督导" not in body
    late.follow_up_done = True
    late.save()
    assert counts(user, *ids) == (0, 1)


# --- the bureaus ------------------------------------------------------------------------------


def test_the_bureaus_see_what_waits_for_them(users: dict[str, Any]) -> None:
    officer, city = users[Role.DISTRICT_OFFICER], users[Role.CITY_ADMIN]
    ids = ("home-reviews-open", "home-batches-draft", "home-batches-approved")
    assert counts(officer, *ids) == (0, 0, 0)
    review = DuplicateReview.objects.create(
        region=cb.region(JIANGBEI),
        recipient=cb.recipient(CICHENG),
        match=cb.recipient("330205003000"),
    )
    batch = PaymentBatch.objects.create(
        kind="exam_reward",
        region=cb.region(JIANGBEI),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    assert counts(officer, *ids) == (1, 1, 0)
    assert counts(city, *ids) == (1, 1, 0)
    PaymentBatch.objects.filter(pk=batch.pk).update(status="approved")
    DuplicateReview.objects.filter(pk=review.pk).update(status=ReviewStatus.DISMISSED)
    assert counts(officer, *ids) == (0, 0, 1)
    # Another district's are not the officer's.
    PaymentBatch.objects.create(
        kind="exam_reward",
        region=cb.region("330203000000"),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    assert counts(officer, *ids) == (0, 0, 1)
    assert counts(city, *ids) == (0, 1, 1)


def test_the_city_sees_the_subsidies_to_pay(users: dict[str, Any]) -> None:
    city = users[Role.CITY_ADMIN]
    assert counts(city, "home-subsidies-payable") == (0,)
    policy = SubsidyPolicy.objects.create(
        name="建站补助",
        source="city",
        amount=Decimal("50000"),
        station_kinds=["township"],
        valid_from=date(2020, 1, 1),
    )
    station = cb.station(CICHENG)
    subsidy = Grant.objects.create(  # a subsidy is a grant under the policy (issue 12)
        funder=Funder.objects.create(
            name="宁波市民政局", kind="civil_affairs", tier="city", region=cb.region(CITY)
        ),
        tier="city",
        policy=policy,
        station=station,
        region=station.region,
        amount=Decimal("50000"),
        year=2022,
        granted_on=date(2022, 3, 1),
        purpose=policy.name,
    )
    assert counts(city, "home-subsidies-payable") == (1,)
    # the city's subsidies are paid by the city bureau: a district officer is not asked
    assert 'id="home-subsidies-payable"' not in page(users[Role.DISTRICT_OFFICER])
    Grant.objects.filter(pk=subsidy.pk).update(paid_on=date(2022, 6, 1))
    assert counts(city, "home-subsidies-payable") == (0,)


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.CITY_ADMIN, Role.AUDITOR])
def test_the_headline_is_the_cockpits_own(role: str, users: dict[str, Any]) -> None:
    user = users[role]
    cb.station(CICHENG)

    def shown() -> dict[str, str]:
        body = page(user)
        return dict(
            re.findall(
                r'id="home-headline-([a-z-]+)".*?class="[^"]*headline-value[^"]*">([^<]*)<',
                body,
                re.S,
            )
        )

    def cockpits() -> dict[str, str]:
        region = cockpit_region(actor=user, code=None)
        result = cockpit(actor=user, region=region, period=default_period(), detailed=False)
        return {h.id: h.value for h in headlines(result)}

    before = shown()
    assert before and all(cockpits()[key] == value for key, value in before.items())
    Recipient.objects.create(name="新服务对象", region=cb.region(CICHENG_VILLAGE))
    after = shown()
    assert all(cockpits()[key] == value for key, value in after.items())
    assert int(after["recipients"].replace(",", "")) == (
        int(before["recipients"].replace(",", "")) + 1
    )
