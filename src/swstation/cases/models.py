"""Casework and services (domain.md §3; MZ/T 094-2017): cases through their stages, plans and
goals, transfers, standard assessments, service records and visit schedules."""

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.date_ranges import (
    check_dates,
    latest_plan_end,
    latest_plan_start,
    latest_record_day,
    not_before,
    record_floor,
    station_floor,
)
from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import MANAGERS, Role

FRONT_LINE = frozenset(
    {Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STATION_MANAGER, Role.SOCIAL_WORKER}
)
READERS = FRONT_LINE | {Role.SUPERVISOR, Role.AUDITOR}


class CaseStage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    PLANNING = "planning", _("Planning")
    INTERVENTION = "intervention", _("Intervention")
    EVALUATION = "evaluation", _("Evaluation")
    CLOSED = "closed", _("Closed")


STAGE_ORDER: tuple[str, ...] = tuple(CaseStage.values)


class ClosingReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    REFERRED = "referred", _("Referred elsewhere")
    DECLINED = "declined", _("Recipient declined further service")
    MOVED = "moved", _("Recipient moved away")
    DECEASED = "deceased", _("Recipient deceased")
    OTHER = "other", _("Other")


class Case(ScopedModel):
    """A case (个案) of one recipient at one station, with a responsible worker and a supervisor."""

    number = models.CharField(_("case number"), max_length=30, unique=True)
    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    worker = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("responsible social worker"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    supervisor = models.ForeignKey(
        "workforce.Supervisor",
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    stage = models.CharField(
        _("stage"), max_length=15, choices=CaseStage.choices, default=CaseStage.INTAKE
    )
    opened_on = models.DateField(_("case opened on"))
    presenting_problem = models.TextField(_("presenting problem"))
    assessment_summary = models.TextField(_("assessment summary"), blank=True)
    intervention_summary = models.TextField(_("intervention summary"), blank=True)
    evaluation_summary = models.TextField(_("evaluation summary"), blank=True)
    closing_summary = models.TextField(_("closing summary"), blank=True)
    closing_reason = models.CharField(
        _("closing reason"), max_length=15, choices=ClosingReason.choices, blank=True
    )
    closure_requested_at = models.DateTimeField(_("closure requested at"), null=True, blank=True)
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closure approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    scope_path: ClassVar[str | None] = "station__region__code"
    role_permissions = RolePermissions(
        view=READERS, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "number"]
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["opened_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case", args=[self.pk])

    def clean(self) -> None:
        """Plausible dates (core/date_ranges.py): opened once the station was, not ahead."""
        super().clean()
        check_dates(
            self,
            {
                "opened_on": (
                    station_floor(self.station if self.station_id else None),
                    latest_record_day(),
                ),
                "closed_on": (
                    not_before(self.opened_on, _("the day the case was opened")),
                    latest_record_day(),
                ),
            },
        )


class CaseGoal(ScopedModel):
    """A goal of the case plan (计划), with how it is to be reached and whether it was."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="goals"
    )
    description = models.CharField(_("goal"), max_length=300)
    actions = models.TextField(_("planned actions"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    achieved = models.BooleanField(_("achieved"), default=False)

    scope_path: ClassVar[str | None] = "case__station__region__code"
    role_permissions = RolePermissions(
        view=READERS, add=FRONT_LINE, change=FRONT_LINE, delete=FRONT_LINE
    )

    class Meta:
        verbose_name = _("case goal")
        verbose_name_plural = _("case goals")
        ordering = ["case", "target_date", "pk"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("cases:casegoal", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        opened_on = self.case.opened_on if self.case_id else None
        check_dates(
            self,
            {
                "target_date": (
                    not_before(opened_on, _("the day the case was opened")),
                    latest_plan_end(),
                )
            },
        )


class CaseTransfer(ScopedModel):
    """A case handed to another worker or station; the case keeps its whole history."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_worker = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("from worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_worker = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("to worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("from station"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_station = models.ForeignKey(
        "stations.Station", verbose_name=_("to station"), on_delete=models.PROTECT, related_name="+"
    )
    transferred_on = models.DateField(_("transferred on"))
    reason = models.CharField(_("reason"), max_length=300)

    scope_path: ClassVar[str | None] = "case__station__region__code"
    role_permissions = RolePermissions(
        view=READERS, add=frozenset(), change=frozenset(), delete=frozenset()
    )

    class Meta:
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        ordering = ["-transferred_on"]

    def __str__(self) -> str:
        return f"{self.case} · {self.transferred_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case", args=[self.case_id])


class CaseStageChange(ScopedModel):
    """One step of a case's life, with its date (issue 18): its opening (``from_stage`` empty)
    and every stage change after it — each advance, the closure, a reopening. The log is what
    "cases by stage at the end of 2023" is counted from: a case was at the ``to_stage`` of its
    last change dated on or before that day. Written by the services of cases/services/cases.py
    (never by hand), in the same transaction as the change."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(
        _("from stage"),
        max_length=15,
        choices=CaseStage.choices,
        blank=True,
        help_text=_("Empty for the opening of the case."),
    )
    to_stage = models.CharField(_("to stage"), max_length=15, choices=CaseStage.choices)
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    scope_path: ClassVar[str | None] = "case__station__region__code"
    role_permissions = RolePermissions(
        view=READERS, add=frozenset(), change=frozenset(), delete=frozenset()
    )

    class Meta:
        verbose_name = _("case stage change")
        verbose_name_plural = _("case stage changes")
        ordering = ["case", "changed_on", "pk"]
        indexes = [
            models.Index(fields=["changed_on"]),
            models.Index(fields=["case", "changed_on"]),
        ]

    def __str__(self) -> str:
        start = self.get_from_stage_display() if self.from_stage else _("Case opened")
        end = self.get_to_stage_display()
        return f"{self.case_id} · {self.changed_on:%Y-%m-%d} {start} → {end}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case", args=[self.case_id])

    def clean(self) -> None:
        super().clean()
        opened_on = self.case.opened_on if self.case_id else None
        check_dates(
            self,
            {
                "changed_on": (
                    not_before(opened_on, _("the day the case was opened")),
                    latest_record_day(),
                )
            },
        )


class AssessmentReason(models.TextChoices):
    """A.1.3 of MZ/T 039-2013."""

    INITIAL = "initial", _("Initial assessment before service")
    ROUTINE = "routine", _("Routine reassessment")
    CHANGE = "change", _("On a change of condition")
    RECHECK = "recheck", _("Re-check of a doubtful result")


class ElderlyAssessment(ScopedModel):
    """An elderly capability assessment; ``standard`` names the instrument and its version,
    scores are stored as given and the results as computed by the instrument's functions."""

    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="elderly_assessments",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="elderly_assessments",
    )
    standard = models.CharField(_("standard"), max_length=30, default="MZ/T 039-2013")
    assessed_on = models.DateField(_("assessed on"))
    reason = models.CharField(_("reason"), max_length=10, choices=AssessmentReason.choices)
    assessor = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_assessor = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("second assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    items = models.JSONField(_("item scores"), default=dict)
    adjustments = models.JSONField(_("adjustment conditions"), default=dict)
    adl_grade = models.PositiveSmallIntegerField(_("daily living grade"), null=True, blank=True)
    mental_grade = models.PositiveSmallIntegerField(_("mental state grade"), null=True, blank=True)
    perception_grade = models.PositiveSmallIntegerField(
        _("perception and communication grade"), null=True, blank=True
    )
    social_grade = models.PositiveSmallIntegerField(
        _("social participation grade"), null=True, blank=True
    )
    base_level = models.PositiveSmallIntegerField(
        _("level before adjustment"), validators=[MaxValueValidator(3)]
    )
    level = models.PositiveSmallIntegerField(_("ability level"), validators=[MaxValueValidator(3)])
    rule_gap_resolved = models.BooleanField(_("level from a gap rule"), default=False)
    next_due = models.DateField(_("reassessment due"))

    scope_path: ClassVar[str | None] = "recipient__region__code"
    role_permissions = RolePermissions(
        view=READERS, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("elderly capability assessment")
        verbose_name_plural = _("elderly capability assessments")
        ordering = ["-assessed_on"]
        indexes = [models.Index(fields=["next_due"])]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.assessed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("cases:elderlyassessment", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        check_dates(self, assessment_date_bounds(self))


class ChildNeedsAssessment(ScopedModel):
    """A needs assessment of a child in difficulty with its personalised help plan (一人一案)."""

    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("child"),
        on_delete=models.PROTECT,
        related_name="child_assessments",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="child_assessments",
    )
    instrument = models.CharField(_("instrument"), max_length=40, default="swstation-child-needs-1")
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    needs = models.JSONField(_("needs by domain"), default=dict)
    risk_level = models.PositiveSmallIntegerField(
        _("risk level"), validators=[MaxValueValidator(3)], default=0
    )
    help_plan = models.TextField(_("personalised help plan"))
    next_due = models.DateField(_("reassessment due"))

    scope_path: ClassVar[str | None] = "recipient__region__code"
    role_permissions = RolePermissions(
        view=READERS - {Role.AUDITOR}, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("child needs assessment")
        verbose_name_plural = _("child needs assessments")
        ordering = ["-assessed_on"]
        indexes = [models.Index(fields=["next_due"])]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.assessed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("cases:childneedsassessment", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        check_dates(self, assessment_date_bounds(self))


def assessment_date_bounds(assessment: ElderlyAssessment | ChildNeedsAssessment) -> dict[str, Any]:
    """An assessment is dated like a service (from the case's station's opening, not ahead);
    its reassessment falls within the planning horizon."""
    station = assessment.case.station if assessment.case_id and assessment.case else None
    return {
        "assessed_on": (station_floor(station), latest_record_day()),
        "next_due": (None, latest_plan_end()),
    }


class ServiceType(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    HEALTH_VISIT = "health_visit", _("Health visit")
    PHONE = "phone", _("Phone call")
    COUNSELLING = "counselling", _("Counselling")
    ASSISTANCE = "assistance", _("Assistance")
    MEDIATION = "mediation", _("Dispute mediation")
    REFERRAL = "referral", _("Referral")
    PRACTICAL = "practical", _("Practical service")
    OTHER = "other", _("Other")


class ServiceRecord(ScopedModel):
    """A dated service to a recipient (服务记录)."""

    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    worker = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("social worker"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    served_on = models.DateField(_("date"))
    service_type = models.CharField(_("service type"), max_length=15, choices=ServiceType.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    volunteers = models.CharField(_("volunteers"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope_path: ClassVar[str | None] = "recipient__region__code"
    role_permissions = RolePermissions(
        view=READERS, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-pk"]
        indexes = [
            models.Index(fields=["served_on"]),
            # Matches the default ordering, so that a page of the city-wide list is an index scan.
            models.Index(fields=["-served_on", "-id"], name="servicerecord_newest_first"),
            models.Index(fields=["recipient", "served_on"]),
            models.Index(fields=["service_type", "served_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.served_on:%Y-%m-%d} {self.get_service_type_display()} · {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("cases:servicerecord", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        station = self.station if self.station_id else None
        check_dates(self, {"served_on": (station_floor(station), latest_record_day())})


class VisitSchedule(ScopedModel):
    """A plan such as "health visit twice a month" for a recipient, producing due dates."""

    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="visit_schedules",
    )
    worker = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("social worker"),
        on_delete=models.PROTECT,
        related_name="visit_schedules",
    )
    service_type = models.CharField(_("service type"), max_length=15, choices=ServiceType.choices)
    times_per_month = models.PositiveSmallIntegerField(
        _("times per month"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    project = models.CharField(_("project"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    scope_path: ClassVar[str | None] = "recipient__region__code"
    role_permissions = RolePermissions(
        view=READERS, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
    )

    class Meta:
        verbose_name = _("visit schedule")
        verbose_name_plural = _("visit schedules")
        ordering = ["recipient__name"]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_service_type_display()} ×{self.times_per_month}"

    def get_absolute_url(self) -> str:
        return reverse("cases:visitschedule", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        check_dates(
            self,
            {
                "starts_on": (record_floor(), latest_plan_start()),
                "ends_on": (None, latest_plan_end()),
            },
        )
