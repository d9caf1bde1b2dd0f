"""The automatic indicators' measured values (evaluation/measures.py; spec/station-evaluation.md
§2.1 "Period and snapshot", §2.3): for each key, a small set of records gives the value, a
record dated outside the period or created after the cut-off (``entered_by``) does not count;
and the number of queries does not grow with the number of stations."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from swstation.cases.models import CaseStage, ServiceRecord, VisitSchedule
from swstation.community.models import GroupStage, SessionAttendance
from swstation.core.roles import Role
from swstation.evaluation.measures import (
    MEASURES,
    Measure,
    MeasurePeriod,
    _longest_gap,
    measure_stations,
)
from swstation.linkage.models import ReferralStatus
from swstation.projects.models import ProjectIndicator, ProjectStatus
from swstation.recipients.models import Category, CategoryPeriod, Recipient
from swstation.regions.models import Region
from swstation.stations.models import Room, Station
from swstation.workforce.models import Attendance, SocialWorker, SupervisionSession
from tests.cases import case_builders as cb
from tests.community import helpers as community
from tests.conftest import CICHENG, YUEHU
from tests.funds import helpers as funds
from tests.linkage import helpers as linkage
from tests.projects import helpers as projects
from tests.stations.helpers import make_policy, make_standard, make_subsidy
from tests.volunteers import helpers as volunteers
from tests.workforce import helpers as workforce

pytestmark = pytest.mark.django_db

KONGPU = cb.KONGPU
START, SNAPSHOT = date(2024, 1, 1), date(2024, 12, 31)


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def period() -> MeasurePeriod:
    """The year 2024; records made by the tests now are entered before the cut-off, which is
    tomorrow (a test moves ``created_at`` past it to show back-filling does not count)."""
    return MeasurePeriod(START, SNAPSHOT, timezone.now() + timedelta(days=1))


def late(obj: Any, period: MeasurePeriod) -> None:
    """Back-filled after the cut-off."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=period.entered_by + timedelta(seconds=1))


def created(obj: Any, when: datetime) -> None:
    type(obj).objects.filter(pk=obj.pk).update(created_at=when)


def measure(key: str, station: Station, period: MeasurePeriod) -> Measure:
    """The measure of one station, its detail in English (the catalog's Chinese is compiled
    by the setup, not by the tests)."""
    with translation.override("en"):
        return MEASURES[key]([station], period)[station.pk]


def station(code: str = CICHENG) -> Station:
    return workforce.station(code)


def staff(at: Station, n: int = 1, **extra: Any) -> list[SocialWorker]:
    extra.setdefault("hired_on", date(2022, 1, 1))
    return [
        SocialWorker.objects.create(
            name=f"专职社工{at.pk}-{SocialWorker.objects.count()}",
            region=at.region,
            station=at,
            **extra,
        )
        for _ in range(n)
    ]


def course(code: str, held_on: date, hours: str = "12") -> Any:
    made = workforce.course(code, hours=hours)
    type(made).objects.filter(pk=made.pk).update(held_on=held_on)
    return made


def contract(code: str = CICHENG, **dates: Any) -> Any:
    """A purchase contract of ``code``'s township for its station (2024), with other dates."""
    made = funds.contract(code)
    type(made).objects.filter(pk=made.pk).update(**dates)
    return made


def person(code: str = CICHENG, **extra: Any) -> Recipient:
    """A recipient in service since 2020 in a village of ``code``."""
    return projects.recipient(code, **extra)


def service(
    who: Recipient, by: SocialWorker, served_on: date, minutes: int = 60, **extra: Any
) -> ServiceRecord:
    return volunteers.record(who, by, served_on, minutes, **extra)


def test_period_days_and_keys(period: MeasurePeriod) -> None:
    assert period.days == 366
    assert MeasurePeriod(date(2024, 3, 1), date(2024, 3, 1), period.entered_by).days == 1
    # B5 stays manual: training classes have no station (the module's docstring).
    assert "talent_sessions" not in MEASURES
    assert len(MEASURES) == 27  # with H5 (substantiated complaints, test_surveys.py)


def test_measure_stations_all_or_some_keys(period: MeasurePeriod) -> None:
    a, b = station(CICHENG), station(YUEHU)
    everything = measure_stations([a, b], period)
    assert set(everything) == {a.pk, b.pk}
    assert set(everything[a.pk]) == set(MEASURES)
    some = measure_stations([a, b], period, keys=["cases_opened", "name_sign"])
    assert set(some[b.pk]) == {"cases_opened", "name_sign"}
    with pytest.raises(KeyError):
        measure_stations([a], period, keys=["nonsense"])


