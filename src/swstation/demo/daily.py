"""The demo city's daily work up to the day it is built (issue 10, seen from the home pages):

- **Agency contracts renewed.** The stations step gives each commissioned station a three-year
  contract current on 1 January 2025; left there, 95 stations' contracts ended in 2025 and
  were never renewed. Each contract that ended before the build day is renewed, term after
  term, by the same agency (the history dates each renewal the day after the old term), so
  that only the terms coming to an end soon are flagged.
- **Supervision sessions every month.** The workforce step holds the sessions of 2023-2024;
  each month since, up to the build day, gets its own (about 15 a month, as before: a county
  supervisor at a station of their district, the demo supervisors' accounts each month), the
  recent ones with follow-ups still to do; and each township station's monthly group
  supervision by the supervisor its district assigns it, held most months with most of its
  staff at a well-run station, less often at a struggling one (demo/quality.py: the B3
  indicator of the evaluation rounds, 24 hours a year per full-time worker).
- **Full numbers seen, and logged.** The personal-data access log (``IdentityView``) of the
  last six months: the demo stations' managers and social workers saw some of their people's
  document numbers and phones in full, each with its purpose, and a district officer exported
  a payment roster with its payees' numbers — what the auditors read.
- **The demo social worker has work due.** ``cicheng_worker`` carried cases but no visit plan:
  eight of their people get one (health visits twice a month for the elders, a monthly home
  visit for the others) with the visits made since, two of them overdue and two due within
  the due list's window on the build day.

Each part does nothing when its work is there already, so a second run changes nothing; the
random choices are seeded, the dates read from the build day: the same day gives the same city.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from swstation.accounts.models import User
from swstation.cases.models import Case, CaseStage, ServiceRecord, ServiceType, VisitSchedule
from swstation.core.actors import SYSTEM
from swstation.core.dates import month_end
from swstation.core.history import save_with_history
from swstation.demo.cases import at
from swstation.demo.history import demo_history
from swstation.demo.quality import chance
from swstation.demo.stations import add_years, random_day
from swstation.demo.workforce import FOLLOW_UPS, SUPERVISION_TOPICS
from swstation.recipients.models import (
    THIRD_PARTY_NUMBERS,
    AccessKind,
    IdentityView,
    PersonalData,
    Recipient,
    RecipientStatus,
)
from swstation.stations.models import OperatingModel, Station, StationKind
from swstation.workforce.models import SocialWorker, SupervisionSession, Supervisor

CONTRACT_YEARS = 3
SUPERVISION_FROM = date(2025, 1, 1)  # the workforce step's sessions end in 2024
SESSIONS_PER_MONTH = 15
DEMO_WORKER = "cicheng_worker"
DEMO_WORKER_PEOPLE = 8
OVERDUE, DUE = (0, 1), (2, 3)  # which of the worker's plans are overdue, and due now
BATCH = 2000


def build_daily_work(log: Callable[[str], None]) -> None:
    end = demo_history().end
    log(f"contracts: {renew_contracts(end)} renewed")
    log(f"supervision: {supervision_sessions(end)} sessions since 2025")
    log(f"{DEMO_WORKER}: {demo_worker_plans(end)} visit plans")
    log(f"personal data access log: {access_log_lines(end)} lines")


# --- agency contracts --------------------------------------------------------------------


def renew_contracts(end: date) -> int:
    """Renew, term after term, every agency contract that ended before ``end``; the number
    renewed."""
    stations = Station.objects.filter(
        operating_model=OperatingModel.COMMISSIONED_AGENCY,
        agency__isnull=False,
        contract_start__isnull=False,
        contract_end__lt=end,
    ).order_by("pk")
    renewed = 0
    for station in stations:
        assert station.contract_start is not None and station.contract_end is not None
        start = station.contract_start
        while add_years(start, CONTRACT_YEARS) <= end:
            start = add_years(start, CONTRACT_YEARS)
        renewed_on = start  # the day after the term it follows
        station.contract_start = start
        station.contract_end = add_years(start, CONTRACT_YEARS) - timedelta(days=1)
        station._history_date = at(renewed_on, random.Random(f"renewal-{station.pk}"))  # type: ignore[attr-defined]  # simple-history's hook
        save_with_history(station, actor=SYSTEM, reason="购买服务合同到期续签")
        renewed += 1
    return renewed


# --- supervision sessions ----------------------------------------------------------------


def _months(start: date, end: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = month_end(day) + timedelta(days=1)
    return months


def _in_post(staff: list[tuple[int, date | None, date | None]], day: date) -> list[int]:
    """The ids of those of ``staff`` (id, hired on, left on) in post on ``day``."""
    return [
        pk
        for pk, hired_on, left_on in staff
        if (hired_on is None or hired_on <= day) and (left_on is None or left_on > day)
    ]


def supervision_sessions(end: date) -> int:
    """Sessions of each month from 2025 to ``end`` that has none yet; the number made."""
    supervisors = list(Supervisor.objects.select_related("region").order_by("pk"))
    # Stations and their service points, as in the workforce step: a village's outpost (社工室)
    # has no staff of its own to supervise.
    stations = list(
        Station.objects.filter(opened_on__lte=end)
        .exclude(kind=StationKind.OUTPOST)
        .select_related("region")
        .order_by("region__code", "kind", "name")
    )
    if not supervisors or not stations:
        return 0
    by_district: dict[str, list[Station]] = {}
    for station in stations:
        by_district.setdefault(station.region.code[:6], []).append(station)
    linked = [s for s in supervisors if s.user_id is not None]
    staff: dict[int, list[tuple[int, date | None, date | None]]] = {}
    for pk, station_id, hired_on, left_on in SocialWorker.objects.filter(
        station__isnull=False
    ).values_list("pk", "station_id", "hired_on", "left_on"):
        staff.setdefault(station_id, []).append((pk, hired_on, left_on))

    sessions: list[SupervisionSession] = []
    participants: list[list[int]] = []
    for month in _months(SUPERVISION_FROM, end):
        last = min(month_end(month), end)
        if SupervisionSession.objects.filter(held_on__range=(month, last)).exists():
            continue
        rng = random.Random(f"demo-supervision-{month.isoformat()}")
        for index in range(SESSIONS_PER_MONTH):
            if index < len(linked):
                supervisor = linked[index]  # the demo supervisors' own work, every month
            else:
                supervisor = supervisors[rng.randrange(len(supervisors))]
            pool = by_district.get(supervisor.region.code[:6], stations)
            if supervisor.region.level != "county":
                pool = stations
            held_on = random_day(rng, month, last)
            opened = [s for s in pool if s.opened_on is not None and s.opened_on <= held_on]
            # A session is held with a station's staff: one with someone in post that day.
            choices = [s for s in opened if _in_post(staff.get(s.pk, []), held_on)] or opened
            if not choices:
                continue
            station = rng.choice(choices)
            session = SupervisionSession(
                supervisor=supervisor,
                station=station,
                held_on=held_on,
                hours=Decimal(rng.choice(["1.5", "2", "2.5", "3", "4"])),
                topic=rng.choice(SUPERVISION_TOPICS),
            )
            if rng.random() < 0.45:
                session.follow_ups = rng.choice(FOLLOW_UPS)
                session.follow_up_due = held_on + timedelta(days=rng.randint(14, 45))
                recent = held_on > end - timedelta(days=60)
                session.follow_up_done = rng.random() < (0.2 if recent else 0.85)
            session._history_date = at(held_on, rng)  # type: ignore[attr-defined]
            in_post = _in_post(staff.get(station.pk, []), held_on)
            sessions.append(session)
            participants.append(rng.sample(in_post, min(len(in_post), rng.randint(2, 6))))
        _regular_sessions(month, last, stations, supervisors, staff, sessions, participants)
    sessions = bulk_create_with_history(sessions, SupervisionSession, batch_size=BATCH)
    through = SupervisionSession.participants.through
    through.objects.bulk_create(
        [
            through(supervisionsession_id=session.pk, socialworker_id=worker)
            for session, staff_ids in zip(sessions, participants, strict=True)
            for worker in staff_ids
        ],
        batch_size=BATCH,
    )
    return len(sessions)


def _regular_supervisor(station: Station, supervisors: list[Supervisor]) -> Supervisor:
    """The supervisor a station's district (or, without one of its own, the city) assigns to
    it for its monthly supervision: one of the district's, by the station's code."""
    district = [
        s
        for s in supervisors
        if s.region.level == "county" and station.region.code.startswith(s.region.prefix)
    ]
    pool = district or [s for s in supervisors if s.region.level != "county"] or supervisors
    return pool[int(station.region.code) % len(pool)]


def _regular_sessions(
    month: date,
    last: date,
    stations: list[Station],
    supervisors: list[Supervisor],
    staff: dict[int, list[tuple[int, date | None, date | None]]],
    sessions: list[SupervisionSession],
    participants: list[list[int]],
) -> None:
    """The monthly group supervision of each township station's team by its assigned
    supervisor: held most months at a well-run station, fewer at a struggling one, with most
    of the staff in post (demo/quality.py)."""
    rng = random.Random(f"demo-supervision-regular-{month.isoformat()}")
    for station in stations:
        if station.kind != StationKind.TOWNSHIP or station.opened_on is None:
            continue
        code = station.region.code
        held_on = random_day(rng, month, last)
        if station.opened_on > held_on or rng.random() >= chance(code, 0.35, 1.0):
            continue
        in_post = _in_post(staff.get(station.pk, []), held_on)
        if not in_post:
            continue
        present = [pk for pk in in_post if rng.random() < chance(code, 0.6, 0.95)]
        session = SupervisionSession(
            supervisor=_regular_supervisor(station, supervisors),
            station=station,
            held_on=held_on,
            hours=Decimal(rng.choice(["2", "2", "2.5", "3", "3"])),
            topic=rng.choice(SUPERVISION_TOPICS),
        )
        if rng.random() < 0.3:
            session.follow_ups = rng.choice(FOLLOW_UPS)
            session.follow_up_due = held_on + timedelta(days=rng.randint(14, 45))
            session.follow_up_done = rng.random() < 0.85
        session._history_date = at(held_on, rng)  # type: ignore[attr-defined]
        sessions.append(session)
        participants.append(present or [rng.choice(in_post)])


# --- the demo social worker's due work ----------------------------------------------------

# The notes of the visits a plan makes start with 按计划 (tests tell them from everyday work).
VISIT_NOTES = {
    ServiceType.HEALTH_VISIT: (
        "按计划健康随访:测量血压，询问服药情况，提醒按时复诊。",
        "按计划健康随访:老人精神尚可，叮嘱防跌倒、饮食清淡。",
        "按计划健康随访:近期睡眠欠佳，已联系家庭医生。",
    ),
    ServiceType.HOME_VISIT: (
        "按计划入户探访:了解近期生活情况，家中无安全隐患。",
        "按计划入户探访:协助整理救助申请材料。",
        "按计划入户探访:与家属沟通照料安排。",
    ),
}


def _people_of(worker: SocialWorker, end: date) -> list[tuple[Recipient, Case | None]]:
    """The worker's people in service: those of their open cases first, then others of
    their station's township (oldest first)."""
    chosen: list[tuple[Recipient, Case | None]] = []
    seen: set[int] = set()
    cases = (
        Case.objects.filter(worker=worker, recipient__status=RecipientStatus.ACTIVE)
        .exclude(stage=CaseStage.CLOSED)
        .select_related("recipient")
        .order_by("opened_on", "pk")
    )
    for case in cases:
        if case.recipient_id not in seen and len(chosen) < DEMO_WORKER_PEOPLE:
            chosen.append((case.recipient, case))
            seen.add(case.recipient_id)
    assert worker.station is not None
    prefix = worker.station.region.code[:9]
    others = (
        Recipient.objects.filter(
            status=RecipientStatus.ACTIVE,
            region__code__startswith=prefix,
            registered_on__lte=end - timedelta(days=200),
        )
        .exclude(pk__in=seen)
        .exclude(birth_date__isnull=True)
        .order_by("birth_date", "pk")
    )
    for person in others[: DEMO_WORKER_PEOPLE - len(chosen)]:
        chosen.append((person, None))
    return chosen


