"""Dates a person could have meant (issue 16): a case opened on 0001-01-01 (numbered
330205103-1-0001), a service on 1800-01-01, a birth in 1800 and a visit plan starting in year 1
were all accepted. Every stored date has a plausible range (core/date_ranges.py), checked in the
models' clean() so that pages, the API and the importers share it, and refused with a Chinese
message naming the field."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.utils import timezone

from swstation.cases.models import (
    CaseGoal,
    CaseStage,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
    VisitSchedule,
)
from swstation.core.date_ranges import add_years
from swstation.core.import_models import ImportStatus
from swstation.core.roles import Role
from swstation.funds.models import Funder, Grant
from swstation.recipients.models import Recipient
from swstation.regions.models import Population
from swstation.stations.models import ServiceAgency, Station, SubsidyPolicy
from swstation.workforce.models import (
    Certificate,
    Course,
    Payment,
    PaymentBatch,
    RewardPolicy,
    SocialWorker,
    SupervisionSession,
    TalentEntry,
    TrainingClass,
)
from tests.cases import case_builders as build
from tests.clients import api_for
from tests.conftest import CICHENG, CICHENG_VILLAGE, CITY, JIANGBEI
from tests.core.test_imports import client_for, post_file, xlsx_bytes
from tests.recipients.test_register_import import HEADER, consenting, start_url

pytestmark = pytest.mark.django_db

STATION_OPENED = date(2021, 6, 1)  # the test stations' opening day (tests/workforce/helpers.py)


def today() -> date:
    return timezone.localdate()


# --- one table: each date of each model, too early and too late -----------------------------


def _case() -> Any:
    return build.make_case(CICHENG)


def _worker() -> SocialWorker:
    return build.worker(CICHENG)


BUILDERS: dict[str, Callable[[], models.Model]] = {
    "recipient": lambda: Recipient(
        name="某人",
        region=build.region(CICHENG_VILLAGE),
        consent_given=True,
        consent_on=date(2025, 1, 1),
    ),
    "case": lambda: _case(),
    "casegoal": lambda: CaseGoal(case=_case(), description="目标"),
    "elderly": lambda: ElderlyAssessment(
        recipient=(case := _case()).recipient,
        case=case,
        assessed_on=date(2024, 3, 10),
        reason="initial",
        assessor=case.worker,
        second_assessor=case.worker,
        base_level=1,
        level=1,
        next_due=date(2025, 3, 10),
    ),
    "child": lambda: ChildNeedsAssessment(
        recipient=(case := _case()).recipient,
        case=case,
        assessed_on=date(2024, 3, 12),
        assessor=case.worker,
        help_plan="一人一案",
        next_due=date(2024, 9, 12),
    ),
    "service": lambda: ServiceRecord(
        recipient=(case := _case()).recipient,
        case=case,
        station=case.station,
        worker=case.worker,
        served_on=date(2024, 3, 2),
        service_type="home_visit",
        duration_minutes=30,
    ),
    "schedule": lambda: VisitSchedule(
        recipient=build.recipient(CICHENG),
        worker=_worker(),
        service_type="health_visit",
        times_per_month=2,
        starts_on=date(2024, 1, 1),
    ),
    "station": lambda: Station(
        name="测试站", kind="township", region=build.region("330205001000"), status="planned"
    ),
    "agency": lambda: ServiceAgency(
        name="测试机构", credit_code="52330200MJ0000000X", region=build.region(JIANGBEI)
    ),
    # A station's subsidy is a grant under a policy (funds, issue 12).
    "subsidy": lambda: Grant(
        funder=Funder.objects.create(
            name="宁波市民政局", kind="civil_affairs", tier="city", region=build.region(CITY)
        ),
        station=(station := build.station(CICHENG)),
        region=station.region,
        policy=SubsidyPolicy.objects.create(
            name="建站补助",
            source="city",
            amount=Decimal("50000"),
            station_kinds=["township"],
            valid_from=date(2020, 1, 1),
        ),
        amount=Decimal("50000"),
        year=2021,
        granted_on=date(2021, 3, 1),
        purpose="建站补助",
        paid_on=date(2021, 7, 1),
    ),
    "worker": lambda: SocialWorker(name="某社工", region=build.region(CICHENG)),
    "certificate": lambda: Certificate(
        social_worker=_worker(), level="assistant", obtained_on=date(2020, 6, 1), number="Z1"
    ),
    "reward": lambda: RewardPolicy(
        kind="exam_reward", level="assistant", amount=Decimal("1500"), valid_from=date(2022, 1, 1)
    ),
    "batch": lambda: PaymentBatch(
        kind="exam_reward",
        region=build.region(JIANGBEI),
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
    ),
    "payment_month": lambda: Payment(month=date(2026, 7, 1)),
    "class": lambda: TrainingClass(
        name="文鼎班", tier="wending", region=build.region(JIANGBEI), starts_on=date(2024, 1, 1)
    ),
    "course": lambda: Course(
        title="课", region=build.region(JIANGBEI), mode="online", held_on=date(2024, 1, 1), hours=2
    ),
    "supervision": lambda: SupervisionSession(
        supervisor=build.supervisor(JIANGBEI),
        station=build.station(CICHENG),
        held_on=date(2024, 1, 1),
        hours=2,
        topic="个案督导",
    ),
    "talent": lambda: TalentEntry(
        social_worker=_worker(), catalogue="leading", listed_on=date(2024, 1, 1)
    ),
}

LONG_AGO = date(1800, 1, 1)
YEAR_ONE = date(1, 1, 1)

# (builder, field, a date too early or None, a date too late or None: relative to today)
CASES: list[tuple[str, str, date | None, Callable[[], date] | None]] = [
    ("recipient", "birth_date", LONG_AGO, lambda: today() + timedelta(days=3)),
    ("recipient", "consent_on", date(1999, 12, 31), lambda: today() + timedelta(days=3)),
    ("case", "opened_on", YEAR_ONE, lambda: today() + timedelta(days=3)),
    ("case", "opened_on", STATION_OPENED - timedelta(days=1), None),
    ("case", "closed_on", date(2024, 2, 29), lambda: today() + timedelta(days=3)),
    ("casegoal", "target_date", date(2024, 2, 29), lambda: add_years(today(), 11)),
    ("elderly", "assessed_on", LONG_AGO, lambda: today() + timedelta(days=3)),
    ("child", "assessed_on", LONG_AGO, lambda: today() + timedelta(days=3)),
    ("service", "served_on", LONG_AGO, lambda: today() + timedelta(days=3)),
    ("service", "served_on", STATION_OPENED - timedelta(days=1), None),
    ("schedule", "starts_on", YEAR_ONE, lambda: add_years(today(), 2)),
    ("schedule", "ends_on", None, lambda: add_years(today(), 11)),
    ("station", "opened_on", date(1999, 12, 31), lambda: add_years(today(), 2)),
    ("station", "contract_start", date(1999, 12, 31), lambda: add_years(today(), 2)),
    ("station", "contract_end", None, lambda: add_years(today(), 11)),
    ("agency", "founded_on", date(1900, 1, 1), lambda: today() + timedelta(days=3)),
    ("subsidy", "paid_on", date(1999, 12, 31), lambda: today() + timedelta(days=3)),
    ("worker", "birth_date", LONG_AGO, lambda: today() + timedelta(days=3)),
    ("worker", "hired_on", date(1900, 1, 1), lambda: today() + timedelta(days=3)),
    ("worker", "left_on", None, lambda: add_years(today(), 2)),
    ("certificate", "obtained_on", date(2007, 12, 31), lambda: today() + timedelta(days=3)),
    ("reward", "valid_from", date(1999, 12, 31), lambda: add_years(today(), 11)),
    ("reward", "valid_to", None, lambda: add_years(today(), 11)),
    ("batch", "period_start", date(1999, 12, 31), lambda: add_years(today(), 2)),
    ("batch", "period_end", None, lambda: add_years(today(), 11)),
    ("batch", "paid_on", date(1999, 12, 31), lambda: today() + timedelta(days=3)),
    ("payment_month", "month", date(1999, 12, 1), lambda: add_years(today(), 2)),
    ("class", "starts_on", YEAR_ONE, lambda: add_years(today(), 2)),
    ("class", "ends_on", None, lambda: add_years(today(), 11)),
    ("course", "held_on", YEAR_ONE, lambda: add_years(today(), 2)),
    ("supervision", "held_on", YEAR_ONE, lambda: add_years(today(), 2)),
    ("supervision", "follow_up_due", None, lambda: add_years(today(), 11)),
    ("talent", "listed_on", date(1999, 12, 31), lambda: today() + timedelta(days=3)),
    ("talent", "valid_until", None, lambda: add_years(today(), 11)),
]


def _date_errors(obj: models.Model) -> dict[str, list[str]]:
    try:
        obj.clean()
    except ValidationError as exc:
        return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return {}


@pytest.mark.parametrize(
    ("builder", "field", "early", "late"),
    CASES,
    ids=[
        f"{b}.{f}" + ("-station" if e == STATION_OPENED - timedelta(1) else "")
        for b, f, e, _late in CASES
    ],
)
def test_each_date_has_a_plausible_range(
    builder: str,
    field: str,
    early: date | None,
    late: Callable[[], date] | None,
    users: dict[str, Any],
) -> None:
    obj = BUILDERS[builder]()
    label = str(obj._meta.get_field(field).verbose_name)
    assert field not in _date_errors(obj), "the record as built is plausible"
    for value in (early, late() if late is not None else None):
        if value is None:
            continue
        setattr(obj, field, value)
        errors = _date_errors(obj)
        assert field in errors, (field, value)
        message = " ".join(errors[field])
        assert label.capitalize() in message or label in message, message  # names the field
        assert value.isoformat() in message or "将来" in message, message
    setattr(obj, field, None if obj._meta.get_field(field).null else today())


def test_population_years_are_plausible() -> None:
    population = Population(region=build.region(JIANGBEI), year=today().year + 5, population=1)
    with pytest.raises(ValidationError) as refused:
        population.full_clean()
    assert "year" in refused.value.message_dict


# --- through the API, the pages and the import: the brief's own examples ----------------------


def test_a_case_opened_in_year_one_is_refused_and_numbered_nothing(users: dict[str, Any]) -> None:
    worker_user = users[Role.SOCIAL_WORKER]
    case_worker = build.worker_of(worker_user)
    person = build.recipient(CICHENG)
    response = api_for(users[Role.STATION_MANAGER]).post(
        "/api/v1/cases/",
        {
            "recipient": person.pk,
            "station": case_worker.station_id,
            "worker": case_worker.pk,
            "opened_on": "0001-01-01",
            "presenting_problem": "独居",
        },
        format="json",
    )
    assert response.status_code == 400, response.json()
    message = response.json()["opened_on"][0]
    assert "0001-01-01" in message and "开案日期" in message
    assert not person.cases.exists()


def test_a_service_on_1800_01_01_is_refused_through_the_api(users: dict[str, Any]) -> None:
    case = build.make_case(CICHENG, stage=CaseStage.INTERVENTION)
    response = api_for(users[Role.STATION_MANAGER]).post(
        "/api/v1/service-records/",
        {
            "recipient": case.recipient_id,
            "case": case.pk,
            "station": case.station_id,
            "worker": case.worker_id,
            "served_on": "1800-01-01",
            "service_type": "home_visit",
            "duration_minutes": 30,
        },
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert "1800-01-01" in response.json()["served_on"][0]
    assert not ServiceRecord.objects.exists()


def test_a_birth_in_1800_is_refused_through_the_api_and_the_page(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    response = api_for(worker).post(
        "/api/v1/recipients/",
        {
            "name": "百岁以上",
            "region_code": CICHENG_VILLAGE,
            "birth_date": "1800-01-01",
            "document_type": "none",
            "no_document_reason": "无",
            "consent_given": True,
            "consent_on": "2026-01-05",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "出生日期" in response.json()["birth_date"][0]
    client = Client()
    client.force_login(worker)
    page = client.post(
        "/recipients/add/",
        {
            "name": "百岁以上",
            "birth_date": "1800-01-01",
            "document_type": "none",
            "no_document_reason": "无",
            "region": build.region(CICHENG_VILLAGE).pk,
            "status": "active",
            "consent_given": "on",
            "consent_on": "2026-01-05",
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["birth_date"]
    assert not Recipient.objects.exists()


def test_a_birth_in_1800_is_a_row_error_in_the_import(users: dict[str, Any]) -> None:
    build.station(CICHENG)
    client = client_for(users[Role.SOCIAL_WORKER])
    line = consenting(
        姓名="百岁以上",
        证件类型="无",
        无证件原因="无",
        出生日期="1800-01-01",
        **{"所在村(社区)": CICHENG_VILLAGE},
    )
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, line]))
    assert job is not None and job.status == ImportStatus.INVALID
    assert job.errors[0]["column"] == "出生日期", job.errors


def test_a_visit_plan_starting_in_year_one_is_refused(users: dict[str, Any]) -> None:
    person = build.recipient(CICHENG)
    case_worker = build.worker_of(users[Role.SOCIAL_WORKER])
    api = api_for(users[Role.STATION_MANAGER])
    body = {
        "recipient": person.pk,
        "worker": case_worker.pk,
        "service_type": "health_visit",
        "times_per_month": 2,
        "starts_on": "0001-01-01",
    }
    response = api.post("/api/v1/visit-schedules/", body, format="json")
    assert response.status_code == 400, response.json()
    assert "0001-01-01" in response.json()["starts_on"][0]
    ahead = add_years(today(), 2).isoformat()
    response = api.post("/api/v1/visit-schedules/", {**body, "starts_on": ahead}, format="json")
    assert response.status_code == 400 and "starts_on" in response.json()
    response = api.post(
        "/api/v1/visit-schedules/", {**body, "starts_on": today().isoformat()}, format="json"
    )
    assert response.status_code == 201, response.json()
