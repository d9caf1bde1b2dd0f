"""Casework and services (domain.md §3; MZ/T 094-2017): cases through their stages, plans and
goals, transfers, standard assessments, service records and visit schedules."""

import json
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Left
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.crypto import EncryptedField, decrypt, encrypt
from swstation.core.date_ranges import (
    check_dates,
    latest_plan_end,
    latest_plan_start,
    latest_record_day,
    not_before,
    record_floor,
    station_floor,
)
from swstation.core.models import PolicyModel, ScopedModel
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
        return reverse("cases:casestagechange", args=[self.pk])

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
    """A.1.3 评估原因 of MZ/T 039-2013 (the first four) and of GB/T 42195-2022 (all five)."""

    INITIAL = "initial", _("Initial assessment before service")
    ROUTINE = "routine", _("Routine reassessment")
    CHANGE = "change", _("On a change of condition")
    RECHECK = "recheck", _("Re-check of a doubtful result")
    OTHER = "other", _("Other")


class ElderlyStandard(models.TextChoices):
    """The standards an elderly capability assessment is made under (the instruments of
    ``instruments/registry.py``). A record keeps its standard for good: the same level number
    means different things under the two (spec/elderly-assessment-gbt42195.md §8)."""

    # Translators: 《老年人能力评估规范》
    GBT42195_2022 = (
        "GB/T 42195-2022",
        _("GB/T 42195-2022 Specification for elderly capability assessment"),
    )
    # Translators: 《老年人能力评估》
    MZT039_2013 = "MZ/T 039-2013", _("MZ/T 039-2013 Elderly capability assessment")


# Levels 0–4 (GB/T 42195 has five, MZ/T 039 four: 0–3). Their names depend on the standard.
ELDERLY_LEVEL_CHOICES = [(level, str(level)) for level in range(5)]
MAX_LEVEL_OF_STANDARD = {ElderlyStandard.GBT42195_2022: 4, ElderlyStandard.MZT039_2013: 3}


class InformantRelation(models.TextChoices):
    """A.3 信息提供者与老人的关系 (GB/T 42195-2022)."""

    SELF = "self", _("The elder themself")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    RELATIVE = "relative", _("Other relative")
    CARER = "carer", _("Hired carer")
    COMMITTEE = "committee", _("Village or community committee staff")
    OTHER = "other", _("Other")


