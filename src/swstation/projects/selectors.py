"""Reads on projects and their beneficiaries: every function takes the actor and returns only
what they may see (domain.md §4).

A district hub's projects are shared downward (``Project.shared_downward``): the stations of
the district read them and change nothing. Enrolments follow the recipients' rule
(recipients.selectors): an auditor does not see the enrolments of minors.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.permissions import user_can, user_has_role
from swstation.projects.models import (
    APPROVERS,
    ENROLLING_STATUSES,
    FINAL_STATUSES,
    NEXT_STATUS,
    PROJECT_STATION_KINDS,
    Project,
    ProjectEnrolment,
    ProjectStatus,
)
from swstation.recipients.models import Recipient
from swstation.recipients.selectors import minors_q, user_sees_sensitive_data
from swstation.regions.models import Region, RegionLevel
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

__all__ = [
    "ProjectActions",
    "StatusChange",
    "StatusStep",
    "enrolment_project_choices",
    "enrolment_recipient_choices",
    "may_decide",
    "project_actions",
    "project_enrolment_list",
    "project_enrolments",
    "project_link_choices",
    "project_link_error",
    "project_list",
    "project_station_choices",
    "project_status_changes",
    "project_status_steps",
    "project_village_choices",
    "project_worker_choices",
    "project_writable",
]


# --- projects --------------------------------------------------------------------------------


def project_list(*, actor: Actor) -> QuerySet[Project]:
    """The projects the actor may see (their jurisdiction's, and the hubs' above it), with
    what the list pages and the API show: the station, the lead and the people enrolled now."""
    queryset: QuerySet[Project] = Project.objects.visible_to(actor)
    return (
        queryset.select_related("station", "station__region", "lead", "approved_by")
        .prefetch_related("team", "target_groups", "villages")
        .annotate(enrolled_count=Count("enrolments", filter=Q(enrolments__exited_on__isnull=True)))
        # An aggregate drops the model's default ordering: say it again, for stable pages.
        .order_by("-starts_on", "name", "pk")
    )


def project_writable(*, actor: Actor, project: Project) -> bool:
    """Whether the actor may change the project: their role, and the project inside their own
    jurisdiction (a hub's project is read from below, not changed)."""
    if not user_can(actor, "change", Project):
        return False
    writable: QuerySet[Project] = Project.objects.visible_to(actor, for_write=True)
    return writable.filter(pk=project.pk).exists()


def may_decide(*, actor: Actor, project: Project) -> bool:
    """Whether the actor's role approves (and terminates) projects asking for this money:
    the station manager for the station's own money, the district officer when district or
    city money is asked; the city bureau for any."""
    return user_has_role(actor, APPROVERS[project.funding_level])


@dataclass(frozen=True)
class ProjectActions:
    """What the project page offers the user now (the services check the same rules)."""

    advance_to: str | None
    advance_label: str
    terminate: bool
    # Why the next step is not offered to this user (e.g. "the district officer approves").
    approver_needed: bool


def project_actions(*, actor: Actor, project: Project) -> ProjectActions:
    writable = project.status not in FINAL_STATUSES and project_writable(
        actor=actor, project=project
    )
    decides = may_decide(actor=actor, project=project)
    advance_to = NEXT_STATUS.get(project.status) if writable else None
    approver_needed = advance_to == ProjectStatus.APPROVED and not decides
    if approver_needed:
        advance_to = None
    return ProjectActions(
        advance_to=advance_to,
        advance_label=str(ProjectStatus(advance_to).label) if advance_to else "",
        terminate=writable and decides,
        approver_needed=approver_needed,
    )


@dataclass(frozen=True)
class StatusStep:
    value: str
    label: str
    state: str  # "done", "current" or "todo"


def project_status_steps(project: Project) -> list[StatusStep]:
    """The life cycle as a progress bar; a terminated project shows where it stopped."""
    path = [ProjectStatus.PROPOSED, *(ProjectStatus(value) for value in NEXT_STATUS.values())]
    terminated = project.status == ProjectStatus.TERMINATED
    reached = _status_before_termination(project) if terminated else project.status
    current = path.index(ProjectStatus(reached))
    steps = []
    for index, status in enumerate(path):
        if index < current or (index == current and (terminated or status in FINAL_STATUSES)):
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "todo"
        steps.append(StatusStep(value=status.value, label=str(status.label), state=state))
    if terminated:
        status = ProjectStatus.TERMINATED
        steps.append(StatusStep(value=status.value, label=str(status.label), state="current"))
    return steps


def _status_before_termination(project: Project) -> str:
    previous = (
        project.history.exclude(status=ProjectStatus.TERMINATED)
        .order_by("-history_date", "-history_id")
        .values_list("status", flat=True)
        .first()
    )
    return previous or ProjectStatus.PROPOSED


@dataclass(frozen=True)
class StatusChange:
    """One step of the project's life cycle, read from its history."""

    date: datetime
    user: str
    status: str
    reason: str


def project_status_changes(*, project: Project) -> list[StatusChange]:
    """The project's life cycle, oldest first: each change of status, who made it, when, and
    why (the reason recorded with it)."""
    changes: list[StatusChange] = []
    last: str | None = None
    records = project.history.select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        if record.status == last:
            continue
        last = record.status
        user = record.history_user
        changes.append(
            StatusChange(
                date=record.history_date,
                user=(getattr(user, "full_name", "") or str(user)) if user is not None else "",
                status=str(ProjectStatus(record.status).label),
                reason=record.history_change_reason or "",
            )
        )
    return changes


def project_station_choices(*, actor: Actor) -> QuerySet[Station]:
    """The stations the actor may give a project: their own jurisdiction's township stations,
    district hubs and special stations."""
    queryset: QuerySet[Station] = Station.objects.visible_to(actor, for_write=True)
    return queryset.filter(kind__in=PROJECT_STATION_KINDS).select_related("region")


def project_worker_choices(
    *, actor: Actor, keep: Iterable[int | None] = ()
) -> QuerySet[SocialWorker]:
    """Social workers who may lead or join a project: visible to the actor, still working
    (and those in ``keep``, a project's own people, who may have left since)."""
    today = timezone.localdate()
    queryset: QuerySet[SocialWorker] = SocialWorker.objects.visible_to(actor)
    working = Q(left_on__isnull=True) | Q(left_on__gt=today)
    kept = [pk for pk in keep if pk is not None]
    if kept:
        working |= Q(pk__in=kept)
    return queryset.filter(working).order_by("name")


def project_village_choices(*, actor: Actor) -> QuerySet[Region]:
    queryset: QuerySet[Region] = Region.objects.visible_to(actor)
    return queryset.filter(level=RegionLevel.VILLAGE).order_by("code")


# --- enrolments ------------------------------------------------------------------------------


def project_enrolment_list(*, actor: Actor) -> QuerySet[ProjectEnrolment]:
    """The enrolments the actor may see; minors' are left out for roles that may not see
    minors' records (auditors)."""
    queryset: QuerySet[ProjectEnrolment] = ProjectEnrolment.objects.visible_to(actor)
    if not user_sees_sensitive_data(actor):
        queryset = queryset.exclude(minors_q(prefix="recipient__"))
    return queryset.select_related("project", "project__station", "recipient", "recipient__region")


def project_enrolments(*, actor: Actor, project: Project) -> QuerySet[ProjectEnrolment]:
    """A project's beneficiaries as the actor may see them, people still enrolled first."""
    return (
        project_enrolment_list(actor=actor)
        .filter(project=project)
        .order_by(F("exited_on").desc(nulls_first=True), "-enrolled_on", "recipient__name")
    )


def enrolment_project_choices(*, actor: Actor) -> QuerySet[Project]:
    """Projects the actor may enrol people in: their own jurisdiction's, approved and not yet
    closing."""
    if not user_can(actor, "add", ProjectEnrolment):
        return Project.objects.none()
    queryset: QuerySet[Project] = Project.objects.visible_to(actor, for_write=True)
    return queryset.filter(status__in=ENROLLING_STATUSES).select_related("station")


def enrolment_recipient_choices(*, actor: Actor) -> QuerySet[Recipient]:
    """People the actor may enrol: recipients they may see who are not merged or deceased."""
    queryset: QuerySet[Recipient] = Recipient.objects.visible_to(actor)
    if not user_sees_sensitive_data(actor):
        queryset = queryset.exclude(minors_q())
    return queryset.exclude(status__in=("merged", "deceased")).order_by("name")


# --- what points to a project (service records, visit schedules: the cases app) --------------


# A project's work is recorded from its approval until it closes (a proposal has none yet).
WORKING_STATUSES: frozenset[str] = frozenset(
    {
        ProjectStatus.APPROVED,
        ProjectStatus.RUNNING,
        ProjectStatus.MIDTERM,
        ProjectStatus.CLOSING,
        ProjectStatus.CLOSED,
        ProjectStatus.TERMINATED,
    }
)


def project_link_error(
    *, project: Project, recipient: Recipient, day: date | None, planned: bool = False
) -> str | None:
    """Why a service to ``recipient`` on ``day`` (or a visit plan starting then, ``planned``)
    cannot be recorded under ``project``, or None: the project serves the person's place (its
    station's township, or a hub's district), is approved, and ``day`` lies within its period
    (before its termination, for a terminated one). Used by the cases app's services."""
    station = project.station
    if not recipient.region.code.startswith(station.region.prefix):
        return _("%(name)s does not live in %(region)s, which %(project)s serves.") % {
            "name": recipient.name,
            "region": station.region.name,
            "project": project,
        }
    if project.status not in WORKING_STATUSES:
        return _("Project “%(project)s” is %(status)s: work is recorded once it is approved.") % {
            "project": project,
            "status": project.get_status_display(),
        }
    if day is None:
        return None
    last = project.ends_on
    if project.terminated_on is not None and project.terminated_on < last:
        last = project.terminated_on
    if day > last or (not planned and day < project.starts_on):
        return _("%(day)s is outside the project's period (%(start)s to %(end)s).") % {
            "day": day.isoformat(),
            "start": project.starts_on.isoformat(),
            "end": last.isoformat(),
        }
    return None


def project_link_choices(*, actor: Actor, keep: int | None = None) -> QuerySet[Project]:
    """Projects the actor may record work under: visible to them (a hub's too), approved
    (and ``keep``, a record's own project)."""
    queryset: QuerySet[Project] = Project.objects.visible_to(actor)
    working = Q(status__in=WORKING_STATUSES)
    if keep is not None:
        working |= Q(pk=keep)
    return (
        queryset.filter(working)
        .select_related("station", "station__region")
        .order_by("station__region__code", "-starts_on", "name")
    )
