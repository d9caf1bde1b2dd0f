"""Projects (项目) of the stations' "1+X+1" portfolio and the people they serve (domain.md §1,
"Three functions, the 1+X+1 model"; issue 12, "Projects").

A project belongs to one station — a township station, a district hub (社会工作总站, the
station of kind ``district_hub`` at the district) or a special station — and moves through its
life cycle only through ``services.project_advance`` and ``services.project_terminate``:

    申报 proposed → 立项 approved → 实施 running → 中期评估 midterm → 结项 closing → 已结项 closed
    (any state before closed) → 终止 terminated, with a reason

Who approves depends on whose money the project asks for (``funding_level``): a project run on
the station's (the township's) own money is approved by the station manager; one that asks for
district or city money by the district officer (the city bureau may approve any project). The
grants themselves are the funds of issue 12, not yet recorded.
"""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.date_ranges import (
    Limit,
    date_errors,
    latest_plan_end,
    latest_plan_start,
    latest_record_day,
    not_before,
    record_floor,
)
from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, MANAGERS, Role
from swstation.recipients.models import Category, Recipient
from swstation.stations.models import Station, StationKind
from swstation.workforce.models import SocialWorker

# The front line enrols people in projects; station managers and the bureaus remove them.
ENROLLERS: frozenset[str] = MANAGERS | {Role.SOCIAL_WORKER}

# The stations that run projects: not an outpost, which works for its township station.
PROJECT_STATION_KINDS: tuple[str, ...] = (
    StationKind.TOWNSHIP,
    StationKind.DISTRICT_HUB,
    StationKind.SPECIAL,
)


class ProjectCategory(models.TextChoices):
    """The "1+X+1" portfolio (domain.md §1): one vulnerable-groups project, any number of
    regional-feature projects, one talent-support project per station."""

    VULNERABLE_GROUPS = "vulnerable_groups", _("Vulnerable groups service project")
    REGIONAL_FEATURE = "regional_feature", _("Regional feature social work project")
    TALENT_SUPPORT = "talent_support", _("Social work talent support project")


class ProjectField(models.TextChoices):
    ELDERLY = "elderly", _("Elderly care")
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Youth")
    DISABILITY = "disability", _("People with disabilities")
    FAMILY = "family", _("Families in difficulty")
    EMPLOYMENT = "employment", _("Employment aid")
    COMMUNITY_GOVERNANCE = "community_governance", _("Community governance")
    TALENT = "talent", _("Talent development")
    OTHER = "other", _("Other field")


class FundingLevel(models.TextChoices):
    """Whose money the project asks for, which says who approves it (see the module)."""

    STATION = "station", _("Station and township money only")
    DISTRICT = "district", _("Asks for district money")
    CITY = "city", _("Asks for city money")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved as a project")
    RUNNING = "running", _("Running")
    MIDTERM = "midterm", _("Midterm evaluation")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Project closed")
    TERMINATED = "terminated", _("Terminated")


# The life cycle: each state's one next state (services.project_advance); termination leaves
# every state but the final ones (services.project_terminate).
NEXT_STATUS: dict[str, str] = {
    ProjectStatus.PROPOSED: ProjectStatus.APPROVED,
    ProjectStatus.APPROVED: ProjectStatus.RUNNING,
    ProjectStatus.RUNNING: ProjectStatus.MIDTERM,
    ProjectStatus.MIDTERM: ProjectStatus.CLOSING,
    ProjectStatus.CLOSING: ProjectStatus.CLOSED,
}
FINAL_STATUSES: frozenset[str] = frozenset({ProjectStatus.CLOSED, ProjectStatus.TERMINATED})
# While people may be enrolled (an approved project prepares its beneficiaries list).
ENROLLING_STATUSES: frozenset[str] = frozenset(
    {ProjectStatus.APPROVED, ProjectStatus.RUNNING, ProjectStatus.MIDTERM}
)

# Who approves a project, by the money it asks for (the module's docstring).
APPROVERS: dict[str, frozenset[str]] = {
    FundingLevel.STATION: frozenset({Role.STATION_MANAGER, Role.DISTRICT_OFFICER, Role.CITY_ADMIN}),
    FundingLevel.DISTRICT: frozenset({Role.DISTRICT_OFFICER, Role.CITY_ADMIN}),
    FundingLevel.CITY: frozenset({Role.DISTRICT_OFFICER, Role.CITY_ADMIN}),
}


