"""Serializers of the evaluation API: the indicator sets (a version with its tree nested on the
detail, its dimensions and indicators), the rounds, the station evaluations with their
scorecards, the indicator scores, evidence, events and published revisions, the rectification
items and the evaluators. Points and scores are decimal strings ("8.00"); a column the caller
may not read yet (spec §4) is null."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from swstation.accounts.models import User
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.core.forms import TEXT_MAX_LENGTH
from swstation.evaluation import selectors
from swstation.evaluation.models import (
    AttemptOutcome,
    Complaint,
    Dimension,
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictResult,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    EventKind,
    FollowUpMode,
    Indicator,
    IndicatorScore,
    IndicatorSet,
    Questionnaire,
    RectificationItem,
    StakeholderRating,
    Star,
    StationEvaluation,
    StationEvaluationRevision,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
    Veto,
)
from swstation.evaluation.models.rounds import SURVEY_PARAMETER_FIELDS
from swstation.evaluation.models.surveys import SATISFACTION_LABELS, stratum_label
from swstation.evaluation.scoring import GRADE_CODES, grade_label
from swstation.evaluation.selectors import (
    ScoreVisibility,
    evaluation_ranks,
    score_visibility,
    scorecard,
)
from swstation.evaluation.tables import respondent_name
from swstation.projects.api.serializers import ScopedListsMixin
from swstation.regions.models import Region
from swstation.stations.models import Station

INDICATOR_FIELDS = [
    "id",
    "url",
    "dimension",
    "code",
    "order",
    "name",
    "points",
    "rule_type",
    "rule_params",
    "evidence",
    "source",
    "note",
]


class IndicatorSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:indicator-detail")
    dimension = serializers.PrimaryKeyRelatedField(
        queryset=Dimension.objects.all(), help_text=_("The dimension (first-level indicator).")
    )
    rule_params = serializers.JSONField(
        required=False,
        help_text=_(
            "The rule's targets or thresholds: ratio {target, floor, prorate, target_mode, unit, "
            "on_empty}; band {bands: [{min, max, max_included, points}], unit}; each {per_item, "
            "items}; yes_no {condition}; manual {}."
        ),
    )

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS


class DimensionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:dimension-detail")
    indicator_set = serializers.PrimaryKeyRelatedField(queryset=IndicatorSet.objects.all())

    class Meta:
        model = Dimension
        fields = ["id", "url", "indicator_set", "code", "order", "name", "points", "is_bonus"]


class NestedIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [name for name in INDICATOR_FIELDS if name not in ("url", "dimension")]
        read_only_fields = fields


class NestedDimensionSerializer(serializers.ModelSerializer):
    indicators = NestedIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Dimension
        fields = ["id", "code", "order", "name", "points", "is_bonus", "indicators"]
        read_only_fields = fields


class IndicatorSetSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:indicatorset-detail")

    class Meta:
        model = IndicatorSet
        fields = [
            "id",
            "url",
            "name",
            "version",
            "status",
            "total_points",
            "bonus_cap",
            "bonus_points",
            "published_on",
            "copied_from",
            "note",
        ]
        read_only_fields = [
            "version",
            "status",
            "total_points",
            "bonus_points",
            "published_on",
            "copied_from",
        ]


class IndicatorSetDetailSerializer(IndicatorSetSerializer):
    """A version with its tree: dimensions in order, each with its indicators."""

    dimensions = NestedDimensionSerializer(many=True, read_only=True)

    class Meta(IndicatorSetSerializer.Meta):
        fields = [*IndicatorSetSerializer.Meta.fields, "dimensions"]


class IndicatorSetCopySerializer(serializers.Serializer):
    name = serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("The name of a new standard; empty: the next version of the same one."),
    )


# --- rounds, station evaluations, scores, rectification, evaluators (issue 15; spec §3, §4) ----


GRADE_CHOICES = [(code, grade_label(code)) for code in GRADE_CODES]


def _actor(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class GradeField(serializers.ChoiceField):
    """A grade code (``excellent``, ``good``, ``pass``, ``fail``), null when there is none (or
    the caller may not see it yet)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(choices=GRADE_CHOICES, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value or None


def _grade_label(code: str | None) -> str | None:
    return str(grade_label(code)) if code in GRADE_CODES else None


class EvaluationRoundSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:evaluationround-detail")
    indicator_set_name = serializers.SerializerMethodField()
    station_count = serializers.IntegerField(
        read_only=True, default=0, help_text=_("How many stations the round evaluates.")
    )
    final_count = serializers.IntegerField(
        read_only=True, default=0, help_text=_("How many of them have a final result.")
    )

    class Meta:
        model = EvaluationRound
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "indicator_set",
            "indicator_set_name",
            "grade_bands",
            "star_five_from",
            "star_four_from",
            "recusal_months",
            "period_start",
            "snapshot_date",
            "entry_grace_days",
            "self_assessment_days",
            "scoring_days",
            "review_days",
            "objection_working_days",
            "rectification_days",
            "verification_days",
            *SURVEY_PARAMETER_FIELDS,
            "status",
            "opened_on",
            "closed_on",
            "computing_since",
            "station_count",
            "final_count",
            "note",
        ]
        read_only_fields = ["grade_bands"]

    def get_indicator_set_name(self, obj: EvaluationRound) -> str:
        return str(obj.indicator_set)


