"""Reads on projects and their beneficiaries: every function takes the actor and returns only
what they may see (domain.md §4).

A district hub's projects are shared downward (``Project.shared_downward``): the stations of
the district read them and change nothing. Enrolments follow the recipients' rule
(recipients.selectors): an auditor does not see the enrolments of minors.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from swstation.core.actors import Actor
from swstation.core.permissions import user_can, user_has_role
from swstation.projects.models import (
    APPROVERS,
    ENROLLING_STATUSES,
    FINAL_STATUSES,
    NEXT_STATUS,
    PROJECT_STATION_KINDS,
    RATE_MEASURES,
    TYPED_MEASURES,
    IndicatorMeasure,
    Project,
    ProjectAttachment,
    ProjectEnrolment,
    ProjectIndicator,
    ProjectReport,
    ProjectStatus,
)
from swstation.projects.work import (
    ProjectWindow,
    WorkCounter,
    WorkCounts,
    elderly_level_choices,
    elderly_standard_choices,
    schedules_url,
    service_type_choices,
    services_url,
    summed_work_counts,
    work_counts,
)
from swstation.recipients.models import Recipient
from swstation.recipients.selectors import minors_q, user_sees_sensitive_data
from swstation.regions.models import Region, RegionLevel
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker, SupervisionSession

__all__ = [
    "IndicatorProgress",
    "ProjectActions",
    "ProjectProgress",
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
    "project_progress",
    "project_station_choices",
    "project_status_changes",
    "project_status_steps",
    "project_village_choices",
    "project_worker_choices",
    "project_writable",
    "projects_progress",
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


# --- objectives, indicators and progress (issue 12) --------------------------------------------

# An indicator is behind schedule when its actual is below this share of what the elapsed part
# of the project's period asks for (target × elapsed share); a rate is behind below its target.
BEHIND_TOLERANCE = Decimal("0.9")
# Statuses whose indicators are followed against the calendar; a closed or terminated project's
# indicators are met or missed.
FOLLOWED_STATUSES: frozenset[str] = frozenset(
    {ProjectStatus.RUNNING, ProjectStatus.MIDTERM, ProjectStatus.CLOSING}
)
MET, ON_TRACK, BEHIND, MISSED, NOT_REPORTED, NOT_STARTED = (
    "met",
    "on_track",
    "behind",
    "missed",
    "not_reported",
    "not_started",
)
STATE_LABELS = {
    MET: _lazy("Target met"),
    ON_TRACK: _lazy("On track"),
    BEHIND: _lazy("Behind schedule"),
    MISSED: _lazy("Target missed"),
    NOT_REPORTED: _lazy("Not yet reported"),
    NOT_STARTED: _lazy("Not started"),
}


@dataclass
class IndicatorProgress:
    """One indicator against its target, as of a day."""

    indicator: ProjectIndicator
    actual: Decimal | None
    expected: Decimal
    state: str
    detail: str = ""
    standard_label: str = ""
    url: str = ""
    type_label: str = ""

    @property
    def percent(self) -> int:
        """The actual as a share of the target, in percent (for the bar; at most 100)."""
        if self.actual is None or not self.indicator.target:
            return 0
        return min(100, int(self.actual * 100 / self.indicator.target))

    @property
    def expected_percent(self) -> int:
        if not self.indicator.target:
            return 0
        return min(100, int(self.expected * 100 / self.indicator.target))

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def unit(self) -> str:
        return indicator_unit(self.indicator)


@dataclass
class ProjectProgress:
    project: Project
    on: date
    elapsed: Decimal  # the share of the period gone by, 0–1
    indicators: list[IndicatorProgress]
    counts: WorkCounts

    @property
    def behind(self) -> list[IndicatorProgress]:
        return [row for row in self.indicators if row.state in (BEHIND, MISSED)]

    @property
    def is_behind(self) -> bool:
        return self.project.status in FOLLOWED_STATUSES and any(
            row.state == BEHIND for row in self.indicators
        )

    @property
    def elapsed_percent(self) -> int:
        return int(self.elapsed * 100)

    @property
    def objectives(self) -> list[tuple[str, list[IndicatorProgress]]]:
        grouped: dict[str, list[IndicatorProgress]] = {}
        for row in self.indicators:
            grouped.setdefault(row.indicator.objective, []).append(row)
        return list(grouped.items())


UNITS = {
    IndicatorMeasure.SERVICES: pgettext_lazy("unit", "services"),
    IndicatorMeasure.PEOPLE_SERVED: pgettext_lazy("unit", "people"),
    IndicatorMeasure.ENROLLED: pgettext_lazy("unit", "people"),
    IndicatorMeasure.VISIT_RATE: "%",
    IndicatorMeasure.HOURS: pgettext_lazy("unit", "hours"),
    IndicatorMeasure.SESSIONS: pgettext_lazy("unit", "sessions"),
    IndicatorMeasure.ASSESSED: pgettext_lazy("unit", "people"),
}


def indicator_unit(indicator: ProjectIndicator) -> str:
    if indicator.measure == IndicatorMeasure.MANUAL:
        return indicator.unit
    return str(UNITS[IndicatorMeasure(indicator.measure)])


def project_window_end(project: Project, on: date) -> date:
    """The last day a project's work is counted to, as of ``on``."""
    last = min(on, project.ends_on)
    if project.terminated_on is not None:
        last = min(last, project.terminated_on)
    return last


