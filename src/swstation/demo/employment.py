"""Demo step: 慈城镇's 慈缘驿站 (domain.md §3, issue 14): the town's farmers looking for seasonal
work, the job posts of its 24 enterprise partners, and the placements that put 131 women in work.

- **Posts**: each of the 24 enterprises of 慈缘驿站 (the linkage step's partners, whose
  "慈缘驿站季节性岗位" resource says how many places each offers: 449 in all) posts its places in
  one or two seasonal posts at its trade's peak (年糕 in winter, tea in spring, export
  processing before the autumn orders...), in one of the town's villages, 6–9 hours a day.
- **Seekers**: 2,100 residents of the town's villages registered at the station, three in four
  women, most of them farmers free in the slack season (农闲: winter and early summer), some
  women with employment difficulty, members of low-income households or people with a
  disability; identity and phone numbers encrypted and masked as the services store them.
- **Placements**: from the seekers the matching ranks first for each post (matching.py), 131
  women and 19 men placed (hired, at work, or having left when the season ended), others not
  hired, and some referrals still waiting; each placement with one history row per step, as
  the services leave them, and the placed seekers' status ``placed``.
- **Recipients among them**: up to :data:`RECIPIENT_SEEKERS` of the town's recipients of working
  age registered as seekers too (their name, village and numbers), the station placing them
  first among the seekers who fit a post; each start of work of one of them counts as a service
  (issue 14): their 就业帮扶 service record, made by the rule of ``placement_start`` (who records
  it: ``employment.selectors.placement_service_worker``, with ``cicheng_worker`` as the staff
  member moving the placements; the notes of ``services.placement_service_notes``) and written
  in bulk with its history row like the other steps' service records, linked to the placement.

Deterministic (``random.Random("demo-employment")`` over querysets in a fixed order, dates
relative to the build day); a second run finds the posts and changes nothing. Bulk writes with
their history: a few seconds.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from swstation.accounts.models import User
from swstation.cases.models import ServiceRecord, ServiceType
from swstation.core.actors import SYSTEM, Actor
from swstation.core.crypto import encrypt, lookup_hash
from swstation.core.masking import mask_phone
from swstation.demo.bulk import analyze, insert_objects, insert_rows
from swstation.demo.daily import DEMO_WORKER
from swstation.demo.history import demo_history
from swstation.demo.stations import add_years, person_name
from swstation.employment import matching, selectors
from swstation.employment.models import (
    JobPost,
    JobSeeker,
    Placement,
    PlacementStatus,
    PostStatus,
    SeekerCategory,
    SeekerStatus,
    TravelRange,
    month_mask,
)
from swstation.employment.services import PLACEMENT_SERVICE_MINUTES, placement_service_notes
from swstation.linkage.models import Partner, PartnerKind, Resource, ResourceKind
from swstation.recipients.identifiers import id_check_character, mask_id_number
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.regions.models import Region
from swstation.stations.models import Station, StationKind

CICHENG = "330205103000"
SEEKERS = 2100
WOMEN_PLACED = 131
MEN_PLACED = 19
REJECTED = 40
WAITING = 25
PLACES = 449
# The town's recipients of working age registered as seekers too (at most).
RECIPIENT_SEEKERS = 40
LOW_INCOME_CATEGORIES = frozenset(
    {"difficult_family", "extreme_poverty", "subsistence_allowance", "marginal_subsistence"}
)

# (words in the enterprise's name, season start (month, day), length in days, skills, title,
# heavy work)
TRADES: tuple[tuple[str, tuple[int, int], int, str, str, bool], ...] = (
    ("年糕", (11, 15), 75, "年糕制作、包装", "年糕生产季节工", False),
    ("水产", (10, 1), 60, "分拣、包装", "水产分拣工", False),
    ("茶", (3, 10), 50, "采茶", "采茶工", False),
    ("农业", (5, 1), 60, "种植、采摘", "农业采摘工", False),
    ("园林", (3, 1), 90, "种植、绿化养护", "绿化养护工", True),
    ("服饰", (8, 1), 90, "缝纫、包装", "缝纫工", False),
    ("家纺", (8, 15), 90, "缝纫、包装", "家纺缝制工", False),
    ("电器", (7, 1), 100, "流水线、装配", "装配工", False),
    ("电子", (7, 1), 100, "流水线、装配", "电子装配工", False),
    ("包装", (9, 1), 80, "包装", "包装工", False),
    ("纸品", (9, 1), 80, "包装、分拣", "纸品包装工", False),
    ("塑料", (6, 1), 90, "流水线、包装", "注塑辅助工", False),
    ("五金", (6, 1), 90, "装配、分拣", "五金装配工", True),
    ("汽车", (4, 1), 120, "装配", "零部件装配工", True),
    ("模具", (4, 1), 120, "分拣、打磨", "模具打磨工", True),
    ("机械", (4, 1), 120, "装配", "机加工辅助工", True),
    ("印刷", (10, 1), 60, "包装、装订", "印刷辅助工", False),
    ("家具", (5, 1), 90, "打磨、包装", "家具打磨工", True),
    ("物流", (10, 20), 60, "分拣、搬运", "分拣员", True),
    ("保洁", (1, 5), 60, "保洁", "保洁员", False),
    ("物业", (1, 5), 60, "保洁", "保洁员", False),
    ("酒店", (4, 20), 60, "保洁、帮厨", "客房服务员", False),
    ("餐饮", (4, 20), 60, "帮厨、洗菜", "帮厨", False),
    ("文旅", (4, 25), 45, "讲解、保洁", "景区服务员", False),
)
DEFAULT_TRADE = ("", (9, 1), 60, "包装", "季节工", False)
SKILLS = (
    "包装",
    "缝纫",
    "采茶",
    "年糕制作",
    "分拣",
    "保洁",
    "帮厨",
    "种植",
    "采摘",
    "装配",
    "流水线",
)
WORK = ("流水线", "包装", "保洁", "帮厨", "采茶", "缝纫", "分拣")
SLACK = (1, 2, 6, 7, 8, 11, 12)  # 农闲: winter, and between the spring sowing and the harvest
REJECT_REASONS = ("企业要求有相关经验", "面试未通过", "工时无法满足企业要求", "本人放弃")
LEAVE_REASONS = ("用工季节结束", "用工季节结束", "用工季节结束", "家中农忙")


def _trade(name: str) -> tuple[str, tuple[int, int], int, str, str, bool]:
    for trade in TRADES:
        if trade[0] in name:
            return trade
    return DEFAULT_TRADE


def _season(today: date, month: int, day: int, length: int) -> tuple[date, date]:
    """The trade's season of this year, or of last year when this year's starts ahead."""
    start = date(today.year, month, day)
    if start > today:
        start = date(today.year - 1, month, day)
    return start, start + timedelta(days=length)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _link_recipients(seekers: list[JobSeeker], station: Station, today: date) -> int:
    """Make some seekers the station's recipients of working age (18–59 today, in service): the
    seeker takes the person's name, sex, village and numbers, a category from theirs (low
    income, disability; else a woman with employment difficulty or another seeker), and is
    registered no earlier than the person. Seekers of the person's sex are taken in a shuffled
    order of their own (the main draw is left as it was); the number of seekers linked."""
    people = list(
        Recipient.objects.filter(
            station=station,
            region__parent=station.region,
            status=RecipientStatus.ACTIVE,
            exited_on__isnull=True,
            registered_on__lte=today,
            birth_date__gt=add_years(today, -60),
            birth_date__lte=add_years(today, -18),
            sex__in=("female", "male"),
        )
        .select_related("region")
        .prefetch_related("categories")
        .order_by("pk")[:RECIPIENT_SEEKERS]
    )
    if not people:
        return 0
    order = list(range(len(seekers)))
    random.Random("demo-employment-recipients").shuffle(order)
    hashes = {s.id_number_hash for s in seekers}
    taken: set[int] = set()
    linked = 0
    for person in people:
        if person.id_number_hash and person.id_number_hash in hashes:
            continue
        index = next((i for i in order if i not in taken and seekers[i].sex == person.sex), None)
        if index is None:
            continue
        taken.add(index)
        seeker = seekers[index]
        codes = {c.code for c in person.categories.all()}
        seeker.recipient = person
        seeker.name, seeker.region = person.name, person.region
        seeker.category = (
            SeekerCategory.DISABLED
            if "disabled" in codes
            else SeekerCategory.LOW_INCOME
            if codes & LOW_INCOME_CATEGORIES
            else SeekerCategory.WOMEN_IN_DIFFICULTY
            if person.sex == "female"
            else SeekerCategory.OTHER
        )
        seeker.health_limits = seeker.health_limits or "disabled" in codes
        hashes.discard(seeker.id_number_hash)
        seeker.id_number_encrypted = person.id_number_encrypted
        seeker.id_number_hash = person.id_number_hash
        seeker.id_number_masked = person.id_number_masked
        hashes.add(seeker.id_number_hash)
        if person.phone_hash:
            seeker.phone_encrypted = person.phone_encrypted
            seeker.phone_hash = person.phone_hash
            seeker.phone_masked = person.phone_masked
        seeker.registered_on = max(seeker.registered_on, person.registered_on)
        seeker._history_date = _moment(seeker.registered_on)  # type: ignore[attr-defined]
        linked += 1
    return linked


def _start_of_work_services(
    placements: list[tuple[Placement, list[tuple[date, str, str]]]],
) -> list[ServiceRecord]:
    """The 就业帮扶 service record of each start of work of a recipient seeker, as
    ``placement_start`` writes it (the worker by its rule, the demo worker moving the
    placements; none when no worker is on the staff that day, or the person was not yet
    registered), inserted with its history row and linked to the placement (not yet saved)."""
    user = User.objects.filter(username=DEMO_WORKER).first()
    actor: Actor = user if user is not None else SYSTEM
    records: list[ServiceRecord] = []
    owners: list[Placement] = []
    with translation.override("zh-hans"):
        for placement, steps in placements:
            person = placement.seeker.recipient
            start = placement.starts_on
            if person is None or start is None:
                continue
            if PlacementStatus.WORKING not in {status for _day, status, _reason in steps}:
                continue
            opened = placement.post.station.opened_on
            if start < person.registered_on or (opened is not None and start < opened):
                continue
            worker, case = selectors.placement_service_worker(
                actor=actor, placement=placement, day=start
            )
            if worker is None:
                continue
            record = ServiceRecord(
                recipient=person,
                region_code=person.region.code,  # a bulk insert: no save() to copy it
                case=case,
                station=placement.post.station,
                worker=worker,
                served_on=start,
                service_type=ServiceType.EMPLOYMENT,
                duration_minutes=PLACEMENT_SERVICE_MINUTES,
                place=placement.post.region.name[:100],
                notes=placement_service_notes(placement),
            )
            record._history_date = _moment(start)  # type: ignore[attr-defined]
            records.append(record)
            owners.append(placement)
    insert_objects(ServiceRecord, records)
    for placement, record in zip(owners, records, strict=True):
        placement.service_record = record
    return records


def build_employment(log: Callable[[str], None]) -> None:
    if JobPost.objects.exists():
        log(f"employment: already built ({Placement.objects.count()} placements)")
        return
    station = (
        Station.objects.filter(region__code=CICHENG, kind=StationKind.TOWNSHIP)
        .select_related("region")
        .order_by("pk")
        .first()
    )
    if station is None:
        log("employment: no station at 慈城镇, nothing built")
        return
    rng = random.Random("demo-employment")
    today = demo_history().end
    villages = list(Region.objects.filter(parent=station.region, level="village").order_by("code"))
    if not villages:
        villages = [station.region]
    enterprises = list(
        Partner.objects.filter(
            region=station.region, kind=PartnerKind.ENTERPRISE, name__startswith="宁波慈城"
        ).order_by("name")
    )
    capacity = {
        r.partner_id: r.capacity or 0
        for r in Resource.objects.filter(partner__in=enterprises, kind=ResourceKind.JOBS)
    }
    total = sum(capacity.get(e.pk, 0) for e in enterprises)
    if total != PLACES:
        # The linkage step gives 449 places; without it, split them evenly.
        capacity = {e.pk: PLACES // len(enterprises) for e in enterprises} if enterprises else {}
        if enterprises:
            capacity[enterprises[0].pk] += PLACES - sum(capacity.values())

    # --- posts -----------------------------------------------------------------------------
    posts: list[JobPost] = []
    for enterprise in enterprises:
        _word, (month, day), length, skills, title, heavy = _trade(enterprise.name)
        places = capacity.get(enterprise.pk, 0)
        if places <= 0:
            continue
        parts = (
            [places] if places < 16 or rng.random() < 0.5 else [places // 2, places - places // 2]
        )
        for n, share in enumerate(parts):
            start, end = _season(today, month, day, length)
            if n:
                start, end = start + timedelta(days=20), end + timedelta(days=20)
            posted = start - timedelta(days=rng.randint(15, 40))
            post = JobPost(
                employer=enterprise,
                station=station,
                title=title if not n else f"{title}（二期）",
                places=share,
                season_from=start,
                season_to=end,
                hours_per_day=rng.choice((6, 8, 8, 8, 9)),
                skills=skills,
                requirements="身体健康，能适应季节性工作",
                heavy_work=heavy,
                pay=Decimal(rng.choice((130, 140, 150, 160, 180, 200))),
                region=rng.choice(villages),
                status=PostStatus.CLOSED if end < today else PostStatus.OPEN,
                posted_on=min(posted, today),
                note="慈缘驿站",
            )
            post._history_date = _moment(post.posted_on)  # type: ignore[attr-defined]
            posts.append(post)
    insert_objects(JobPost, posts)

    # --- seekers ---------------------------------------------------------------------------
    used: set[str] = set()
    seekers: list[JobSeeker] = []
    for _ in range(SEEKERS):
        female = rng.random() < 0.75
        while True:
            birth = date(rng.randint(1963, 2000), rng.randint(1, 12), rng.randint(1, 28))
            sequence = rng.randrange(100) * 10 + rng.randrange(5) * 2 + (0 if female else 1)
            first17 = f"330205{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_character(first17)
            if number not in used:
                used.add(number)
                break
        phone = f"1{rng.choice('358')}{rng.randrange(10**9):09d}"
        roll = rng.random()
        category = (
            SeekerCategory.WOMEN_IN_DIFFICULTY
            if female and roll < 0.25
            else SeekerCategory.LOW_INCOME
            if roll < 0.33
            else SeekerCategory.DISABLED
            if roll < 0.36
            else SeekerCategory.FARMER
            if roll < 0.95
            else SeekerCategory.OTHER
        )
        months = set(rng.sample(SLACK, rng.randint(2, 5)))
        if rng.random() < 0.2:
            months |= set(rng.sample(range(1, 13), 3))
        registered = today - timedelta(days=rng.randint(30, 700))
        seeker = JobSeeker(
            name=person_name(rng, female),
            sex="female" if female else "male",
            category=category,
            id_number_encrypted=encrypt(number),
            id_number_hash=lookup_hash(number),
            id_number_masked=mask_id_number(number),
            phone_encrypted=encrypt(phone),
            phone_hash=lookup_hash(phone),
            phone_masked=mask_phone(phone),
            region=rng.choice(villages),
            station=station,
            skills="、".join(rng.sample(SKILLS, rng.randint(1, 3))),
            work_wanted="、".join(rng.sample(WORK, rng.randint(0, 2))),
            available_months=month_mask(sorted(months)),
            hours_per_day=rng.choice((4, 6, 6, 8, 8, 8, 9)),
            child_care=female and rng.random() < 0.3,
            no_transport=rng.random() < 0.25,
            health_limits=category == SeekerCategory.DISABLED or rng.random() < 0.08,
            travel_range=rng.choice(
                (
                    TravelRange.VILLAGE,
                    TravelRange.TOWNSHIP,
                    TravelRange.TOWNSHIP,
                    TravelRange.DISTRICT,
                )
            ),
            wanted_pay=Decimal(rng.choice((120, 130, 140, 150, 160)))
            if rng.random() < 0.7
            else None,
            paused=rng.random() < 0.04,
            registered_on=registered,
            note="",
        )
        seeker.status = SeekerStatus.PAUSED if seeker.paused else SeekerStatus.SEEKING
        seeker._history_date = _moment(registered)  # type: ignore[attr-defined]
        seekers.append(seeker)
    linked = _link_recipients(seekers, station, today)
    insert_objects(JobSeeker, seekers)

    # --- placements, from the matching -----------------------------------------------------
    facts = [(s, matching.seeker_facts(s)) for s in seekers if not s.paused]
    taken: set[int] = set()
    filled = {p.pk: 0 for p in posts}
    wanted = {"female": WOMEN_PLACED, "male": MEN_PLACED}
    placements: list[tuple[Placement, list[tuple[date, str, str]]]] = []
    ranked_by_post = []
    for post in posts:
        post_facts = matching.post_facts(post)
        best = matching.rank(
            [matching.score(f, post_facts, subject=s) for s, f in facts],
            key=lambda s: s.pk,
        )
        fitting = [m.subject for m in best]
        # The station places the people it serves first among those who fit.
        ranked_by_post.append(
            (
                post,
                [s for s in fitting if s.recipient_id] + [s for s in fitting if not s.recipient_id],
            )
        )
    rejected = waiting = 0
    placed_share = (WOMEN_PLACED + MEN_PLACED) / PLACES
    for turn, (post, ranked) in enumerate(ranked_by_post * 4):
        # The posts take turns, best candidates first, each filling about its share of the
        # placements a turn, until the figures are reached.
        quota = (
            post.places if turn >= 3 * len(posts) else max(1, round(post.places * placed_share / 3))
        )
        placed_now = 0
        for seeker in ranked:
            if seeker.pk in taken:
                continue
            if filled[post.pk] < post.places and wanted[seeker.sex] > 0 and placed_now < quota:
                placed_now += 1
                kind = "placed"
            elif placed_now < quota and filled[post.pk] < post.places and any(wanted.values()):
                continue  # a seeker of the figure already reached: the next one
            elif rejected < REJECTED:
                kind = "rejected"
            elif waiting < WAITING and post.status == PostStatus.OPEN:
                kind = "waiting"
            else:
                break
            taken.add(seeker.pk)
            referred = max(post.posted_on, post.season_from - timedelta(days=rng.randint(3, 15)))
            referred = min(referred, today)
            answered = min(referred + timedelta(days=rng.randint(2, 7)), today)
            placement = Placement(post=post, seeker=seeker, referred_on=referred, note="")
            steps: list[tuple[date, str, str]] = [
                (referred, PlacementStatus.REFERRED, "推荐至用工企业")
            ]
            if kind == "placed":
                filled[post.pk] += 1
                wanted[seeker.sex] -= 1
                start = max(post.season_from, answered)
                placement.answered_on = answered
                placement.starts_on = start
                placement.pay = post.pay
                steps.append((answered, PlacementStatus.HIRED, "录用"))
                if start <= today:
                    steps.append((start, PlacementStatus.WORKING, "在岗"))
                if post.season_to < today:
                    placement.ends_on = post.season_to
                    placement.reason = rng.choice(LEAVE_REASONS)
                    steps.append((post.season_to, PlacementStatus.LEFT, "离岗"))
                elif start <= today and rng.random() < 0.05:
                    placement.ends_on = today - timedelta(days=rng.randint(0, 5))
                    placement.ends_on = max(placement.ends_on, start)
                    placement.reason = "家中农忙"
                    steps.append((placement.ends_on, PlacementStatus.LEFT, "离岗"))
            elif kind == "rejected":
                rejected += 1
                placement.answered_on = answered
                placement.reason = rng.choice(REJECT_REASONS)
                steps.append((answered, PlacementStatus.REJECTED, "未录用"))
            else:
                waiting += 1
            placement.status = steps[-1][1]
            placement._history_date = _moment(referred)  # type: ignore[attr-defined]
            placements.append((placement, steps))
            if kind != "placed":
                break  # one rejection or waiting referral per post per turn
    services = _start_of_work_services(placements)
    insert_objects(Placement, [p for p, _ in placements])

    # One history row for each later step, as the services leave them.
    columns = [
        f.attname
        for f in Placement._meta.concrete_fields
        if f.attname not in ("created_at", "updated_at")
    ]
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    before_work = (PlacementStatus.REFERRED, PlacementStatus.HIRED)
    for placement, done in placements:
        for step_day, status, reason in done[1:]:
            # The service record is written with the start of work, not before.
            values = tuple(
                status
                if name == "status"
                else None
                if name == "service_record_id" and status in before_work
                else getattr(placement, name)
                for name in columns
            )
            rows.append((now, now, *values, _moment(step_day), reason, "~", None))
    history = Placement.history.model
    insert_rows(
        history,
        [
            "created_at",
            "updated_at",
            *columns,
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ],
        rows,
        own_ids=False,
    )
    # Mark the first row of each placement with its reason too (and no service record yet).
    history.objects.filter(history_type="+", history_change_reason__isnull=True).update(
        history_change_reason="推荐至用工企业", service_record=None
    )

    # The placed seekers' status, with the history row the services leave.
    holding = [
        p.seeker
        for p, _ in placements
        if p.status in (PlacementStatus.HIRED, PlacementStatus.WORKING)
    ]
    JobSeeker.objects.filter(pk__in=[s.pk for s in holding]).update(status=SeekerStatus.PLACED)
    seeker_columns = [
        f.attname
        for f in JobSeeker._meta.concrete_fields
        if f.attname not in ("created_at", "updated_at")
    ]
    insert_rows(
        JobSeeker.history.model,
        [
            "created_at",
            "updated_at",
            *seeker_columns,
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ],
        [
            (
                now,
                now,
                *(SeekerStatus.PLACED if n == "status" else getattr(s, n) for n in seeker_columns),
                now,
                "录用",
                "~",
                None,
            )
            for s in holding
        ],
        own_ids=False,
    )
    analyze([JobPost, JobSeeker, Placement])
    women = sum(
        1
        for p, _ in placements
        if p.seeker.sex == "female"
        and p.status in (PlacementStatus.HIRED, PlacementStatus.WORKING, PlacementStatus.LEFT)
    )
    log(
        f"employment: {len(posts)} posts of {len(enterprises)} enterprises "
        f"({sum(p.places for p in posts)} places), {len(seekers)} seekers ({linked} of them "
        f"recipients), {len(placements)} placements ({women} women placed, {len(services)} "
        "starts of work counted as services)"
    )
