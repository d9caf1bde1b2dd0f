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
from swstation.core.roles import ALL_ROLES, CITY_ADMIN_ONLY
from swstation.evaluation.rules import rule_params_errors

# The total a version must reach to be published (spec §2.2, §7).
SET_TOTAL = Decimal(100)

POINTS_VALIDATORS = [
    MinValueValidator(Decimal("0.01"), message=_("Points are above 0.")),
    MaxValueValidator(SET_TOTAL, message=_("Points are at most 100.")),
]

CITY_POLICY = RolePermissions(
    view=ALL_ROLES, add=CITY_ADMIN_ONLY, change=CITY_ADMIN_ONLY, delete=CITY_ADMIN_ONLY
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
    """The records an automatic indicator is computed from (issue 15, "Automatic indicators";
    spec §2.3 ``source``); blank: scored by hand. A family of records may feed several
    indicators (staff: B1, B2, B6), told apart by their rule."""

    ROOMS_AND_SIGN = "rooms_and_sign", _("Rooms and name sign")
    STAFF_FULLTIME_CERTIFIED = "staff_fulltime_certified", _("Full-time and certified staff")
    SUPERVISION_TRAINING_HOURS = "supervision_training_hours", _("Supervision and training hours")
    CASE_FILES_COMPLETE = "case_files_complete", _("Complete case files")
    RECORDS_ON_TIME = "records_on_time", _("Service records entered on time")
    CASES_GROUPS_ACTIVITIES = "cases_groups_activities", _("Cases, groups and activities")
    VULNERABLE_SERVED = "vulnerable_served", _("Vulnerable recipients served, visits kept")
    VILLAGE_COVERAGE = "village_coverage", _("Village coverage")
    SERVICE_OUT = "service_out", _("Service out in villages and homes")
    PORTFOLIO_1X1 = "portfolio_1x1", _("1+X+1 project portfolio")
    PARTNERS = "partners", _("Partners and referrals")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours")
    SOCIAL_MONEY = "social_money", _("Social money linked")
    BUDGET_EXECUTION = "budget_execution", _("Budget execution")
    FUNDS_TIERS = "funds_tiers", _("Funding tiers present")
    SATISFACTION = "satisfaction", _("Satisfaction and awareness surveys")
    CASE_GOALS_MET = "case_goals_met", _("Case goals met")


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
