"""Reads of groups, sessions and community activities, scoped to the reader.

Besides the lists of the pages and the API, the figures a later cockpit panel will read (issue
13, "Figures"; the cockpit wiring is a later step):

- :func:`group_figures` — per region, in a period: groups running (met at least once), new
  groups, groups ended, sessions held and attendances (members and walk-ins, named or
  counted);
- :func:`activity_figures` — per region, in a period: activities held and participants by group
  (elders, children, others), from the counts recorded on each activity;
- :func:`activities_combined` — groups and community activities as one list (the
  ``/api/v1/activities/`` endpoint).

Every figure is read from the records themselves: attendance from the attendance rows plus the
walk-ins counted, never from a total typed in.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from swstation.community.models import (
    ActivityParticipant,
    ActivityPhoto,
    ActivityVolunteer,
    CommunityActivity,
    GovernanceMeeting,
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    Pledge,
    PledgeKind,
    Proposal,
    ProposalOutcome,
    ProposalStage,
    SessionAttendance,
)
from swstation.core.actors import Actor
from swstation.linkage.models import Partner, PartnerKind
from swstation.projects.models import Project
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.volunteers.models import Volunteer
from swstation.workforce.models import SocialWorker

# --- lists -------------------------------------------------------------------------------------


def group_list(*, actor: Actor) -> QuerySet[Group]:
    return (
        Group.objects.visible_to(actor)
        .select_related("station__region", "village", "project")
        .annotate(
            session_count=Count("sessions", distinct=True),
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
        )
    )


def member_list(*, actor: Actor) -> QuerySet[GroupMember]:
    return GroupMember.objects.visible_to(actor).select_related(
        "group__station__region", "recipient__region"
    )


def session_list(*, actor: Actor) -> QuerySet[GroupSession]:
    return (
        GroupSession.objects.visible_to(actor)
        .select_related("group__station__region")
        .annotate(
            present_count=Count("attendance", distinct=True) + F("walk_in_count"),
        )
    )


def attendance_list(*, actor: Actor) -> QuerySet[SessionAttendance]:
    return SessionAttendance.objects.visible_to(actor).select_related(
        "session__group__station", "member__recipient"
    )


def activity_list(*, actor: Actor) -> QuerySet[CommunityActivity]:
    return (
        CommunityActivity.objects.visible_to(actor)
        .select_related("station", "region", "project")
        .prefetch_related("partners")
        .annotate(
            participants_counted=F("elders_count") + F("children_count") + F("others_count"),
        )
    )


def participant_list(*, actor: Actor) -> QuerySet[ActivityParticipant]:
    return ActivityParticipant.objects.visible_to(actor).select_related(
        "activity__region", "recipient"
    )


def photo_list(*, actor: Actor) -> QuerySet[ActivityPhoto]:
    return ActivityPhoto.objects.visible_to(actor).select_related("activity__region")


# --- choices of the forms ----------------------------------------------------------------------


def station_choices(*, actor: Actor) -> QuerySet[Station]:
    """The stations a user writes a group or an activity into (their own jurisdiction's)."""
    return (
        Station.objects.visible_to(actor, for_write=True)
        .select_related("region")
        .order_by("region__code", "name")
    )


def facilitator_choices(*, actor: Actor) -> QuerySet[SocialWorker]:
    return SocialWorker.objects.visible_to(actor).filter(left_on__isnull=True).order_by("name")


def project_choices(*, actor: Actor) -> QuerySet[Project]:
    return Project.objects.visible_to(actor, for_write=True).order_by("-starts_on", "name")


def village_choices(*, actor: Actor, levels: tuple[str, ...] = ("village",)) -> QuerySet[Region]:
    return Region.objects.visible_to(actor).filter(level__in=levels).order_by("code")


def partner_choices(*, actor: Actor) -> QuerySet[Partner]:
    return Partner.objects.visible_to(actor).order_by("name")


def recipient_choices(*, actor: Actor) -> QuerySet[Recipient]:
    return Recipient.objects.visible_to(actor).order_by("name")


def writable_groups(*, actor: Actor) -> QuerySet[Group]:
    return (
        Group.objects.visible_to(actor, for_write=True)
        .exclude(stage=GroupStage.ENDED)
        .order_by("-starts_on", "name")
    )


def writable_activities(*, actor: Actor) -> QuerySet[CommunityActivity]:
    return CommunityActivity.objects.visible_to(actor, for_write=True).order_by("-held_on")


# --- a group's page, a session's attendance ----------------------------------------------------


def group_members(*, actor: Actor, group: Group) -> QuerySet[GroupMember]:
    return (
        member_list(actor=actor)
        .filter(group=group)
        .annotate(attended=Count("attendance"))
        .order_by("left_on", "pk")
    )


def group_sessions(*, actor: Actor, group: Group) -> QuerySet[GroupSession]:
    return session_list(actor=actor).filter(group=group).order_by("number")


def members_on(session: GroupSession) -> QuerySet[GroupMember]:
    """The members of the session's group on the day it was held."""
    return (
        GroupMember.objects.filter(group_id=session.group_id, joined_on__lte=session.held_on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=session.held_on))
        .select_related("recipient")
        .order_by("pk")
    )