class RoundOpenSerializer(ScopedListsMixin, ScopedSerializerMixin, serializers.Serializer):
    stations = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(),
        many=True,
        required=False,
        help_text=_(
            "The stations to evaluate (ids); left out: every township station operating on the "
            "snapshot date."
        ),
    )


class RoundComputeSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why the automatic values are computed again (required then)."),
    )


class RoundApproveSerializer(ScopedListsMixin, ScopedSerializerMixin, serializers.Serializer):
    evaluations = serializers.PrimaryKeyRelatedField(
        queryset=StationEvaluation.objects.all(),
        many=True,
        required=False,
        help_text=_(
            "The station evaluations to approve (ids); left out: all of the round awaiting the "
            "city's approval."
        ),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why a result is published again (after an upheld objection)."),
    )


class StationEvaluationSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """One station in one round. ``total_score`` and ``grade`` are null until the caller may
    see them (a station sees its result from publication); so are the evaluator's ``veto``
    and ``site_findings``."""

    url = serializers.HyperlinkedIdentityField(view_name="api:stationevaluation-detail")
    round_name = serializers.CharField(source="round.name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    evaluator_name = serializers.SerializerMethodField()
    total_score = serializers.DecimalField(
        source="shown_total",
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("The total of the indicators' scores (a decimal string), or null."),
    )
    grade = GradeField(source="shown_grade", help_text=_("The grade's code, or null."))
    grade_label = serializers.SerializerMethodField()
    bonus_score = serializers.DecimalField(
        source="shown_bonus",
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("Star rounds: the bonus on top of the total (a decimal string), or null."),
    )
    star = serializers.ChoiceField(
        source="shown_star",
        choices=Star.choices,
        read_only=True,
        allow_null=True,
        help_text=_("Star rounds: 5 or 4 stars, or null (none, or not out yet)."),
    )
    star_label = serializers.SerializerMethodField()
    star_note = serializers.CharField(
        source="shown_star_note",
        read_only=True,
        allow_null=True,
        help_text=_("Why a star round gives no star (a veto, 不合格 in the annual round)."),
    )
    veto = serializers.ChoiceField(choices=Veto.choices, read_only=True, allow_null=True)
    veto_reason = serializers.CharField(read_only=True, allow_null=True)
    site_findings = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = StationEvaluation
        fields = [
            "id",
            "url",
            "round",
            "round_name",
            "station",
            "station_name",
            "region_code",
            "status",
            "evaluator",
            "evaluator_name",
            "total_score",
            "grade",
            "grade_label",
            "bonus_score",
            "star",
            "star_label",
            "star_note",
            "self_total",
            "veto",
            "veto_reason",
            "site_visit_on",
            "site_findings",
            "computed_at",
            "self_due_on",
            "self_submitted_at",
            "scoring_due_on",
            "scored_at",
            "review_due_on",
            "reviewed_at",
            "approved_at",
            "published_at",
            "objection_until",
            "objection",
            "final_on",
            "payment_hold",
            "no_new_contract",
        ]
        read_only_fields = fields

    def get_evaluator_name(self, obj: StationEvaluation) -> str | None:
        return str(obj.evaluator) if obj.evaluator_id else None

    def get_grade_label(self, obj: StationEvaluation) -> str | None:
        return _grade_label(getattr(obj, "shown_grade", None))

    def get_star_label(self, obj: StationEvaluation) -> str | None:
        star = getattr(obj, "shown_star", None)
        return str(Star(star).label) if star in Star.values else None

    def to_representation(self, instance: StationEvaluation) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        visibility = score_visibility(actor=_actor(self), evaluation=instance)
        if not visibility.evaluator_scores:
            for name in ("veto", "veto_reason", "site_findings"):
                data[name] = None
        return data


class ScoreEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationEvidence
        fields = ["id", "title"]
        read_only_fields = fields


# The columns of a score each part of score_visibility hides (null when hidden).
SELF_COLUMNS = ("self_score", "self_note")
EVALUATOR_COLUMNS = ("evaluator_score", "override_reason", "finding", "final_score")
DISTRICT_COLUMNS = ("district_comment",)


def hide_columns(data: dict[str, Any], visibility: ScoreVisibility) -> dict[str, Any]:
    hidden = [
        *(() if visibility.self_scores else SELF_COLUMNS),
        *(() if visibility.evaluator_scores else EVALUATOR_COLUMNS),
        *(() if visibility.district_comments else DISTRICT_COLUMNS),
    ]
    for name in hidden:
        if name in data:
            data[name] = None
    return data


SCORE_FIELDS = [
    "id",
    "indicator",
    "indicator_code",
    "indicator_name",
    "dimension_code",
    "points",
    "measured_value",
    "numerator",
    "denominator",
    "measure_detail",
    "auto_score",
    "auto_note",
    "self_score",
    "self_note",
    "evaluator_score",
    "override_reason",
    "finding",
    "district_comment",
    "final_score",
]
SCORE_HIDDEN_HELP = _("Null while the caller may not read it.")


class ScoreRowSerializer(serializers.ModelSerializer):
    """An indicator of the evaluation's scorecard, with the columns the caller may read (the
    others null)."""

    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    dimension_code = serializers.CharField(source="indicator.dimension.code", read_only=True)
    points = serializers.DecimalField(
        source="indicator.points", max_digits=5, decimal_places=2, read_only=True
    )
    self_note = serializers.CharField(read_only=True, allow_null=True)
    override_reason = serializers.CharField(
        read_only=True, allow_null=True, help_text=SCORE_HIDDEN_HELP
    )
    finding = serializers.CharField(read_only=True, allow_null=True, help_text=SCORE_HIDDEN_HELP)
    district_comment = serializers.CharField(
        read_only=True, allow_null=True, help_text=SCORE_HIDDEN_HELP
    )
    evidence = ScoreEvidenceSerializer(source="evidence_files", many=True, read_only=True)

    class Meta:
        model = IndicatorScore
        fields = [*SCORE_FIELDS, "evidence"]
        read_only_fields = fields

    def to_representation(self, instance: IndicatorScore) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        return hide_columns(data, self.context["visibility"])


class StationEvaluationDetailSerializer(StationEvaluationSerializer):
    """An evaluation with its scorecard (``scores``, by dimension and indicator) and, once
    final, its rank in the district and in the city."""

    # The list's ``status``, as a plain string: a choice set shared by two components would get
    # a hashed enum name in the schema.
    status = serializers.CharField(
        read_only=True,
        help_text=_(
            "The step: open, self_assessment, scoring, district_review, city_approval, "
            "published, objection or final."
        ),
    )
    scores = serializers.SerializerMethodField()
    district_rank = serializers.SerializerMethodField()
    city_rank = serializers.SerializerMethodField()

    class Meta(StationEvaluationSerializer.Meta):
        fields = [*StationEvaluationSerializer.Meta.fields, "district_rank", "city_rank", "scores"]
        read_only_fields = fields

    @extend_schema_field(ScoreRowSerializer(many=True))
    def get_scores(self, obj: StationEvaluation) -> list[dict[str, Any]]:
        visibility = score_visibility(actor=_actor(self), evaluation=obj)
        rows = [score for row in scorecard(evaluation=obj) for score in row.scores]
        context = {**self.context, "visibility": visibility}
        return list(ScoreRowSerializer(rows, many=True, context=context).data)

    def _ranks(self, obj: StationEvaluation) -> tuple[int | None, int | None]:
        if obj.status != EvaluationStatus.FINAL:
            return (None, None)
        return evaluation_ranks(round=obj.round).get(obj.pk, (None, None))

    def get_district_rank(self, obj: StationEvaluation) -> int | None:
        return self._ranks(obj)[0]

    def get_city_rank(self, obj: StationEvaluation) -> int | None:
        return self._ranks(obj)[1]


# The city's steps name an evaluator among all the users (the city reads them all): a body
# read before the service's role check answers another role 403, not "no such user".
class AssignSerializer(serializers.Serializer):
    evaluator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text=_("A user with the role “evaluator” (id).")
    )


