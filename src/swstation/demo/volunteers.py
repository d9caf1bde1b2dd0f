"""Demo volunteers (issue 13, "Volunteers"): volunteers at every open station, their teams, the
named teams of the seeds with their pairings, and the service records naming volunteers.

- **Volunteers**: 12–20 at a township station, 4–6 at a district hub or a special station, 2–3
  at a village outpost, living in the station's villages, with encrypted and masked identity
  and phone numbers (as the services store them), skills and availability; about one in
  twelve has stopped volunteering.
- **Teams**: every team name the cases step wrote in a station's service records ("益相伴志愿
  服务队 3人") is a team of that station with five to eight of its volunteers; and the seeds'
  named teams: 招宝山街道's 益相伴志愿服务队 of 后大街社区 (the 幸福来敲门 project) and 集士港镇's
  馨心助老服务队 (幸福来敲门·助老).
- **Service records naming volunteers**: a record whose free text names a team names one or
  two of its members instead (the whole service as their hours), and its text is cleared — as
  migration volunteers/0002 does for a real database, with persons instead of teams.
- **Pairings**: 后大街社区's 48 elders of 幸福来敲门 each paired with a volunteer of 益相伴
  (three elders each), twice a month, the volunteer going along on the elder's health visits
  since the pairing began (so a few pairings are overdue, as the visits are); 集士港镇's 馨心
  volunteers paired with 20 elders living alone; and three to five pairings at every other
  township station, with people the station served lately (the volunteer named on those
  services since the pairing began).

Fast: bulk_create with history, a few seconds at the demo's size.
"""

import random
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from swstation.cases.models import ServiceRecord, ServiceType, VisitSchedule
from swstation.core.crypto import encrypt, lookup_hash
from swstation.core.masking import mask_phone
from swstation.demo.bulk import analyze
from swstation.demo.stations import person_name
from swstation.projects.models import Project
from swstation.recipients.identifiers import id_check_character, mask_id_number
from swstation.recipients.models import RecipientStatus
from swstation.regions.models import Region
from swstation.stations.models import Station, StationKind, StationStatus
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
from swstation.workforce.models import SocialWorker

ZHAOBAOSHAN = "330211001000"  # 招宝山街道, 镇海区
HOUDAJIE = "后大街社区"
JISHIGANG = "330203102000"  # 集士港镇, 海曙区
YIXIANGBAN = "益相伴志愿服务队"
XINXIN = "馨心助老服务队"
HOUDAJIE_PROJECT = "幸福来敲门"
JISHIGANG_PROJECT = "幸福来敲门·助老"
JISHIGANG_PAIRINGS = 20
BATCH = 5000

SKILLS = (
    "陪伴聊天",
    "理发",
    "健康咨询",
    "量血压",
    "助餐送餐",
    "家电维修",
    "课业辅导",
    "心理疏导",
    "法律咨询",
    "文艺表演",
    "手机使用教学",
    "保洁助浴",
)
AVAILABILITY = ("周末上午", "周末全天", "工作日晚上", "工作日下午", "每周三上午", "随叫随到")
SIZES = {
    StationKind.TOWNSHIP: (12, 20),
    StationKind.DISTRICT_HUB: (4, 6),
    StationKind.SPECIAL: (4, 6),
    StationKind.OUTPOST: (2, 3),
}
SEPARATORS = re.compile(r"[、,，;；/\s]+")
TEAM = re.compile(r"(队|团|协会|小组|服务社)$")
NOTE = ""
NOT_SERVED = (RecipientStatus.DECEASED, RecipientStatus.MOVED, RecipientStatus.MERGED)
ELDERS = ("elderly_living_alone", "empty_nest_elderly", "advanced_age")


def _hours(minutes: int) -> Decimal:
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return min(max(hours, Decimal("0.01")), Decimal("24.00"))