# --- A ----------------------------------------------------------------------------------------


def test_rooms_present(period: MeasurePeriod) -> None:
    at = station()
    assert measure("rooms_present", at, period).value is None  # no standard in force
    make_standard(required_rooms=["office", "casework_room", "group_room"])
    Room.objects.create(station=at, kind="office", area_m2=Decimal(20))
    Room.objects.create(
        station=at, kind="casework_room", area_m2=Decimal(12), shared_with="home_care_center"
    )
    # Given up before the snapshot, and one back-filled after the cut-off.
    Room.objects.create(
        station=at, kind="group_room", area_m2=Decimal(30), in_use_to=date(2024, 6, 30)
    )
    got = measure("rooms_present", at, period)
    assert (got.value, got.numerator, got.denominator) == (2, 2, 3)
    assert got.detail == "2 of 3 required rooms; missing: Group activity room"
    # A state has no entry cut-off (spec §2.1): a room registered late with its dates counts.
    backfilled = Room.objects.create(station=at, kind="group_room", area_m2=Decimal(30))
    late(backfilled, period)
    got = measure("rooms_present", at, period)
    assert (got.value, got.numerator, got.denominator) == (3, 3, 3)
    Room.objects.create(
        station=at, kind="group_room", area_m2=Decimal(30), in_use_from=date(2024, 12, 31)
    )
    assert measure("rooms_present", at, period).value == 3


def test_name_sign(period: MeasurePeriod) -> None:
    at = station()
    Station.objects.filter(pk=at.pk).update(has_sign=True, sign_installed_on=date(2024, 2, 1))
    assert measure("name_sign", at, period).value == 1
    Station.objects.filter(pk=at.pk).update(sign_installed_on=date(2025, 1, 2))
    assert measure("name_sign", at, period).value == 0
    Station.objects.filter(pk=at.pk).update(
        has_sign=False, sign_installed_on=date(2023, 1, 1), sign_removed_on=date(2024, 12, 31)
    )
    got = measure("name_sign", at, period)
    assert got.value == 0
    assert got.detail == "No name sign on the snapshot date"


# --- B ----------------------------------------------------------------------------------------


def test_fulltime_staff(period: MeasurePeriod) -> None:
    at = station()
    staff(at, 3)
    staff(at, 1, is_fulltime=False)
    staff(at, 1, left_on=date(2024, 12, 31))  # left on the snapshot: no longer working
    staff(at, 1, hired_on=date(2025, 1, 2))  # hired after the snapshot
    staff(at, 1, hired_on=None)  # no date: since ever
    got = measure("fulltime_staff", at, period)
    assert got.value == 4
    assert got.detail == "4 full-time staff on the snapshot date"
    late(staff(at, 1)[0], period)  # a state: registered late, still counted by its dates
    assert measure("fulltime_staff", at, period).value == 5


def test_certified_fulltime_staff(period: MeasurePeriod) -> None:
    at = station()
    first, second, third = staff(at, 3)
    workforce.certificate(first, "assistant", date(2020, 6, 1))
    workforce.certificate(second, "intermediate", date(2025, 1, 10))  # after the snapshot
    late(workforce.certificate(third, "assistant", date(2024, 6, 1)), period)
    got = measure("certified_fulltime_staff", at, period)
    assert (got.value, got.numerator, got.denominator) == (2, 2, 3)  # obtained in time
    workforce.certificate(third, "intermediate", date(2024, 11, 1))
    assert measure("certified_fulltime_staff", at, period).value == 2


def test_supervision_hours_per_worker(period: MeasurePeriod) -> None:
    at = station()
    a, b = staff(at, 2)
    part_timer = staff(at, 1, is_fulltime=False)[0]
    boss = workforce.supervisor(cb.JIANGBEI)

    def session(held_on: date, hours: str, *people: SocialWorker) -> SupervisionSession:
        made = SupervisionSession.objects.create(
            supervisor=boss, station=at, held_on=held_on, hours=Decimal(hours), topic="个案督导"
        )
        made.participants.set(people)
        return made

    session(date(2024, 5, 10), "3", a, b, part_timer)
    session(date(2024, 9, 10), "2", a)
    session(date(2023, 12, 20), "4", a, b)  # before the period
    late(session(date(2024, 10, 1), "5", a, b), period)
    got = measure("supervision_hours_per_worker", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("4.00"), 8, 2)
    assert measure("supervision_hours_per_worker", station(YUEHU), period).value is None