class SubmitScoringSerializer(serializers.Serializer):
    site_visit_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("The day of the site visit.")
    )
    site_findings = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text=_("What the visit found.")
    )


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Why it is returned.")
    )
    to = serializers.ChoiceField(
        choices=[
            (EvaluationStatus.SCORING.value, EvaluationStatus.SCORING.label),
            (EvaluationStatus.DISTRICT_REVIEW.value, EvaluationStatus.DISTRICT_REVIEW.label),
        ],
        required=False,
        help_text=_("The city only: back to the scoring or to the district review."),
    )


class ObjectionSerializer(serializers.Serializer):
    objection = serializers.CharField(
        max_length=5000, help_text=_("The objection and its reasons, in writing.")
    )


class DecideObjectionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField(help_text=_("Whether the objection is upheld."))
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Why.")
    )
    evaluator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Upheld: the different evaluator who scores it again (id)."),
    )


class VetoSerializer(serializers.Serializer):
    veto = serializers.ChoiceField(
        choices=Veto.choices, allow_blank=True, help_text=_("The veto; blank clears it.")
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text=_("What was found.")
    )


class IndicatorScoreSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """An indicator of a station's evaluation. Written by ``PATCH``, each part by its author:
    the station manager's ``self_score``/``self_note``, the evaluator's ``evaluator_score``/
    ``override_reason``/``finding``, the district's ``district_comment``."""

    url = serializers.HyperlinkedIdentityField(view_name="api:indicatorscore-detail")
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    dimension_code = serializers.CharField(source="indicator.dimension.code", read_only=True)
    points = serializers.DecimalField(
        source="indicator.points", max_digits=5, decimal_places=2, read_only=True
    )

    class Meta:
        model = IndicatorScore
        fields = [SCORE_FIELDS[0], "url", "evaluation", *SCORE_FIELDS[1:]]
        read_only_fields = [
            "evaluation",
            "indicator",
            "measured_value",
            "numerator",
            "denominator",
            "measure_detail",
        ]
        extra_kwargs = {
            name: {"allow_null": True} for name in ("self_note", "override_reason", "finding")
        } | {"district_comment": {"allow_null": True}}

    def to_representation(self, instance: IndicatorScore) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        cache = self.context.setdefault("visibilities", {})
        visibility = cache.get(instance.evaluation_id)
        if visibility is None:
            visibility = score_visibility(actor=_actor(self), evaluation=instance.evaluation)
            cache[instance.evaluation_id] = visibility
        return hide_columns(data, visibility)


class EvaluationEvidenceSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:evaluationevidence-detail")
    score = serializers.PrimaryKeyRelatedField(queryset=IndicatorScore.objects.all())
    evaluation = serializers.IntegerField(source="score.evaluation_id", read_only=True)
    indicator_code = serializers.CharField(source="score.indicator.code", read_only=True)
    file = serializers.FileField(
        write_only=True,
        help_text=_("A photo (JPEG, PNG) or a document (PDF, Word, Excel), at most 10 MB."),
    )

    class Meta:
        model = EvaluationEvidence
        fields = ["id", "url", "score", "evaluation", "indicator_code", "title", "file"]


# The steps whose note and details carry the evaluator's scores: hidden like them.
SCORING_EVENTS = (
    EventKind.SCORED,
    EventKind.OVERRIDDEN,
    EventKind.SCORING_SUBMITTED,
    EventKind.VETOED,
)


class EvaluationEventSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:evaluationevent-detail")
    actor_name = serializers.SerializerMethodField()
    indicator_code = serializers.CharField(source="indicator.code", read_only=True, allow_null=True)

    class Meta:
        model = EvaluationEvent
        fields = [
            "id",
            "url",
            "evaluation",
            "kind",
            "actor",
            "actor_name",
            "indicator",
            "indicator_code",
            "note",
            "data",
            "created_at",
        ]
        read_only_fields = fields
        # Null while the caller may not read the evaluator's scores (a scoring step).
        extra_kwargs = {"note": {"allow_null": True}, "data": {"allow_null": True}}

    def get_actor_name(self, obj: EvaluationEvent) -> str | None:
        return str(obj.actor) if obj.actor_id else None

    def to_representation(self, instance: EvaluationEvent) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if instance.kind in SCORING_EVENTS:
            visibility = score_visibility(actor=_actor(self), evaluation=instance.evaluation)
            if not visibility.evaluator_scores:
                data["note"] = data["data"] = None
        return data


class StationEvaluationRevisionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:stationevaluationrevision-detail")
    grade = GradeField()
    approved_by_name = serializers.SerializerMethodField()

    class Meta:
        model = StationEvaluationRevision
        fields = [
            "id",
            "url",
            "evaluation",
            "number",
            "total_score",
            "grade",
            "bonus_score",
            "star",
            "star_note",
            "scores",
            "reason",
            "approved_by",
            "approved_by_name",
            "published_on",
        ]
        read_only_fields = fields

    def get_approved_by_name(self, obj: StationEvaluationRevision) -> str | None:
        return str(obj.approved_by) if obj.approved_by_id else None


class RectificationItemSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:rectificationitem-detail")
    evaluation = serializers.PrimaryKeyRelatedField(queryset=StationEvaluation.objects.all())
    round = serializers.IntegerField(source="evaluation.round_id", read_only=True)
    station = serializers.IntegerField(source="evaluation.station_id", read_only=True)
    station_name = serializers.CharField(source="evaluation.station.name", read_only=True)
    region_code = serializers.CharField(source="evaluation.region_code", read_only=True)
    indicator = serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The indicator of the round's standard the item is about (id), if any."),
    )
    indicator_code = serializers.CharField(source="indicator.code", read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(
        read_only=True, default=False, help_text=_("Still open after its due date.")
    )

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "url",
            "evaluation",
            "round",
            "station",
            "station_name",
            "region_code",
            "indicator",
            "indicator_code",
            "finding",
            "required_action",
            "status",
            "original_due_on",
            "due_on",
            "is_overdue",
            "answer",
            "answered_on",
            "verify_comment",
            "closed_on",
            "closed_on_time",
        ]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # The indicators are the city's policy data, the same for every reader; the service
        # checks the one named belongs to the round's standard (an evaluator, who reads no
        # standard, names it too).
        indicator = fields["indicator"]
        indicator.queryset = Indicator.objects.all()  # type: ignore[attr-defined]
        return fields


class RectificationAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000, help_text=_("What was done."))


class RectificationVerifySerializer(serializers.Serializer):
    accept = serializers.BooleanField(
        help_text=_("Accepted (closed), or not: reopened with a new due date.")
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("What is still missing (required when not accepted)."),
    )


class EvaluatorSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:evaluator-detail")
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, allow_null=True)

    class Meta:
        model = Evaluator
        fields = [
            "id",
            "url",
            "user",
            "username",
            "full_name",
            "agency",
            "agency_name",
            "qualification",
        ]


# --- surveys, stakeholders' forms and complaints (spec §5; read only) ---------------------------


class QuestionnaireSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:questionnaire-detail")

    class Meta:
        model = Questionnaire
        fields = ["id", "url", "name", "version", "status", "items", "note", "published_on"]
        read_only_fields = fields


class SurveySampleSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:surveysample-detail")
    station = serializers.IntegerField(source="evaluation.station_id", read_only=True)
    round = serializers.IntegerField(source="evaluation.round_id", read_only=True)

    class Meta:
        model = SurveySample
        fields = [
            "id",
            "url",
            "evaluation",
            "station",
            "round",
            "questionnaire",
            "population",
            "sample_size",
            "home_visits",
            "seed",
            "strata",
            "stakeholder_villages",
            "drawn_at",
        ]
        read_only_fields = fields


class SurveyRespondentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A drawn respondent: the name masked for an evaluator; never a phone or an address."""

    url = serializers.HyperlinkedIdentityField(view_name="api:surveyrespondent-detail")
    evaluation = serializers.IntegerField(source="sample.evaluation_id", read_only=True)
    name = serializers.SerializerMethodField(
        help_text=_("The respondent's name, masked (张*华) for an evaluator.")
    )
    stratum_label = serializers.SerializerMethodField()

    class Meta:
        model = SurveyRespondent
        fields = [
            "id",
            "url",
            "sample",
            "evaluation",
            "name",
            "stratum",
            "stratum_label",
            "order",
            "is_reserve",
            "active",
            "mode",
            "status",
            "replaced_by",
        ]
        read_only_fields = fields

    def get_name(self, obj: SurveyRespondent) -> str:
        return respondent_name(_actor(self), obj)

    def get_stratum_label(self, obj: SurveyRespondent) -> str:
        return stratum_label(obj.stratum)


class SurveyAttemptSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:surveyattempt-detail")

    class Meta:
        model = SurveyAttempt
        fields = ["id", "url", "respondent", "attempted_on", "mode", "outcome", "note"]
        read_only_fields = fields


class SurveyAnswerSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:surveyanswer-detail")

    class Meta:
        model = SurveyAnswer
        fields = [
            "id",
            "url",
            "respondent",
            "answered_on",
            "mode",
            "service_confirmed",
            "service_described",
            "s1",
            "s2",
            "s3",
            "s4",
            "s5",
            "s6",
            "w1",
            "w2",
            "w3",
            "w4",
            "w5",
            "satisfaction_index",
            "effectively_aware",
            "note",
        ]
        read_only_fields = fields


class StakeholderRatingSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A stakeholders' form (H3). Written by the district (``POST``: a form of the same rater
    and village replaces the earlier one; ``PATCH`` corrects one), the village named by its
    division code (one of the sample's ``stakeholder_villages``)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:stakeholderrating-detail")
    village_code = serializers.SlugRelatedField(
        source="village",
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "The village committee's division code, for a village's form (one of the sample's "
            "stakeholder_villages); null for the township government's."
        ),
    )

    class Meta:
        model = StakeholderRating
        fields = [
            "id",
            "url",
            "evaluation",
            "rater",
            "village",
            "village_code",
            "r1",
            "r2",
            "r3",
            "r4",
            "r5",
            "score",
            "comment",
            "rated_on",
        ]
        read_only_fields = ["id", "url", "village", "score"]
        # One form per rater and village: a second replaces the first (the service's rule),
        # not a uniqueness error.
        validators: list[Any] = []

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # A form stays the form of its evaluation, rater and village: a correction
            # changes its answers only.
            for name in ("evaluation", "rater", "village_code"):
                fields[name].read_only = True
        return fields


class ComplaintSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    """A complaint: registered (``POST``: ``station``, ``received_on``, ``channel``,
    ``summary``) by the bureaus, then decided (``…/{id}/decide/``)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:complaint-detail")
    station_name = serializers.CharField(source="station.name", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "url",
            "station",
            "station_name",
            "received_on",
            "channel",
            "summary",
            "substantiated",
            "decided_on",
            "decision_note",
        ]
        read_only_fields = [
            "id",
            "url",
            "station_name",
            "substantiated",
            "decided_on",
            "decision_note",
        ]


class ComplaintDecideSerializer(serializers.Serializer):
    substantiated = serializers.BooleanField(
        help_text=_("Whether the check found the complaint substantiated (it then counts in H5).")
    )
    decision_note = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, help_text=_("What the check found.")
    )
    decided_on = serializers.DateField(
        required=False, help_text=_("The day decided; default today.")
    )


class SurveyDrawSerializer(ScopedListsMixin, ScopedSerializerMixin, serializers.Serializer):
    evaluation = serializers.PrimaryKeyRelatedField(
        queryset=StationEvaluation.objects.all(),
        help_text=_("The station evaluation whose survey sample is drawn (once)."),
    )
    questionnaire = serializers.PrimaryKeyRelatedField(
        queryset=Questionnaire.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A published questionnaire; left out: the latest published."),
    )


