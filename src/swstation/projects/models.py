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

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.date_ranges import (
    Limit,
    check_dates,
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
    partners = models.TextField(
        _("partner organisations"),
        blank=True,
        help_text=_(
            "One a line: the enterprises, social organisations, charities and departments the "
            "project works with."
        ),
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
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

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


# --- objectives and indicators (issue 12: "Objectives with measurable indicators") ----------


class IndicatorMeasure(models.TextChoices):
    """What an indicator counts. All but ``manual`` are computed from the records (the
    project's service records, visit plans, enrolments, the station's supervision sessions and
    the elderly capability assessments of its people); ``manual`` is for what nothing on the
    platform can count, and needs evidence."""

    SERVICES = "services", _("Services given")
    PEOPLE_SERVED = "people_served", _("People served")
    ENROLLED = "enrolled", _("Beneficiaries enrolled")
    VISIT_RATE = "visit_rate", _("Planned visits done (%)")
    HOURS = "hours", _("Service hours")
    SESSIONS = "sessions", _("Supervision sessions")
    ASSESSED = "assessed", _("Elders assessed for capability")
    MANUAL = "manual", _("Manual indicator (with evidence)")


# Measures that may be narrowed to one service type.
TYPED_MEASURES: frozenset[str] = frozenset(
    {IndicatorMeasure.SERVICES, IndicatorMeasure.PEOPLE_SERVED, IndicatorMeasure.HOURS}
)
# Measures that are a rate, not a count growing with time.
RATE_MEASURES: frozenset[str] = frozenset({IndicatorMeasure.VISIT_RATE})

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Kinds of file accepted, by extension, with the first bytes that prove it (docx and xlsx are
# zip files).
ATTACHMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}
IMAGE_EXTENSIONS: frozenset[str] = frozenset({"jpg", "jpeg", "png"})


def validate_attachment(file: Any) -> None:
    """A photo (JPEG, PNG) or a document (PDF, Word, Excel) of at most 10 MB whose content is
    what its name says."""
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_SIGNATURES:
        raise ValidationError(
            _("“%(name)s” is not a photo (JPEG, PNG) or a document (PDF, Word, Excel).")
            % {"name": name}
        )
    size = getattr(file, "size", 0) or 0
    if size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB: at most %(limit)s MB.")
            % {
                "name": name,
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": ATTACHMENT_MAX_BYTES // 1024 // 1024,
            }
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if not any(head.startswith(sig) for sig in ATTACHMENT_SIGNATURES[extension]):
        raise ValidationError(
            _("“%(name)s” is not a real %(kind)s file: its content does not match its name.")
            % {"name": name, "kind": extension.upper()}
        )


def _attachment_path(instance: Any, filename: str) -> str:
    """Files of a project under its own folder; the stored name keeps only the extension (the
    title says what it is; a user's file name may carry a person's name)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}.{extension}"


class ProjectIndicator(ScopedModel):
    """A measurable indicator of one of a project's objectives: a target and an actual, the
    actual computed from the records (selectors.project_progress) unless the measure is
    ``manual``."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    objective = models.CharField(
        _("objective"),
        max_length=200,
        help_text=_(
            "The objective this indicator measures (indicators of one objective share it)."
        ),
    )
    name = models.CharField(_("indicator"), max_length=100)
    measure = models.CharField(_("measured by"), max_length=20, choices=IndicatorMeasure.choices)
    target = models.DecimalField(
        _("target"),
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("For a manual indicator: 次, 人, 场…")
    )
    service_type = models.CharField(
        _("service type"),
        max_length=15,
        blank=True,
        help_text=_("Count only services of this type (services, people served, hours)."),
    )
    standard = models.CharField(
        _("assessment standard"),
        max_length=20,
        blank=True,
        help_text=_("Elders assessed: under which standard (levels of two are never mixed)."),
    )
    level = models.PositiveSmallIntegerField(
        _("capability level"),
        null=True,
        blank=True,
        help_text=_("Elders assessed: only those whose latest level is this one."),
    )
    manual_actual = models.DecimalField(
        _("actual (manual)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    evidence = models.FileField(
        _("evidence"),
        upload_to=_attachment_path,
        blank=True,
        max_length=200,
        validators=[validate_attachment],
        help_text=_("A manual actual needs evidence: a photo or a document (at most 10 MB)."),
    )
    evidence_note = models.CharField(
        _("why nothing counts it"),
        max_length=200,
        blank=True,
        help_text=_("A manual indicator says why no record on the platform can count it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_path: ClassVar[str | None] = "project__station__region__code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")
        ordering = ["project", "order", "pk"]
        indexes = [models.Index(fields=["measure"])]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:projectindicator", args=[self.pk])

    @property
    def is_manual(self) -> bool:
        return self.measure == IndicatorMeasure.MANUAL

    def clean(self) -> None:
        """The rules of a measure, for every writer; the service type, standard and level are
        checked against the cases app's lists in the services (projects.work)."""
        super().clean()
        errors: dict[str, str] = {}
        manual = self.measure == IndicatorMeasure.MANUAL
        if manual:
            if not self.evidence_note.strip():
                errors["evidence_note"] = str(
                    _("A manual indicator says why no record on the platform can count it.")
                )
            if self.manual_actual is not None and not self.evidence:
                errors["evidence"] = str(_("A manual actual needs its evidence: attach a file."))
            if not self.unit.strip():
                errors["unit"] = str(_("A manual indicator names its unit (次, 人, 场…)."))
        else:
            if self.manual_actual is not None:
                errors["manual_actual"] = str(
                    _("This indicator is computed from the records: it takes no manual actual.")
                )
        if self.service_type and self.measure not in TYPED_MEASURES:
            errors["service_type"] = str(
                _("Only services, people served and hours are counted by service type.")
            )
        if self.measure == IndicatorMeasure.ASSESSED:
            if not self.standard:
                errors["standard"] = str(
                    _("Say under which standard the elders are assessed (GB/T 42195 or MZ/T 039).")
                )
        elif self.standard or self.level is not None:
            errors["standard"] = str(_("Only an indicator of elders assessed has a standard."))
        if self.measure in RATE_MEASURES and self.target and self.target > 100:
            errors["target"] = str(_("A rate's target is at most 100 (%)."))
        if errors:
            raise ValidationError(errors)


# --- the closing report (结项报告) ------------------------------------------------------------


class ProjectReport(ScopedModel):
    """A project's closing report: its outcomes and stories, with photos and documents
    (ProjectAttachment); printable and as .xlsx with the indicators' final figures."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="report"
    )
    outcomes = models.TextField(_("outcomes"))
    stories = models.TextField(_("service stories"), blank=True)
    lessons = models.TextField(_("lessons and next steps"), blank=True)
    written_on = models.DateField(_("written on"))

    scope_path: ClassVar[str | None] = "project__station__region__code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=MANAGERS, change=MANAGERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("closing report")
        verbose_name_plural = _("closing reports")
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return str(_("Closing report of %(project)s") % {"project": self.project})

    def get_absolute_url(self) -> str:
        return reverse("projects:projectreport", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        project = self.project if self.project_id else None
        earliest: Limit | None = record_floor()
        if project is not None and project.starts_on:
            earliest = not_before(project.starts_on, _("the project's start"))
        check_dates(self, {"written_on": (earliest, latest_record_day())})


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")


class ProjectAttachment(ScopedModel):
    """A photo or a document of a project (its closing report's, most often), stored through
    Django's storage API (the default storage: local disk unless configured otherwise) and
    sent only through the project's pages, to those who may see the project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=AttachmentKind.choices, editable=False
    )
    file = models.FileField(
        _("file"),
        upload_to=_attachment_path,
        max_length=200,
        validators=[validate_attachment],
        help_text=_("A photo (JPEG, PNG) or a document (PDF, Word, Excel), at most 10 MB."),
    )
    taken_on = models.DateField(_("date"), null=True, blank=True)
    in_report = models.BooleanField(
        _("in the closing report"),
        default=True,
        help_text=_("Shown in the printable closing report."),
    )

    scope_path: ClassVar[str | None] = "project__station__region__code"
    role_permissions = RolePermissions(
        view=ALL_ROLES, add=ENROLLERS, change=ENROLLERS, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("project attachment")
        verbose_name_plural = _("project attachments")
        ordering = ["project", "taken_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:projectattachment", args=[self.pk])

    @property
    def is_photo(self) -> bool:
        return self.kind == AttachmentKind.PHOTO

    def save(self, *args: Any, **kwargs: Any) -> None:
        name = self.file.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        self.kind = (
            AttachmentKind.PHOTO if extension in IMAGE_EXTENSIONS else AttachmentKind.DOCUMENT
        )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        check_dates(self, {"taken_on": (record_floor(), latest_record_day())})