def demo_worker_plans(end: date) -> int:
    """``cicheng_worker``'s visit plans and visits, unless they have plans already; the
    number of plans made."""
    user = User.objects.filter(username=DEMO_WORKER).first()
    worker = getattr(user, "social_worker", None) if user is not None else None
    if worker is None or worker.station is None:
        return 0
    if VisitSchedule.objects.filter(worker=worker).exists():
        return 0
    rng = random.Random("demo-cicheng-worker")
    first_day = max(worker.hired_on or end, worker.station.opened_on or end)
    schedules: list[VisitSchedule] = []
    visits: list[ServiceRecord] = []
    for index, (person, case) in enumerate(_people_of(worker, end)):
        elder = person.birth_date is not None and person.birth_date <= add_years(end, -60)
        kind = ServiceType.HEALTH_VISIT if elder else ServiceType.HOME_VISIT
        times = 2 if elder else 1
        interval = 30 // times
        if index in OVERDUE:
            lag = interval + rng.randint(3, 12)
        elif index in DUE:
            lag = interval - rng.randint(0, 2)
        else:
            lag = rng.randint(1, interval - 4)
        starts_on = max(
            end - timedelta(days=rng.randint(150, 300)), person.registered_on or end, first_day
        )
        last = end - timedelta(days=lag)
        if last < starts_on:
            continue
        schedule = VisitSchedule(
            recipient=person,
            worker=worker,
            service_type=kind,
            times_per_month=times,
            starts_on=starts_on,
            active=True,
        )
        schedule._history_date = at(starts_on, rng)  # type: ignore[attr-defined]
        schedules.append(schedule)
        day = last
        while day >= starts_on:
            record = ServiceRecord(
                recipient=person,
                region_code=person.region.code,  # a bulk insert: no save() to copy it
                case=case if case is not None and case.opened_on <= day else None,
                station=worker.station,
                worker=worker,
                served_on=day,
                service_type=kind,
                duration_minutes=rng.randint(30, 60),
                place=person.address,
                notes=rng.choice(VISIT_NOTES[kind]),
            )
            record._history_date = at(day, rng)  # type: ignore[attr-defined]
            visits.append(record)
            day -= timedelta(days=interval + rng.randint(-2, 2))
    bulk_create_with_history(schedules, VisitSchedule, batch_size=BATCH)
    bulk_create_with_history(visits, ServiceRecord, batch_size=BATCH)
    return len(schedules)


