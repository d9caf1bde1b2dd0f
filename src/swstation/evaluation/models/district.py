"""The city's yearly assessment of its districts and counties (市对区县考核; issue 15,
spec/station-evaluation.md §6).

No published weights exist, so the figures, rules and points are data: a
``DistrictAssessmentScheme`` holds the items (K1–K9 by default) for the years from its own,
each naming the figure it scores (:class:`DistrictFigure`), a rule of the indicator sets' shapes
(``rules.rule_params_errors``) and its points. A ``DistrictAssessment`` is one year's
assessment at a snapshot date: computed from the records (as often as the city wants while it
is a draft), then published, and frozen for ever. Each county's ``DistrictResult`` keeps what
was computed: every item's value, numerator, denominator and points, the total and the rank,
and the unscored figures the page shows beside them.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import BUREAUS, CITY_ADMIN_ONLY, Role
from swstation.evaluation.models.rounds import EvaluationRound

# The bureaus and the auditors read the assessment (a district its own result); the city writes.
DISTRICT_ASSESSMENT_READERS: frozenset[str] = BUREAUS | {Role.AUDITOR}
DISTRICT_ASSESSMENT_PERMISSIONS = RolePermissions(
    view=DISTRICT_ASSESSMENT_READERS,
    add=CITY_ADMIN_ONLY,
    change=CITY_ADMIN_ONLY,
    delete=CITY_ADMIN_ONLY,
)
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class DistrictFigure(models.TextChoices):
    """What an item of the scheme scores (spec §6), each computed per county at the snapshot."""

    COVERAGE = "coverage", _("Station coverage of towns and streets (%)")
    COMPLIANCE = "compliance", _("Stations meeting the construction standard (%)")
    EVALUATION_MEAN = "evaluation_mean", _("Mean final evaluation total (points)")
    GOOD_SHARE = "good_share", _("Stations graded excellent or good (%)")
    FAILING_STATIONS = "failing_stations", _("Stations graded fail (count)")
    RECTIFICATION_ON_TIME = "rectification_on_time", _("Rectification closed on time (%)")
    CERTIFIED_PER_10K = "certified_per_10k", _("Certified social workers per 10,000 residents")
    VILLAGE_COVERAGE = "village_coverage", _("Villages and communities served in 12 months (%)")
    FUNDS_IN_PLACE = "funds_in_place", _("Stations with county and township funds (%)")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class DistrictAssessmentScheme(ScopedModel):
    """The items of the district assessment from ``year`` on (until a scheme of a later year):
    ``items`` is a list of ``{"code", "name", "figure", "points", "rule_type", "rule_params"}``,
    the points adding up to 100 (services.district.scheme_errors says what is wrong)."""

    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("in force from the year"), unique=True, validators=YEAR_VALIDATORS
    )
    items = models.JSONField(_("items"), default=list)
    note = models.TextField(_("note"), blank=True)

    scope_path: ClassVar[str | None] = None  # city-wide policy data
    role_permissions = DISTRICT_ASSESSMENT_PERMISSIONS

    class Meta:
        verbose_name = _("district assessment scheme")
        verbose_name_plural = _("district assessment schemes")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluation:districtassessmentscheme", args=[self.pk])


class DistrictAssessment(ScopedModel):
    """One year's assessment of the counties (spec §6) at ``snapshot_date``, scored with the
    scheme in force that year; the evaluation figures (K3–K5) come from ``evaluation_round``,
    the year's annual round. Published: frozen, never computed again."""

    year = models.PositiveSmallIntegerField(
        _("assessment year"), unique=True, validators=YEAR_VALIDATORS
    )
    snapshot_date = models.DateField(
        _("snapshot date"), help_text=_("The figures are taken as of this day, in the year.")
    )
    scheme = models.ForeignKey(
        DistrictAssessmentScheme,
        verbose_name=_("district assessment scheme"),
        on_delete=models.PROTECT,
        related_name="assessments",
        editable=False,
    )
    evaluation_round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("annual evaluation round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="district_assessments",
        help_text=_("Its final results give the evaluation figures; empty: none counted."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
        editable=False,
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True, editable=False)
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    note = models.TextField(_("note"), blank=True)

    scope_path: ClassVar[str | None] = None  # city-wide; each county reads its own result
    role_permissions = DISTRICT_ASSESSMENT_PERMISSIONS

    class Meta:
        verbose_name = _("district assessment")
        verbose_name_plural = _("district assessments")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(_("%(year)s district assessment") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("evaluation:districtassessment", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED


class DistrictResult(ScopedModel):
    """One county's result in an assessment, as computed: ``scores`` lists each item of the
    scheme with ``value``, ``numerator``, ``denominator``, ``points``, ``max_points`` and
    ``note``; ``figures`` the unscored figures (grades, funds by tier, newly certified)."""

    assessment = models.ForeignKey(
        DistrictAssessment,
        verbose_name=_("district assessment"),
        on_delete=models.CASCADE,
        related_name="results",
        editable=False,
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district or county"),
        on_delete=models.PROTECT,
        related_name="district_results",
        editable=False,
    )
    total_score = models.DecimalField(
        _("total score"), max_digits=6, decimal_places=2, editable=False
    )
    rank = models.PositiveSmallIntegerField(_("rank in the city"), null=True, editable=False)
    scores = models.JSONField(_("item scores"), default=list, editable=False)
    figures = models.JSONField(_("other figures"), default=dict, editable=False)

    role_permissions = DISTRICT_ASSESSMENT_PERMISSIONS

    class Meta:
        verbose_name = _("district result")
        verbose_name_plural = _("district results")
        ordering = ["assessment", "rank", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "region"], name="one_result_per_district_and_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.region}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:districtresult", args=[self.pk])
