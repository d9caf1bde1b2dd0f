"""Reads of the employment aid (issue 14). Every function starts from
``Model.objects.visible_to(actor)``; a post's places filled are counted from its placements in
SQL (:func:`with_places_filled`), never typed; matching scores in Python over the few columns it
needs (matching.py), after SQL has kept only the seekers who could fit (seeking, free in one of
the season's months, living in the post's district).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any, cast

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.models import Case, CaseStage
from swstation.cases.selectors.cases import case_visible
from swstation.cases.selectors.home import AgendaGroup
from swstation.cases.selectors.records import DueItem
from swstation.community.models import ActivityKind, ActivityParticipant, CommunityActivity
from swstation.core.actors import SYSTEM, Actor
from swstation.employment import matching
from swstation.employment.models import (
    FILLING_PLACEMENT,
    IncomeCheck,
    IncomeFollowUp,
    JobPost,
    JobSeeker,
    Placement,
    PostStatus,
    SeekerStatus,
)
from swstation.linkage.models import Partner, PartnerKind
from swstation.projects.models import Project
from swstation.projects.selectors import project_link_choices
from swstation.recipients.models import Household, Recipient
from swstation.recipients.selectors import user_may_reveal_identity
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

__all__ = [
    "employer_choices",
    "follow_up_checks",
    "followed_q",
    "hired_q",
    "household_choices",
    "income_check_agenda_group",
    "income_check_list",
    "income_follow_up_list",
    "income_series",
    "job_post_list",
    "job_seeker_list",
    "job_seeker_trainings",
    "livelihood_project_choices",
    "matches_for_post",
    "matches_for_seeker",
    "may_reveal_identity",
    "placement_list",
    "placement_service_worker",
    "station_choices",
    "trained_seekers",
    "training_titles",
    "with_places_filled",
    "with_trainings_attended",
    "writable_follow_ups",
]

MATCH_LIMIT = 50


def with_places_filled(queryset: QuerySet[JobPost]) -> QuerySet[JobPost]:
    """Each post with ``places_filled``: its placements hired, at work or having left (a seasonal
    place is filled once)."""
    return queryset.annotate(
        places_filled=Coalesce(
            Count("placements", filter=Q(placements__status__in=FILLING_PLACEMENT)),
            0,
            output_field=IntegerField(),
        )
    )


def job_seeker_list(*, actor: Actor) -> QuerySet[JobSeeker]:
    queryset: QuerySet[JobSeeker] = JobSeeker.objects.visible_to(actor)
    return queryset.select_related("region", "station", "recipient")


def job_post_list(*, actor: Actor) -> QuerySet[JobPost]:
    queryset: QuerySet[JobPost] = JobPost.objects.visible_to(actor)
    return with_places_filled(queryset.select_related("employer", "station", "region"))


def placement_list(*, actor: Actor) -> QuerySet[Placement]:
    queryset: QuerySet[Placement] = Placement.objects.visible_to(actor)
    return queryset.select_related(
        "post", "post__employer", "post__region", "seeker", "seeker__region"
    )


def _works_there_on(worker: SocialWorker | None, station_id: int, day: date) -> bool:
    """``worker`` is on the staff of the station on ``day`` (hired, not yet left)."""
    return (
        worker is not None
        and worker.station_id == station_id
        and (worker.hired_on is None or worker.hired_on <= day)
        and (worker.left_on is None or worker.left_on > day)
    )


def placement_service_worker(
    *, actor: Actor, placement: Placement, day: date
) -> tuple[SocialWorker | None, Case | None]:
    """Who records the service of a recipient's start of work on ``day`` (services.
    placement_start), and under which of the person's cases — a worker on the staff of the
    post's station that day (hired, not yet left: the cases' rule for any service record):

    1. the writer's own social-worker record (a social worker moving their seeker's placement);
    2. else the worker of the person's case open at that station on the day (the newest
       opened): the worker responsible for them, as a pairing's visits are recorded by the
       pairing's responsible worker (volunteers.services.pairing_visit_record);
    3. else nobody (a manager without a workforce record, the platform, a person without a
       case there): no service is recorded, never one under a worker made up or picked at random.

    The service goes under that case when the chosen worker holds it and ``actor`` may see it.
    """
    station_id = placement.post.station_id
    recipient_id = placement.seeker.recipient_id
    if recipient_id is None:
        return None, None
    own: SocialWorker | None = None
    if actor is not SYSTEM and getattr(actor, "is_authenticated", False) and actor.pk:
        own = SocialWorker.objects.filter(user_id=actor.pk).first()
    cases = list(
        Case.objects.filter(recipient_id=recipient_id, station_id=station_id, opened_on__lte=day)
        .exclude(stage=CaseStage.CLOSED)
        .select_related("worker")
        .order_by("-opened_on", "-pk")[:5]
    )
    worker = own if _works_there_on(own, station_id, day) else None
    if worker is None:
        worker = next((c.worker for c in cases if _works_there_on(c.worker, station_id, day)), None)
    if worker is None:
        return None, None
    case = next(
        (c for c in cases if c.worker_id == worker.pk and case_visible(actor=actor, case=c)), None
    )
    return worker, case


def may_reveal_identity(actor: Actor) -> bool:
    """As for recipients and volunteers: the station's manager and social workers, each view
    logged."""
    return user_may_reveal_identity(actor)


def station_choices(*, actor: Actor) -> QuerySet[Station]:
    """The stations a seeker or post is written into: the writer's write scope."""
    queryset: QuerySet[Station] = Station.objects.visible_to(actor, for_write=True)
    return queryset.select_related("region").order_by("region__code", "name")