def test_training_hours_per_worker(period: MeasurePeriod) -> None:
    at = station()
    a, b = staff(at, 2)
    this_year = course(CICHENG, date(2024, 4, 1))
    old = course(CICHENG, date(2023, 4, 1))
    Attendance.objects.create(course=this_year, social_worker=a, hours=Decimal(10))
    Attendance.objects.create(course=this_year, social_worker=b, hours=Decimal(5))
    Attendance.objects.create(course=old, social_worker=a, hours=Decimal(12))
    other = course(CICHENG, date(2024, 5, 1), "6")
    late(Attendance.objects.create(course=other, social_worker=b, hours=Decimal(6)), period)
    got = measure("training_hours_per_worker", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("7.50"), 15, 2)


def test_longest_gap() -> None:
    first, last = date(2024, 1, 1), date(2024, 12, 31)
    three = [(None, None)] * 3
    assert _longest_gap(three, first, last, 3) == 0
    assert _longest_gap(three, first, last, 4) == 366
    # One leaves on 1 June (first day gone) and a successor starts on 1 July: 30 days short.
    spans = [(None, None), (None, None), (None, date(2024, 6, 1)), (date(2024, 7, 1), None)]
    assert _longest_gap(spans, first, last, 3) == 30
    # Hired on the snapshot: one day with enough staff at the very end.
    assert _longest_gap([(None, None), (date(2024, 12, 31), None)], first, last, 2) == 365


def test_staff_minimum_kept(period: MeasurePeriod) -> None:
    at = station()
    assert measure("staff_minimum_kept", at, period).value is None  # no standard
    make_standard(min_fulltime_staff=3)
    staff(at, 2)
    leaver = staff(at, 1, left_on=date(2024, 6, 1))[0]
    successor = staff(at, 1, hired_on=date(2024, 7, 1))[0]
    got = measure("staff_minimum_kept", at, period)
    assert got.value == 1  # 30 days short: kept
    assert "30" in got.detail
    SocialWorker.objects.filter(pk=successor.pk).update(hired_on=date(2024, 7, 2))
    assert measure("staff_minimum_kept", at, period).value == 0  # 31 days
    # A successor hired in time covers the gap, even when registered late (a state).
    late(staff(at, 1, hired_on=date(2024, 6, 1))[0], period)
    assert measure("staff_minimum_kept", at, period).value == 1
    staff(at, 1, hired_on=date(2024, 6, 1))
    assert measure("staff_minimum_kept", at, period).value == 1
    assert leaver.left_on == date(2024, 6, 1)


# --- C ----------------------------------------------------------------------------------------


def closed_case(approver: Any, closed_on: date = date(2024, 6, 30), **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "stage": CaseStage.CLOSED,
        "assessment_summary": "独居，需要生活照料",
        "evaluation_summary": "目标基本达成",
        "closing_summary": "结案",
        "closing_reason": "goals_met",
        "closure_approved_by": approver,
        "closed_on": closed_on,
        "opened_on": date(2024, 1, 10),
    }
    fields.update(extra)
    case = cb.make_case(CICHENG, **fields)
    cb.goal(case, achieved=True)
    cb.service_record(case, date(2024, 3, 1))
    return case


def test_case_files_complete(period: MeasurePeriod, make_user: Any) -> None:
    approver = make_user(Role.SUPERVISOR)
    at = station()
    complete = closed_case(approver)
    closed_case(approver, evaluation_summary="")
    closed_case(approver, closure_approved_by=None)  # closed on the person's exit
    closed_case(approver, closed_on=date(2023, 12, 31))  # before the period
    late(closed_case(approver), period)
    got = measure("case_files_complete", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("33.33"), 1, 3)
    assert got.detail == "3 cases closed, 1 with complete files"
    # The file's only goal back-filled after the cut-off: incomplete.
    late(complete.goals.get(), period)
    assert measure("case_files_complete", at, period).numerator == 0
    assert measure("case_files_complete", station(YUEHU), period).value is None


def test_records_on_time(period: MeasurePeriod) -> None:
    at = station()
    by, who = cb.worker(CICHENG), person()
    on_time = service(who, by, date(2024, 6, 1))
    created(on_time, local(2024, 6, 5))
    # The seventh day, late in the evening in Ningbo (15:30 UTC).
    seventh = service(who, by, date(2024, 6, 1))
    created(seventh, local(2024, 6, 8, 23, 30))
    eighth = service(who, by, date(2024, 6, 1))
    created(eighth, local(2024, 6, 9, 0, 10))  # 8 June 16:10 UTC, but 9 June in Ningbo
    created(service(who, by, date(2023, 12, 30)), local(2024, 1, 2))  # before the period
    late(service(who, by, date(2024, 12, 30)), period)
    got = measure("records_on_time", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("66.67"), 2, 3)


