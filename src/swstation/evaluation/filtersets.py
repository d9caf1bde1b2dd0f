"""Filters of the evaluation's lists (indicator sets, rounds, station evaluations and their
scores, evidence, log and results, rectification, evaluators, surveys and complaints); the
pages and the API share them."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet, IntegerFilter
from swstation.evaluation.models import (
    AssessmentStatus,
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
    Indicator,
    IndicatorScore,
    IndicatorSet,
    IndicatorSource,
    Questionnaire,
    RectificationItem,
    RectificationStatus,
    RoundKind,
    RoundStatus,
    RuleType,
    SetStatus,
    StakeholderRating,
    Star,
    StationEvaluation,
    StationEvaluationRevision,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
)
from swstation.evaluation.models.surveys import (
    AttemptOutcome,
    ComplaintChannel,
    FollowUpMode,
    RaterKind,
    RespondentStatus,
)
from swstation.evaluation.scoring import GRADE_CODES, grade_label
from swstation.evaluation.selectors import district_assessment_list
from swstation.stations.models import Station


def _visible_sets(request: Any) -> QuerySet[IndicatorSet]:
    queryset: QuerySet[IndicatorSet] = IndicatorSet.objects.visible_to(
        getattr(request, "user", None)
    )
    return queryset.order_by("name", "-version")


class IndicatorSetFilterSet(BaseFilterSet):
    search_fields = ("name", "note")

    status = django_filters.ChoiceFilter(choices=SetStatus.choices, label=_("status"))

    class Meta:
        model = IndicatorSet
        fields = ["q", "status"]


class DimensionFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "indicator_set__name")

    indicator_set = django_filters.ModelChoiceFilter(
        queryset=_visible_sets, label=_("indicator set")
    )

    class Meta:
        model = Dimension
        fields = ["q", "indicator_set"]


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "evidence", "note", "dimension__name")

    indicator_set = django_filters.ModelChoiceFilter(
        field_name="dimension__indicator_set", queryset=_visible_sets, label=_("indicator set")
    )
    dimension = django_filters.NumberFilter(label=_("dimension (first-level indicator)"))
    rule_type = django_filters.ChoiceFilter(choices=RuleType.choices, label=_("scoring rule"))
    source = django_filters.ChoiceFilter(choices=IndicatorSource.choices, label=_("computed from"))
    automatic = django_filters.BooleanFilter(
        field_name="source", method="filter_automatic", label=_("computed from the records")
    )

    class Meta:
        model = Indicator
        fields = ["q", "indicator_set", "dimension", "rule_type", "source", "automatic"]

    def filter_automatic(
        self, queryset: QuerySet[Indicator], name: str, value: bool | None
    ) -> QuerySet[Indicator]:
        if value is None:
            return queryset
        return queryset.exclude(source="") if value else queryset.filter(source="")


# --- rounds, station evaluations, rectification -------------------------------------------------

GRADE_CHOICES = [(code, grade_label(code)) for code in GRADE_CODES]


def _visible_rounds(request: Any) -> QuerySet[EvaluationRound]:
    queryset: QuerySet[EvaluationRound] = EvaluationRound.objects.visible_to(
        getattr(request, "user", None)
    )
    return queryset.order_by("-snapshot_date")


def _visible_stations(request: Any) -> QuerySet[Station]:
    queryset: QuerySet[Station] = Station.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("name")


class EvaluationRoundFilterSet(BaseFilterSet):
    search_fields = ("name", "note")

    kind = django_filters.ChoiceFilter(choices=RoundKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, label=_("status"))
    year = django_filters.NumberFilter(field_name="snapshot_date__year", label=_("year"))

    class Meta:
        model = EvaluationRound
        fields = ["q", "kind", "status", "year"]


class StationEvaluationFilterSet(BaseFilterSet):
    search_fields = ("station__name", "round__name")

    round = django_filters.ModelChoiceFilter(queryset=_visible_rounds, label=_("evaluation round"))
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="station__region__code", lookup_expr="startswith", label=_("region code")
    )
    status = django_filters.ChoiceFilter(choices=EvaluationStatus.choices, label=_("status"))
    grade = django_filters.ChoiceFilter(
        field_name="shown_grade", choices=GRADE_CHOICES, label=_("grade")
    )
    star = django_filters.TypedChoiceFilter(
        field_name="shown_star", choices=Star.choices, coerce=int, label=_("star rating")
    )
    evaluator = django_filters.NumberFilter(field_name="evaluator", label=_("evaluator"))

    class Meta:
        model = StationEvaluation
        fields = ["q", "round", "station", "region_code", "status", "grade", "star", "evaluator"]


class RectificationItemFilterSet(BaseFilterSet):
    search_fields = ("finding", "required_action", "evaluation__station__name")

    round = django_filters.ModelChoiceFilter(
        field_name="evaluation__round", queryset=_visible_rounds, label=_("evaluation round")
    )
    station = django_filters.ModelChoiceFilter(
        field_name="evaluation__station", queryset=_visible_stations, label=_("station")
    )
    region_code = django_filters.CharFilter(
        field_name="evaluation__station__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices, label=_("status"))
    overdue = django_filters.BooleanFilter(field_name="is_overdue", label=_("overdue"))

    class Meta:
        model = RectificationItem
        fields = ["q", "round", "station", "region_code", "status", "overdue"]


class EvaluatorFilterSet(BaseFilterSet):
    search_fields = ("user__username", "user__full_name", "agency__name", "qualification")

    class Meta:
        model = Evaluator
        fields = ["q"]


# --- a station evaluation's scores, evidence files, log and published results -------------------


class IndicatorScoreFilterSet(BaseFilterSet):
    search_fields = ("indicator__code", "indicator__name", "evaluation__station__name")

    evaluation = IntegerFilter(min_value=1, label=_("station evaluation"))
    round = IntegerFilter(field_name="evaluation__round", min_value=1, label=_("evaluation round"))
    indicator_code = django_filters.CharFilter(
        field_name="indicator__code", label=_("indicator code")
    )
    region_code = django_filters.CharFilter(
        field_name="evaluation__station__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )

    class Meta:
        model = IndicatorScore
        fields = ["q", "evaluation", "round", "indicator_code", "region_code"]


class EvaluationEvidenceFilterSet(BaseFilterSet):
    search_fields = ("title", "score__indicator__code")

    score = IntegerFilter(min_value=1, label=_("indicator score"))
    evaluation = IntegerFilter(
        field_name="score__evaluation", min_value=1, label=_("station evaluation")
    )

    class Meta:
        model = EvaluationEvidence
        fields = ["q", "score", "evaluation"]


class EvaluationEventFilterSet(BaseFilterSet):
    search_fields = ("note",)

    evaluation = IntegerFilter(min_value=1, label=_("station evaluation"))
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("what"))

    class Meta:
        model = EvaluationEvent
        fields = ["q", "evaluation", "kind"]


class StationEvaluationRevisionFilterSet(BaseFilterSet):
    search_fields = ("reason", "evaluation__station__name")

    evaluation = IntegerFilter(min_value=1, label=_("station evaluation"))
    round = IntegerFilter(field_name="evaluation__round", min_value=1, label=_("evaluation round"))

    class Meta:
        model = StationEvaluationRevision
        fields = ["q", "evaluation", "round"]


# --- surveys, stakeholders' forms and complaints (spec §5) --------------------------------------


class QuestionnaireFilterSet(BaseFilterSet):
    search_fields = ("name", "note")

    status = django_filters.ChoiceFilter(choices=SetStatus.choices, label=_("status"))

    class Meta:
        model = Questionnaire
        fields = ["q", "status"]


class SurveySampleFilterSet(BaseFilterSet):
    search_fields = ("evaluation__station__name", "evaluation__round__name")

    evaluation = IntegerFilter(min_value=1, label=_("station evaluation"))
    round = IntegerFilter(field_name="evaluation__round", min_value=1, label=_("evaluation round"))
    region_code = django_filters.CharFilter(
        field_name="evaluation__station__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )

    class Meta:
        model = SurveySample
        fields = ["q", "evaluation", "round", "region_code"]


class SurveyRespondentFilterSet(BaseFilterSet):
    # No search by the person's name: the list shows it masked to an evaluator, and a search
    # would tell it back letter by letter.
    search_fields = ("sample__evaluation__station__name",)

    evaluation = IntegerFilter(
        field_name="sample__evaluation", min_value=1, label=_("station evaluation")
    )
    round = IntegerFilter(
        field_name="sample__evaluation__round", min_value=1, label=_("evaluation round")
    )
    status = django_filters.ChoiceFilter(choices=RespondentStatus.choices, label=_("status"))
    mode = django_filters.ChoiceFilter(choices=FollowUpMode.choices, label=_("follow-up by"))
    is_reserve = django_filters.BooleanFilter(label=_("reserve"))
    active = django_filters.BooleanFilter(label=_("to be surveyed"))

    class Meta:
        model = SurveyRespondent
        fields = ["q", "evaluation", "round", "status", "mode", "is_reserve", "active"]


class SurveyAttemptFilterSet(BaseFilterSet):
    search_fields = ("note", "respondent__sample__evaluation__station__name")

    evaluation = IntegerFilter(
        field_name="respondent__sample__evaluation", min_value=1, label=_("station evaluation")
    )
    respondent = IntegerFilter(min_value=1, label=_("survey respondent"))
    outcome = django_filters.ChoiceFilter(choices=AttemptOutcome.choices, label=_("outcome"))
    mode = django_filters.ChoiceFilter(choices=FollowUpMode.choices, label=_("by"))

    class Meta:
        model = SurveyAttempt
        fields = ["q", "evaluation", "respondent", "outcome", "mode"]


class SurveyAnswerFilterSet(BaseFilterSet):
    search_fields = ("note", "respondent__sample__evaluation__station__name")

    evaluation = IntegerFilter(
        field_name="respondent__sample__evaluation", min_value=1, label=_("station evaluation")
    )
    service_confirmed = django_filters.BooleanFilter(label=_("V0 service confirmed"))
    effectively_aware = django_filters.BooleanFilter(label=_("effective awareness"))

    class Meta:
        model = SurveyAnswer
        fields = ["q", "evaluation", "service_confirmed", "effectively_aware"]


class StakeholderRatingFilterSet(BaseFilterSet):
    search_fields = ("evaluation__station__name", "village__name", "comment")

    evaluation = IntegerFilter(min_value=1, label=_("station evaluation"))
    round = IntegerFilter(field_name="evaluation__round", min_value=1, label=_("evaluation round"))
    rater = django_filters.ChoiceFilter(choices=RaterKind.choices, label=_("rater"))

    class Meta:
        model = StakeholderRating
        fields = ["q", "evaluation", "round", "rater"]


class ComplaintFilterSet(BaseFilterSet):
    search_fields = ("summary", "station__name")

    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="station__region__code", lookup_expr="startswith", label=_("region code")
    )
    channel = django_filters.ChoiceFilter(choices=ComplaintChannel.choices, label=_("channel"))
    substantiated = django_filters.BooleanFilter(label=_("substantiated"))
    undecided = django_filters.BooleanFilter(
        field_name="decided_on", lookup_expr="isnull", label=_("undecided")
    )
    year = django_filters.NumberFilter(field_name="received_on__year", label=_("year"))

    class Meta:
        model = Complaint
        fields = ["q", "station", "region_code", "channel", "substantiated", "undecided", "year"]


class DistrictAssessmentSchemeFilterSet(BaseFilterSet):
    search_fields = ("name", "note")

    class Meta:
        model = DistrictAssessmentScheme
        fields = ["q", "year"]


class DistrictAssessmentFilterSet(BaseFilterSet):
    search_fields = ("note",)

    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label=_("status"))

    class Meta:
        model = DistrictAssessment
        fields = ["q", "year", "status"]


def _visible_assessments(request: Any) -> QuerySet[DistrictAssessment]:
    """The assessments the user sees (a district: the published ones), for the choice."""
    user = getattr(request, "user", None)
    if user is None:
        return DistrictAssessment.objects.none()
    return district_assessment_list(actor=user).order_by("-year")


class DistrictResultFilterSet(BaseFilterSet):
    search_fields = ("region__name",)

    assessment = django_filters.ModelChoiceFilter(
        queryset=_visible_assessments, label=_("district assessment")
    )

    year = django_filters.NumberFilter(field_name="assessment__year", label=_("assessment year"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = DistrictResult
        fields = ["q", "assessment", "year", "region_code"]