class ElderlyAssessment(ScopedModel):
    """An elderly capability assessment; ``standard`` names the instrument and its version,
    scores are stored as given and the results as computed by the instrument's functions.

    MZ/T 039-2013 fills the four dimension grades and levels 0–3; GB/T 42195-2022 fills the four
    indicator subtotals, the total (0–90) and levels 0–4, with the reasons the level changed
    (C.4) and the rules it was scored by (the city's policy on the day). ``adjustments`` holds
    the conditions each standard reads: MZ/T 039's C.3 conditions, or GB/T 42195's base
    information (A.5.11 coma, A.4.1 diagnoses as ICD-10 codes, A.2.14 care-risk events of the
    last 30 days by kind)."""

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
    standard = models.CharField(
        _("standard"),
        max_length=30,
        choices=ElderlyStandard.choices,
        default=ElderlyStandard.GBT42195_2022,
    )
    assessed_on = models.DateField(_("assessed on"))
    reason = models.CharField(_("reason"), max_length=10, choices=AssessmentReason.choices)
    reason_note = models.CharField(
        _("reason details"),
        max_length=200,
        blank=True,
        help_text=_("What changed, what was doubted, or the other reason."),
    )
    place = models.CharField(_("place of assessment"), max_length=100, blank=True)
    informant_name = models.CharField(_("informant"), max_length=50, blank=True)
    informant_relation = models.CharField(
        _("informant's relation"), max_length=10, choices=InformantRelation.choices, blank=True
    )
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
    subtotals = models.JSONField(_("indicator subtotals"), default=dict, blank=True)
    total = models.PositiveSmallIntegerField(
        _("total score"), null=True, blank=True, validators=[MaxValueValidator(90)]
    )
    base_level = models.PositiveSmallIntegerField(
        _("level before adjustment"),
        choices=ELDERLY_LEVEL_CHOICES,
        validators=[MaxValueValidator(4)],
    )
    level = models.PositiveSmallIntegerField(
        _("ability level"), choices=ELDERLY_LEVEL_CHOICES, validators=[MaxValueValidator(4)]
    )
    change_reasons = models.JSONField(_("reasons for a change of level"), default=list, blank=True)
    rules = models.JSONField(_("scoring rules applied"), default=dict, blank=True)
    rule_gap_resolved = models.BooleanField(_("level from a gap rule"), default=False)
    table_ambiguous = models.BooleanField(
        _("level where the standard's table is ambiguous"), default=False
    )
    next_due = models.DateField(_("reassessment due"))
    # Health data (spec §4: "the ID number, diagnoses and medicines are personal health data:
    # identifiers.md applies"): the conditions the instrument marks private (GB/T 42195's A.4.1
    # diagnoses and whether a psychiatrist made them, MZ/T 039's diagnosed mental illness) as
    # JSON encrypted with core/crypto.py, never in ``adjustments``; read by the roles that may
    # read health data through services.elderly_assessment_reveal_health_data, each view logged.
    # No label of its own: neither the record's page nor its history shows the ciphertext.
    health_data_encrypted = models.TextField(blank=True, default="", editable=False)
    # A change of condition reported after the assessment (spec §6: "any change of condition
    # creates an immediate-assessment task"): the assessment is due again from that day.
    condition_changed_on = models.DateField(
        _("change of condition reported on"), null=True, blank=True, editable=False
    )
    condition_change_note = models.CharField(
        _("change of condition"), max_length=200, blank=True, editable=False
    )

    scope_path: ClassVar[str | None] = "recipient__region__code"
    role_permissions = RolePermissions(
        view=READERS, add=FRONT_LINE, change=FRONT_LINE, delete=MANAGERS
    )
    encrypted_fields: ClassVar[tuple[EncryptedField, ...]] = (
        EncryptedField("health_data_encrypted"),
    )

    class Meta:
        verbose_name = _("elderly capability assessment")
        verbose_name_plural = _("elderly capability assessments")
        ordering = ["-assessed_on"]
        indexes = [
            models.Index(fields=["next_due"]),
            models.Index(fields=["standard", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.assessed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("cases:elderlyassessment", args=[self.pk])

    def clean(self) -> None:
        """Plausible dates, and levels within the standard's own scale: an MZ/T 039 record
        keeps its four levels (0–3), a GB/T 42195 one has five (0–4)."""
        super().clean()
        top = MAX_LEVEL_OF_STANDARD.get(self.standard)  # type: ignore[call-overload]
        more: dict[str, Any] = {}
        if top is not None:
            for name in ("base_level", "level"):
                value = getattr(self, name)
                if value is not None and value > top:
                    more[name] = _("%(standard)s has levels 0 to %(top)s.") % {
                        "standard": self.standard,
                        "top": top,
                    }
        check_dates(self, assessment_date_bounds(self), **more)

    def health_data(self) -> dict[str, Any]:
        """The private conditions, decrypted ({} when none): for the services and selectors
        that score and show the assessment. A person reads them only through the logged view
        (services.elderly_assessment_reveal_health_data)."""
        if not self.health_data_encrypted:
            return {}
        data = json.loads(decrypt(self.health_data_encrypted))
        return data if isinstance(data, dict) else {}

    def store_conditions(self, conditions: dict[str, Any], reasons: Any = ()) -> None:
        """Set the conditions as stored (the services and the demo alike): the health data
        (the conditions the standard's instrument marks private: diagnoses) encrypted apart,
        the others in ``adjustments``; an unchanged value keeps its ciphertext (no change in
        the history), nothing recorded stores nothing. ``reasons``: the C.4 reasons computed,
        stored with the diagnosis item ticked but without its codes."""
        from swstation.cases.instruments.registry import elderly_instrument

        instrument = elderly_instrument(self.standard)
        private = {
            c.name: conditions.get(c.name, c.empty()) for c in instrument.conditions if c.private
        }
        self.adjustments = {k: v for k, v in conditions.items() if k not in private}
        recorded = any(private[c.name] != c.empty() for c in instrument.conditions if c.private)
        if not recorded:
            self.health_data_encrypted = ""
        elif self.health_data() != private:
            self.health_data_encrypted = encrypt(json.dumps(private, ensure_ascii=False))
        self.change_reasons = [
            {**reason, "detail": ""} if reason.get("key") == "f_diagnosis" else dict(reason)
            for reason in reasons
        ]

    def all_conditions(self) -> dict[str, Any]:
        """Every condition the instrument reads: ``adjustments`` with the health data."""
        return {**(self.adjustments or {}), **self.health_data()}

    @property
    def level_label(self) -> str:
        """ "GB/T 42195-2022 · 2 能力中度受损（中度失能）": a level is never shown without its
        standard (the same number means different things under the two)."""
        from swstation.cases.instruments.registry import elderly_level_label

        return elderly_level_label(self.standard, self.level)

    @property
    def station(self) -> Any:
        """The station the assessment is made for: its case's, else the first assessor's."""
        if self.case_id and self.case is not None:
            return self.case.station
        return self.assessor.station if self.assessor_id else None


class ElderlyAssessmentPolicy(PolicyModel):
    """The city's rules for elderly capability assessments (policy data with validity dates,
    spec/elderly-assessment-gbt42195.md §8 "Data, not code"): the standard new assessments are
    made under, the stations that must still assess under MZ/T 039-2013 while it is valid, the
    reassessment interval of each standard, and the GB/T 42195 rules that its §9 marks
    unconfirmed (the band table, the care-risk threshold and how events are counted, whether
    a diagnosis and events together raise by two, the level of a person in a coma and whether
    their items may be left blank, the ICD-10 ranges). The policy valid on an assessment's date
    scores it; the rules used are copied onto the assessment."""

    name = models.CharField(_("name"), max_length=100)
    default_standard = models.CharField(
        _("standard of new assessments"),
        max_length=30,
        choices=ElderlyStandard.choices,
        default=ElderlyStandard.GBT42195_2022,
    )
    mzt039_stations = models.ManyToManyField(
        "stations.Station",
        verbose_name=_("stations still assessing under MZ/T 039-2013"),
        blank=True,
        related_name="+",
        help_text=_(
            "Stations that must still assess under MZ/T 039-2013 (a project contract, say): "
            "their new assessments may be made under it while this policy is valid."
        ),
    )
    gbt42195_reassess_months = models.PositiveSmallIntegerField(
        _("GB/T 42195-2022 reassessment interval (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    mzt039_reassess_months = models.PositiveSmallIntegerField(
        _("MZ/T 039-2013 reassessment interval (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    level0_min_total = models.PositiveSmallIntegerField(
        _("lowest total of level 0"), default=90, validators=[MaxValueValidator(90)]
    )
    level1_min_total = models.PositiveSmallIntegerField(
        _("lowest total of level 1"), default=66, validators=[MaxValueValidator(90)]
    )
    level2_min_total = models.PositiveSmallIntegerField(
        _("lowest total of level 2"), default=46, validators=[MaxValueValidator(90)]
    )
    level3_min_total = models.PositiveSmallIntegerField(
        _("lowest total of level 3"),
        default=30,
        validators=[MaxValueValidator(90)],
        help_text=_("A lower total is level 4."),
    )
    risk_threshold = models.PositiveSmallIntegerField(
        _("care-risk events that raise the level"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    risk_count = models.CharField(
        _("how care-risk events are counted"),
        max_length=10,
        choices=[
            ("sum", _("Added up over the kinds")),
            ("per_kind", _("The most of any one kind")),
        ],
        default="sum",
    )
    count_other_events = models.BooleanField(_("“other” care-risk events count"), default=True)
    cumulative = models.BooleanField(
        _("a diagnosis and care-risk events together raise by two"),
        default=False,
        help_text=_("Off: together they raise the level by one, as either alone does."),
    )
    coma_level = models.PositiveSmallIntegerField(
        _("level of a person in a coma"),
        default=4,
        choices=[(3, "3"), (4, "4")],
        help_text=_("C.4 says 4 (ability completely lost); a note to B.3.9 says 3."),
    )
    coma_items_optional = models.BooleanField(
        _("items may be left blank for a person in a coma"), default=False
    )
    dementia_codes = models.CharField(
        _("ICD-10 codes of dementia"),
        max_length=100,
        default="F00-F03",
        help_text=_("Ranges such as F00-F03, separated by commas: raise when diagnosed."),
    )
    disorder_codes = models.CharField(
        _("ICD-10 codes of other mental and behavioural disorders"),
        max_length=100,
        default="F04-F99",
        help_text=_("Raise when a psychiatrist diagnosed them."),
    )
    # Spec §6, §9.8: who may assess is policy data. MZ/T 039 (S10) asked for trained and
    # certified assessors with a medical or nursing background, a social worker certificate or
    # a senior elder-care worker certificate; Zhejiang uses certified 老年人能力评估师 (S11).
    qualified_assessors_only = models.BooleanField(
        _("both assessors must be qualified"),
        default=False,
        help_text=_(
            "On: an assessment is refused unless both assessors hold a qualification valid on "
            "its date (an assessor qualification recorded for them, or a social worker "
            "certificate where that counts)."
        ),
    )
    social_work_certificate_qualifies = models.BooleanField(
        _("a social worker certificate qualifies"),
        default=True,
        help_text=_("MZ/T 039-2013 accepted assessors with a social worker certificate."),
    )

    class Meta:
        verbose_name = _("elderly assessment policy")
        verbose_name_plural = _("elderly assessment policies")
        ordering = ["-valid_from", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cases:elderlyassessmentpolicy", args=[self.pk])

    def reassess_months(self, standard: str) -> int:
        if standard == ElderlyStandard.MZT039_2013:
            return self.mzt039_reassess_months
        return self.gbt42195_reassess_months

    def gbt42195_rules(self) -> dict[str, Any]:
        """The GB/T 42195 rules as the instrument reads them (``gbt42195.Rules.as_dict``)."""
        from swstation.cases.instruments.gbt42195 import RISK_EVENT_KINDS, parse_code_ranges

        kinds = [k for k in RISK_EVENT_KINDS if self.count_other_events or k != "other"]
        return {
            "bands": [
                self.level0_min_total,
                self.level1_min_total,
                self.level2_min_total,
                self.level3_min_total,
            ],
            "risk_threshold": self.risk_threshold,
            "risk_count": self.risk_count,
            "risk_kinds": kinds,
            "cumulative": self.cumulative,
            "coma_level": self.coma_level,
            "coma_items_optional": self.coma_items_optional,
            "dementia_codes": [list(r) for r in parse_code_ranges(self.dementia_codes)],
            "disorder_codes": [list(r) for r in parse_code_ranges(self.disorder_codes)],
        }

    def clean(self) -> None:
        """The bands fall from level 0 to level 3; the code ranges read as ICD-10 ranges."""
        from swstation.cases.instruments.gbt42195 import parse_code_ranges

        errors: dict[str, Any] = {}
        bands = [
            self.level0_min_total,
            self.level1_min_total,
            self.level2_min_total,
            self.level3_min_total,
        ]
        known = all(b is not None for b in bands)
        if known and not (bands[0] > bands[1] > bands[2] > bands[3] > 0):
            errors["level1_min_total"] = _(
                "Each level's lowest total must be below the one before it and above 0: %(bands)s."
            ) % {"bands": " > ".join(str(b) for b in bands)}
        for name in ("dementia_codes", "disorder_codes"):
            try:
                if not parse_code_ranges(getattr(self, name)):
                    raise ValueError(getattr(self, name))
            except ValueError as exc:
                errors[name] = _("“%(part)s” is not an ICD-10 code or range such as F00-F03.") % {
                    "part": exc.args[0] if exc.args else ""
                }
        try:
            super().clean()
        except ValidationError as exc:
            errors = {**exc.message_dict, **errors}
        if errors:
            raise ValidationError(errors)


class AssessorQualificationKind(models.TextChoices):
    """What qualifies a person to assess elders' capability (spec/elderly-assessment-gbt42195.md
    §6: MZ/T 039-2013's assessors, S10; Zhejiang's practice, S11)."""

    # Translators: 老年人能力评估师（职业技能等级证书）
    ASSESSOR = "assessor", _("Elderly capability assessor certificate")
    # Translators: 老年人能力评估培训合格证明
    TRAINING = "training", _("Elderly capability assessment training certificate")
    # Translators: 医师、护士或康复治疗师执业资格
    MEDICAL = "medical", _("Medical, nursing or rehabilitation licence")
    # Translators: 高级养老护理员证书
    CARE_WORKER = "care_worker", _("Senior elder-care worker certificate")


class AssessorQualification(ScopedModel):
    """A qualification to assess elders' capability held by a social worker, valid from one day
    (to another, or without end): what the city's policy checks of both assessors when it
    requires qualified assessors (``ElderlyAssessmentPolicy.qualified_assessors_only``; spec
    §6 and §9.8: the rule is policy data)."""

    social_worker = models.ForeignKey(
        "workforce.SocialWorker",
        verbose_name=_("social worker"),
        on_delete=models.CASCADE,
        related_name="assessor_qualifications",
    )
    kind = models.CharField(_("kind"), max_length=15, choices=AssessorQualificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=40, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: without end.")
    )

    scope_path: ClassVar[str | None] = "social_worker__region__code"
    role_permissions = RolePermissions(view=READERS, add=MANAGERS, change=MANAGERS, delete=MANAGERS)

    class Meta:
        verbose_name = _("assessor qualification")
        verbose_name_plural = _("assessor qualifications")
        ordering = ["social_worker__name", "-valid_from", "pk"]
        indexes = [models.Index(fields=["social_worker", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.social_worker} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("cases:assessorqualification", args=[self.pk])

    def valid_on(self, day: Any) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def clean(self) -> None:
        super().clean()
        check_dates(
            self,
            {
                "valid_from": (record_floor(), latest_record_day()),
                "valid_to": (not_before(self.valid_from, _("the day it is valid from")), None),
            },
        )


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

    def get_instrument_display(self) -> str:
        """The form by its name (困境儿童需求评估), never its stored code."""
        from swstation.cases.instruments.child_needs import NAME

        return str(_("Child needs assessment")) if self.instrument == NAME else self.instrument

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
    # The rest of the six services the city's stations name (domain.md §3, issue 11).
    CARE = "care", _("Humanistic care")
    CORRECTION = "correction", _("Behaviour correction")
    RELATIONSHIP = "relationship", _("Relationship adjustment")
    # A recipient placed in work by the employment aid (issue 14): written by
    # employment.services.placement_start (and recordable by hand: job counselling).
    EMPLOYMENT = "employment", _("Employment aid")
    OTHER = "other", _("Other")


def recipient_region_code(record: Any) -> str:
    """The division code of ``record.recipient``'s region: read from the person and region
    already loaded (a service is saved with its person), else in one query."""
    recipient_field = type(record)._meta.get_field("recipient")
    if recipient_field.is_cached(record):
        recipient = record.recipient
        if type(recipient)._meta.get_field("region").is_cached(recipient):
            code: str = recipient.region.code
            return code
    found = (
        recipient_field.related_model._default_manager.filter(pk=record.recipient_id)
        .values_list("region__code", flat=True)
        .first()
    )
    return found or ""


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
    # The project the service is given under (issue 12): its indicators count it.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        # No reverse name: projects sits below cases and reads the work through its
        # port projects/work.py (docs/architecture.md), never project.services.
        related_name="+",
    )
    # The person's region (their village's division code), a copy kept with the record: set
    # on every save from the recipient, and moved with them (services.records, when a person
    # moves). The jurisdiction is read from it, so that a district's or a town's list is a
    # range of its own index in the list's order, not every service joined to its person
    # (issue 10, lists flat in data size).
    region_code = models.CharField(max_length=12, editable=False, default="")

    scope_path: ClassVar[str | None] = "region_code"
    # LEFT(region_code, 6) and (…, 9): a district's and a town's services newest first.
    scope_prefix_indexes: ClassVar[tuple[int, ...]] = (6, 9)
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
            # The same in a district and in a town (core.scoping: scope_prefix_indexes).
            models.Index(
                Left("region_code", 6),
                F("served_on").desc(),
                F("id").desc(),
                name="servicerecord_county_newest",
            ),
            models.Index(
                Left("region_code", 9),
                F("served_on").desc(),
                F("id").desc(),
                name="servicerecord_town_newest",
            ),
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """The region code follows the recipient (a merge moving the record to the person
        kept saves ``recipient`` alone: the code goes with it)."""
        if self.recipient_id is not None:
            self.region_code = recipient_region_code(self)
            fields = kwargs.get("update_fields")
            if fields is not None and "recipient" in fields and "region_code" not in fields:
                kwargs["update_fields"] = [*fields, "region_code"]
        super().save(*args, **kwargs)


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
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",  # projects reads plans through projects/work.py, see above
    )
    # The free text that named a project before projects were records (issue 12): kept where
    # it matched no project of the person's township (migration 0008).
    project_text = models.CharField(_("project (as written)"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The day the plan was deactivated (issue 18): it ran up to the day before, so the figures
    # of the periods it ran in still count it. Set by the services when ``active`` goes off.
    deactivated_on = models.DateField(_("deactivated on"), null=True, blank=True)

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