# --- D ----------------------------------------------------------------------------------------


def test_cases_opened(period: MeasurePeriod) -> None:
    at = station()
    cb.make_case(CICHENG, opened_on=date(2024, 1, 1))
    cb.make_case(CICHENG, opened_on=date(2024, 12, 31))
    cb.make_case(CICHENG, opened_on=date(2023, 12, 31))
    cb.make_case(CICHENG, opened_on=date(2025, 1, 1))
    late(cb.make_case(CICHENG, opened_on=date(2024, 5, 1)), period)
    got = measure("cases_opened", at, period)
    assert got.value == 2
    assert got.detail == "2 cases opened in the period"


def test_groups_completed(period: MeasurePeriod) -> None:
    at = station()

    def group(ended_on: date, attended: int, empty: int = 0) -> Any:
        made = community.group(stage=GroupStage.ENDED, ended_on=ended_on)
        member = community.member(made)
        for number in range(1, attended + 1):
            session = community.session(made, number, held_on=date(2024, 3, number))
            if number % 2:
                SessionAttendance.objects.create(session=session, member=member)
            else:
                type(session).objects.filter(pk=session.pk).update(walk_in_count=3)
        for number in range(attended + 1, attended + empty + 1):
            community.session(made, number, held_on=date(2024, 4, number))
        return made

    group(date(2024, 10, 1), 4)
    group(date(2024, 10, 1), 3, empty=2)  # five sessions, only three with anyone present
    group(date(2023, 12, 1), 4)  # ended before the period
    late(group(date(2024, 11, 1), 4), period)
    running = group(date(2024, 11, 1), 4)
    type(running).objects.filter(pk=running.pk).update(stage=GroupStage.MATURE, ended_on=None)
    got = measure("groups_completed", at, period)
    assert got.value == 1
    # A session back-filled after the cut-off does not make the fourth.
    short = group(date(2024, 10, 1), 3)
    late(community.session(short, 9, held_on=date(2024, 9, 9), walk_in_count=2), period)
    assert measure("groups_completed", at, period).value == 1


def test_community_activities(period: MeasurePeriod) -> None:
    at = station()
    community.activity(held_on=date(2024, 1, 1))
    community.activity(held_on=date(2024, 12, 31))
    community.activity(held_on=date(2024, 6, 1), kind="training")  # the employment aid's
    community.activity(held_on=date(2023, 12, 31))
    late(community.activity(held_on=date(2024, 6, 1)), period)
    assert measure("community_activities", at, period).value == 2


def test_vulnerable_served(period: MeasurePeriod) -> None:
    at, by = station(), cb.worker(CICHENG)
    low_income = Category.objects.get(code="subsistence_allowance")
    alone = Category.objects.get(code="elderly_living_alone")

    def held(who: Recipient, category: Category, since: date, until: date | None = None) -> None:
        CategoryPeriod.objects.create(
            recipient=who, category=category, valid_from=since, valid_to=until
        )

    served, unserved, left_category, undated, exited, nobody = (person() for _ in range(6))
    held(served, low_income, date(2022, 1, 1))
    service(served, by, date(2024, 5, 1))
    held(unserved, alone, date(2024, 12, 31))
    late(service(unserved, by, date(2024, 5, 1)), period)  # back-filled
    service(unserved, by, date(2023, 5, 1))  # before the period
    held(left_category, low_income, date(2020, 1, 1), date(2024, 6, 30))
    undated.categories.add(alone)  # no period recorded: held since ever
    held(exited, low_income, date(2020, 1, 1))
    Recipient.objects.filter(pk=exited.pk).update(
        exited_on=date(2024, 10, 1), exit_reason="moved_away", status="moved"
    )
    service(nobody, by, date(2024, 5, 1))  # no category
    outside = person(YUEHU)
    held(outside, low_income, date(2020, 1, 1))
    got = measure("vulnerable_served", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("33.33"), 1, 3)
    service(undated, cb.worker(YUEHU), date(2024, 12, 31))  # any station's service counts
    assert measure("vulnerable_served", at, period).numerator == 2