def elapsed_share(project: Project, on: date) -> Decimal:
    """The share of the project's period gone by on ``on`` (1 once it is closed or
    terminated, 0 before it runs)."""
    if project.status in FINAL_STATUSES:
        return Decimal(1)
    if project.status not in FOLLOWED_STATUSES or on < project.starts_on:
        return Decimal(0)
    length = (project.ends_on - project.starts_on).days + 1
    gone = (min(on, project.ends_on) - project.starts_on).days + 1
    return (Decimal(gone) / Decimal(length)).quantize(Decimal("0.0001"))


def projects_progress(
    projects: Sequence[Project],
    *,
    on: date | None = None,
    counts: WorkCounter | None = None,
) -> dict[int, ProjectProgress]:
    """Each project's indicators against their targets as of ``on`` (today): four queries for
    any number of projects (indicators, enrolments, supervision sessions) plus the counts of
    the work done (``counts``: by default the cases app's, read from the records through
    projects.work; the cockpit passes one that reads its tallies). Visits are counted only
    for the projects with a visit-rate indicator, elders assessed only where an indicator
    asks for them."""
    on = on or timezone.localdate()
    if not projects:
        return {}
    by_pk = {project.pk: project for project in projects}
    indicators: dict[int, list[ProjectIndicator]] = {pk: [] for pk in by_pk}
    for indicator in ProjectIndicator.objects.filter(project_id__in=by_pk).order_by(
        "project_id", "order", "pk"
    ):
        indicators[indicator.project_id].append(indicator)
    measures = {pk: {i.measure for i in rows} for pk, rows in indicators.items()}
    windows = [
        ProjectWindow(
            pk=project.pk,
            prefix=project.station.region.prefix,
            start=project.starts_on,
            end=project_window_end(project, on),
            assessments=IndicatorMeasure.ASSESSED in measures[project.pk],
            visits=IndicatorMeasure.VISIT_RATE in measures[project.pk],
        )
        for project in projects
    ]
    done = (counts or work_counts)(windows)
    ends = {window.pk: window.end for window in windows}
    enrolled = _enrolled_counts(
        [pk for pk in by_pk if IndicatorMeasure.ENROLLED in measures[pk]], ends
    )
    sessions = _session_counts(
        [by_pk[pk] for pk in by_pk if IndicatorMeasure.SESSIONS in measures[pk]], ends
    )
    standards = dict(elderly_standard_choices())
    result = {}
    for pk, project in by_pk.items():
        share = elapsed_share(project, on)
        rows = [
            _indicator_progress(
                indicator,
                project,
                share,
                done[pk],
                enrolled.get(pk, 0),
                sessions.get(pk, 0),
                standards,
            )
            for indicator in indicators[pk]
        ]
        result[pk] = ProjectProgress(project, on, share, rows, done[pk])
    return result


def project_progress(project: Project, *, on: date | None = None) -> ProjectProgress:
    return projects_progress([project], on=on)[project.pk]


def _enrolled_counts(pks: list[int], ends: dict[int, date]) -> dict[int, int]:
    if not pks:
        return {}
    found: dict[int, set[int]] = {}
    for pk, person, day in ProjectEnrolment.objects.filter(project_id__in=pks).values_list(
        "project_id", "recipient_id", "enrolled_on"
    ):
        if day <= ends[pk]:
            found.setdefault(pk, set()).add(person)
    return {pk: len(people) for pk, people in found.items()}


def _session_counts(projects: list[Project], ends: dict[int, date]) -> dict[int, int]:
    """Supervision sessions held at each project's station within its window."""
    if not projects:
        return {}
    days: dict[int, list[date]] = {}
    for station, day in SupervisionSession.objects.filter(
        station_id__in={p.station_id for p in projects}
    ).values_list("station_id", "held_on"):
        days.setdefault(station, []).append(day)
    return {
        p.pk: sum(1 for day in days.get(p.station_id, ()) if p.starts_on <= day <= ends[p.pk])
        for p in projects
    }