# --- the personal-data access log ---------------------------------------------------------

# The demo accounts that may see numbers in full, and how many views each made.
REVEALERS = {
    "cicheng_worker": 12,
    "cicheng_manager": 6,
    "zhaobaoshan_worker": 10,
    "zhaobaoshan_manager": 4,
    "zhouxiang_manager": 5,
    "yuehu_worker": 8,
}
PURPOSES = {
    PersonalData.ID_NUMBER: (
        "填写低保申请表",
        "办理医疗救助",
        "残疾人两项补贴申报",
        "核对户籍信息",
    ),
    PersonalData.PHONE: ("电话回访", "预约入户探访", "通知领取慰问品"),
    PersonalData.GUARDIAN_PHONE: ("联系监护人确认家访时间", "通知监护人参加个案会商"),
    PersonalData.EMERGENCY_CONTACT_PHONE: ("老人未接电话，联系紧急联系人",),
}
ROSTER_EXPORTER = "jiangbei_officer"


def access_log_lines(end: date) -> int:
    """The log of the last six months, unless it has lines already; the number written."""
    if IdentityView.objects.exists():
        return 0
    rng = random.Random("demo-access-log")
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[*REVEALERS, ROSTER_EXPORTER]).select_related(
            "jurisdiction"
        )
    }
    written: list[tuple[IdentityView, datetime]] = []
    for username, views in REVEALERS.items():
        user = users.get(username)
        if user is None or user.jurisdiction is None:
            continue
        people = list(
            Recipient.objects.filter(
                region__code__startswith=user.jurisdiction.code[:9],
                status=RecipientStatus.ACTIVE,
                registered_on__lte=end - timedelta(days=190),
            )
            .exclude(id_number_encrypted="")
            .order_by("pk")[:300]
        )
        if not people:
            continue
        for _ in range(views):
            person = rng.choice(people)
            held = [
                field
                for field in PURPOSES
                if getattr(person, f"{field.value}_encrypted", "")  # the numbers recorded
            ]
            field = rng.choices(held, [6 if f == PersonalData.ID_NUMBER else 2 for f in held])[0]
            line = IdentityView(
                recipient=person,
                region_id=person.region_id,
                user=user,
                field=field,
                kind=AccessKind.VIEW,
                purpose=rng.choice(PURPOSES[field])
                if field in THIRD_PARTY_NUMBERS or rng.random() < 0.8
                else "",
            )
            written.append((line, at(end - timedelta(days=rng.randint(1, 180)), rng)))
    exporter = users.get(ROSTER_EXPORTER)
    if exporter is not None and exporter.jurisdiction is not None:
        for months_ago in (2, 1):
            day = (end.replace(day=1) - timedelta(days=28 * months_ago - 10)).replace(day=10)
            line = IdentityView(
                region=exporter.jurisdiction,
                user=exporter,
                field=PersonalData.PAYMENT_DETAILS,
                kind=AccessKind.EXPORT,
                subject=f"{day.year}年{day.month}月 社会工作者岗位津贴发放名单",
                count=rng.randint(60, 90),
                purpose="报送财政，发放岗位津贴",
            )
            written.append((line, at(day, rng)))
    for line, moment in sorted(written, key=lambda pair: pair[1]):
        line._history_date = moment  # type: ignore[attr-defined]  # simple-history's hook
        line.save()
        # viewed_at is set on creation: the demo dates its lines (and their history) itself.
        IdentityView.objects.filter(pk=line.pk).update(viewed_at=moment)
        IdentityView.history.filter(id=line.pk).update(viewed_at=moment)
    return len(written)
