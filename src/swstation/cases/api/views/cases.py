"""API of casework: cases with their stage actions, goals, transfers. Reads go through
selectors/cases.py (a social worker sees their own cases, a supervisor the cases they
supervise), writes through services/cases.py."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.cases.api.serializers import cases as case_serializers
from swstation.cases.filtersets import cases as filtersets
from swstation.cases.models import Case, CaseGoal, CaseStageChange, CaseTransfer
from swstation.cases.selectors import cases as selectors
from swstation.cases.services import cases as services
from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ScopedModelViewSet

__all__ = ["CaseGoalViewSet", "CaseStageChangeViewSet", "CaseTransferViewSet", "CaseViewSet"]

# The role check of each stage action: approving or returning a closure is the supervisor's,
# whose role only reads cases (the service checks that they supervise this case).
ACTION_PERMISSIONS = {
    "advance": "change",
    "request_closure": "change",
    "approve_closure": "view",
    "return_closure": "view",
    "reopen": "change",
    "transfer": "change",
}


class CaseViewSet(ScopedModelViewSet):
    """Cases (个案, MZ/T 094-2017) in the caller's jurisdiction: a social worker sees the cases
    they are responsible for, a supervisor the cases they supervise.

    Creating a case opens it at intake with a generated number (township code, year,
    sequence). The stage moves only through the actions: ``advance/`` (to the next stage, with
    the texts it needs), ``request-closure/`` (at evaluation, with closing summary and reason),
    ``approve-closure/`` and ``return-closure/`` (by the case's supervisor), ``reopen/`` (a
    closed case, with a reason) and ``transfer/`` (to another worker and station). Each answers
    the case, or 400 naming what is missing, or 409 when someone else moved the case on
    meanwhile (of two identical requests sent together, the second).

    Filters: ``stage`` (repeatable), ``station``, ``worker``, ``supervisor``, ``recipient``
    (ids), ``opened_year``, ``closure_pending``, ``closing_reason``, ``region_code``, ``q``
    (number, recipient or worker name), and ``as_of`` (a day): the cases opened by then, with
    ``stage``, ``closed_on`` and ``reopened_count`` as they were that day (the cockpit's
    figures of a past period), ``stage`` and ``region_code`` filtering on them."""

    model = Case
    serializer_class = case_serializers.CaseSerializer
    filterset_class = filtersets.CaseFilterSet
    ordering_fields = ["opened_on", "number", "stage", "closed_on"]

    @property
    def permission_action(self) -> str | None:
        return ACTION_PERMISSIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[Case]:
        return selectors.case_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            case = services.case_open(actor=self.request.user, **data)
        else:
            case = services.case_update(actor=self.request.user, case=serializer.instance, **data)
        serializer.instance = case
        return case

    def _answer(self, case: Case) -> Response:
        case.refresh_from_db()
        return Response(self.get_serializer(case).data)

    def _body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        body = serializer_class(data=self.request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(
        request=case_serializers.CaseAdvanceSerializer,
        responses=transition_responses(case_serializers.CaseSerializer),
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._body(case_serializers.CaseAdvanceSerializer)
        to_stage = data.pop("to_stage")
        return self._answer(
            services.case_advance(actor=request.user, case=case, to_stage=to_stage, **data)
        )

    @extend_schema(
        request=case_serializers.CaseClosureRequestSerializer,
        responses=transition_responses(case_serializers.CaseSerializer),
    )
    @action(detail=True, methods=["post"], url_path="request-closure")
    def request_closure(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._body(case_serializers.CaseClosureRequestSerializer)
        return self._answer(services.case_request_closure(actor=request.user, case=case, **data))

    @extend_schema(
        request=case_serializers.CaseApproveClosureSerializer,
        responses=transition_responses(case_serializers.CaseSerializer),
    )
    @action(detail=True, methods=["post"], url_path="approve-closure")
    def approve_closure(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._body(case_serializers.CaseApproveClosureSerializer)
        return self._answer(services.case_approve_closure(actor=request.user, case=case, **data))

    @extend_schema(
        request=case_serializers.CaseReasonSerializer,
        responses=transition_responses(case_serializers.CaseSerializer),
    )
    @action(detail=True, methods=["post"], url_path="return-closure")
    def return_closure(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._body(case_serializers.CaseReasonSerializer)
        return self._answer(services.case_return_closure(actor=request.user, case=case, **data))

    @extend_schema(
        request=case_serializers.CaseReopenSerializer,
        responses=transition_responses(case_serializers.CaseSerializer),
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._body(case_serializers.CaseReopenSerializer)
        return self._answer(services.case_reopen(actor=request.user, case=case, **data))

    @extend_schema(
        request=case_serializers.CaseTransferRequestSerializer,
        responses=transition_responses(case_serializers.CaseSerializer),
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._body(case_serializers.CaseTransferRequestSerializer)
        services.case_transfer(actor=request.user, case=case, **data)
        case.refresh_from_db()
        return Response(self.get_serializer(case).data)


class CaseGoalViewSet(ScopedModelViewSet):
    """Goals of the case plans (计划): what is to be reached, how, by when, and whether it was.
    A closed case's plan does not change; a case past planning keeps at least one goal."""

    model = CaseGoal
    serializer_class = case_serializers.CaseGoalSerializer
    filterset_class = filtersets.CaseGoalFilterSet
    ordering_fields = ["target_date", "achieved"]

    def get_queryset(self) -> QuerySet[CaseGoal]:
        return selectors.case_goal_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            goal = services.case_goal_create(actor=self.request.user, **data)
        else:
            goal = services.case_goal_update(
                actor=self.request.user, goal=serializer.instance, **data
            )
        serializer.instance = goal
        return goal

    def perform_destroy(self, instance: CaseGoal) -> None:
        services.case_goal_delete(actor=self.request.user, goal=instance)


class CaseTransferViewSet(ScopedModelViewSet):
    """Transfers of cases between workers and stations (read-only: written by the case's
    ``transfer/`` action)."""

    model = CaseTransfer
    serializer_class = case_serializers.CaseTransferSerializer
    filterset_class = filtersets.CaseTransferFilterSet
    ordering_fields = ["transferred_on"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[CaseTransfer]:
        return selectors.case_transfer_list(actor=self.request.user)


class CaseStageChangeViewSet(ScopedModelViewSet):
    """The stage log of cases (issue 18): each case's opening (``from_stage`` empty) and every
    stage change after it, dated. Read-only: written by the case's actions in the same
    transaction as the change. Filters: ``case``, ``recipient`` (IDs), ``station``,
    ``from_stage``/``to_stage``, ``opened``, ``changed_after``/``changed_before``, ``q``."""

    model = CaseStageChange
    serializer_class = case_serializers.CaseStageChangeSerializer
    filterset_class = filtersets.CaseStageChangeFilterSet
    ordering_fields = ["changed_on"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[CaseStageChange]:
        return selectors.case_stage_change_list(actor=self.request.user)