def test_visits_kept() -> None:
    quarter = MeasurePeriod(date(2024, 1, 1), date(2024, 3, 31), timezone.now() + timedelta(1))
    at, by = station(), cb.worker(CICHENG)
    who, other = person(), person()

    def plan(of: Recipient, starts_on: date, **extra: Any) -> VisitSchedule:
        extra.setdefault("service_type", "home_visit")
        extra.setdefault("times_per_month", 2)
        return VisitSchedule.objects.create(recipient=of, worker=by, starts_on=starts_on, **extra)

    plan(who, date(2023, 11, 1))
    plan(other, date(2024, 2, 15))  # counts for March only (not a whole February)
    plan(person(YUEHU), date(2023, 1, 1))  # another station's area
    service(who, by, date(2024, 1, 3))
    service(who, by, date(2024, 1, 20))  # January kept
    service(who, by, date(2024, 2, 3))
    service(who, by, date(2024, 2, 4), service_type="phone")  # February: one of the type
    service(who, by, date(2024, 3, 3))
    late(service(who, by, date(2024, 3, 4)), quarter)  # March: the second back-filled
    got = measure("visits_kept", at, quarter)
    assert (got.value, got.numerator, got.denominator) == (Decimal("25.00"), 1, 4)
    service(who, by, date(2024, 3, 5))
    assert measure("visits_kept", at, quarter).numerator == 2
    # A snapshot in the middle of March leaves March out.
    half = MeasurePeriod(date(2024, 1, 1), date(2024, 3, 15), quarter.entered_by)
    assert measure("visits_kept", at, half).denominator == 2


def test_village_coverage(period: MeasurePeriod) -> None:
    at, by = station(), cb.worker(CICHENG)
    villages = list(
        Region.objects.filter(code__startswith="330205103", level="village").order_by("code")
    )
    first, second, third, fourth = villages[:4]
    service(projects.recipient(first.code), by, date(2024, 6, 1))
    community.activity(region=second, held_on=date(2024, 3, 1))
    meeting = community.group(village=third)
    community.session(meeting, 1, held_on=date(2024, 2, 1))
    service(projects.recipient(fourth.code), by, date(2023, 12, 31))  # before the 12 months
    late(community.activity(region=fourth, held_on=date(2024, 3, 1)), period)
    got = measure("village_coverage", at, period)
    assert (got.numerator, got.denominator) == (3, len(villages))
    assert got.value == (Decimal(300) / len(villages)).quantize(Decimal("0.01"))
    community.activity(region=fourth, held_on=date(2024, 1, 1))
    assert measure("village_coverage", at, period).numerator == 4


def test_service_out(period: MeasurePeriod) -> None:
    at, by, who = station(), cb.worker(CICHENG), person()
    service(who, by, date(2024, 2, 1), 60, service_type="home_visit")
    service(who, by, date(2024, 2, 1), 30, service_type="health_visit")
    service(who, by, date(2024, 2, 1), 30, service_type="phone")
    service(who, by, date(2024, 2, 1), 80, service_type="counselling")
    service(who, by, date(2023, 2, 1), 100, service_type="home_visit")
    late(service(who, by, date(2024, 2, 1), 100, service_type="home_visit"), period)
    got = measure("service_out", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("45.00"), 90, 200)
    assert measure("service_out", station(YUEHU), period).value is None


# --- E ----------------------------------------------------------------------------------------


def project(category: str, starts_on: date = START, ends_on: date = SNAPSHOT, **extra: Any) -> Any:
    extra.setdefault("status", ProjectStatus.RUNNING)
    return projects.project(
        CICHENG, category=category, starts_on=starts_on, ends_on=ends_on, **extra
    )


def test_portfolio_1x1(period: MeasurePeriod) -> None:
    at = station()
    project("vulnerable_groups")
    project("regional_feature", status=ProjectStatus.PROPOSED)
    project("talent_support", date(2023, 7, 1), date(2024, 6, 30))
    second = project("talent_support", date(2024, 6, 1), date(2025, 5, 31))
    got = measure("portfolio_1x1", at, period)
    assert got.value == 1  # no regional project approved; two talent projects at once in June
    type(second).objects.filter(pk=second.pk).update(starts_on=date(2024, 7, 1))
    assert measure("portfolio_1x1", at, period).value == 2
    project("regional_feature", date(2022, 1, 1), date(2023, 12, 31))  # ended before
    assert measure("portfolio_1x1", at, period).value == 2
    late(project("regional_feature"), period)  # a state: its dates count, not its entry
    assert measure("portfolio_1x1", at, period).value == 3
    project("regional_feature", date(2024, 12, 31), date(2025, 12, 31))
    got = measure("portfolio_1x1", at, period)
    assert got.value == 3
    assert got.detail == (
        "Projects active in the period: 1 vulnerable groups, 2 regional feature, 2 talent support"
    )