@dataclass(frozen=True)
class SessionCounts:
    members: int  # members on the day
    present_members: int
    walk_ins_named: int
    walk_ins_counted: int

    @property
    def present(self) -> int:
        return self.present_members + self.walk_ins_named + self.walk_ins_counted


def session_counts(session: GroupSession) -> SessionCounts:
    """A session's attendance, counted from its rows (one query each)."""
    rows = session.attendance.aggregate(
        members=Count("pk", filter=Q(member__isnull=False)),
        named=Count("pk", filter=Q(member__isnull=True)),
    )
    return SessionCounts(
        members=members_on(session).count(),
        present_members=rows["members"],
        walk_ins_named=rows["named"],
        walk_ins_counted=session.walk_in_count,
    )


def group_stage_changes(*, group: Group) -> list[Any]:
    """The group's stage steps from its history (oldest first): date, stage label, user."""
    steps = []
    previous = None
    for record in group.history.order_by("history_date", "history_id").select_related(
        "history_user"
    ):
        if record.stage != previous:
            steps.append(
                {
                    "date": record.history_date,
                    "stage": GroupStage(record.stage).label,
                    "user": getattr(record.history_user, "full_name", "")
                    or getattr(record.history_user, "username", ""),
                }
            )
            previous = record.stage
    return steps


def activity_participants(
    *, actor: Actor, activity: CommunityActivity
) -> QuerySet[ActivityParticipant]:
    return participant_list(actor=actor).filter(activity=activity)


def activity_photos(*, actor: Actor, activity: CommunityActivity) -> QuerySet[ActivityPhoto]:
    return photo_list(actor=actor).filter(activity=activity)


# --- the combined list of /api/v1/activities/ --------------------------------------------------