def employer_choices(*, actor: Actor) -> QuerySet[Partner]:
    """The enterprise partners the writer reads (a district's enterprises too)."""
    queryset: QuerySet[Partner] = Partner.objects.visible_to(actor)
    return queryset.filter(kind=PartnerKind.ENTERPRISE, active=True).order_by("name")


def recipient_choices(*, actor: Actor) -> QuerySet[Recipient]:
    queryset: QuerySet[Recipient] = Recipient.objects.visible_to(actor, for_write=True)
    return queryset.select_related("region").order_by("name")


def matches_for_post(
    *, actor: Actor, post: JobPost, limit: int = MATCH_LIMIT
) -> list[matching.Match]:
    """The seekers the actor reads who fit ``post``, best first, each with its reasons. Seekers
    already referred to it are left out. SQL keeps the seekers seeking work, free in one of the
    season's months and living in the post's district; matching.py scores the rest."""
    facts = matching.post_facts(post)
    referred = Placement.objects.filter(post=post).values("seeker_id")
    visible: QuerySet[JobSeeker] = JobSeeker.objects.visible_to(actor)
    candidates = (
        visible.select_related("region", "station")
        .filter(status=SeekerStatus.SEEKING, region__code__startswith=post.region.code[:6])
        .annotate(free_in_season=F("available_months").bitand(facts.months))
        .filter(free_in_season__gt=0)
        .exclude(pk__in=referred)
        .only(
            "pk",
            "name",
            "sex",
            "category",
            "skills",
            "work_wanted",
            "available_months",
            "hours_per_day",
            "child_care",
            "no_transport",
            "health_limits",
            "travel_range",
            "wanted_pay",
            "recipient",
            "region__code",
            "region__name",
            "region__parent",
            "station__name",
        )
    )
    seekers = list(candidates)
    trained = training_titles(actor=actor, seekers=seekers)
    scored = [
        matching.score(
            matching.seeker_facts(seeker, trainings=trained.get(seeker.pk, ())),
            facts,
            subject=seeker,
        )
        for seeker in seekers
    ]
    return matching.rank(scored, key=lambda seeker: (seeker.name, seeker.pk))[:limit]