def indicator(of: Any, target: str, actual: str | None, **extra: Any) -> ProjectIndicator:
    extra.setdefault("measure", "manual")
    extra.setdefault("unit", "次")
    extra.setdefault("evidence_note", "线下活动")
    return ProjectIndicator.objects.create(
        project=of,
        objective="减少独居老人的孤独感",
        name="活动场次",
        target=Decimal(target),
        manual_actual=None if actual is None else Decimal(actual),
        **extra,
    )


def test_project_design_complete(period: MeasurePeriod) -> None:
    at = station()
    designed = project("vulnerable_groups", description="需求评估：独居老人120人")
    created(indicator(designed, "10", None), local(2023, 12, 1))
    funds.grant(CICHENG, project=designed, granted_on=date(2023, 12, 15), year=2023)
    undesigned = project("regional_feature", description="社区营造")
    indicator(undesigned, "10", None)  # recorded after the start (now)
    project("talent_support", description="", status=ProjectStatus.PROPOSED)  # not active
    got = measure("project_design_complete", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("50.00"), 1, 2)
    created(indicator(undesigned, "5", None), local(2023, 12, 31, 23, 59))
    assert measure("project_design_complete", at, period).numerator == 1  # no budget yet
    contract(CICHENG, project=undesigned, signed_on=date(2023, 12, 20))
    assert measure("project_design_complete", at, period).value == 100
    late(funds.grant(CICHENG, project=designed, granted_on=date(2023, 1, 1)), period)
    type(designed).objects.filter(pk=designed.pk).update(description="")
    assert measure("project_design_complete", at, period).value == 50


def test_project_outputs_achieved(period: MeasurePeriod) -> None:
    at = station()
    assert measure("project_outputs_achieved", at, period).value is None
    first = project("vulnerable_groups")
    indicator(first, "100", "25")
    indicator(first, "10", "20")  # beyond the target counts as met, not more
    second = project("regional_feature")
    indicator(second, "10", "10")
    project("talent_support")  # no indicators: left out
    got = measure("project_outputs_achieved", at, period)
    assert got.value == Decimal("81.25")  # (0.625 + 1) / 2
    late(second, period)  # a project is a state: registered late, still counted
    assert measure("project_outputs_achieved", at, period).value == Decimal("81.25")
    # Half of a two-year project's period (2024 of 2024–2025): the target is halved.
    longer = project("talent_support", date(2024, 1, 1), date(2025, 12, 31))
    indicator(longer, "731", "183")
    got = measure("project_outputs_achieved", at, period)
    assert got.value == Decimal("70.83")  # (0.625 + 1 + 0.5) / 3
    indicator(longer, "10", None)  # not reported: 0
    assert measure("project_outputs_achieved", at, period).value == Decimal(
        "62.50"
    )  # (0.625 + 1 + 0.25) / 3


# --- F ----------------------------------------------------------------------------------------


def test_volunteer_hours(period: MeasurePeriod) -> None:
    at, by, who = station(), cb.worker(CICHENG), person()
    helper = volunteers.volunteer(CICHENG)
    volunteers.named(service(who, by, date(2024, 3, 1), 180), helper, "2.5")
    volunteers.named(service(who, by, date(2023, 3, 1), 180), helper, "3")
    community.hours(community.activity(held_on=date(2024, 5, 1)), "1.5", volunteer=helper)
    volunteers.volunteer(YUEHU)
    got = measure("volunteer_hours", at, period)
    assert got.value == Decimal("4.00")
    assert got.detail == "4 volunteer hours (the station's volunteers who gave hours: 1)"
    late(volunteers.volunteer(CICHENG), period)  # a volunteer registered after the cut-off
    assert measure("volunteer_hours", station(YUEHU), period).value == 0


def test_partner_kinds(period: MeasurePeriod) -> None:
    at, by, who = station(), cb.worker(CICHENG), person()
    service(who, by, date(2023, 6, 1))  # before the period
    assert measure("partner_kinds", at, period).value == 0
    late(service(who, by, date(2024, 6, 1)), period)
    assert measure("partner_kinds", at, period).value == 0
    service(who, by, date(2024, 6, 1))
    got = measure("partner_kinds", at, period)
    assert got.value == 1
    assert got.detail == "Kinds taking part: Social workers"
    event = community.activity(held_on=date(2024, 7, 1))
    event.partners.add(linkage.partner(CICHENG, kind="social_org"))
    linkage.referral(CICHENG, to=linkage.partner(CICHENG, kind="enterprise"), sent_on=START)
    assert measure("partner_kinds", at, period).value == 4
    helper = volunteers.volunteer(CICHENG)
    volunteers.named(service(who, by, date(2024, 3, 1), 120), helper, "1")
    got = measure("partner_kinds", at, period)
    assert got.value == 5
    assert got.detail == (
        "Kinds taking part: Community、Social organisations、Social workers、"
        "Community volunteers、Charitable resources"
    )