def activities_combined(
    *,
    actor: Actor,
    region_code: str = "",
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[Any]:
    """Groups and community activities as one list of rows (``kind`` ``group`` or
    ``community``, ``id``, ``name``, ``region_code``, ``station_id``, ``held_on``: an
    activity's day, a group's start), newest first; a group in the period is one that met in
    it (or started in it when it has not met yet). One UNION query, paginated by the database."""
    groups = Group.objects.visible_to(actor)
    activities = CommunityActivity.objects.visible_to(actor)
    if region_code:
        groups = groups.filter(station__region__code__startswith=region_code)
        activities = activities.filter(region__code__startswith=region_code)
    if since:
        activities = activities.filter(held_on__gte=since)
        met = GroupSession.objects.filter(group=OuterRef("pk"), held_on__gte=since)
        groups = groups.filter(Q(Exists(met)) | Q(starts_on__gte=since))
    if until:
        activities = activities.filter(held_on__lte=until)
        groups = groups.filter(starts_on__lte=until)
    columns = ["kind_code", "pk", "name", "code", "station_id", "held_on"]
    group_rows = (
        groups.order_by()
        .annotate(
            kind_code=Value("group"),
            code=F("station__region__code"),
            held_on=F("starts_on"),
        )
        .values_list(*columns)
    )
    activity_rows = (
        activities.order_by()
        .annotate(kind_code=Value("community"), code=F("region__code"))
        .values_list(*columns)
    )
    if kind == "group":
        return group_rows.order_by("-held_on", "pk")
    if kind == "community":
        return activity_rows.order_by("-held_on", "pk")
    return group_rows.union(activity_rows, all=True).order_by("-held_on", "kind_code", "pk")


def sessions_of(group_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The sessions of these groups (one query), with their attendance counted."""
    found: dict[int, list[dict[str, Any]]] = {pk: [] for pk in group_ids}
    rows = (
        GroupSession.objects.filter(group_id__in=group_ids)
        .annotate(named=Count("attendance"))
        .order_by("group_id", "number")
        .values("group_id", "number", "held_on", "named", "walk_in_count")
    )
    for row in rows:
        found[row["group_id"]].append(
            {
                "number": row["number"],
                "held_on": row["held_on"],
                "present": row["named"] + row["walk_in_count"],
            }
        )
    return found


# --- figures per region in a period (for the cockpit, later) -----------------------------------


@dataclass(frozen=True)
class GroupFigures:
    groups_running: int
    groups_started: int
    groups_ended: int
    sessions: int
    attendances: int


def group_figures(*, actor: Actor, region_code: str, since: date, until: date) -> GroupFigures:
    """Groups and sessions of ``region_code`` (a prefix) between ``since`` and ``until``
    (inclusive), as ``actor`` may read them: groups running (met in the period), started,
    ended; sessions held and attendances (members present, walk-ins named and counted)."""
    groups = Group.objects.visible_to(actor).filter(station__region__code__startswith=region_code)
    sessions = GroupSession.objects.visible_to(actor).filter(
        group__station__region__code__startswith=region_code,
        held_on__gte=since,
        held_on__lte=until,
    )
    session_totals = sessions.aggregate(
        n=Count("pk"), walk_ins=Coalesce(Sum("walk_in_count"), 0, output_field=IntegerField())
    )
    named = SessionAttendance.objects.filter(session__in=sessions).count()
    return GroupFigures(
        groups_running=sessions.values("group_id").distinct().count(),
        groups_started=groups.filter(starts_on__gte=since, starts_on__lte=until).count(),
        groups_ended=groups.filter(ended_on__gte=since, ended_on__lte=until).count(),
        sessions=session_totals["n"],
        attendances=named + session_totals["walk_ins"],
    )


@dataclass(frozen=True)
class ActivityFigures:
    activities: int
    elders: int
    children: int
    others: int
    named_participants: int

    @property
    def participants(self) -> int:
        return self.elders + self.children + self.others


def activity_figures(
    *, actor: Actor, region_code: str, since: date, until: date
) -> ActivityFigures:
    """Community activities held in ``region_code`` (a prefix) between ``since`` and ``until``
    and their participants by group, as ``actor`` may read them."""
    activities = CommunityActivity.objects.visible_to(actor).filter(
        region__code__startswith=region_code, held_on__gte=since, held_on__lte=until
    )

    def total(name: str) -> Any:
        return Coalesce(Sum(name), 0, output_field=IntegerField())

    sums = activities.aggregate(
        n=Count("pk"),
        elders=total("elders_count"),
        children=total("children_count"),
        others=total("others_count"),
    )
    named = ActivityParticipant.objects.filter(activity__in=activities).count()
    return ActivityFigures(
        activities=sums["n"],
        elders=sums["elders"],
        children=sums["children"],
        others=sums["others"],
        named_participants=named,
    )


def prefetch_facilitators() -> Prefetch:
    return Prefetch("facilitators", queryset=SocialWorker.objects.order_by("name"))


# --- volunteer hours ---------------------------------------------------------------------------


def volunteer_hours_list(*, actor: Actor) -> QuerySet[ActivityVolunteer]:
    return ActivityVolunteer.objects.visible_to(actor).select_related(
        "volunteer", "activity", "session__group", "region"
    )


def volunteer_choices(*, actor: Actor) -> QuerySet[Volunteer]:
    return Volunteer.objects.visible_to(actor).filter(left_on__isnull=True).order_by("name")


def writable_sessions(*, actor: Actor) -> QuerySet[GroupSession]:
    return (
        GroupSession.objects.visible_to(actor, for_write=True)
        .exclude(group__stage=GroupStage.ENDED)
        .select_related("group")
        .order_by("-held_on")
    )


def occasion_volunteers(
    *, actor: Actor, activity: CommunityActivity | None = None, session: GroupSession | None = None
) -> QuerySet[ActivityVolunteer]:
    rows = volunteer_hours_list(actor=actor)
    return rows.filter(activity=activity) if activity is not None else rows.filter(session=session)


def volunteer_hours_source(volunteer_ids: Any, period: tuple[date, date]) -> dict[int, Any]:
    """The port of ``volunteers.hours``: each volunteer's hours at activities and group
    sessions held in ``period`` (both days included), one query."""
    start, end = period
    rows = (
        ActivityVolunteer.objects.filter(volunteer_id__in=list(volunteer_ids))
        .filter(
            Q(activity__held_on__gte=start, activity__held_on__lte=end)
            | Q(session__held_on__gte=start, session__held_on__lte=end)
        )
        .values("volunteer_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    return {row["volunteer_id"]: row["total"] for row in rows}


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------


def proposal_list(*, actor: Actor) -> QuerySet[Proposal]:
    return (
        Proposal.objects.visible_to(actor)
        .select_related("station", "region", "lead_worker", "project")
        .annotate(
            money_pledged=Coalesce(
                Sum("pledges__amount_pledged"), Value(Decimal("0")), output_field=DecimalField()
            ),
            money_received=Coalesce(
                Sum("pledges__amount_received"), Value(Decimal("0")), output_field=DecimalField()
            ),
            pledge_count=Count("pledges", distinct=True),
        )
    )


def pledge_list(*, actor: Actor) -> QuerySet[Pledge]:
    return Pledge.objects.visible_to(actor).select_related(
        "proposal__region", "partner", "volunteer"
    )


def meeting_list(*, actor: Actor) -> QuerySet[GovernanceMeeting]:
    return GovernanceMeeting.objects.visible_to(actor).select_related(
        "proposal", "council", "region"
    )


def writable_proposals(*, actor: Actor) -> QuerySet[Proposal]:
    return (
        Proposal.objects.visible_to(actor, for_write=True)
        .exclude(stage=ProposalStage.CLOSED)
        .order_by("-raised_on", "name")
    )


def council_choices(*, actor: Actor) -> QuerySet[Partner]:
    """The residents' self-governance stations (邻舍家) whose council meetings a user records."""
    return (
        Partner.objects.visible_to(actor).filter(kind=PartnerKind.SELF_GOVERNANCE).order_by("name")
    )


def proposal_pledges(*, actor: Actor, proposal: Proposal) -> QuerySet[Pledge]:
    return pledge_list(actor=actor).filter(proposal=proposal).order_by("kind", "pledged_on", "pk")


def proposal_meetings(*, actor: Actor, proposal: Proposal) -> QuerySet[GovernanceMeeting]:
    return meeting_list(actor=actor).filter(proposal=proposal).order_by("held_on", "pk")


def council_meetings(*, actor: Actor, partner: Any) -> QuerySet[GovernanceMeeting]:
    return meeting_list(actor=actor).filter(council=partner).order_by("-held_on", "-pk")


@dataclass(frozen=True)
class PledgeTotals:
    """A proposal's "五筹": pledges by kind, money pledged and received, people pledged."""

    by_kind: list[tuple[str, str, int]]  # (kind, label, pledges)
    money_pledged: Decimal
    money_received: Decimal
    people: int

    @property
    def money_outstanding(self) -> Decimal:
        return self.money_pledged - self.money_received


def pledge_totals(*, actor: Actor, proposal: Proposal) -> PledgeTotals:
    rows = pledge_list(actor=actor).filter(proposal=proposal).order_by()
    counts = dict(rows.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    money = rows.aggregate(
        pledged=Coalesce(Sum("amount_pledged"), Value(Decimal("0")), output_field=DecimalField()),
        received=Coalesce(Sum("amount_received"), Value(Decimal("0")), output_field=DecimalField()),
        people=Coalesce(Sum("people_count"), 0, output_field=IntegerField()),
    )
    return PledgeTotals(
        by_kind=[(value, str(label), counts.get(value, 0)) for value, label in PledgeKind.choices],
        money_pledged=money["pledged"],
        money_received=money["received"],
        people=money["people"],
    )


def proposal_stage_changes(*, proposal: Proposal) -> list[Any]:
    """The proposal's stage steps from its history (oldest first): date, stage label, user."""
    steps = []
    previous = None
    for record in proposal.history.order_by("history_date", "history_id").select_related(
        "history_user"
    ):
        if record.stage != previous:
            steps.append(
                {
                    "date": record.history_date,
                    "stage": ProposalStage(record.stage).label,
                    "user": getattr(record.history_user, "full_name", "")
                    or getattr(record.history_user, "username", ""),
                }
            )
            previous = record.stage
    return steps


@dataclass(frozen=True)
class ProposalFigures:
    proposals_raised: int
    proposals_closed: int
    proposals_solved: int
    by_stage: dict[str, int]  # open in the period, by their stage now
    money_pledged: Decimal
    money_received: Decimal
    pledges_by_kind: dict[str, int]
    meetings: int  # proposals' meetings (议事)
    council_meetings: int  # self-governance stations' council meetings (理事会)

    @property
    def proposals(self) -> int:
        return sum(self.by_stage.values())

    @property
    def pledges(self) -> int:
        return sum(self.pledges_by_kind.values())

    @property
    def money_outstanding(self) -> Decimal:
        return self.money_pledged - self.money_received


def proposal_figures(
    *, actor: Actor, region_code: str, since: date, until: date
) -> ProposalFigures:
    """The residents' micro-governance of ``region_code`` (a prefix) between ``since`` and
    ``until`` (inclusive), as ``actor`` may read it: proposals under way in the period (raised
    by its end and not closed before its start) by their stage, raised, closed and solved in it;
    the pledges made in it by kind, with the money pledged and the money received on them;
    the proposals' meetings and the self-governance stations' council meetings held in it."""
    proposals = Proposal.objects.visible_to(actor).filter(region__code__startswith=region_code)
    under_way = proposals.filter(raised_on__lte=until).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=since)
    )
    stages = dict(
        under_way.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    closed = proposals.filter(closed_on__gte=since, closed_on__lte=until)
    pledges = Pledge.objects.visible_to(actor).filter(
        proposal__region__code__startswith=region_code,
        pledged_on__gte=since,
        pledged_on__lte=until,
    )
    kinds = dict(pledges.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    money = pledges.aggregate(
        pledged=Coalesce(Sum("amount_pledged"), Value(Decimal("0")), output_field=DecimalField()),
        received=Coalesce(Sum("amount_received"), Value(Decimal("0")), output_field=DecimalField()),
    )
    meetings = (
        GovernanceMeeting.objects.visible_to(actor)
        .filter(region__code__startswith=region_code, held_on__gte=since, held_on__lte=until)
        .aggregate(
            proposals=Count("pk", filter=Q(proposal__isnull=False)),
            councils=Count("pk", filter=Q(council__isnull=False)),
        )
    )
    return ProposalFigures(
        proposals_raised=proposals.filter(raised_on__gte=since, raised_on__lte=until).count(),
        proposals_closed=closed.count(),
        proposals_solved=closed.filter(outcome=ProposalOutcome.SOLVED).count(),
        by_stage={value: stages.get(value, 0) for value in ProposalStage.values},
        money_pledged=money["pledged"],
        money_received=money["received"],
        pledges_by_kind={value: kinds.get(value, 0) for value in PledgeKind.values},
        meetings=meetings["proposals"],
        council_meetings=meetings["councils"],
    )


def partner_council_panel(request: Any, partner: Any) -> str:
    """The council meetings (理事会) of a residents' self-governance station, on its partner
    page (linkage's port: linkage never imports this app)."""
    from django.template.loader import render_to_string

    from swstation.core.permissions import user_can

    user = request.user
    if partner.kind != PartnerKind.SELF_GOVERNANCE or not user_can(user, "view", GovernanceMeeting):
        return ""
    meetings = council_meetings(actor=user, partner=partner)
    can_add = (
        user_can(user, "add", GovernanceMeeting)
        and Partner.objects.visible_to(user, for_write=True).filter(pk=partner.pk).exists()
    )
    context = {
        "partner": partner,
        "meetings": list(meetings[:20]),
        "meeting_count": meetings.count(),
        "can_add": can_add,
    }
    return render_to_string("community/inc/council_meetings.html", context, request=request)
