"""API of the indicator sets (issue 15). Reads go through selectors.py, writes through
services.py, so the pages and the API share every rule."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ServiceModelViewSet
from swstation.evaluation import filtersets, selectors, services
from swstation.evaluation.api import serializers as evaluation_serializers
from swstation.evaluation.models import Dimension, Indicator, IndicatorSet

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