class SurveyAttemptInputSerializer(serializers.Serializer):
    attempted_on = serializers.DateField(help_text=_("The day of the attempt."))
    outcome = serializers.ChoiceField(
        choices=[
            (value, label)
            for value, label in AttemptOutcome.choices
            if value != AttemptOutcome.COMPLETED
        ],
        help_text=_(
            "Not reached, to call back, refused or cannot be surveyed (a completed follow-up "
            "is entered with its answers: …/answer/)."
        ),
    )
    mode = serializers.ChoiceField(
        choices=FollowUpMode.choices,
        required=False,
        help_text=_("Phone or home visit; left out: the respondent's follow-up mode."),
    )
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=_("Required when the respondent cannot be surveyed: say why."),
    )


def _five_points(label: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        allow_null=True,
        label=label,
        help_text=_("1 to 5; null: not applicable (不适用)."),
    )


class SurveyAnswerInputSerializer(serializers.Serializer):
    """The answers of a completed follow-up (spec §5): V0, S1–S6 (1–5, null: 不适用), W1–W5."""

    answered_on = serializers.DateField(help_text=_("The day the respondent answered."))
    mode = serializers.ChoiceField(choices=FollowUpMode.choices, required=False)
    service_confirmed = serializers.BooleanField(
        help_text=_("V0: did the station's social workers serve the respondent in the period?")
    )
    service_described = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    s1 = _five_points(SATISFACTION_LABELS["S1"])
    s2 = _five_points(SATISFACTION_LABELS["S2"])
    s3 = _five_points(SATISFACTION_LABELS["S3"])
    s4 = _five_points(SATISFACTION_LABELS["S4"])
    s5 = _five_points(SATISFACTION_LABELS["S5"])
    s6 = _five_points(SATISFACTION_LABELS["S6"])
    w1 = serializers.BooleanField(help_text=_("W1 knows the address"))
    w2 = serializers.BooleanField(help_text=_("W2 knows what it offers"))
    w3 = serializers.BooleanField(help_text=_("W3 knows a worker's name"))
    w4 = serializers.BooleanField(help_text=_("W4 knows how to ask for help"))
    w5 = serializers.BooleanField(help_text=_("W5 knows who funds it"))
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)


class RevealContactSerializer(serializers.Serializer):
    field = serializers.ChoiceField(
        choices=[("phone", _("Phone")), ("address", _("Address"))],
        required=False,
        help_text=_("Left out: the phone, or the address for a home visit."),
    )


class RevealedContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    field = serializers.CharField()
    value = serializers.CharField()


# --- a round's results by district and city (issue 15, "Reports"; evaluation/reports.py) -------


class ResultGradeSerializer(serializers.Serializer):
    grade = serializers.CharField(source="code")
    grade_label = serializers.CharField(source="label")
    count = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=1)


class ResultStarsSerializer(serializers.Serializer):
    five = serializers.IntegerField()
    four = serializers.IntegerField()
    none = serializers.IntegerField()