class Project(ScopedModel):
    """A project of a station's "1+X+1" portfolio."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(_("project name"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=ProjectCategory.choices)
    field = models.CharField(_("service field"), max_length=30, choices=ProjectField.choices)
    funding_level = models.CharField(
        _("funding asked"),
        max_length=10,
        choices=FundingLevel.choices,
        default=FundingLevel.STATION,
        help_text=_(
            "Station money: the station manager approves. District or city money: the "
            "district officer approves."
        ),
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    lead = models.ForeignKey(
        SocialWorker,
        verbose_name=_("lead social worker"),
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    team = models.ManyToManyField(
        SocialWorker, verbose_name=_("project team"), blank=True, related_name="project_teams"
    )
    target_groups = models.ManyToManyField(
        Category, verbose_name=_("target groups"), blank=True, related_name="projects"
    )
    villages = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("villages and communities covered"),
        blank=True,
        related_name="covering_projects",
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PROPOSED,
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_on = models.DateField(
        _("approved as a project on"), null=True, blank=True, editable=False
    )
    closed_on = models.DateField(_("project closed on"), null=True, blank=True, editable=False)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True, editable=False)
    termination_reason = models.TextField(_("reason for termination"), blank=True, editable=False)

    scope_path: ClassVar[str | None] = "station__region__code"
    # A district hub's projects (talent support for the district's stations...) are read by
    # the stations below it; they are changed only at the district.
    shared_downward: ClassVar[bool] = True
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "name"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["category"]),
            models.Index(fields=["field"]),
            models.Index(fields=["funding_level"]),
            models.Index(fields=["starts_on"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def next_status(self) -> str | None:
        return NEXT_STATUS.get(self.status)

    def clean(self) -> None:
        """Rules on the record itself, for every writer; the rules on its team, villages and
        target groups (many-to-many, saved after the record) live in the services."""
        super().clean()
        errors: dict[str, str] = {}
        station = self.station if self.station_id else None
        if station is not None and station.kind not in PROJECT_STATION_KINDS:
            errors["station"] = str(
                _(
                    "An outpost runs no project of its own: choose its township station, a "
                    "district hub or a special station."
                )
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = str(_("The project ends before it starts."))
        if station is not None and self.lead_id and not _works_in(self.lead, station):
            errors["lead"] = str(
                _("%(worker)s does not work in %(region)s, where %(station)s is.")
                % {"worker": self.lead, "region": station.region.name, "station": station}
            )
        dates = date_errors(
            self,
            {
                "starts_on": (record_floor(), latest_plan_start()),
                "ends_on": (None, latest_plan_end()),
                "approved_on": (record_floor(), latest_record_day()),
                "closed_on": (record_floor(), latest_record_day()),
                "terminated_on": (record_floor(), latest_record_day()),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)


def _works_in(worker: SocialWorker, station: Station) -> bool:
    """A project's social workers work in its station's region (the township, or the
    district of a hub)."""
    return worker.region.code.startswith(station.region.prefix)


class ProjectEnrolment(ScopedModel):
    """A recipient served by a project, from their enrolment to their exit (the project's
    beneficiaries)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="enrolments"
    )
    recipient = models.ForeignKey(
        Recipient,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="project_enrolments",
    )
    enrolled_on = models.DateField(_("enrolled on"))
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    exit_reason = models.CharField(_("reason for exit"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_path: ClassVar[str | None] = "project__station__region__code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=ENROLLERS, change=ENROLLERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("project enrolment")
        verbose_name_plural = _("project enrolments")
        ordering = ["-enrolled_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "recipient"],
                condition=Q(exited_on__isnull=True),
                name="one_open_enrolment_per_project_and_recipient",
                violation_error_message=_("This person is already enrolled in the project."),
            )
        ]
        indexes = [models.Index(fields=["enrolled_on"]), models.Index(fields=["exited_on"])]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.project}"

    def get_absolute_url(self) -> str:
        return reverse("projects:projectenrolment", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.exited_on is None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        project = self.project if self.project_id else None
        recipient = self.recipient if self.recipient_id else None
        if project is not None and recipient is not None:
            region = project.station.region
            if not recipient.region.code.startswith(region.prefix):
                errors["recipient"] = str(
                    _("%(name)s does not live in %(region)s, which %(project)s serves.")
                    % {"name": recipient.name, "region": region.name, "project": project}
                )
        if (
            recipient is not None
            and self.enrolled_on
            and not recipient.is_merged
            and not recipient.in_service_on(self.enrolled_on)
        ):
            errors["enrolled_on"] = str(
                _(
                    "%(name)s is not in the stations' service on %(day)s (registered on "
                    "%(registered)s%(exit)s)."
                )
                % {
                    "name": recipient.name,
                    "day": self.enrolled_on.isoformat(),
                    "registered": recipient.registered_on.isoformat(),
                    "exit": _(", left on %(day)s") % {"day": recipient.exited_on.isoformat()}
                    if recipient.exited_on
                    else "",
                }
            )
        if self.enrolled_on and self.exited_on and self.exited_on < self.enrolled_on:
            errors["exited_on"] = str(_("The exit is before the enrolment."))
        earliest: Limit | None = record_floor()
        if project is not None and project.starts_on:
            earliest = not_before(project.starts_on, _("the project's start"))
        latest = latest_record_day()
        if project is not None and project.ends_on and project.ends_on < latest.day:
            latest = Limit(project.ends_on, _("the project's end"))
        dates = date_errors(
            self,
            {
                "enrolled_on": (earliest, latest),
                "exited_on": (record_floor(), latest_record_day()),
            },
        )
        errors.update({name: message for name, message in dates.items() if name not in errors})
        if errors:
            raise ValidationError(errors)
