"""Evaluation rounds and the evaluation of each station (issue 15; spec/station-evaluation.md
§3 and §4).

The city opens an ``EvaluationRound`` (年度 / 中期 / 末期 / 星级 / 复评) with a published
indicator-set version, a period and a snapshot date. Each station of the round has one
``StationEvaluation`` that moves through the spec's flow: automatic values computed and frozen
→ self-assessment by the station → scoring by the assigned third-party evaluator →
district review → city approval → publication (公示) with an objection window → final. Each
indicator of the version has one ``IndicatorScore`` per station: the measured value and its
inputs, the automatic score, the station's self-score, the evaluator's score or override (with a
reason) and the district's comment. ``EvaluationEvent`` is the explicit log of every step; a
``StationEvaluationRevision`` freezes each published result (a published score never changes:
an upheld objection publishes the next revision). ``RectificationItem`` (整改) follows a final
result. ``Evaluator`` says which agency a third-party evaluator works for, so that no one
evaluates a station their agency operates.
"""

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import ALL_ROLES, BUREAUS, CITY_ADMIN_ONLY, MANAGERS, Role
from swstation.evaluation.models.standards import Indicator, IndicatorSet
from swstation.projects.models import validate_attachment

EVALUATOR_ONLY: frozenset[str] = frozenset({Role.EVALUATOR})
# The survey's parameters of a round (spec §5, §7), on its form while it is prepared.
SURVEY_PARAMETER_FIELDS = (
    "survey_z",
    "survey_margin_percent",
    "survey_proportion_percent",
    "survey_minimum_sample",
    "survey_home_visit_every",
    "survey_reserve_percent",
    "survey_attempts",
    "survey_attempt_days",
    "survey_minimum_completed",
    "survey_minimum_completed_percent",
    "awareness_effective_items",
    "stakeholder_villages",
    "stakeholder_township_percent",
)
# Who reads the evaluations: the network by jurisdiction, the evaluator by assignment.
READERS: frozenset[str] = ALL_ROLES | EVALUATOR_ONLY
NON_NEGATIVE = [MinValueValidator(Decimal(0), message=_("A score is not below 0."))]


class RoundKind(models.TextChoices):
    """spec §4: the kinds of round and their default periods."""

    ANNUAL = "annual", _("Annual evaluation")
    MID_TERM = "mid_term", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")
    STAR = "star", _("Star rating")
    RE_EVALUATION = "re_evaluation", _("Re-evaluation")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Under way")
    CLOSED = "closed", _("Closed")


