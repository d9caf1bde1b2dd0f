"""Builders for the casework tests: stations, workers, supervisors, recipients and cases made
through the ORM (the service tests call the services themselves).

The fixture users (tests/conftest.py ``users``) get workforce profiles on demand: the social
worker user works at 慈城镇's station, the supervisor user supervises 江北区. Cases made in
慈城镇 belong to that worker and that supervisor, so that every role of the role × scope
matrix sees them (a social worker sees only their own cases, a supervisor the cases they
supervise)."""

from datetime import date
from itertools import count
from typing import Any

from swstation.accounts.models import User
from swstation.cases.models import (
    Case,
    CaseGoal,
    CaseStage,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
)
from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker, Supervisor
from tests.conftest import CICHENG, CICHENG_VILLAGE, HAISHU, JIANGBEI, YUEHU, YUEHU_COMMUNITY
from tests.workforce import helpers as workforce_helpers

__all__ = ["CICHENG", "CICHENG_VILLAGE", "HAISHU", "JIANGBEI", "YUEHU", "YUEHU_COMMUNITY"]

KONGPU = "330205003000"  # 孔浦街道, another township of 江北区
KONGPU_COMMUNITY = "330205003001"
VILLAGE_OF = {CICHENG: CICHENG_VILLAGE, YUEHU: YUEHU_COMMUNITY, KONGPU: KONGPU_COMMUNITY}

_serial = count(1)
_case_numbers = count(5000)  # explicit numbers in the tests stay below


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def station(code: str = CICHENG) -> Station:
    """The township station of township ``code``."""
    return workforce_helpers.station(code)


def worker(
    code: str = CICHENG, name: str = "", user: User | None = None, **extra: Any
) -> SocialWorker:
    at = station(code)
    return SocialWorker.objects.create(
        name=name or f"个案社工{next(_serial):03d}",
        region=at.region,
        station=at,
        user=user,
        **extra,
    )


def recipient(code: str = CICHENG, name: str = "", **extra: Any) -> Recipient:
    """A consenting recipient in a village of township ``code``."""
    extra.setdefault("consent_given", True)
    return Recipient.objects.create(
        name=name or f"服务对象{next(_serial):04d}",
        region=region(VILLAGE_OF.get(code, code)),
        **extra,
    )


def supervisor(code: str = JIANGBEI, name: str = "", user: User | None = None) -> Supervisor:
    return Supervisor.objects.create(
        name=name or f"督导{next(_serial):03d}", level="city", region=region(code), user=user
    )


def fixture_user(role: str) -> User | None:
    """The first user of ``role`` (the ``users`` fixture's one), if any."""
    return User.objects.filter(role=role).order_by("pk").first()


def worker_of(user: User) -> SocialWorker:
    """The workforce record of a social worker user, at their township's station."""
    found = SocialWorker.objects.filter(user=user).first()
    return found or worker(user.jurisdiction.code, name=f"社工{user.username}", user=user)


def supervisor_of(user: User) -> Supervisor:
    """The supervisor profile of a supervisor user, serving their jurisdiction."""
    found = Supervisor.objects.filter(user=user).first()
    return found or supervisor(user.jurisdiction.code, name=f"督导{user.username}", user=user)


def matrix_people(code: str) -> tuple[SocialWorker, Supervisor]:
    """Worker and supervisor of a matrix case in ``code``: the fixture users' profiles inside
    慈城镇, people without accounts elsewhere."""
    sw_user = fixture_user(Role.SOCIAL_WORKER)
    sup_user = fixture_user(Role.SUPERVISOR)
    if code == CICHENG and sw_user is not None and sw_user.jurisdiction.code == CICHENG:
        case_worker = worker_of(sw_user)
    else:
        case_worker = SocialWorker.objects.filter(
            station=station(code), user=None
        ).first() or worker(code)
    if code == CICHENG and sup_user is not None:
        case_supervisor = supervisor_of(sup_user)
    else:
        case_supervisor = Supervisor.objects.filter(
            region__code=HAISHU, user=None
        ).first() or supervisor(HAISHU)
    return case_worker, case_supervisor


def make_case(
    code: str = CICHENG,
    n: int | None = None,
    *,
    case_worker: SocialWorker | None = None,
    case_supervisor: Supervisor | None = None,
    stage: str = CaseStage.INTAKE,
    **extra: Any,
) -> Case:
    """A case in township ``code`` (ORM, no stage rules), numbered like the service does."""
    n = next(_case_numbers) if n is None else n
    if case_worker is None or case_supervisor is None:
        default_worker, default_supervisor = matrix_people(code)
        case_worker = case_worker or default_worker
        case_supervisor = case_supervisor or default_supervisor
    fields: dict[str, Any] = {
        "number": f"{code[:9]}-2024-{n:04d}",
        "recipient": extra.pop("recipient", None) or recipient(code),
        "station": case_worker.station,
        "worker": case_worker,
        "supervisor": case_supervisor,
        "opened_on": date(2024, 3, 1),
        "presenting_problem": "独居老人，行动不便，需要生活照料",
        "stage": stage,
    }
    fields.update(extra)
    return Case.objects.create(**fields)


def goal(case: Case, description: str = "", **extra: Any) -> CaseGoal:
    return CaseGoal.objects.create(
        case=case, description=description or f"目标{next(_serial):03d}", **extra
    )


def elderly_assessment(case: Case, assessed_on: date = date(2024, 3, 10)) -> ElderlyAssessment:
    assessor = case.worker
    return ElderlyAssessment.objects.create(
        recipient=case.recipient,
        case=case,
        assessed_on=assessed_on,
        reason="initial",
        assessor=assessor,
        second_assessor=assessor,
        base_level=1,
        level=1,
        next_due=date(2025, 3, 10),
    )


def child_assessment(case: Case, assessed_on: date = date(2024, 3, 12)) -> ChildNeedsAssessment:
    return ChildNeedsAssessment.objects.create(
        recipient=case.recipient,
        case=case,
        assessed_on=assessed_on,
        assessor=case.worker,
        risk_level=2,
        help_plan="一人一案：每周探访",
        next_due=date(2024, 9, 12),
    )


def service_record(
    case: Case, served_on: date, service_type: str = "home_visit", minutes: int = 30, **extra: Any
) -> ServiceRecord:
    return ServiceRecord.objects.create(
        recipient=case.recipient,
        case=case,
        station=case.station,
        worker=case.worker,
        served_on=served_on,
        service_type=service_type,
        duration_minutes=minutes,
        **extra,
    )