def test_social_money(period: MeasurePeriod) -> None:
    at, other = station(), station(YUEHU)
    charity = funds.funder(CICHENG, tier="social")
    donation = funds.grant(CICHENG, "10000.00", by=charity, granted_on=date(2024, 3, 1))
    funds.grant(YUEHU, "3000.00", by=charity, parent=donation, granted_on=date(2024, 4, 1))
    funds.grant(CICHENG, "5000.00", by=charity, granted_on=date(2023, 3, 1), year=2023)
    funds.grant(CICHENG, "8000.00", by=funds.funder(cb.JIANGBEI, tier="county"))
    late(funds.grant(CICHENG, "9000.00", by=charity, granted_on=date(2024, 5, 1)), period)
    assert measure("social_money", at, period).value == Decimal("7000.00")
    assert measure("social_money", other, period).value == Decimal("3000.00")
    assert (
        measure("social_money", at, period).detail
        == "Social money granted in the period: ¥7,000.00 (grants: 1)"
    )


def test_referral_outcomes(period: MeasurePeriod) -> None:
    at = station()
    sent = {"sent_on": date(2024, 5, 1)}
    linkage.referral(
        CICHENG,
        status=ReferralStatus.COMPLETED,
        outcome="resolved",
        completed_on=date(2024, 8, 1),
        **sent,
    )
    linkage.referral(CICHENG, status=ReferralStatus.DECLINED, answered_on=date(2024, 5, 3), **sent)
    linkage.referral(CICHENG, status=ReferralStatus.SENT, **sent)
    linkage.referral(
        CICHENG, status=ReferralStatus.WITHDRAWN, withdrawn_on=date(2024, 6, 1), **sent
    )
    linkage.referral(
        CICHENG,
        status=ReferralStatus.COMPLETED,
        outcome="partly",
        sent_on=date(2023, 12, 1),
        completed_on=date(2024, 1, 5),
    )
    late_answer = linkage.referral(
        CICHENG,
        status=ReferralStatus.COMPLETED,
        outcome="partly",
        completed_on=timezone.localdate(period.entered_by) + timedelta(days=1),
        **sent,
    )
    late(linkage.referral(CICHENG, **sent), period)
    got = measure("referral_outcomes", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("50.00"), 2, 4)
    type(late_answer).objects.filter(pk=late_answer.pk).update(completed_on=date(2025, 1, 2))
    assert measure("referral_outcomes", at, period).numerator == 3


# --- G ----------------------------------------------------------------------------------------


def test_budget_execution(period: MeasurePeriod) -> None:
    at = station()
    assert measure("budget_execution", at, period).value is None  # no budget
    county = funds.funder(cb.JIANGBEI, tier="county")
    grant = funds.grant(CICHENG, "100000.00", by=county, year=2024)
    funds.expense(grant, "45000.00", spent_on=date(2024, 6, 1))
    funds.expense(grant, "5000.00", spent_on=date(2025, 1, 5))  # after the snapshot
    contract = funds.contract(CICHENG, "300000.00")
    funds.instalment(contract, 1, "100000.00", due_on=date(2024, 3, 1))
    funds.instalment(contract, 2, "100000.00", due_on=date(2025, 3, 1))  # after the period
    funds.expense(contract, "50000.00", spent_on=date(2024, 7, 1))
    late(funds.expense(contract, "70000.00", spent_on=date(2024, 7, 1)), period)
    got = measure("budget_execution", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("47.50"), 95000, 200000)
    assert got.detail == "Spent ¥95,000.00 of a budget of ¥200,000.00 for the period"
    # A period of the second half of 2024 takes half the year's grant (184 of 366 days).
    half = MeasurePeriod(date(2024, 7, 1), SNAPSHOT, period.entered_by)
    got = measure("budget_execution", at, half)
    assert got.denominator == Decimal("50273.22")
    assert got.numerator == 50000