def matches_for_seeker(
    *, actor: Actor, seeker: JobSeeker, limit: int = MATCH_LIMIT
) -> list[matching.Match]:
    """The open posts the actor reads whose season has not ended, with places left, that fit
    ``seeker``, best first."""
    trainings = job_seeker_trainings(actor=actor, seeker=seeker).values_list("name", flat=True)
    facts = matching.seeker_facts(seeker, trainings=tuple(trainings))
    referred = Placement.objects.filter(seeker=seeker).values("post_id")
    posts = (
        job_post_list(actor=actor)
        .filter(status=PostStatus.OPEN, season_to__gte=timezone.localdate())
        .filter(region__code__startswith=seeker.region.code[:6])
        .exclude(pk__in=referred)
    )
    scored = [
        matching.score(facts, matching.post_facts(post), subject=post)
        for post in posts
        if post.places_filled < post.places  # type: ignore[attr-defined]
    ]
    return matching.rank(scored, key=lambda post: (post.season_from, post.pk))[:limit]


# --- skills trainings ---------------------------------------------------------------------------
#
# A seeker's skills trainings are the community activities of kind ``training`` (技能培训) they
# attended, named in the activity's participants. A participant is the seeker when it is the
# seeker's recipient, or, for a resident written by name, when the name is the seeker's and the
# activity was held in the seeker's village or for their whole town: a participant records no
# phone number (community.ActivityParticipant keeps a resident's name only), so the phone's keyed
# hash cannot be matched. Two residents of one village with one name are taken for one person.


def _same_person(recipient: Any, name: Any, village: Any, town: Any) -> Q:
    """The participant rows that are this seeker (the rule above), the seeker given by its
    values or by ``OuterRef`` s. A seeker without a recipient matches no recipient row."""
    person = Q(recipient__isnull=True, name=name) & (
        Q(activity__region_id=village) | Q(activity__region_id=town)
    )
    if recipient is not None:
        person |= Q(recipient_id=recipient)
    return person


def _outer_seeker() -> Q:
    return _same_person(
        OuterRef("recipient_id"),
        OuterRef("name"),
        OuterRef("region_id"),
        OuterRef("region__parent_id"),
    )


def _training_rows(
    actor: Actor, start: date | None = None, end: date | None = None
) -> QuerySet[ActivityParticipant]:
    """The participants the actor reads of skills trainings held between ``start`` and
    ``end`` (either may be open)."""
    queryset: QuerySet[ActivityParticipant] = ActivityParticipant.objects.visible_to(actor)
    queryset = queryset.filter(activity__kind=ActivityKind.TRAINING)
    if start:
        queryset = queryset.filter(activity__held_on__gte=start)
    if end:
        queryset = queryset.filter(activity__held_on__lte=end)
    return queryset


def job_seeker_trainings(*, actor: Actor, seeker: JobSeeker) -> QuerySet[CommunityActivity]:
    """The skills trainings (community activities of kind ``training``) the actor reads that
    ``seeker`` attended, latest first: each once, however many participant rows name them."""
    region = seeker.region
    attended = _training_rows(actor).filter(
        _same_person(seeker.recipient_id, seeker.name, region.pk, region.parent_id)
    )
    queryset: QuerySet[CommunityActivity] = CommunityActivity.objects.visible_to(actor)
    return (
        queryset.filter(pk__in=attended.values("activity_id"))
        .select_related("station", "region")
        .order_by("-held_on", "-pk")
    )


