"""Indicator sets (评估标准) as versioned data (issue 15; spec/station-evaluation.md §2, §7).

Ningbo's own evaluation standard is not public, so the standard is data the city edits and
versions, never code: an ``IndicatorSet`` is one version of a named standard, a tree of
``Dimension`` (一级指标) → ``Indicator`` (二级指标) with points, a rule type and its parameters
(``rules.py``), the evidence asked and, for an automatic indicator, the records it is computed
from. A version is edited as a ``draft`` and ``published`` once its points add up (each
dimension to its indicators, the whole to 100, spec §7); a published version never changes —
a new standard is a copy, the next version, beside the old (a round keeps the version it was
scored with). The spec's default 100-point set ships as version 1 (migration 0002).

City-wide policy data: every role reads it, only the city bureau writes it.
"""

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, CITY_ADMIN_ONLY, Role
from swstation.evaluation.rules import rule_params_errors

# The total a version must reach to be published (spec §2.2, §7).
SET_TOTAL = Decimal(100)
# The bonus a star version may add on top of the 100 points (spec §3: "bonus indicators up to
# 15", Hunan's 20 of 130 scaled): a default the city edits per version.
DEFAULT_BONUS_CAP = Decimal(15)

POINTS_VALIDATORS = [
    MinValueValidator(Decimal("0.01"), message=_("Points are above 0.")),
    MaxValueValidator(SET_TOTAL, message=_("Points are at most 100.")),
]

# The evaluator reads the standard they score against (city-wide data, core.scoping).
CITY_POLICY = RolePermissions(
    view=ALL_ROLES | {Role.EVALUATOR},
    add=CITY_ADMIN_ONLY,
    change=CITY_ADMIN_ONLY,
    delete=CITY_ADMIN_ONLY,
)


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class RuleType(models.TextChoices):
    """spec §2.1."""

    BAND = "band", _("Bands of values")
    RATIO = "ratio", _("Ratio to a target")
    EACH = "each", _("Points per item")
    YES_NO = "yes_no", _("Yes or no")
    MANUAL = "manual", _("Scored by the evaluator")


class IndicatorSource(models.TextChoices):
    """The measure an automatic indicator is computed from (issue 15, "Automatic indicators";
    spec §2.3 ``source``; ``measures.py`` computes each from the records as of a round's
    snapshot); blank: scored by hand. One measure per quantity, in the indicator's unit."""

    ROOMS_PRESENT = "rooms_present", _("Rooms the standard requires, present")
    NAME_SIGN = "name_sign", _("Name sign outside")
    FULLTIME_STAFF = "fulltime_staff", _("Full-time staff")
    CERTIFIED_FULLTIME_STAFF = "certified_fulltime_staff", _("Certified full-time staff")
    SUPERVISION_HOURS = "supervision_hours_per_worker", _("Supervision hours per worker")
    TRAINING_HOURS = "training_hours_per_worker", _("Training hours per worker")
    TALENT_SESSIONS = "talent_sessions", _("Talent-platform sessions run")
    STAFF_MINIMUM_KEPT = "staff_minimum_kept", _("Full-time staff kept at the minimum")
    CASE_FILES_COMPLETE = "case_files_complete", _("Complete case files")
    RECORDS_ON_TIME = "records_on_time", _("Service records entered on time")
    CASES_OPENED = "cases_opened", _("Cases opened")
    GROUPS_COMPLETED = "groups_completed", _("Groups completed")
    COMMUNITY_ACTIVITIES = "community_activities", _("Community activities")
    VULNERABLE_SERVED = "vulnerable_served", _("Vulnerable recipients served")
    VISITS_KEPT = "visits_kept", _("Visits kept")
    VILLAGE_COVERAGE = "village_coverage", _("Village coverage")
    SERVICE_OUT = "service_out", _("Service out in villages and homes")
    PORTFOLIO_1X1 = "portfolio_1x1", _("1+X+1 project portfolio")
    PROJECT_DESIGN_COMPLETE = "project_design_complete", _("Project designs complete")
    PROJECT_OUTPUTS_ACHIEVED = "project_outputs_achieved", _("Project outputs achieved")
    PARTNER_KINDS = "partner_kinds", _("Kinds of partners active")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours")
    SOCIAL_MONEY = "social_money", _("Social money linked")
    REFERRAL_OUTCOMES = "referral_outcomes", _("Referrals with an outcome")
    BUDGET_EXECUTION = "budget_execution", _("Budget execution")
    FUNDS_TIERS = "funds_tiers", _("Funding tiers present")
    CASE_GOALS_MET = "case_goals_met", _("Case goals met")
    # Computed from the evaluation's own inputs (spec §5): the survey of a sample of the
    # station's recipients, the stakeholders' forms entered by the district, complaints.
    SATISFACTION_INDEX = "satisfaction_index", _("Recipients' satisfaction index")
    AWARENESS_SHARE = "awareness_share", _("Recipients' awareness")
    STAKEHOLDER_RATING = "stakeholder_rating", _("Township and village committees' rating")
    SUBSTANTIATED_COMPLAINTS = "substantiated_complaints", _("Substantiated complaints")


