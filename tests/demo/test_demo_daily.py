"""The demo's daily work up to its build day (issue 10, demo/daily.py), on a small city rather
than the whole demo: agency contracts renewed through the build day, supervision sessions every
month since 2025, and the demo social worker with visits due and overdue; a second run changes
nothing and the same day gives the same city."""

from datetime import date, timedelta
from typing import Any

import pytest

from swstation.accounts.models import User
from swstation.cases.models import Case, ServiceRecord, VisitSchedule
from swstation.cases.selectors import records as case_selectors
from swstation.core.roles import Role
from swstation.demo.daily import (
    DEMO_WORKER,
    access_log_lines,
    demo_worker_plans,
    renew_contracts,
    supervision_sessions,
)
from swstation.recipients.models import IdentityView
from swstation.stations.models import ServiceAgency, Station
from swstation.workforce.models import SupervisionSession
from tests.cases import case_builders as cases
from tests.conftest import CICHENG, CITY
from tests.workforce import helpers as workforce

pytestmark = pytest.mark.django_db

BUILT_ON = date(2026, 12, 5)
CICHENG_VILLAGE = "330205103201"  # 勤丰村委会


@pytest.fixture
def station() -> Any:
    found = workforce.station(CICHENG)
    found.operating_model = "commissioned_agency"
    found.agency = ServiceAgency.objects.create(
        name="江北区测试社会工作服务中心",
        credit_code="52330205MJ0000001X",
        region=workforce.region("330205000000"),
    )
    found.contract_start = date(2022, 6, 1)
    found.contract_end = date(2025, 5, 31)  # ended, not renewed
    found.save()
    return found


def test_an_ended_contract_is_renewed_through_the_build_day(station: Any) -> None:
    assert renew_contracts(BUILT_ON) == 1
    station.refresh_from_db()
    assert (station.contract_start, station.contract_end) == (date(2025, 6, 1), date(2028, 5, 31))
    latest = station.history.order_by("-history_id").first()
    assert latest.history_change_reason == "购买服务合同到期续签"
    assert latest.history_date.date() == date(2025, 6, 1)
    assert renew_contracts(BUILT_ON) == 0  # a second run changes nothing
    # a contract current on the build day is left alone
    station.contract_end = BUILT_ON
    station.save()
    assert renew_contracts(BUILT_ON) == 0


@pytest.fixture
def supervised(station: Any) -> Any:
    staff = [workforce.person(CICHENG, name=f"督导对象{n}", station=station) for n in range(4)]
    supervisor = workforce.supervisor(CITY, name="示范督导")
    # A village outpost with no staff of its own: no session is held there.
    Station.objects.create(
        name="勤丰村社工室",
        kind="outpost",
        region=workforce.region(CICHENG_VILLAGE),
        parent_station=station,
        status="operating",
        opened_on=date(2022, 1, 1),
    )
    return staff, supervisor


def sessions_made() -> list[tuple[Any, ...]]:
    return sorted(
        SupervisionSession.objects.values_list("held_on", "station_id", "topic", "supervisor_id")
    )


def test_supervision_sessions_run_every_month_to_the_build_day(supervised: Any) -> None:
    made = supervision_sessions(BUILT_ON)
    assert made >= 20 * 12
    days = [row[0] for row in sessions_made()]
    assert min(days) >= date(2025, 1, 1) and max(days) <= BUILT_ON
    months = {(day.year, day.month) for day in days}
    assert len(months) == 24  # 2025-01 to 2026-12, the build's month too
    # Every session is held with a station's staff (none at the staff-less outpost).
    assert not SupervisionSession.objects.filter(participants__isnull=True).exists()
    assert not SupervisionSession.objects.filter(station__kind="outpost").exists()
    pending = SupervisionSession.objects.filter(
        follow_up_done=False, follow_up_due__gte=BUILT_ON - timedelta(days=30)
    )
    assert pending.exists()  # recent follow-ups still to do
    first = sessions_made()
    assert supervision_sessions(BUILT_ON) == 0  # a second run changes nothing
    SupervisionSession.objects.all().delete()
    assert supervision_sessions(BUILT_ON) == made
    assert sessions_made() == first  # the same day, the same sessions


def test_the_demo_worker_has_visits_due_and_overdue(make_user: Any, station: Any) -> None:
    user = make_user(Role.SOCIAL_WORKER, CICHENG)
    User.objects.filter(pk=user.pk).update(username=DEMO_WORKER)
    user.refresh_from_db()
    me = cases.worker(CICHENG, name="慈城社工", user=user, hired_on=date(2021, 6, 1))
    people = []
    for _n in range(5):
        case = cases.make_case(CICHENG, case_worker=me, opened_on=date(2024, 3, 1))
        Case.objects.filter(pk=case.pk).update(stage="intervention")
        people.append(case.recipient)
    for person in people:
        person.birth_date = date(1940, 1, 1)
        person.registered_on = date(2023, 1, 1)
        person.save()
    for n in range(4):
        cases.recipient(CICHENG, birth_date=date(1950 + n, 1, 1), registered_on=date(2023, 1, 1))

    assert demo_worker_plans(BUILT_ON) == 8
    plans = VisitSchedule.objects.filter(worker=me)
    assert plans.count() == 8
    assert set(plans.values_list("recipient_id", flat=True)) >= {p.pk for p in people}
    assert ServiceRecord.objects.filter(worker=me, served_on__gt=BUILT_ON).count() == 0
    assert ServiceRecord.objects.filter(worker=me, case__isnull=False).exists()
    overdue = case_selectors.visits_overdue(actor=user, on=BUILT_ON)
    due = case_selectors.visits_due(actor=user, on=BUILT_ON)
    assert overdue.count() == 2
    assert due.count() == 2
    assert demo_worker_plans(BUILT_ON) == 0  # a second run changes nothing
    assert VisitSchedule.objects.filter(worker=me).count() == 8


def test_the_access_log_holds_the_last_months_views(make_user: Any) -> None:
    from tests.recipients.helpers import make_recipient

    for username, role, code in (
        ("cicheng_worker", Role.SOCIAL_WORKER, CICHENG),
        ("jiangbei_officer", Role.DISTRICT_OFFICER, "330205000000"),
    ):
        user = make_user(role, code)
        User.objects.filter(pk=user.pk).update(username=username)
    for n in range(6):
        person = make_recipient(name=f"日志对象{n}", phone=f"1390000{n:04d}")
        person.registered_on = date(2024, 1, 1)
        person.save()
    assert access_log_lines(BUILT_ON) == 12 + 2
    lines = IdentityView.objects.all()
    days = sorted(line.viewed_at.date() for line in lines)
    assert BUILT_ON - timedelta(days=181) <= days[0] and days[-1] < BUILT_ON
    views = lines.filter(kind="view")
    assert views.count() == 12
    assert set(views.values_list("field", flat=True)) <= {"id_number", "phone"}
    assert not views.filter(recipient__isnull=True).exists()
    rosters = lines.filter(kind="export", field="payment_details", recipient__isnull=True)
    assert rosters.count() == 2 and all(r.count >= 60 for r in rosters)
    line = lines.first()
    assert line is not None and line.history.get().viewed_at == line.viewed_at
    assert access_log_lines(BUILT_ON) == 0  # a second run changes nothing