def test_funds_tiers(period: MeasurePeriod) -> None:
    at = station()
    policy = make_policy()
    make_subsidy(at, policy, paid_on=date(2021, 6, 1))
    funds.grant(CICHENG, by=funds.funder(cb.JIANGBEI, tier="county"), granted_on=date(2024, 2, 1))
    contract(CICHENG, starts_on=date(2023, 7, 1), ends_on=date(2024, 1, 31))
    funds.grant(CICHENG, by=funds.funder(CICHENG, tier="social"), granted_on=date(2023, 12, 1))
    late(funds.grant(CICHENG, by=funds.funder(CICHENG, tier="social")), period)
    got = measure("funds_tiers", at, period)
    assert got.value == 3
    assert got.detail == "Tiers present: City subsidy、County allocation、Township matching funds"
    funds.grant(CICHENG, by=funds.funder(CICHENG, tier="social"), granted_on=date(2024, 12, 31))
    assert measure("funds_tiers", at, period).value == 4
    assert measure("funds_tiers", station(YUEHU), period).value == 0


# --- H ----------------------------------------------------------------------------------------


def test_case_goals_met(period: MeasurePeriod, make_user: Any) -> None:
    approver = make_user(Role.SUPERVISOR)
    at = station()
    case = closed_case(approver)  # one goal, achieved
    cb.goal(case, achieved=False)
    cb.goal(case, achieved=True)
    late(cb.goal(case, achieved=False), period)
    open_case = cb.make_case(CICHENG, opened_on=date(2024, 2, 1))
    cb.goal(open_case, achieved=True)
    old = closed_case(approver, closed_on=date(2023, 12, 1))
    cb.goal(old, achieved=False)
    got = measure("case_goals_met", at, period)
    assert (got.value, got.numerator, got.denominator) == (Decimal("66.67"), 2, 3)
    assert measure("case_goals_met", station(YUEHU), period).value is None


# --- queries ----------------------------------------------------------------------------------


def records_of(code: str, approver: Any) -> None:
    """Some records of every kind at the station of ``code``."""
    at = station(code)
    worker = staff(at, 3)[0]
    Room.objects.create(station=at, kind="office", area_m2=Decimal(20))
    workforce.certificate(worker, "assistant", date(2020, 6, 1))
    session = SupervisionSession.objects.create(
        supervisor=workforce.supervisor(cb.JIANGBEI),
        station=at,
        held_on=date(2024, 5, 1),
        hours=Decimal(2),
        topic="督导",
    )
    session.participants.set([worker])
    Attendance.objects.create(
        course=course(code, date(2024, 4, 1)),
        social_worker=worker,
        hours=Decimal(3),
    )
    who = person(code)
    CategoryPeriod.objects.create(
        recipient=who, category=Category.objects.get(code="disabled"), valid_from=date(2020, 1, 1)
    )
    VisitSchedule.objects.create(
        recipient=who,
        worker=worker,
        service_type="home_visit",
        times_per_month=1,
        starts_on=date(2023, 1, 1),
    )
    record = service(who, worker, date(2024, 4, 2))
    volunteers.named(record, volunteers.volunteer(code), "0.5")
    case = cb.make_case(
        code,
        stage=CaseStage.CLOSED,
        closed_on=date(2024, 9, 1),
        closure_approved_by=approver,
        opened_on=date(2024, 1, 5),
    )
    cb.goal(case, achieved=True)
    meeting = community.group(code, stage=GroupStage.ENDED, ended_on=date(2024, 10, 1))
    community.session(meeting, 1, held_on=date(2024, 3, 2), walk_in_count=2)
    community.activity(code, held_on=date(2024, 6, 1)).partners.add(
        linkage.partner(code, kind="social_org")
    )
    linkage.referral(code, sent_on=date(2024, 5, 1))
    running = projects.project(
        code, status=ProjectStatus.RUNNING, starts_on=START, ends_on=SNAPSHOT, description="需求"
    )
    indicator(running, "10", "5")
    grant = funds.grant(code, by=funds.funder(code, tier="social"), project=running)
    funds.expense(grant, "100.00")
    funds.instalment(funds.contract(code), 1)


def test_queries_do_not_grow_with_stations(period: MeasurePeriod, make_user: Any) -> None:
    make_standard(required_rooms=["office", "casework_room"], station_kinds=["township"])
    approver = make_user(Role.SUPERVISOR)
    codes = [CICHENG, KONGPU, YUEHU]
    for code in codes:
        records_of(code, approver)
    stations = [station(code) for code in codes]
    with CaptureQueriesContext(connection) as one:
        alone = measure_stations(stations[:1], period)
    with CaptureQueriesContext(connection) as three:
        together = measure_stations(stations, period)
    assert len(three) == len(one)
    assert len(one) < 80  # 62 when written: a few grouped queries per measure
    # The same values for a station measured alone or with others.
    assert together[stations[0].pk] == alone[stations[0].pk]
    assert together[stations[2].pk]["cases_opened"].value == 1
    assert together[stations[2].pk]["rooms_present"].value == 1