# Indicator code → measure in the default set (spec §2.3); migration 0003 moved the versions
# made when a source named a family of records (one family feeding B1, B2 and B6) onto these.
DEFAULT_SOURCES = {
    "A1": "rooms_present",
    "A2": "name_sign",
    "B1": "fulltime_staff",
    "B2": "certified_fulltime_staff",
    "B3": "supervision_hours_per_worker",
    "B4": "training_hours_per_worker",
    "B6": "staff_minimum_kept",
    "C2": "case_files_complete",
    "C4": "records_on_time",
    "D1": "cases_opened",
    "D2": "groups_completed",
    "D3": "community_activities",
    "D4": "vulnerable_served",
    "D5": "visits_kept",
    "D6": "village_coverage",
    "D7": "service_out",
    "E1": "portfolio_1x1",
    "E2": "project_design_complete",
    "E3": "project_outputs_achieved",
    "F1": "partner_kinds",
    "F2": "volunteer_hours",
    "F3": "social_money",
    "F4": "referral_outcomes",
    "G1": "budget_execution",
    "G2": "funds_tiers",
    "H1": "satisfaction_index",
    "H2": "awareness_share",
    "H3": "stakeholder_rating",
    "H4": "case_goals_met",
    "H5": "substantiated_complaints",
}


class IndicatorSet(ScopedModel):
    """One version of an evaluation standard (评估标准版本), spec §2 and §7: "versioned; a
    version in use is read-only; activation refused unless indicators sum to their dimension
    and dimensions to 100"."""

    name = models.CharField(_("name of the standard"), max_length=100)
    version = models.PositiveSmallIntegerField(
        _("version"), editable=False, help_text=_("Numbered 1, 2, 3… within a standard's name.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SetStatus.choices,
        default=SetStatus.DRAFT,
        editable=False,
    )
    total_points = models.DecimalField(
        _("total points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        editable=False,
        help_text=_("The sum of the dimensions' points; 100 to publish."),
    )
    bonus_cap = models.DecimalField(
        _("bonus cap"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_BONUS_CAP,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(50))],
        help_text=_(
            "The most the bonus dimensions may be worth together (star rounds only; 15 by default)."
        ),
    )
    bonus_points = models.DecimalField(
        _("bonus points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        editable=False,
        help_text=_("The sum of the bonus dimensions' points, on top of the 100."),
    )
    note = models.TextField(_("note"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="copies",
    )

    scope_path: ClassVar[str | None] = None  # city-wide: every role reads every version
    role_permissions = CITY_POLICY

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="indicatorset_name_version")
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:indicatorset", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == SetStatus.PUBLISHED

    @property
    def has_bonus(self) -> bool:
        """A star version (spec §3): bonus dimensions on top of the 100 points."""
        return self.bonus_points > 0


class Dimension(ScopedModel):
    """A first-level indicator (一级指标) of a version: "A 阵地建设, 8 points" (spec §2.2)."""

    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("indicator set"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        validators=[
            RegexValidator(
                r"^[A-Za-z][A-Za-z0-9]{0,9}$",
                _("A code is a letter, then letters or digits: A, B, K…"),
            )
        ],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, validators=POINTS_VALIDATORS
    )
    is_bonus = models.BooleanField(
        _("bonus dimension (加分项)"),
        default=False,
        help_text=_(
            "Scored in star rounds on top of the 100 points; never in the total that sets the "
            "grade, never a rectification item."
        ),
    )

    scope_path: ClassVar[str | None] = None
    role_permissions = CITY_POLICY

    class Meta:
        verbose_name = _("dimension (first-level indicator)")
        verbose_name_plural = _("dimensions (first-level indicators)")
        ordering = ["indicator_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="dimension_set_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:dimension", args=[self.pk])


class Indicator(ScopedModel):
    """A second-level indicator (二级指标), spec §2.3: its points, how it is scored (``rule_type``
    with ``rule_params``, shapes in ``rules.py``), the evidence asked and, when automatic, the
    records it is computed from."""

    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("dimension (first-level indicator)"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        validators=[
            RegexValidator(
                r"^[A-Za-z][A-Za-z0-9.\-]{0,9}$",
                _("A code is a letter, then letters, digits, dots or dashes: A1, B2…"),
            )
        ],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("indicator"), max_length=300)
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, validators=POINTS_VALIDATORS
    )
    rule_type = models.CharField(_("scoring rule"), max_length=10, choices=RuleType.choices)
    rule_params = models.JSONField(
        _("rule parameters"),
        default=dict,
        blank=True,
        help_text=_("The rule's targets or thresholds (JSON), in the shape of its rule type."),
    )
    evidence = models.CharField(_("evidence asked"), max_length=300, blank=True)
    source = models.CharField(
        _("computed from"),
        max_length=30,
        choices=IndicatorSource.choices,
        blank=True,
        help_text=_("The records an automatic indicator is computed from; empty: scored by hand."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_path: ClassVar[str | None] = None
    role_permissions = CITY_POLICY

    class Meta:
        verbose_name = _("indicator (second-level)")
        verbose_name_plural = _("indicators (second-level)")
        ordering = [
            "dimension__indicator_set",
            "dimension__order",
            "dimension__code",
            "order",
            "code",
        ]
        indexes = [models.Index(fields=["rule_type"]), models.Index(fields=["source"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:indicator", args=[self.pk])

    @property
    def is_automatic(self) -> bool:
        return bool(self.source)

    def clean(self) -> None:
        """The rule's parameters have the shape of its type (rules.py), for every writer; a
        rule scored by the evaluator reads no records."""
        super().clean()
        errors: dict[str, Any] = {}
        points = self.points if isinstance(self.points, Decimal) else None
        if self.rule_params is None:
            self.rule_params = {}
        messages = rule_params_errors(self.rule_type, self.rule_params, points)
        if messages:
            errors["rule_params"] = messages
        if self.rule_type == RuleType.MANUAL and self.source:
            errors["source"] = _(
                "A rule scored by the evaluator is computed from no records: leave it empty."
            )
        if errors:
            raise ValidationError(errors)