class EvaluationRound(ScopedModel):
    """A round the city opens (spec §4): the version scored with (kept for ever: a published
    round keeps the version it was scored with), the grade scheme, the period and snapshot, the
    deadlines of each step in days (data the city edits, spec §7)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=RoundKind.choices)
    indicator_set = models.ForeignKey(
        IndicatorSet,
        verbose_name=_("indicator set"),
        on_delete=models.PROTECT,
        related_name="rounds",
        help_text=_("A published version; the round keeps it for ever."),
    )
    grade_bands = models.JSONField(
        _("grade scheme"),
        default=list,
        blank=True,
        help_text=_("The grades by total (JSON); empty: 优秀 ≥ 90, 良好 80–89, 合格 60–79."),
    )
    star_five_from = models.DecimalField(
        _("five stars from"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(85),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(150))],
        help_text=_("Star rounds: the total with the bonus that earns five stars (spec: 85)."),
    )
    star_four_from = models.DecimalField(
        _("four stars from"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(77),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(150))],
        help_text=_("Star rounds: the total with the bonus that earns four stars (spec: 77)."),
    )
    recusal_months = models.PositiveSmallIntegerField(
        _("months an evaluator's past work at a station excludes them"),
        default=24,
        validators=[MaxValueValidator(120)],
        help_text=_(
            "An evaluator who worked at the station in these months before the period "
            "may not evaluate it (spec: 24)."
        ),
    )
    period_start = models.DateField(_("period start"))
    snapshot_date = models.DateField(
        _("snapshot date"), help_text=_("Records are counted up to this day, states read on it.")
    )
    entry_grace_days = models.PositiveSmallIntegerField(
        _("days to enter records after the snapshot"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("Records entered later than this do not count (no back-filling)."),
    )
    self_assessment_days = models.PositiveSmallIntegerField(
        _("days for the self-assessment"), default=14, validators=[MaxValueValidator(120)]
    )
    scoring_days = models.PositiveSmallIntegerField(
        _("days for the scoring"), default=30, validators=[MaxValueValidator(120)]
    )
    review_days = models.PositiveSmallIntegerField(
        _("days for the district review"), default=10, validators=[MaxValueValidator(60)]
    )
    objection_working_days = models.PositiveSmallIntegerField(
        _("working days to object"), default=5, validators=[MaxValueValidator(30)]
    )
    rectification_days = models.PositiveSmallIntegerField(
        _("days to rectify"), default=60, validators=[MaxValueValidator(365)]
    )
    verification_days = models.PositiveSmallIntegerField(
        _("days for the district to verify"), default=15, validators=[MaxValueValidator(60)]
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RoundStatus.choices,
        default=RoundStatus.DRAFT,
        editable=False,
    )
    opened_on = models.DateField(_("round opened on"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("round closed on"), null=True, blank=True, editable=False)
    # Set while the background task computes the automatic values (services.rounds.compute_round).
    computing_since = models.DateTimeField(
        _("computing since"), null=True, blank=True, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    # The survey's parameters (spec §5, §7 "Survey: z, e, p, the minimum 60, home-visit share
    # 1/6, reserve 50 %, attempt rule, minimum min(30, ⌈N/2⌉) completed … the stakeholder
    # form and its ½ / ½ weighting": data the city edits), fixed once the round opens; read by
    # ``sampling.SurveyParameters.of(round)``.
    survey_z = models.DecimalField(
        _("survey: z of the confidence level"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.96"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("3.5"))],
        help_text=_("1.96 for 95 % (spec §5)."),
    )
    survey_margin_percent = models.PositiveSmallIntegerField(
        _("survey: margin of error (%)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("e in the sample-size formula, in percent."),
    )
    survey_proportion_percent = models.PositiveSmallIntegerField(
        _("survey: expected proportion (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("p in the sample-size formula, in percent (50: the largest sample)."),
    )
    survey_minimum_sample = models.PositiveSmallIntegerField(
        _("survey: minimum sample per station"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Everyone is surveyed when the station served no more than this."),
    )
    survey_home_visit_every = models.PositiveSmallIntegerField(
        _("survey: one home visit per … respondents"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The first ⌈n / this⌉ of the random order are visited at home."),
    )
    survey_reserve_percent = models.PositiveSmallIntegerField(
        _("survey: reserve (% of each stratum's share)"),
        default=50,
        validators=[MaxValueValidator(200)],
    )
    survey_attempts = models.PositiveSmallIntegerField(
        _("survey: attempts before a respondent is unreachable"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    survey_attempt_days = models.PositiveSmallIntegerField(
        _("survey: on at least this many different days"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    survey_minimum_completed = models.PositiveSmallIntegerField(
        _("survey: completed follow-ups needed"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Fewer completed follow-ups leave H1 and H2 to the evaluator."),
    )
    survey_minimum_completed_percent = models.PositiveSmallIntegerField(
        _("survey: or this % of the recipients served, if fewer"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    awareness_effective_items = models.PositiveSmallIntegerField(
        _("survey: items known for effective awareness"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Of the five awareness items W1–W5."),
    )
    stakeholder_villages = models.PositiveSmallIntegerField(
        _("village committees drawn for the stakeholders' forms"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    stakeholder_township_percent = models.PositiveSmallIntegerField(
        _("weight of the township government's form in H3 (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("The village committees' mean weighs the rest."),
    )

    scope_path: ClassVar[str | None] = None  # city-wide; an evaluator sees their rounds only
    assignment_path: ClassVar[str] = "evaluations__evaluator"
    role_permissions = RolePermissions(
        view=READERS, add=CITY_ADMIN_ONLY, change=CITY_ADMIN_ONLY, delete=CITY_ADMIN_ONLY
    )

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-snapshot_date", "name"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluationround", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if (
            self.survey_attempts is not None
            and self.survey_attempt_days is not None
            and self.survey_attempt_days > self.survey_attempts
        ):
            raise ValidationError(
                {
                    "survey_attempt_days": _(
                        "The attempts cannot be spread over more days than there are attempts."
                    )
                }
            )


def _grade_display(code: str) -> str:
    """A grade's name (良好), for the history's lines (the field has no choices: a round's
    bands name its grades)."""
    from swstation.evaluation.scoring import GRADE_CODES, grade_label

    return str(grade_label(code)) if code in GRADE_CODES else code


class Star(models.IntegerChoices):
    """星级 (spec §3): five and four only (the source gives no lower bands)."""

    FOUR = 4, _("Four stars")
    FIVE = 5, _("Five stars")


class EvaluationStatus(models.TextChoices):
    """The steps of spec §4, in order."""

    OPEN = "open", _("Awaiting the snapshot")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    SCORING = "scoring", _("Scoring by the evaluator")
    DISTRICT_REVIEW = "district_review", _("District review")
    CITY_APPROVAL = "city_approval", _("City approval")
    PUBLISHED = "published", _("Published for objections")
    OBJECTION = "objection", _("Objection under review")
    FINAL = "final", _("Final")


# The states in which the evaluation's result is out (grades, scorecard visible to the station).
RESULT_STATES = (EvaluationStatus.PUBLISHED, EvaluationStatus.OBJECTION, EvaluationStatus.FINAL)


class Veto(models.TextChoices):
    """一票否决 (spec §2.3): any confirmed veto makes the grade 不合格 whatever the total."""

    FINANCIAL = "financial", _("V1 Financial violation")
    FABRICATED = "fabricated", _("V2 Fabricated service records")
    INCIDENT = "incident", _("V3 Serious safety incident or data disclosure")


class StationEvaluation(ScopedModel):
    """One station in one round (spec §4): where it is in the flow, who evaluates it, its
    totals and grade (those of the latest published revision once out)."""

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("evaluation round"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    # The station's region code, copied: the lists scope and filter on it.
    region_code = models.CharField(_("region code"), max_length=12, editable=False, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.OPEN,
        editable=False,
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        limit_choices_to={"role": Role.EVALUATOR},
    )
    computed_at = models.DateTimeField(
        _("automatic values computed"), null=True, blank=True, editable=False
    )
    self_total = models.DecimalField(
        _("self-assessed total"),
        null=True,
        blank=True,
        editable=False,
        max_digits=6,
        decimal_places=2,
    )
    total_score = models.DecimalField(
        _("total score"), null=True, blank=True, editable=False, max_digits=6, decimal_places=2
    )
    grade = models.CharField(_("evaluation grade"), max_length=10, blank=True, editable=False)
    bonus_score = models.DecimalField(
        _("bonus score"),
        null=True,
        blank=True,
        editable=False,
        max_digits=6,
        decimal_places=2,
        help_text=_("Star rounds: the bonus dimensions' scores, up to the version's cap."),
    )
    star = models.PositiveSmallIntegerField(
        _("star rating"), choices=Star.choices, null=True, blank=True, editable=False
    )
    star_note = models.CharField(_("why no star"), max_length=300, blank=True, editable=False)
    veto = models.CharField(_("veto"), max_length=12, choices=Veto.choices, blank=True)
    veto_reason = models.TextField(_("why the veto"), blank=True)
    site_visit_on = models.DateField(_("site visit on"), null=True, blank=True)
    site_findings = models.TextField(_("site-visit findings"), blank=True)
    self_due_on = models.DateField(_("self-assessment due"), null=True, blank=True, editable=False)
    scoring_due_on = models.DateField(_("scoring due"), null=True, blank=True, editable=False)
    review_due_on = models.DateField(_("review due"), null=True, blank=True, editable=False)
    self_submitted_at = models.DateTimeField(
        _("self-assessment submitted"), null=True, blank=True, editable=False
    )
    scored_at = models.DateTimeField(_("scoring submitted"), null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(_("district passed"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("city approved"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    objection_until = models.DateField(_("objections until"), null=True, blank=True, editable=False)
    objection = models.TextField(_("objection"), blank=True, editable=False)
    final_on = models.DateField(_("final on"), null=True, blank=True, editable=False)
    payment_hold = models.BooleanField(
        _("final instalment held"),
        default=False,
        editable=False,
        help_text=_("不合格: the final instalment of the purchase contract is held."),
    )
    no_new_contract = models.BooleanField(
        _("no new contract next year"), default=False, editable=False
    )

    scope_path: ClassVar[str | None] = "region_code"
    assignment_path: ClassVar[str] = "evaluator"
    role_permissions = RolePermissions(
        view=READERS, add=CITY_ADMIN_ONLY, change=READERS - {Role.AUDITOR, Role.SUPERVISOR}
    )

    class Meta:
        verbose_name = _("station evaluation")
        verbose_name_plural = _("station evaluations")
        ordering = ["round", "region_code", "station__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "station"], name="evaluation_round_station")
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.station} · {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:stationevaluation", args=[self.pk])

    def get_grade_display(self) -> str:
        return _grade_display(self.grade)

    @property
    def result_is_out(self) -> bool:
        return self.status in RESULT_STATES


class IndicatorScore(ScopedModel):
    """One indicator of one station's evaluation (spec §2.1, §4): the automatic value with
    its inputs (kept beside any override), the self-score, the evaluator's score and the
    district's comment. ``final_score`` is the evaluator's score when given, else the
    automatic one."""

    evaluation = models.ForeignKey(
        StationEvaluation,
        verbose_name=_("station evaluation"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scores"
    )
    measured_value = models.DecimalField(
        _("measured value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    numerator = models.DecimalField(
        _("numerator"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measure_detail = models.CharField(_("how it was measured"), max_length=300, blank=True)
    auto_score = models.DecimalField(
        _("automatic score"), null=True, blank=True, editable=False, max_digits=6, decimal_places=2
    )
    auto_note = models.CharField(_("automatic note"), max_length=300, blank=True, editable=False)
    self_score = models.DecimalField(
        _("self-score"),
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        max_digits=6,
        decimal_places=2,
    )
    self_note = models.TextField(_("station's explanation"), blank=True)
    evaluator_score = models.DecimalField(
        _("evaluator's score"),
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        max_digits=6,
        decimal_places=2,
    )
    override_reason = models.TextField(
        _("why the automatic score is overridden"),
        blank=True,
        help_text=_("Required when the evaluator changes an automatic score."),
    )
    finding = models.TextField(
        _("evaluator's finding"),
        blank=True,
        help_text=_("Required when a score is below the indicator's points."),
    )
    district_comment = models.TextField(_("district's comment"), blank=True)
    final_score = models.DecimalField(
        _("score"), null=True, blank=True, editable=False, max_digits=6, decimal_places=2
    )

    scope_path: ClassVar[str | None] = "evaluation__region_code"
    assignment_path: ClassVar[str] = "evaluation__evaluator"
    role_permissions = RolePermissions(
        view=READERS, change=READERS - {Role.AUDITOR, Role.SUPERVISOR}
    )

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = [
            "evaluation",
            "indicator__dimension__order",
            "indicator__dimension__code",
            "indicator__order",
            "indicator__code",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "indicator"], name="indicatorscore_evaluation_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.evaluation}"

    def get_absolute_url(self) -> str:
        # The scorecard's anchor of the indicator (stationevaluation.html: its code).
        return reverse("evaluation:stationevaluation", args=[self.evaluation_id]) + (
            f"#indicator-{self.indicator.code}"
        )


def _evidence_path(instance: Any, filename: str) -> str:
    """Under the evaluation's folder; the stored name keeps only the extension (a user's file
    name may carry a person's name)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evaluation/{instance.score.evaluation_id}/{uuid.uuid4().hex}.{extension}"