class ResultFiguresSerializer(serializers.Serializer):
    region_code = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    median = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    min = serializers.DecimalField(
        source="minimum", max_digits=6, decimal_places=2, allow_null=True
    )
    max = serializers.DecimalField(
        source="maximum", max_digits=6, decimal_places=2, allow_null=True
    )
    grades = ResultGradeSerializer(many=True)
    good_rate = serializers.DecimalField(max_digits=5, decimal_places=1)
    fail_count = serializers.IntegerField()
    # Left out of other rounds' figures: not required in the schema.
    stars = ResultStarsSerializer(
        required=False,
        allow_null=True,
        help_text=_("Star rounds only: the stations by star (five, four, none)."),
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if data.get("stars") is None:  # any other round reads as before
            data.pop("stars", None)
        return data


class RankedStationSerializer(serializers.Serializer):
    evaluation = serializers.IntegerField(source="evaluation_id")
    station = serializers.IntegerField(source="station_id")
    station_name = serializers.CharField(source="station")
    district_code = serializers.CharField()
    district_name = serializers.CharField(source="district")
    town = serializers.CharField(allow_blank=True)
    total_score = serializers.DecimalField(source="total", max_digits=6, decimal_places=2)
    grade = serializers.CharField()
    grade_label = serializers.CharField(source="grade_name")
    district_rank = serializers.IntegerField(allow_null=True)
    city_rank = serializers.IntegerField(allow_null=True)
    # Star rounds only (spec §3): the ranking is by the total with the bonus. Left out of
    # other rounds' rankings, so not required in the schema.
    bonus_score = serializers.DecimalField(
        source="bonus", max_digits=6, decimal_places=2, allow_null=True, required=False
    )
    total_with_bonus = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    star = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text=_("Star rounds only: 5 or 4, or null (no star)."),
    )
    star_label = serializers.CharField(allow_null=True, required=False)
    star_note = serializers.CharField(allow_blank=True, required=False)

    STAR_FIELDS = ("bonus_score", "total_with_bonus", "star", "star_label", "star_note")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not getattr(instance, "star_round", False):  # any other round reads as before
            for name in self.STAR_FIELDS:
                data.pop(name, None)
        return data


class RoundDistrictResultsSerializer(ResultFiguresSerializer):
    ranking = RankedStationSerializer(many=True)


class RoundResultsSerializer(serializers.Serializer):
    """A round's final results (evaluation/reports.py ``round_results``, as the results page
    reads them): the city's figures (null for a caller who reads no final result), each
    district's figures with its ranking, and the ranking in the city."""

    round = serializers.IntegerField(source="round.pk")
    city = ResultFiguresSerializer(allow_null=True)
    districts = RoundDistrictResultsSerializer(many=True, source="district_rows")
    ranking = RankedStationSerializer(many=True)


# --- the district assessment (市对区县考核, spec §6) -----------------------------------------


class DistrictAssessmentSchemeSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:districtassessmentscheme-detail")

    class Meta:
        model = DistrictAssessmentScheme
        fields = ["id", "url", "name", "year", "items", "note"]


class DistrictItemScoreSerializer(serializers.Serializer):
    """One item of a county's result, as computed (decimal strings; null: nothing measured)."""

    code = serializers.CharField()
    name = serializers.CharField()
    figure = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    numerator = serializers.CharField(allow_null=True)
    denominator = serializers.CharField(allow_null=True)
    points = serializers.CharField()
    max_points = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class DistrictResultSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:districtresult-detail")
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    year = serializers.IntegerField(source="assessment.year", read_only=True)
    total_score = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    scores = DistrictItemScoreSerializer(many=True, read_only=True)
    figures = serializers.DictField(
        read_only=True,
        help_text=_(
            "Unscored figures: grades (count by grade code), funds (by tier: total and "
            "per_station), newly_certified, newly_certified_previous, stations_operating, "
            "stations_evaluated, population_year."
        ),
    )

    class Meta:
        model = DistrictResult
        fields = [
            "id",
            "url",
            "assessment",
            "year",
            "region",
            "region_code",
            "region_name",
            "total_score",
            "rank",
            "scores",
            "figures",
        ]
        read_only_fields = fields


class DistrictAssessmentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:districtassessment-detail")
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)

    class Meta:
        model = DistrictAssessment
        fields = [
            "id",
            "url",
            "year",
            "snapshot_date",
            "scheme",
            "scheme_name",
            "evaluation_round",
            "status",
            "computed_at",
            "published_on",
            "note",
        ]
        read_only_fields = ["scheme", "status", "computed_at", "published_on"]


class DistrictAssessmentDetailSerializer(DistrictAssessmentSerializer):
    results = serializers.SerializerMethodField()

    class Meta(DistrictAssessmentSerializer.Meta):
        fields = [*DistrictAssessmentSerializer.Meta.fields, "results"]

    @extend_schema_field(DistrictResultSerializer(many=True))
    def get_results(self, obj: DistrictAssessment) -> list[dict[str, Any]]:
        request = self.context["request"]
        results = (
            selectors.district_result_list(actor=request.user)
            .filter(assessment=obj)
            .order_by("rank", "region__code")
        )
        return list(DistrictResultSerializer(results, many=True, context=self.context).data)