def _indicator_progress(
    indicator: ProjectIndicator,
    project: Project,
    share: Decimal,
    counts: WorkCounts,
    enrolled: int,
    sessions: int,
    standards: dict[str, str],
) -> IndicatorProgress:
    measure = indicator.measure
    detail = ""
    standard_label = ""
    actual: Decimal | None
    if measure == IndicatorMeasure.MANUAL:
        actual = indicator.manual_actual
    elif measure == IndicatorMeasure.VISIT_RATE:
        planned, done = counts.visits_planned, counts.visits_done
        actual = (Decimal(done * 100) / planned).quantize(Decimal("0.1")) if planned else None
        detail = _("%(done)s of %(planned)s planned visits done") % {
            "done": done,
            "planned": planned,
        }
    elif measure == IndicatorMeasure.ENROLLED:
        actual = Decimal(enrolled)
    elif measure == IndicatorMeasure.SESSIONS:
        actual = Decimal(sessions)
    elif measure == IndicatorMeasure.ASSESSED:
        levels = counts.assessed.get(indicator.standard, {})
        if indicator.level is not None:
            actual = Decimal(levels.get(indicator.level, 0))
        else:
            actual = Decimal(sum(levels.values()))
        standard_label = standards.get(indicator.standard, indicator.standard)
        if indicator.level is not None:
            standard_label = dict(elderly_level_choices(indicator.standard)).get(
                indicator.level, standard_label
            )
    else:
        services, people, minutes = (
            counts.by_type.get(indicator.service_type, (0, 0, 0))
            if indicator.service_type
            else (counts.services, counts.people_served, counts.minutes)
        )
        value = {
            IndicatorMeasure.SERVICES: Decimal(services),
            IndicatorMeasure.PEOPLE_SERVED: Decimal(people),
            IndicatorMeasure.HOURS: (Decimal(minutes) / 60).quantize(Decimal("0.1")),
        }[IndicatorMeasure(measure)]
        actual = value
    rate = measure in RATE_MEASURES
    expected = indicator.target if rate else (indicator.target * share).quantize(Decimal("0.1"))
    state = _state(project, actual, indicator.target, expected, share, rate)
    if measure in TYPED_MEASURES or measure in RATE_MEASURES:
        url = (
            services_url(project.pk)
            if measure != IndicatorMeasure.VISIT_RATE
            else schedules_url(project.pk)
        )
    else:
        url = ""
    type_label = (
        dict(service_type_choices()).get(indicator.service_type, indicator.service_type)
        if indicator.service_type
        else ""
    )
    return IndicatorProgress(
        indicator, actual, expected, state, detail, standard_label, url, type_label
    )


def _state(
    project: Project,
    actual: Decimal | None,
    target: Decimal,
    expected: Decimal,
    share: Decimal,
    rate: bool,
) -> str:
    if actual is not None and actual >= target:
        return MET
    if project.status in FINAL_STATUSES:
        return MISSED if actual is not None else NOT_REPORTED
    if project.status not in FOLLOWED_STATUSES or share == 0:
        return NOT_STARTED
    if actual is None:
        return NOT_REPORTED
    if actual < expected * BEHIND_TOLERANCE:
        return BEHIND
    return ON_TRACK


def indicator_list(*, actor: Actor) -> QuerySet[ProjectIndicator]:
    queryset: QuerySet[ProjectIndicator] = ProjectIndicator.objects.visible_to(actor)
    return queryset.select_related("project", "project__station", "project__station__region")


def report_list(*, actor: Actor) -> QuerySet[ProjectReport]:
    queryset: QuerySet[ProjectReport] = ProjectReport.objects.visible_to(actor)
    return queryset.select_related("project", "project__station", "project__station__region")


def project_report(*, project: Project) -> ProjectReport | None:
    """The project's closing report, if written (the project itself was read in scope)."""
    return ProjectReport.objects.filter(project=project).first()


def attachment_list(*, actor: Actor) -> QuerySet[ProjectAttachment]:
    queryset: QuerySet[ProjectAttachment] = ProjectAttachment.objects.visible_to(actor)
    return queryset.select_related("project", "project__station", "project__station__region")


def project_choices_for_writing(*, actor: Actor) -> QuerySet[Project]:
    """Projects whose indicators, report and files the actor may change: their own
    jurisdiction's (a hub's is read below)."""
    queryset: QuerySet[Project] = Project.objects.visible_to(actor, for_write=True)
    return queryset.select_related("station").order_by("station__region__code", "-starts_on")


def projects_behind_pks(queryset: QuerySet[Project], *, on: date | None = None) -> list[int]:
    """The projects of ``queryset`` followed against the calendar (running, at their midterm,
    closing) with an indicator behind schedule on ``on`` (today)."""
    followed = list(
        queryset.filter(status__in=FOLLOWED_STATUSES, indicators__isnull=False)
        .distinct()
        .select_related("station", "station__region")
        .order_by()
    )
    progress = projects_progress(followed, on=on, counts=summed_work_counts)
    return [pk for pk, row in progress.items() if row.is_behind]