class EvaluationEvidence(ScopedModel):
    """A file the station attaches to an indicator for its self-assessment (spec §4)."""

    score = models.ForeignKey(
        IndicatorScore,
        verbose_name=_("indicator score"),
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    title = models.CharField(_("what the file shows"), max_length=100)
    file = models.FileField(
        _("file"),
        upload_to=_evidence_path,
        max_length=200,
        validators=[validate_attachment],
        help_text=_("A photo (JPEG, PNG) or a document (PDF, Word, Excel), at most 10 MB."),
    )

    scope_path: ClassVar[str | None] = "score__evaluation__region_code"
    assignment_path: ClassVar[str] = "score__evaluation__evaluator"
    role_permissions = RolePermissions(
        view=READERS,
        add=MANAGERS | {Role.SOCIAL_WORKER},
        delete=MANAGERS | {Role.SOCIAL_WORKER},
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["score", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluationevidence", args=[self.pk])


class EventKind(models.TextChoices):
    COMPUTED = "computed", _("Automatic values computed")
    ASSIGNED = "assigned", _("Evaluator assigned")
    SELF_SCORED = "self_scored", _("Self-score entered")
    SELF_SUBMITTED = "self_submitted", _("Self-assessment submitted")
    SCORED = "scored", _("Score entered")
    OVERRIDDEN = "overridden", _("Automatic score overridden")
    SCORING_SUBMITTED = "scoring_submitted", _("Scoring submitted")
    COMMENTED = "commented", _("District comment")
    RETURNED = "returned", _("Returned")
    PASSED = "passed", _("Passed by the district")
    APPROVED = "approved", _("Approved by the city")
    PUBLISHED = "published", _("Published")
    OBJECTED = "objected", _("Objection filed")
    OBJECTION_DECIDED = "objection_decided", _("Objection decided")
    FINALISED = "finalised", _("Result final")
    VETOED = "vetoed", _("Veto recorded")
    # A survey respondent said the station did not serve them (spec §5 V0: a finding).
    SURVEY_FINDING = "survey_finding", _("Service not confirmed in the survey")


class EvaluationEvent(ScopedModel):
    """The explicit log of an evaluation (spec §4, "History"): who did which step when, with
    the inputs, old and new values or the comment. Written by the services only, never
    changed."""

    evaluation = models.ForeignKey(
        StationEvaluation,
        verbose_name=_("station evaluation"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    scope_path: ClassVar[str | None] = "evaluation__region_code"
    assignment_path: ClassVar[str] = "evaluation__evaluator"
    role_permissions = RolePermissions(view=READERS)

    class Meta:
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")
        ordering = ["evaluation", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.evaluation}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluationevent", args=[self.pk])


class StationEvaluationRevision(ScopedModel):
    """A published result, frozen (spec §4: "a published score never changes"): revision 1 at
    publication, n+1 when an upheld objection or a correction is published in its turn. The
    evaluation's total and grade are those of its latest revision."""

    evaluation = models.ForeignKey(
        StationEvaluation,
        verbose_name=_("station evaluation"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    total_score = models.DecimalField(_("total score"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("evaluation grade"), max_length=10)
    bonus_score = models.DecimalField(
        _("bonus score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    star = models.PositiveSmallIntegerField(
        _("star rating"), choices=Star.choices, null=True, blank=True
    )
    # Frozen with the star (spec §3: a published result never changes), so that a revision
    # says why a star round gave no star as the scorecard said it on the day.
    star_note = models.CharField(_("why no star"), max_length=300, blank=True)
    scores = models.JSONField(_("scores by indicator"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    published_on = models.DateField(_("published on"))

    scope_path: ClassVar[str | None] = "evaluation__region_code"
    assignment_path: ClassVar[str] = "evaluation__evaluator"
    role_permissions = RolePermissions(view=READERS)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"], name="evaluationrevision_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:stationevaluationrevision", args=[self.pk])

    def get_grade_display(self) -> str:
        return _grade_display(self.grade)


class RectificationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ISSUED = "issued", _("To rectify")
    ANSWERED = "answered", _("Answered, awaiting verification")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class RectificationItem(ScopedModel):
    """整改 (spec §3): proposed for every indicator under 60 % of its points (and every veto),
    or by the evaluator from a finding; confirmed by the district; issued when the result is
    final, due 60 days later; the station answers with evidence; the district accepts
    (closed) or reopens it with a new due date."""

    evaluation = models.ForeignKey(
        StationEvaluation,
        verbose_name=_("station evaluation"),
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finding = models.TextField(_("finding"))
    required_action = models.TextField(_("required action"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.PROPOSED,
        editable=False,
    )
    original_due_on = models.DateField(_("first due date"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("due"), null=True, blank=True, editable=False)
    answer = models.TextField(_("station's answer"), blank=True, editable=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    verify_comment = models.TextField(_("verification comment"), blank=True, editable=False)
    closed_on = models.DateField(_("item closed on"), null=True, blank=True, editable=False)
    closed_on_time = models.BooleanField(_("closed on time"), default=False, editable=False)
    # Proposed by the 60 % rule at the scoring's submission (replaced at a new submission);
    # an item the evaluator or the district added is kept.
    proposed_by_rule = models.BooleanField(_("proposed by the rule"), default=False, editable=False)

    scope_path: ClassVar[str | None] = "evaluation__region_code"
    assignment_path: ClassVar[str] = "evaluation__evaluator"
    role_permissions = RolePermissions(
        view=READERS,
        add=BUREAUS | EVALUATOR_ONLY,
        change=MANAGERS | EVALUATOR_ONLY,
    )

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        code = self.indicator.code if self.indicator_id and self.indicator else ""
        return f"{code} {self.finding[:30]}".strip()

    def get_absolute_url(self) -> str:
        return reverse("evaluation:rectificationitem", args=[self.pk])


class Evaluator(ScopedModel):
    """A third-party evaluator's profile (spec §4): the agency they work for, so that an
    assignment to a station that agency operates is refused. Empty agency: an independent
    expert."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="evaluator_profile",
        limit_choices_to={"role": Role.EVALUATOR},
    )
    agency = models.ForeignKey(
        "stations.ServiceAgency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluators",
        help_text=_("Empty: an independent expert."),
    )
    qualification = models.CharField(_("qualification"), max_length=200, blank=True)

    scope_path: ClassVar[str | None] = None
    assignment_path: ClassVar[str] = "user"
    role_permissions = RolePermissions(
        view=BUREAUS | EVALUATOR_ONLY,
        add=CITY_ADMIN_ONLY,
        change=CITY_ADMIN_ONLY,
        delete=CITY_ADMIN_ONLY,
    )

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluator", args=[self.pk])