class _Numbers:
    """Identity numbers nobody else holds among the volunteers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def number(self, county: str, female: bool) -> str:
        while True:
            birth = date(
                self.rng.randint(1956, 2004), self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
            sequence = (
                self.rng.randrange(100) * 10 + self.rng.randrange(5) * 2 + (0 if female else 1)
            )
            first17 = f"{county}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_character(first17)
            if number not in self.used:
                self.used.add(number)
                return number


def _volunteer(
    rng: random.Random, numbers: _Numbers, station: Station, region_id: int, since: date, end: date
) -> Volunteer:
    female = rng.random() < 0.62
    number = numbers.number(station.region.code[:6], female)
    phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    registered = since + timedelta(days=rng.randrange(max(1, min(120, (end - since).days))))
    left = None
    if rng.random() < 0.08 and (end - registered).days > 200:
        left = registered + timedelta(days=rng.randint(180, (end - registered).days))
    return Volunteer(
        name=person_name(rng, female),
        id_number_encrypted=encrypt(number),
        id_number_hash=lookup_hash(number),
        id_number_masked=mask_id_number(number),
        phone_encrypted=encrypt(phone),
        phone_hash=lookup_hash(phone),
        phone_masked=mask_phone(phone),
        region_id=region_id,
        station=station,
        skills="、".join(rng.sample(SKILLS, rng.randint(1, 3))),
        availability=rng.choice(AVAILABILITY),
        registered_on=registered,
        left_on=left,
        note=NOTE,
    )


def _active(volunteer: Volunteer, day: date) -> bool:
    return volunteer.registered_on <= day and (volunteer.left_on is None or volunteer.left_on > day)


def build_volunteers(log: Callable[[str], None]) -> None:
    if Volunteer.objects.exists():
        log(f"volunteers: already built ({Volunteer.objects.count()} volunteers)")
        return
    rng = random.Random("demo-volunteers")
    end = timezone.localdate()
    numbers = _Numbers(rng)
    stations = list(
        Station.objects.filter(
            status__in=(StationStatus.OPERATING, StationStatus.SUSPENDED),
            opened_on__isnull=False,
        )
        .select_related("region")
        .order_by("region__code", "pk")
    )
    villages_of_town: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for code, pk in Region.objects.filter(level="village").values_list("code", "pk"):
        villages_of_town[code[:9]].append((code, pk))

    def home_villages(station: Station) -> list[int]:
        prefix = station.region.prefix
        if station.region.level == "village":
            return [station.region_id]
        towns = [t for t in villages_of_town if t.startswith(prefix)]
        return [pk for t in towns for _, pk in villages_of_town[t]] or [station.region_id]

    # --- volunteers at every station ------------------------------------------------------
    made: list[Volunteer] = []
    for station in stations:
        low, high = SIZES.get(StationKind(station.kind), (2, 3))
        homes = home_villages(station)
        since = max(station.opened_on or date(2021, 1, 1), date(2020, 1, 1))
        for _ in range(rng.randint(low, high)):
            made.append(_volunteer(rng, numbers, station, rng.choice(homes), since, end))
    # The named teams' stations get their teams' volunteers too.
    by_code = {s.region.code: s for s in stations if s.kind == StationKind.TOWNSHIP}
    houdajie = Region.objects.filter(parent__code=ZHAOBAOSHAN, name=HOUDAJIE).first()
    named_sizes = {ZHAOBAOSHAN: 16, JISHIGANG: 12}
    named: set[int] = set()  # the named teams' volunteers (by object)
    for code, size in named_sizes.items():
        named_at = by_code.get(code)
        if named_at is None:
            continue
        homes = [houdajie.pk] if code == ZHAOBAOSHAN and houdajie else home_villages(named_at)
        since = max(named_at.opened_on or date(2021, 1, 1), date(2020, 1, 1))
        for _ in range(size):
            volunteer = _volunteer(rng, numbers, named_at, rng.choice(homes), since, end)
            volunteer.left_on = None
            named.add(id(volunteer))
            made.append(volunteer)
    volunteers = bulk_create_with_history(made, Volunteer, batch_size=BATCH)
    if volunteers and volunteers[0].pk is None:
        volunteers = list(Volunteer.objects.select_related("station", "station__region"))
    by_station: dict[int, list[Volunteer]] = defaultdict(list)
    for volunteer in volunteers:
        by_station[volunteer.station_id].append(volunteer)

    # --- teams: the names the service records use, and the named teams -----------------
    records_with_text = list(
        ServiceRecord.objects.exclude(volunteers="")
        .order_by("pk")
        .values_list("pk", "station_id", "volunteers", "served_on", "duration_minutes")
    )
    team_names: set[tuple[int, str]] = set()
    for _, station_id, text, _, _ in records_with_text:
        for piece in SEPARATORS.split(text.strip()):
            if piece and TEAM.search(piece) and by_station.get(station_id):
                team_names.add((station_id, piece[:100]))
    station_of = {s.pk: s for s in stations}
    projects = dict(
        Project.objects.filter(name__in=(HOUDAJIE_PROJECT, JISHIGANG_PROJECT)).values_list(
            "name", "pk"
        )
    )
    teams: list[VolunteerTeam] = []
    members: dict[tuple[int, str], list[Volunteer]] = {}
    for station_id, name in sorted(team_names):
        team_station = station_of.get(station_id)
        if team_station is None:
            continue
        pool = [v for v in by_station[station_id] if id(v) not in named]
        chosen = rng.sample(pool, min(len(pool), rng.randint(5, 8)))
        members[(station_id, name)] = chosen
        teams.append(
            VolunteerTeam(
                name=name,
                region_id=team_station.region_id,
                station=team_station,
                leader=chosen[0] if chosen else None,
                founded_on=min((v.registered_on for v in chosen), default=None),
                note=NOTE,
            )
        )
    for code, name, project in (
        (ZHAOBAOSHAN, YIXIANGBAN, HOUDAJIE_PROJECT),
        (JISHIGANG, XINXIN, JISHIGANG_PROJECT),
    ):
        seed_station = by_code.get(code)
        if seed_station is None:
            continue
        chosen = [v for v in by_station[seed_station.pk] if id(v) in named]
        key = (seed_station.pk, name)
        region_id = houdajie.pk if code == ZHAOBAOSHAN and houdajie else seed_station.region_id
        existing = next((t for t in teams if (t.station.pk, t.name) == key), None)
        if existing is not None:
            existing.region_id, existing.project_id = region_id, projects.get(project)
            existing.leader = chosen[0] if chosen else None
            members[key] = chosen + members.get(key, [])
            continue
        members[key] = chosen
        teams.append(
            VolunteerTeam(
                name=name,
                region_id=region_id,
                station=seed_station,
                project_id=projects.get(project),
                leader=chosen[0] if chosen else None,
                founded_on=min((v.registered_on for v in chosen), default=None),
                note="",
            )
        )
    teams = bulk_create_with_history(teams, VolunteerTeam, batch_size=BATCH)
    team_by_key = {(t.station_id, t.name): t for t in VolunteerTeam.objects.all()}
    Through = VolunteerTeam.members.through
    Through.objects.bulk_create(
        [
            Through(volunteerteam_id=team_by_key[key].pk, volunteer_id=v.pk)
            for key, chosen in members.items()
            if key in team_by_key
            for v in chosen
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )

    # --- service records naming volunteers (the free text of the cases step) -------------
    rows: list[ServiceVolunteer] = []
    cleared: list[int] = []
    for pk, station_id, text, served_on, minutes in records_with_text:
        names = [p for p in SEPARATORS.split(text.strip()) if p and TEAM.search(p)]
        chosen = [
            v
            for name in names
            for v in members.get((station_id, name[:100]), [])
            if _active(v, served_on)
        ]
        if not chosen:
            continue
        for volunteer in rng.sample(chosen, min(len(chosen), rng.choice((1, 1, 2)))):
            rows.append(ServiceVolunteer(record_id=pk, volunteer=volunteer, hours=_hours(minutes)))
        cleared.append(pk)

    # --- pairings ---------------------------------------------------------------------------
    pairings: list[Pairing] = []
    visits_of: list[tuple[Pairing, list[tuple[int, date, int]]]] = []
    workers_of: dict[int, list[int]] = defaultdict(list)
    for pk, station_id in (
        SocialWorker.objects.filter(station__isnull=False)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
        .values_list("pk", "station_id")
    ):
        workers_of[station_id].append(pk)
    yixiangban = (
        team_by_key.get((by_code[ZHAOBAOSHAN].pk, YIXIANGBAN)) if ZHAOBAOSHAN in by_code else None
    )
    xinxin = team_by_key.get((by_code[JISHIGANG].pk, XINXIN)) if JISHIGANG in by_code else None

    def records_of(
        recipient_ids: list[int], station_id: int, **extra: Any
    ) -> dict[int, list[tuple[int, date, int]]]:
        found: dict[int, list[tuple[int, date, int]]] = defaultdict(list)
        for pk, recipient_id, served_on, minutes in (
            ServiceRecord.objects.filter(
                recipient_id__in=recipient_ids, station_id=station_id, **extra
            )
            .order_by("served_on")
            .values_list("pk", "recipient_id", "served_on", "duration_minutes")
        ):
            found[recipient_id].append((pk, served_on, minutes))
        return found

    # 后大街社区's 48 elders of 幸福来敲门, three to a volunteer of 益相伴.
    if yixiangban is not None:
        station = by_code[ZHAOBAOSHAN]
        schedules = list(
            VisitSchedule.objects.filter(
                Q(project__name=HOUDAJIE_PROJECT) | Q(project_text=HOUDAJIE_PROJECT),
                recipient__region__parent__code=ZHAOBAOSHAN,
                active=True,
            ).order_by("recipient_id")
        )
        team_volunteers = members.get((station.pk, YIXIANGBAN), [])
        visits = records_of(
            [s.recipient_id for s in schedules], station.pk, service_type=ServiceType.HEALTH_VISIT
        )
        for index, schedule in enumerate(schedules):
            if not team_volunteers:
                break
            volunteer = team_volunteers[index // 3 % len(team_volunteers)]
            starts_on = max(schedule.starts_on, volunteer.registered_on) + timedelta(
                days=rng.randint(0, 30)
            )
            pairing = Pairing(
                volunteer=volunteer,
                recipient_id=schedule.recipient_id,
                worker_id=schedule.worker_id,
                team=yixiangban,
                service_type=ServiceType.HEALTH_VISIT,
                times_per_month=2,
                starts_on=starts_on,
                note="“幸福来敲门”结对探访,随社工上门健康随访。",
            )
            pairings.append(pairing)
            visits_of.append(
                (pairing, [v for v in visits.get(schedule.recipient_id, []) if v[1] >= starts_on])
            )

    # 集士港镇's 馨心 volunteers with elders living alone; and a few at every other station.
    paired = {p.recipient_id for p in pairings}
    since = end - timedelta(days=400)
    # Elders each township station served lately (one query), and their services (one more).
    elders_at: dict[int, list[int]] = defaultdict(list)
    for station_id, recipient_id in (
        ServiceRecord.objects.filter(served_on__gte=since, station__kind=StationKind.TOWNSHIP)
        .exclude(recipient__status__in=NOT_SERVED)
        .filter(recipient__categories__code__in=ELDERS)
        .order_by()
        .values_list("station_id", "recipient_id")
        .distinct()
    ):
        elders_at[station_id].append(recipient_id)
    planned: list[tuple[Station, Volunteer, int, bool]] = []
    for station in stations:
        if station.kind != StationKind.TOWNSHIP or not workers_of.get(station.pk):
            continue
        if station.region.code == ZHAOBAOSHAN:
            continue
        named_station = station.region.code == JISHIGANG and xinxin is not None
        pool_volunteers = (
            members.get((station.pk, XINXIN), [])
            if named_station
            else [v for v in by_station[station.pk] if v.left_on is None]
        )
        if not pool_volunteers:
            continue
        wanted = JISHIGANG_PAIRINGS if named_station else rng.randint(3, 5)
        candidates = sorted(c for c in set(elders_at.get(station.pk, [])) if c not in paired)
        for index, recipient_id in enumerate(rng.sample(candidates, min(wanted, len(candidates)))):
            planned.append(
                (
                    station,
                    pool_volunteers[index % len(pool_volunteers)],
                    recipient_id,
                    named_station,
                )
            )
            paired.add(recipient_id)
    visits_at: dict[tuple[int, int], list[tuple[int, date, int]]] = defaultdict(list)
    for pk, recipient_id, station_id, served_on, minutes in (
        ServiceRecord.objects.filter(
            recipient_id__in=[recipient_id for _, _, recipient_id, _ in planned],
            served_on__gte=since,
        )
        .order_by("served_on")
        .values_list("pk", "recipient_id", "station_id", "served_on", "duration_minutes")
    ):
        visits_at[(recipient_id, station_id)].append((pk, served_on, minutes))
    for station, volunteer, recipient_id, named_station in planned:
        person_visits = visits_at.get((recipient_id, station.pk), [])
        first = person_visits[0][1] if person_visits else since
        starts_on = max(first, volunteer.registered_on, since)
        pairing = Pairing(
            volunteer=volunteer,
            recipient_id=recipient_id,
            worker_id=rng.choice(workers_of[station.pk]),
            team=xinxin if named_station else None,
            service_type=ServiceType.HOME_VISIT,
            times_per_month=rng.choice((1, 1, 2)),
            starts_on=starts_on,
            note="结对探访,陪伴聊天、助餐助洁。" if named_station else "",
        )
        pairings.append(pairing)
        visits_of.append((pairing, [v for v in person_visits if v[1] >= starts_on]))
    pairings = bulk_create_with_history(pairings, Pairing, batch_size=BATCH)

    # The paired volunteer goes along on the person's services since the pairing began.
    named_on = {(row.record_id, row.volunteer.pk) for row in rows}
    for pairing, pairing_visits in visits_of:
        volunteer = pairing.volunteer
        for pk, served_on, minutes in pairing_visits:
            if (pk, volunteer.pk) in named_on or not _active(volunteer, served_on):
                continue
            named_on.add((pk, volunteer.pk))
            rows.append(ServiceVolunteer(record_id=pk, volunteer=volunteer, hours=_hours(minutes)))
    bulk_create_with_history(rows, ServiceVolunteer, batch_size=BATCH)
    for start in range(0, len(cleared), BATCH):
        ServiceRecord.objects.filter(pk__in=cleared[start : start + BATCH]).update(volunteers="")
    analyze([Volunteer, VolunteerTeam, Pairing, ServiceVolunteer])
    log(
        f"volunteers: {len(volunteers)} volunteers, {len(teams)} teams, {len(pairings)} pairings, "
        f"{len(rows)} service records naming them"
    )