def with_trainings_attended(queryset: QuerySet[JobSeeker], *, actor: Actor) -> QuerySet[JobSeeker]:
    """Each seeker with ``trainings_attended``: the skills trainings the actor reads that they
    attended (:func:`job_seeker_trainings`, counted in SQL)."""
    counted = (
        _training_rows(actor)
        .filter(_outer_seeker())
        .order_by()
        .annotate(
            n=Func(F("activity_id"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
        )
        .values("n")
    )
    return queryset.annotate(
        trainings_attended=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    )


def trained_seekers(
    queryset: QuerySet[JobSeeker],
    *,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[JobSeeker]:
    """The seekers of ``queryset`` who attended a skills training the actor reads, held
    between ``start`` and ``end`` (either may be open): the cockpit's "seekers trained" and the
    seeker list's ``trained_after/before``."""
    return queryset.filter(Exists(_training_rows(actor, start, end).filter(_outer_seeker())))


def training_titles(*, actor: Actor, seekers: Sequence[JobSeeker]) -> dict[int, tuple[str, ...]]:
    """For each of ``seekers`` (their ``region`` loaded with its ``parent_id``), the names of
    the skills trainings they attended: the rule of :func:`job_seeker_trainings`
    applied in Python to many seekers at once, over one query of the trainings' participants in
    the seekers' districts (a recipient lives, and a named resident trained, in the seeker's
    town)."""
    if not seekers:
        return {}
    districts = {seeker.region.code[:6] for seeker in seekers}
    rows = (
        _training_rows(actor)
        .filter(reduce(or_, (Q(activity__region__code__startswith=d) for d in districts)))
        .order_by("activity__held_on", "activity_id")
        .values_list("recipient_id", "name", "activity_id", "activity__region_id", "activity__name")
    )
    by_recipient: dict[int, dict[int, str]] = defaultdict(dict)
    by_name: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
    for recipient_id, name, activity_id, place_id, title in rows:
        if recipient_id is not None:
            by_recipient[recipient_id][activity_id] = title
        else:
            by_name[(name, place_id)][activity_id] = title
    found: dict[int, tuple[str, ...]] = {}
    for seeker in seekers:
        attended: dict[int, str] = {}
        if seeker.recipient_id is not None:
            attended.update(by_recipient.get(seeker.recipient_id, {}))
        places: tuple[int | None, ...] = (seeker.region_id, seeker.region.parent_id)
        for place in places:
            if place is not None:
                attended.update(by_name.get((seeker.name, place), {}))
        if attended:
            found[seeker.pk] = tuple(attended.values())
    return found


# --- income follow-up ---------------------------------------------------------------------------


def income_follow_up_list(*, actor: Actor) -> QuerySet[IncomeFollowUp]:
    """Each follow-up with ``last_checked`` (its latest check's day) and ``check_count``."""
    queryset: QuerySet[IncomeFollowUp] = IncomeFollowUp.objects.visible_to(actor)
    return queryset.select_related(
        "household", "household__region", "project", "project__station"
    ).annotate(last_checked=Max("checks__checked_on"), check_count=Count("checks"))


def income_check_list(*, actor: Actor) -> QuerySet[IncomeCheck]:
    queryset: QuerySet[IncomeCheck] = IncomeCheck.objects.visible_to(actor)
    return queryset.select_related(
        "follow_up", "follow_up__household", "follow_up__household__region", "follow_up__project"
    )


def follow_up_checks(*, actor: Actor, follow_up: IncomeFollowUp) -> list[IncomeCheck]:
    """The follow-up's checks, oldest first (the page's table reads as a series)."""
    return list(
        income_check_list(actor=actor).filter(follow_up=follow_up).order_by("checked_on", "pk")
    )


def household_choices(*, actor: Actor) -> QuerySet[Household]:
    """The households a follow-up is written for: the writer's jurisdiction."""
    queryset: QuerySet[Household] = Household.objects.visible_to(actor, for_write=True)
    return queryset.select_related("region").order_by("region__code", "head_name")


def livelihood_project_choices(*, actor: Actor) -> QuerySet[Project]:
    """The projects a household may be followed by: approved and not closed or terminated, the
    actor's own or a district hub's they read (projects.selectors.project_link_choices)."""
    return project_link_choices(actor=actor)


def writable_follow_ups(*, actor: Actor) -> QuerySet[IncomeFollowUp]:
    """The follow-ups a check may be added to: open and in the writer's jurisdiction."""
    queryset: QuerySet[IncomeFollowUp] = IncomeFollowUp.objects.visible_to(actor, for_write=True)
    return queryset.filter(ended_on__isnull=True).select_related("household", "project")


@dataclass(frozen=True)
class IncomePoint:
    """One point of a household's income series: the baseline or a check."""

    day: date
    earned: Decimal
    given: Decimal
    check: IncomeCheck | None = None

    @property
    def total(self) -> Decimal:
        return self.earned + self.given

    @property
    def earned_share(self) -> float | None:
        """The part of the income the household earns (0–1); none without income."""
        return float(self.earned / self.total) if self.total else None


@dataclass(frozen=True)
class IncomeRow:
    point: IncomePoint
    change: Decimal | None  # against the baseline; none for the baseline itself


def income_series(follow_up: IncomeFollowUp, checks: list[IncomeCheck]) -> list[IncomeRow]:
    """The baseline then each check (oldest first), each with its change against the
    baseline: "从输血到造血" read as the income earned growing and the income given falling."""
    baseline = IncomePoint(
        follow_up.started_on, follow_up.baseline_earned, follow_up.baseline_given
    )
    rows = [IncomeRow(baseline, None)]
    for check in sorted(checks, key=lambda c: (c.checked_on, c.pk)):
        point = IncomePoint(check.checked_on, check.earned, check.given, check)
        rows.append(IncomeRow(point, point.total - baseline.total))
    return rows


# The agenda shows the checks due within two weeks (a quarterly call is planned ahead).
CHECK_DUE_WINDOW_DAYS = 14


def income_check_agenda_group(actor: Actor, on: date, limit: int) -> AgendaGroup:
    """The home agenda's group of income checks due (registered with cases'
    ``register_agenda_source`` in apps.py): the open follow-ups the actor keeps, each due an
    interval after its last check (or its baseline): overdue, due today, due within two weeks,
    the longest overdue first. One query: a station follows dozens of households, and the day
    due is a month arithmetic the databases do differently."""
    window = on + timedelta(days=CHECK_DUE_WINDOW_DAYS)
    follow_ups = [
        (follow_up.next_due(getattr(follow_up, "last_checked", None)), follow_up)
        for follow_up in writable_follow_ups(actor=actor)
        .select_related("household__region")
        .annotate(last_checked=Max("checks__checked_on"))
        .order_by("pk")
    ]
    due = sorted(
        ((day, f) for day, f in follow_ups if day is not None and day <= window),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    items = [
        DueItem(
            kind="income_check",
            title=_("Income check · %(project)s") % {"project": follow_up.project.name},
            recipient=cast(Any, follow_up.household),
            due_on=day,
            on=on,
            url=follow_up.get_absolute_url(),
            action_url=f"{reverse('employment:incomecheck_add')}?follow_up={follow_up.pk}",
            last_on=getattr(follow_up, "last_checked", None) or follow_up.started_on,
            action_label=_("Record the check"),
        )
        for day, follow_up in due[:limit]
    ]
    return AgendaGroup(
        kind="income_checks",
        label=_("Income checks"),
        overdue=sum(1 for day, _f in due if day < on),
        today=sum(1 for day, _f in due if day == on),
        soon=sum(1 for day, _f in due if day > on),
        soon_days=CHECK_DUE_WINDOW_DAYS,
        items=items,
        url=f"{reverse('employment:incomefollowup_list')}?followed=true",
    )


def followed_q(start: date | None, end: date | None) -> Q:
    """Follow-ups under way between ``start`` and ``end``: the baseline taken by the end, not
    ended before the start (the cockpit's figures and the filter ``ended_after``)."""
    where = Q()
    if end:
        where &= Q(started_on__lte=end)
    if start:
        where &= Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    return where


def hired_q(start: date | None, end: date | None) -> Q:
    """Placements hired between ``start`` and ``end`` (either may be open): answered 录用, at
    work since or having left (the cockpit's figures and the filters ``hired_after/before``)."""
    where = Q(status__in=FILLING_PLACEMENT)
    if start:
        where &= Q(answered_on__gte=start)
    if end:
        where &= Q(answered_on__lte=end)
    return where
