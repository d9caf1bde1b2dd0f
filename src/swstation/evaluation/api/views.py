"""API of the evaluation (issue 15): the indicator sets, the rounds, each station's evaluation
and its scores, evidence, log and published results, the rectification items and the
evaluators. Reads go through selectors.py, writes through services.py, so the pages and the
API share every rule."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.schema import CONFLICT_RESPONSE, transition_responses
from swstation.core.api.viewsets import ScopedModelViewSet, ServiceModelViewSet
from swstation.core.permissions import user_has_role
from swstation.core.roles import CITY_ADMIN_ONLY
from swstation.core.transitions import StateConflict
from swstation.evaluation import filtersets, reports, selectors, services
from swstation.evaluation.api import serializers as evaluation_serializers
from swstation.evaluation.models import (
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
    Indicator,
    IndicatorScore,
    IndicatorSet,
    Questionnaire,
    RectificationItem,
    StakeholderRating,
    StationEvaluation,
    StationEvaluationRevision,
    SurveyAnswer,
    SurveyAttempt,
    SurveyRespondent,
    SurveySample,
)

SET_ACTIONS = {"copy": "add", "publish": "change"}


class IndicatorSetViewSet(ServiceModelViewSet):
    """Evaluation standards (评估标准) by version: ``name``, ``version`` (1, 2… within a name),
    ``status`` (``draft``/``published``), ``total_points`` (a decimal string; 100 to publish).
    The detail nests the tree: ``dimensions`` in order, each with its ``indicators`` (points,
    ``rule_type`` and ``rule_params``, ``evidence``, ``source``: the records an automatic
    indicator is computed from, "" when scored by hand). Every role reads; the city bureau
    writes, and only drafts: a published version never changes (409).
    ``POST …/{id}/copy/`` (optional ``name``) makes the next version as a draft with every
    dimension and indicator; ``POST …/{id}/publish/`` publishes a draft whose indicators add
    up to each dimension and dimensions to 100 (400 naming each dimension that is off).
    Filters: ``status``, ``q``."""

    model = IndicatorSet
    serializer_class = evaluation_serializers.IndicatorSetSerializer
    filterset_class = filtersets.IndicatorSetFilterSet
    ordering_fields = ["name", "version", "published_on"]
    create_service = services.indicator_set_create
    update_service = services.indicator_set_update
    record_keyword = "indicator_set"

    @property
    def permission_action(self) -> str | None:
        return SET_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[IndicatorSet]:
        if getattr(self, "action", None) == "list":
            return selectors.indicator_set_list(actor=self.request.user)
        return selectors.indicator_set_detail(actor=self.request.user)

    def get_serializer_class(self) -> Any:
        if getattr(self, "action", None) == "list":
            return evaluation_serializers.IndicatorSetSerializer
        return evaluation_serializers.IndicatorSetDetailSerializer

    def perform_destroy(self, instance: IndicatorSet) -> None:
        services.indicator_set_delete(actor=self.request.user, indicator_set=instance)

    @extend_schema(
        request=evaluation_serializers.IndicatorSetCopySerializer,
        responses={201: evaluation_serializers.IndicatorSetDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        data = self.validated_body(evaluation_serializers.IndicatorSetCopySerializer)
        copy = services.indicator_set_copy(actor=request.user, source=source, name=data.get("name"))
        fresh = self.get_queryset().get(pk=copy.pk)
        return Response(self.get_serializer(fresh).data, status=201)

    @extend_schema(
        request=None,
        responses=transition_responses(evaluation_serializers.IndicatorSetDetailSerializer),
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        indicator_set = self.get_object()
        return self.answer_with(
            services.indicator_set_publish(actor=request.user, indicator_set=indicator_set)
        )


class DimensionViewSet(ServiceModelViewSet):
    """Dimensions (一级指标) of the versions: ``indicator_set``, ``code`` (A, B…), ``order``,
    ``name``, ``points`` (a decimal string). Written by the city bureau in drafts only (409
    for a published version). Filters: ``indicator_set``, ``q``."""

    model = Dimension
    serializer_class = evaluation_serializers.DimensionSerializer
    filterset_class = filtersets.DimensionFilterSet
    ordering_fields = ["order", "code", "points"]
    create_service = services.dimension_create
    update_service = services.dimension_update
    record_keyword = "dimension"

    def get_queryset(self) -> QuerySet[Dimension]:
        return selectors.dimension_list(actor=self.request.user)

    def perform_destroy(self, instance: Dimension) -> None:
        services.dimension_delete(actor=self.request.user, dimension=instance)


class IndicatorViewSet(ServiceModelViewSet):
    """Indicators (二级指标) of the versions: ``dimension``, ``code`` (A1…, unique in a version),
    ``points``, ``rule_type`` (``band``, ``ratio``, ``each``, ``yes_no``, ``manual``) with
    ``rule_params`` of its shape (400 naming what is wrong), ``evidence`` asked, ``source``
    ("" when scored by hand), ``note``. Written by the city bureau in drafts only (409 for a
    published version). Filters: ``indicator_set``, ``dimension``, ``rule_type``, ``source``,
    ``automatic``, ``q``."""

    model = Indicator
    serializer_class = evaluation_serializers.IndicatorSerializer
    filterset_class = filtersets.IndicatorFilterSet
    ordering_fields = ["order", "code", "points"]
    create_service = services.indicator_create
    update_service = services.indicator_update
    record_keyword = "indicator"

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicator_list(actor=self.request.user)

    def perform_destroy(self, instance: Indicator) -> None:
        services.indicator_delete(actor=self.request.user, indicator=instance)


# --- rounds, station evaluations, scores, rectification, evaluators (issue 15; spec §3, §4) ----

# The steps of a station's evaluation are changes of it, whoever takes them (the services check
# who may take which step): the role check of a POST on a record is "change", not "add".
EVALUATION_ACTIONS = {
    "assign": "change",
    "self_submit": "change",
    "submit_scoring": "change",
    "return_": "change",
    "pass_": "change",
    "object_": "change",
    "decide_objection": "change",
    "veto": "change",
}
RECTIFICATION_ACTIONS = {"answer": "change", "verify": "change"}
ROUND_ACTIONS = {"open": "change", "compute": "change", "close": "change", "approve": "change"}


@contextmanager
def _fields_renamed(**names: str) -> Iterator[None]:
    """A service's refusal naming a model field answered under the request's name for it."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc


class EvaluationRoundViewSet(ServiceModelViewSet):
    """Evaluation rounds (评估批次): ``name``, ``kind`` (``annual``, ``mid_term``, ``final``,
    ``star``, ``re_evaluation``), the published ``indicator_set`` it scores with (kept for
    ever), ``period_start`` and ``snapshot_date`` (records counted up to it, entered at most
    ``entry_grace_days`` after), the days of each step, ``status`` (``draft``, ``open``,
    ``closed``), ``opened_on``, ``closed_on``, and ``station_count`` / ``final_count``. Every
    role reads (an evaluator: the rounds of their assignments); the city bureau writes, and
    edits or deletes only a round being prepared (409 after).

    Actions (city bureau, ``POST``, answering the round): ``open/`` (optional ``stations``;
    default every township station operating on the snapshot date), ``compute/`` (the
    automatic values from the records, after ``snapshot_date + entry_grace_days``, in one
    background task: 202, ``computing_since`` set until it is done; again with a ``reason``,
    until the evaluator submits), ``approve/`` (publishes the round's
    evaluations awaiting the city, or the ``evaluations`` given), ``close/`` (when every
    station is final). Filters: ``kind``, ``status``, ``year``, ``q``."""

    model = EvaluationRound
    serializer_class = evaluation_serializers.EvaluationRoundSerializer
    filterset_class = filtersets.EvaluationRoundFilterSet
    ordering_fields = ["snapshot_date", "period_start", "name"]
    create_service = services.round_create
    update_service = services.round_update
    delete_service = services.round_delete
    record_keyword = "round"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def permission_action(self) -> str | None:
        return ROUND_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[EvaluationRound]:
        return selectors.round_list(actor=self.request.user)

    @extend_schema(
        request=evaluation_serializers.RoundOpenSerializer,
        responses=transition_responses(evaluation_serializers.EvaluationRoundSerializer),
    )
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        data = self.validated_body(evaluation_serializers.RoundOpenSerializer)
        return self.answer_with(
            services.round_open(actor=request.user, round=round_, stations=data.get("stations"))
        )

    @extend_schema(
        request=evaluation_serializers.RoundComputeSerializer,
        responses={202: evaluation_serializers.EvaluationRoundSerializer, 409: CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk: str | None = None) -> Response:
        """Queues the computation (one background task for the whole round): 202 with the
        round, whose ``computing_since`` is set until the task is done."""
        round_ = self.get_object()
        data = self.validated_body(evaluation_serializers.RoundComputeSerializer)
        services.evaluation_compute_request(
            actor=request.user, round=round_, reason=data.get("reason") or ""
        )
        response = self.answer_with(round_)
        response.status_code = status.HTTP_202_ACCEPTED
        return response

    @extend_schema(
        request=evaluation_serializers.RoundApproveSerializer,
        responses=transition_responses(evaluation_serializers.EvaluationRoundSerializer),
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        data = self.validated_body(evaluation_serializers.RoundApproveSerializer)
        evaluations = data.get("evaluations")
        if evaluations is None:
            evaluations = list(
                selectors.evaluation_list(actor=request.user)
                .filter(round=round_, status=EvaluationStatus.CITY_APPROVAL)
                .order_by("pk")
            )
            if not evaluations:
                raise StateConflict(_("No station of this round awaits the city's approval."))
        elif not evaluations or any(e.round_id != round_.pk for e in evaluations):
            raise serializers.ValidationError(
                {"evaluations": [_("Choose station evaluations of this round.")]}
            )
        services.city_approve(
            actor=request.user, evaluations=evaluations, reason=data.get("reason") or ""
        )
        return self.answer_with(round_)

    @extend_schema(
        request=None,
        responses=transition_responses(evaluation_serializers.EvaluationRoundSerializer),
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        round_ = self.get_object()
        return self.answer_with(services.round_close(actor=request.user, round=round_))

    @extend_schema(request=None, responses=evaluation_serializers.RoundResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """The round's final results by district and for the city (stations evaluated, mean,
        median, lowest and highest total, grades with their share, 优良率, 不合格) and the
        ranking of the stations the caller sees, in the city and in each district — what the
        round's results page shows (evaluation/reports.py)."""
        round_ = self.get_object()
        results = reports.round_results(actor=request.user, round=round_)
        return Response(evaluation_serializers.RoundResultsSerializer(results).data)


@extend_schema_view(create=extend_schema(exclude=True))
class StationEvaluationViewSet(ServiceModelViewSet):
    """The evaluation of each station in each round: ``round``, ``station``, ``region_code``,
    ``status`` (``open``, ``self_assessment``, ``scoring``, ``district_review``,
    ``city_approval``, ``published``, ``objection``, ``final``), the assigned ``evaluator``,
    ``total_score`` (a decimal string) and ``grade`` (``excellent``, ``good``, ``pass``,
    ``fail``) — null until the caller may see them: a station sees its result from
    publication —, the due dates of each step, ``veto``, ``published_at``,
    ``objection_until``, ``final_on``, ``payment_hold``. Read by jurisdiction; an evaluator
    reads only the stations assigned to them. The detail nests the scorecard (``scores``: each
    indicator's automatic, self, evaluator's and final score and the notes; a column the
    caller may not read yet is null) and, once final, ``district_rank`` and ``city_rank``.

    Each step is a ``POST`` on the evaluation, answering it (403 for a role that does not take
    the step, 409 when the evaluation is not at that step, 400 naming the field):
    ``assign/`` (city: ``evaluator``), ``self-submit/`` (station manager),
    ``submit-scoring/`` (the assigned evaluator: ``site_visit_on``, ``site_findings``),
    ``veto/`` (evaluator: ``veto``, ``reason``), ``return/`` (district: ``comment``; city:
    ``to`` and ``comment``), ``pass/`` (district), ``object/`` (station manager, within the
    window: ``objection``), ``decide-objection/`` (city: ``upheld``, ``reason``, and the
    different ``evaluator`` when upheld). The city approves on the round
    (``/api/v1/evaluation-rounds/{id}/approve/``). Filters: ``round``, ``station``,
    ``region_code`` (prefix), ``status``, ``grade``, ``evaluator``, ``q``."""

    model = StationEvaluation
    serializer_class = evaluation_serializers.StationEvaluationSerializer
    filterset_class = filtersets.StationEvaluationFilterSet
    ordering_fields = ["region_code", "status", "published_at", "final_on"]
    http_method_names = ["get", "post", "head", "options"]
    record_keyword = "evaluation"

    @property
    def permission_action(self) -> str | None:
        return EVALUATION_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[StationEvaluation]:
        return selectors.evaluation_list(actor=self.request.user)

    def get_serializer_class(self) -> Any:
        if getattr(self, "action", None) == "retrieve":
            return evaluation_serializers.StationEvaluationDetailSerializer
        return evaluation_serializers.StationEvaluationSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # A round's evaluations are made when the city opens it (``…/{id}/open/``).
        raise MethodNotAllowed("POST", _("A station's evaluation is made by opening its round."))

    @extend_schema(
        request=evaluation_serializers.AssignSerializer,
        responses=transition_responses(evaluation_serializers.StationEvaluationSerializer),
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = self.validated_body(evaluation_serializers.AssignSerializer)
        return self.answer_with(
            services.evaluator_assign(
                actor=request.user, evaluation=evaluation, evaluator=data["evaluator"]
            )
        )

    @extend_schema(
        request=None,
        responses=transition_responses(evaluation_serializers.StationEvaluationSerializer),
    )
    @action(detail=True, methods=["post"], url_path="self-submit")
    def self_submit(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        return self.answer_with(services.self_submit(actor=request.user, evaluation=evaluation))

    @extend_schema(
        request=evaluation_serializers.SubmitScoringSerializer,
        responses=transition_responses(evaluation_serializers.StationEvaluationSerializer),
    )
    @action(detail=True, methods=["post"], url_path="submit-scoring")
    def submit_scoring(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = self.validated_body(evaluation_serializers.SubmitScoringSerializer)
        return self.answer_with(
            services.scoring_submit(
                actor=request.user,
                evaluation=evaluation,
                site_visit_on=data.get("site_visit_on"),
                site_findings=data.get("site_findings") or "",
            )
        )

    @extend_schema(
        request=evaluation_serializers.VetoSerializer,
        responses=transition_responses(evaluation_serializers.StationEvaluationSerializer),
    )
    @action(detail=True, methods=["post"])
    def veto(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = self.validated_body(evaluation_serializers.VetoSerializer)
        with _fields_renamed(veto_reason="reason"):
            services.veto_set(
                actor=request.user,
                evaluation=evaluation,
                veto=data["veto"],
                reason=data.get("reason") or "",
            )
        return self.answer_with(evaluation)

    @extend_schema(
        request=evaluation_serializers.ReturnSerializer,
        responses=transition_responses(evaluation_serializers.StationEvaluationSerializer),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = self.validated_body(evaluation_serializers.ReturnSerializer)
        comment = data.get("comment") or ""
        if user_has_role(request.user, CITY_ADMIN_ONLY):
            services.city_return(
                actor=request.user, evaluation=evaluation, to=data.get("to") or "", comment=comment
            )
        else:
            services.review_return(actor=request.user, evaluation=evaluation, comment=comment)
        return self.answer_with(evaluation)

    @extend_schema(
        request=None,
        responses=transition_responses(evaluation_serializers.StationEvaluationSerializer),
    )
    @action(detail=True, methods=["post"], url_path="pass", url_name="pass")
    def pass_(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        return self.answer_with(services.review_pass(actor=request.user, evaluation=evaluation))

    @extend_schema(
        request=evaluation_serializers.ObjectionSerializer,
        responses=transition_responses(evaluation_serializers.StationEvaluationSerializer),
    )
    @action(detail=True, methods=["post"], url_path="object", url_name="object")
    def object_(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = self.validated_body(evaluation_serializers.ObjectionSerializer)
        return self.answer_with(
            services.objection_file(
                actor=request.user, evaluation=evaluation, objection=data["objection"]
            )
        )

    @extend_schema(
        request=evaluation_serializers.DecideObjectionSerializer,
        responses=transition_responses(evaluation_serializers.StationEvaluationSerializer),
    )
    @action(detail=True, methods=["post"], url_path="decide-objection")
    def decide_objection(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self.get_object()
        data = self.validated_body(evaluation_serializers.DecideObjectionSerializer)
        return self.answer_with(
            services.objection_decide(
                actor=request.user,
                evaluation=evaluation,
                upheld=data["upheld"],
                reason=data.get("reason") or "",
                evaluator=data.get("evaluator"),
            )
        )


# Which service writes which fields of an indicator score (spec §4: each column its author).
SELF_FIELDS = frozenset({"self_score", "self_note"})
EVALUATOR_FIELDS = frozenset({"evaluator_score", "override_reason", "finding"})
DISTRICT_FIELDS = frozenset({"district_comment"})


class IndicatorScoreViewSet(ScopedModelViewSet):
    """The indicators of the station evaluations (one row per indicator of the round's
    standard): ``indicator_code``, ``points``, the ``measured_value`` with its ``numerator``,
    ``denominator`` and ``measure_detail``, ``auto_score`` and ``auto_note``, the station's
    ``self_score`` and ``self_note``, the evaluator's ``evaluator_score``,
    ``override_reason`` and ``finding``, the district's ``district_comment`` and the
    ``final_score``; a column the caller may not read yet is null (spec §4). Read like the
    evaluations; written by ``PATCH``, each part by its author at its step: the station
    manager's self-score during the self-assessment, the assigned evaluator's score during
    the scoring (a changed automatic score needs ``override_reason``, a score below the
    points a ``finding``), the district's comment during its review. Fields of two parts in
    one request are refused (400); a published score never changes (409). Filters:
    ``evaluation``, ``round``, ``indicator_code``, ``region_code``, ``q``."""

    model = IndicatorScore
    serializer_class = evaluation_serializers.IndicatorScoreSerializer
    filterset_class = filtersets.IndicatorScoreFilterSet
    ordering_fields = ["indicator__code"]
    select_related = ("evaluation", "indicator", "indicator__dimension")
    http_method_names = ["get", "patch", "head", "options"]

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        score: IndicatorScore = serializer.instance  # type: ignore[assignment]
        data = dict(serializer.validated_data)
        parts = [
            fields
            for fields in (SELF_FIELDS, EVALUATOR_FIELDS, DISTRICT_FIELDS)
            if fields & data.keys()
        ]
        if len(parts) > 1:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _(
                            "Send the station's, the evaluator's or the district's fields, "
                            "not several of them at once."
                        )
                    ]
                }
            )
        serializer.instance = self._route(score, data, parts[0] if parts else frozenset())
        return serializer.instance

    def _route(self, score: IndicatorScore, data: dict[str, Any], part: frozenset[str]) -> Any:
        actor = self.request.user
        if not part:
            return score
        if part is SELF_FIELDS:
            return services.self_score_set(
                actor=actor,
                score=score,
                self_score=data.get("self_score", score.self_score),
                self_note=_text(data, "self_note", score.self_note),
            )
        if part is EVALUATOR_FIELDS:
            return services.score_set(
                actor=actor,
                score=score,
                evaluator_score=data.get("evaluator_score", score.evaluator_score),
                override_reason=_text(data, "override_reason", score.override_reason),
                finding=_text(data, "finding", score.finding),
            )
        with _fields_renamed(comment="district_comment"):
            return services.review_comment(
                actor=actor, score=score, comment=_text(data, "district_comment", "")
            )


def _text(data: dict[str, Any], name: str, default: str) -> str:
    value = data.get(name, default)
    return value if isinstance(value, str) else ""


class EvaluationEvidenceViewSet(ScopedModelViewSet):
    """Evidence files (佐证材料) of an indicator score: ``score``, ``title``, ``file`` (a
    multipart upload: JPEG, PNG, PDF, Word, Excel, at most 10 MB). Added by the station's
    manager and social workers during the self-assessment or the scoring, deleted during the
    self-assessment. Filters: ``score``, ``evaluation``, ``q``."""

    model = EvaluationEvidence
    serializer_class = evaluation_serializers.EvaluationEvidenceSerializer
    filterset_class = filtersets.EvaluationEvidenceFilterSet
    ordering_fields = ["title"]
    select_related = ("score__indicator",)
    http_method_names = ["get", "post", "delete", "head", "options"]

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        evidence = services.evidence_add(
            actor=self.request.user, score=data["score"], title=data["title"], file=data["file"]
        )
        serializer.instance = evidence
        return evidence

    def perform_destroy(self, instance: EvaluationEvidence) -> None:
        services.evidence_delete(actor=self.request.user, evidence=instance)


class EvaluationEventViewSet(ScopedModelViewSet):
    """The log of each evaluation (read only): ``kind`` of step, ``actor``, ``indicator``,
    ``note`` and ``data`` (old and new values, inputs). The note and data of a scoring step
    are null while the caller may not read the evaluator's scores. Filters: ``evaluation``,
    ``kind``, ``q``."""

    model = EvaluationEvent
    serializer_class = evaluation_serializers.EvaluationEventSerializer
    filterset_class = filtersets.EvaluationEventFilterSet
    ordering_fields = ["created_at"]
    select_related = ("evaluation", "actor", "indicator")
    http_method_names = ["get", "head", "options"]


class StationEvaluationRevisionViewSet(ScopedModelViewSet):
    """The published results of each evaluation (read only): revision ``number`` 1 at the
    first publication, n+1 after an upheld objection; ``total_score``, ``grade``, ``scores``
    by indicator code, ``reason``, ``approved_by``, ``published_on``. A published result never
    changes. Filters: ``evaluation``, ``round``, ``q``."""

    model = StationEvaluationRevision
    serializer_class = evaluation_serializers.StationEvaluationRevisionSerializer
    filterset_class = filtersets.StationEvaluationRevisionFilterSet
    ordering_fields = ["published_on", "number"]
    select_related = ("approved_by",)
    http_method_names = ["get", "head", "options"]


class RectificationItemViewSet(ServiceModelViewSet):
    """Rectification items (整改): ``evaluation``, ``station``, ``indicator``, ``finding``,
    ``required_action``, ``status`` (``proposed``, ``issued``, ``answered``, ``closed``,
    ``reopened``), ``original_due_on``, ``due_on``, ``is_overdue`` (still open after its due
    date), the station's ``answer``, the district's ``verify_comment``, ``closed_on_time``.
    Proposed by the platform for every indicator under 60 % of its points; added (``POST``)
    by the assigned evaluator while scoring or the district while reviewing; issued when the
    result is final. ``POST …/{id}/answer/`` (station manager: ``answer``),
    ``POST …/{id}/verify/`` (district: ``accept``, ``comment`` required when not accepted:
    reopened for 30 days more). Filters: ``round``, ``station``, ``region_code``, ``status``,
    ``overdue``, ``q``."""

    model = RectificationItem
    serializer_class = evaluation_serializers.RectificationItemSerializer
    filterset_class = filtersets.RectificationItemFilterSet
    ordering_fields = ["due_on", "status"]
    http_method_names = ["get", "post", "head", "options"]
    record_keyword = "item"

    @property
    def permission_action(self) -> str | None:
        return RECTIFICATION_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[RectificationItem]:
        return selectors.rectification_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        item = services.rectification_add(
            actor=self.request.user,
            evaluation=data["evaluation"],
            finding=data.get("finding") or "",
            required_action=data.get("required_action") or "",
            indicator=data.get("indicator"),
        )
        serializer.instance = item
        return item

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        super().perform_create(serializer)
        # The answer as the list reads it (with ``is_overdue``).
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)  # type: ignore[union-attr]

    @extend_schema(
        request=evaluation_serializers.RectificationAnswerSerializer,
        responses=transition_responses(evaluation_serializers.RectificationItemSerializer),
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        data = self.validated_body(evaluation_serializers.RectificationAnswerSerializer)
        return self.answer_with(
            services.rectification_answer(actor=request.user, item=item, answer=data["answer"])
        )

    @extend_schema(
        request=evaluation_serializers.RectificationVerifySerializer,
        responses=transition_responses(evaluation_serializers.RectificationItemSerializer),
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        data = self.validated_body(evaluation_serializers.RectificationVerifySerializer)
        return self.answer_with(
            services.rectification_verify(
                actor=request.user,
                item=item,
                accept=data["accept"],
                comment=data.get("comment") or "",
            )
        )


class EvaluatorViewSet(ServiceModelViewSet):
    """Third-party evaluators (第三方评估人员): a ``user`` with the role ``evaluator``, the
    ``agency`` they work for (null: an independent expert; never assigned a station their
    agency operates or holds a contract with) and ``qualification``. Read by the bureaus (an
    evaluator reads their own), written by the city bureau. Filters: ``q``."""

    model = Evaluator
    serializer_class = evaluation_serializers.EvaluatorSerializer
    filterset_class = filtersets.EvaluatorFilterSet
    ordering_fields = ["user__username"]
    create_service = services.evaluator_create
    update_service = services.evaluator_update
    record_keyword = "evaluator"

    def get_queryset(self) -> QuerySet[Evaluator]:
        return selectors.evaluator_list(actor=self.request.user)


# --- surveys, stakeholders' forms and complaints (spec §5) ---------------------------------------
# The respondents, attempts, answers, samples and stakeholders' forms are read by the bureaus
# in scope and by the station's evaluator only (403 to the station's staff and supervisors);
# the follow-ups are written by the evaluator and the district, the forms by the district, the
# complaints by the bureaus, each through its service (services/surveys.py).

READ_ONLY = ["get", "head", "options"]


class QuestionnaireViewSet(ScopedModelViewSet):
    """The survey's questions as versioned data (``items``: V0, S1–S6, W1–W5 and the
    stakeholders' R1–R5), read by every role. Filters: ``status``, ``q``."""

    model = Questionnaire
    serializer_class = evaluation_serializers.QuestionnaireSerializer
    filterset_class = filtersets.QuestionnaireFilterSet
    ordering_fields = ["name", "version"]
    http_method_names = READ_ONLY

    def get_queryset(self) -> QuerySet[Questionnaire]:
        return selectors.questionnaire_list(actor=self.request.user)


class SurveySampleViewSet(ServiceModelViewSet):
    """The survey sample of each station evaluation: ``population`` (N), ``sample_size`` (n),
    ``home_visits``, ``seed``, ``strata``, ``stakeholder_villages`` (the village committees'
    division codes drawn for the H3 forms). ``POST`` draws the sample of an ``evaluation``
    (once, while it is in the self-assessment or the scoring; the city, the district officer
    of the county or the assigned evaluator; optional ``questionnaire``, default the latest
    published), with the round's survey parameters: 201 with the sample, 409 when drawn
    already or out of step. Filters: ``evaluation``, ``round``, ``region_code``, ``q``."""

    model = SurveySample
    serializer_class = evaluation_serializers.SurveySampleSerializer
    filterset_class = filtersets.SurveySampleFilterSet
    ordering_fields = ["drawn_at"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[SurveySample]:
        return selectors.survey_sample_list(actor=self.request.user)

    @extend_schema(
        request=evaluation_serializers.SurveyDrawSerializer,
        responses={201: evaluation_serializers.SurveySampleSerializer, 409: CONFLICT_RESPONSE},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.validated_body(evaluation_serializers.SurveyDrawSerializer)
        sample = services.survey_draw(
            actor=request.user,
            evaluation=data["evaluation"],
            questionnaire=data.get("questionnaire"),
        )
        response = self.answer_with(sample)
        response.status_code = status.HTTP_201_CREATED
        return response


# The follow-up of a respondent is a change of it, whoever makes it (the service checks who):
# the role check of these POSTs is "change" (SURVEYORS: the evaluator and the district).
RESPONDENT_ACTIONS = {"attempt": "change", "answer": "change", "reveal_contact": "change"}


@extend_schema_view(create=extend_schema(exclude=True))
class SurveyRespondentViewSet(ServiceModelViewSet):
    """The drawn respondents in the seeded random order: ``name`` (masked for an evaluator;
    never a phone or an address), ``stratum``, ``order``, ``is_reserve``, ``active``,
    ``mode``, ``status``, ``replaced_by``. Filters: ``evaluation``, ``round``, ``status``,
    ``mode``, ``is_reserve``, ``active``.

    The follow-up, by the assigned evaluator or a district officer of the county while the
    survey is open (403 for any other role: a station cannot survey itself; 409 when the
    respondent's follow-up is over or the evaluation out of step; 400 naming the field):
    ``POST …/{id}/attempt/`` (``attempted_on``, ``outcome``: ``no_answer``, ``call_back``,
    ``refused``, ``ineligible`` with a ``note``; ``mode``) answers the respondent — after the
    round's ``survey_attempts`` failed attempts on ``survey_attempt_days`` days, a refusal or
    an ineligible person, their ``status`` changes and ``replaced_by`` names the reserve of
    the stratum that takes their place; ``POST …/{id}/answer/`` (``answered_on``,
    ``service_confirmed`` and ``service_described`` (V0), ``s1``…``s6`` 1–5 or null for
    不适用, ``w1``…``w5``, ``note``, ``mode``) enters or corrects the answers and answers them
    (with ``satisfaction_index``, ``effectively_aware``); H1–H3 follow at once.
    ``POST …/{id}/reveal-contact/`` (``field``: ``phone`` or ``address``) gives the surveyor
    the phone or address of one respondent still to be followed up, each call logged."""

    model = SurveyRespondent
    serializer_class = evaluation_serializers.SurveyRespondentSerializer
    filterset_class = filtersets.SurveyRespondentFilterSet
    ordering_fields = ["order"]
    http_method_names = ["get", "post", "head", "options"]
    reading_actions = frozenset({"reveal_contact"})

    @property
    def permission_action(self) -> str | None:
        return RESPONDENT_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[SurveyRespondent]:
        return selectors.survey_respondent_list(actor=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The respondents are drawn with the sample (``/api/v1/survey-samples/``).
        raise MethodNotAllowed("POST", _("The respondents are drawn with the survey sample."))

    @extend_schema(
        request=evaluation_serializers.SurveyAttemptInputSerializer,
        responses=transition_responses(evaluation_serializers.SurveyRespondentSerializer),
    )
    @action(detail=True, methods=["post"])
    def attempt(self, request: Request, pk: str | None = None) -> Response:
        respondent = self.get_object()
        data = self.validated_body(evaluation_serializers.SurveyAttemptInputSerializer)
        services.survey_attempt_record(
            actor=request.user,
            respondent=respondent,
            attempted_on=data["attempted_on"],
            outcome=data["outcome"],
            note=data.get("note") or "",
            mode=data.get("mode") or "",
        )
        return self.answer_with(respondent)

    @extend_schema(
        request=evaluation_serializers.SurveyAnswerInputSerializer,
        responses=transition_responses(evaluation_serializers.SurveyAnswerSerializer),
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        respondent = self.get_object()
        data = self.validated_body(evaluation_serializers.SurveyAnswerInputSerializer)
        for name in services.SATISFACTION_FIELDS:
            data.setdefault(name, None)  # left out: not applicable
        if not data.get("mode"):
            data.pop("mode", None)
        answer = services.survey_answer_enter(actor=request.user, respondent=respondent, **data)
        fresh = selectors.survey_answer_list(actor=request.user).get(pk=answer.pk)
        return Response(
            evaluation_serializers.SurveyAnswerSerializer(
                fresh, context=self.get_serializer_context()
            ).data
        )

    @extend_schema(
        request=evaluation_serializers.RevealContactSerializer,
        responses={200: evaluation_serializers.RevealedContactSerializer, 409: CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["post"], url_path="reveal-contact")
    def reveal_contact(self, request: Request, pk: str | None = None) -> Response:
        respondent = self.get_object()
        data = self.validated_body(evaluation_serializers.RevealContactSerializer)
        field = data.get("field") or ""
        value = services.respondent_contact_reveal(
            actor=request.user, respondent=respondent, field=field
        )
        shown = field or ("address" if respondent.mode == "home" else "phone")
        return Response({"id": respondent.pk, "field": shown, "value": value})


class SurveyAttemptViewSet(ScopedModelViewSet):
    """Every contact made with a respondent: ``attempted_on``, ``mode``, ``outcome``,
    ``note``. Filters: ``evaluation``, ``respondent``, ``outcome``, ``mode``, ``q``."""

    model = SurveyAttempt
    serializer_class = evaluation_serializers.SurveyAttemptSerializer
    filterset_class = filtersets.SurveyAttemptFilterSet
    ordering_fields = ["attempted_on"]
    http_method_names = READ_ONLY

    def get_queryset(self) -> QuerySet[SurveyAttempt]:
        return selectors.survey_attempt_list(actor=self.request.user)


class SurveyAnswerViewSet(ScopedModelViewSet):
    """The answers of completed follow-ups: V0, S1–S6 (1–5, null: not applicable), W1–W5,
    the ``satisfaction_index`` (0–100) and ``effectively_aware``. Filters: ``evaluation``,
    ``service_confirmed``, ``effectively_aware``, ``q``."""

    model = SurveyAnswer
    serializer_class = evaluation_serializers.SurveyAnswerSerializer
    filterset_class = filtersets.SurveyAnswerFilterSet
    ordering_fields = ["answered_on"]
    http_method_names = READ_ONLY

    def get_queryset(self) -> QuerySet[SurveyAnswer]:
        return selectors.survey_answer_list(actor=self.request.user)


class StakeholderRatingViewSet(ServiceModelViewSet):
    """The stakeholders' forms (H3) of the township and the village committees: R1–R5 on 5
    points and the form's ``score`` (0–100). The district officer of the county writes them
    while the evaluation is in the self-assessment or the scoring (403 for other roles, 409
    out of step): ``POST`` (``evaluation``, ``rater`` = ``township`` or ``village`` with its
    ``village_code`` among the sample's ``stakeholder_villages``, ``rated_on``, ``r1``…``r5``,
    ``comment``; a form of the same rater and village replaces the earlier one) and ``PATCH``
    (its answers, day and comment). H3 follows at once. Filters: ``evaluation``, ``round``,
    ``rater``, ``q``."""

    model = StakeholderRating
    serializer_class = evaluation_serializers.StakeholderRatingSerializer
    filterset_class = filtersets.StakeholderRatingFilterSet
    ordering_fields = ["rated_on"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[StakeholderRating]:
        return selectors.stakeholder_rating_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        rating = serializer.instance
        if rating is not None:  # a correction: the same form, its answers changed
            data = {
                "evaluation": rating.evaluation,
                "rater": rating.rater,
                "village": rating.village,
                "rated_on": rating.rated_on,
                "comment": rating.comment,
                **{name: getattr(rating, name) for name in services.STAKEHOLDER_FIELDS},
                **data,
            }
        items = {name: data.pop(name, None) for name in services.STAKEHOLDER_FIELDS}
        saved = services.stakeholder_rating_enter(
            actor=self.request.user,
            evaluation=data["evaluation"],
            rater=data["rater"],
            rated_on=data["rated_on"],
            village=data.get("village"),
            comment=data.get("comment") or "",
            **items,
        )
        serializer.instance = saved
        return saved


class ComplaintViewSet(ServiceModelViewSet):
    """Complaints about a station (H5): ``received_on``, ``channel``, ``summary`` (names no
    complainant), ``substantiated`` (null: undecided), ``decided_on``, ``decision_note``.
    The bureaus write, in their jurisdiction (403 for other roles): ``POST`` registers one
    (``station``, ``received_on``, ``channel``, ``summary``), undecided;
    ``POST …/{id}/decide/`` (``substantiated``, ``decision_note``, optional ``decided_on``)
    decides it or corrects the decision (the reason kept in the history). Filters:
    ``station``, ``region_code``, ``channel``, ``substantiated``, ``undecided``, ``year``,
    ``q``."""

    model = Complaint
    serializer_class = evaluation_serializers.ComplaintSerializer
    filterset_class = filtersets.ComplaintFilterSet
    ordering_fields = ["received_on"]
    http_method_names = ["get", "post", "head", "options"]
    create_service = services.complaint_register
    record_keyword = "complaint"

    @property
    def permission_action(self) -> str | None:
        return {"decide": "change"}.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaint_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        try:
            return super().save_object(serializer)
        except PermissionDenied as exc:
            # The role may register (checked before): the station is outside the caller's
            # jurisdiction, a wrong value of the request's field.
            raise DjangoValidationError({"station": [str(exc)]}) from exc

    @extend_schema(
        request=evaluation_serializers.ComplaintDecideSerializer,
        responses=transition_responses(evaluation_serializers.ComplaintSerializer),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        data = self.validated_body(evaluation_serializers.ComplaintDecideSerializer)
        return self.answer_with(
            services.complaint_decide(
                actor=request.user,
                complaint=complaint,
                substantiated=data["substantiated"],
                decision_note=data["decision_note"],
                decided_on=data.get("decided_on"),
            )
        )


# --- the district assessment (市对区县考核, spec §6) -----------------------------------------


class DistrictAssessmentSchemeViewSet(ServiceModelViewSet):
    """District assessment schemes (考核方案), data the city bureau keeps: ``name``, ``year``
    (in force from that year until a later scheme), ``items`` (a list of ``code``, ``name``,
    ``figure`` — ``coverage``, ``compliance``, ``evaluation_mean``, ``good_share``,
    ``failing_stations``, ``rectification_on_time``, ``certified_per_10k``,
    ``village_coverage``, ``funds_in_place`` —, ``points``, ``rule_type`` and ``rule_params``
    as in the indicator sets; the points add up to 100, 400 naming what is wrong), ``note``.
    The bureaus and auditors read; the city bureau writes, and never a scheme a published
    assessment was scored with (409). Filters: ``year``, ``q``."""

    model = DistrictAssessmentScheme
    serializer_class = evaluation_serializers.DistrictAssessmentSchemeSerializer
    filterset_class = filtersets.DistrictAssessmentSchemeFilterSet
    ordering_fields = ["year", "name"]
    create_service = services.district_scheme_create
    update_service = services.district_scheme_update
    delete_service = services.district_scheme_delete
    record_keyword = "scheme"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[DistrictAssessmentScheme]:
        return selectors.district_scheme_list(actor=self.request.user)


ASSESSMENT_ACTIONS = {"compute": "change", "publish": "change"}
ASSESSMENT_DETAIL = evaluation_serializers.DistrictAssessmentDetailSerializer


class DistrictAssessmentViewSet(ServiceModelViewSet):
    """District assessments (市对区县考核), one a year: ``year``, ``snapshot_date`` (in the
    year, not in the future), ``scheme`` (the one in force that year, set by the platform),
    ``evaluation_round`` (the year's annual round, whose final results give the evaluation
    items), ``status`` (``draft``, ``published``), ``computed_at``, ``published_on``. The
    detail nests ``results``: each county the caller sees (a district its own), ranked, with
    every item's ``value``, ``numerator``, ``denominator``, ``points`` and ``max_points``.
    The city bureau sees drafts; the districts and auditors published assessments only.

    Actions (city bureau, ``POST``, drafts only, 409 once published): ``compute/`` (every
    county's figures as of the snapshot, replacing the earlier ones), ``publish/`` (a
    computed draft; frozen for ever). Filters: ``year``, ``status``, ``q``."""

    model = DistrictAssessment
    serializer_class = evaluation_serializers.DistrictAssessmentSerializer
    filterset_class = filtersets.DistrictAssessmentFilterSet
    ordering_fields = ["year", "snapshot_date"]
    create_service = services.district_assessment_create
    update_service = services.district_assessment_update
    delete_service = services.district_assessment_delete
    record_keyword = "assessment"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def permission_action(self) -> str | None:
        return ASSESSMENT_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[DistrictAssessment]:
        return selectors.district_assessment_list(actor=self.request.user)

    def get_serializer_class(self) -> Any:
        if getattr(self, "action", None) in {"retrieve", "compute", "publish"}:
            return evaluation_serializers.DistrictAssessmentDetailSerializer
        return evaluation_serializers.DistrictAssessmentSerializer

    @extend_schema(
        request=None,
        responses=transition_responses(evaluation_serializers.DistrictAssessmentDetailSerializer),
    )
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        return self.answer_with(
            services.district_assessment_compute(actor=request.user, assessment=assessment)
        )

    @extend_schema(
        request=None,
        responses=transition_responses(evaluation_serializers.DistrictAssessmentDetailSerializer),
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        return self.answer_with(
            services.district_assessment_publish(actor=request.user, assessment=assessment)
        )


class DistrictResultViewSet(ScopedModelViewSet):
    """Each county's result in an assessment (read only; written by ``compute``): ``region``
    (``region_code``, ``region_name``), ``year``, ``total_score`` (a decimal string),
    ``rank`` in the city (ties share a place), ``scores`` item by item, ``figures`` (unscored).
    A district reads its own; drafts only the city bureau. Filters: ``assessment``, ``year``,
    ``region_code``, ``q``."""

    model = DistrictResult
    serializer_class = evaluation_serializers.DistrictResultSerializer
    filterset_class = filtersets.DistrictResultFilterSet
    ordering_fields = ["rank", "total_score"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[DistrictResult]:
        return selectors.district_result_list(actor=self.request.user)
