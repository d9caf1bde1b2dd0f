"""API of the partners, resources and referrals (issue 13). Reads go through selectors.py,
writes through services.py, so the pages and the API share every rule."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ServiceModelViewSet
from swstation.linkage import filtersets, selectors, services
from swstation.linkage.api import serializers as linkage_serializers
from swstation.linkage.models import Partner, Referral, Resource


class PartnerViewSet(ServiceModelViewSet):
    """Partners of the stations (合作伙伴), by ``kind``: ``social_org`` (the service agencies
    among them, ``agency``), ``enterprise``, ``charity``, ``government`` (with a
    ``department``), ``school``, ``hospital``, ``elderly_care``, ``self_governance``,
    ``other``; registered at ``region_code`` and serving the villages ``serves``. A higher
    level's partners are read below. ``contact_phone`` is masked for auditors. Filters:
    ``kind``, ``department``, ``region_code`` (the partners for a region), ``station``,
    ``active``, ``q``."""

    model = Partner
    serializer_class = linkage_serializers.PartnerSerializer
    filterset_class = filtersets.PartnerFilterSet
    ordering_fields = ["name", "kind"]
    create_service = services.partner_create
    update_service = services.partner_update
    record_keyword = "partner"

    def get_queryset(self) -> QuerySet[Partner]:
        return selectors.partner_list(actor=self.request.user).prefetch_related("serves")

    def perform_destroy(self, instance: Partner) -> None:
        services.partner_delete(actor=self.request.user, partner=instance)


class ResourceViewSet(ServiceModelViewSet):
    """What partners offer (the catalogue): ``kind`` (``services``, ``goods``, ``money``,
    ``venue``, ``volunteers``, ``jobs``), ``capacity`` (with its ``capacity_unit``; null: not
    limited), ``valid_from``/``valid_to``. Filters: ``kind``, ``partner``, ``partner_kind``,
    ``region_code`` (resources for a region), ``valid_today``, ``q``."""

    model = Resource
    serializer_class = linkage_serializers.ResourceSerializer
    filterset_class = filtersets.ResourceFilterSet
    ordering_fields = ["title", "valid_from", "valid_to"]
    create_service = services.resource_create
    update_service = services.resource_update
    record_keyword = "resource"

    def get_queryset(self) -> QuerySet[Resource]:
        return selectors.resource_list(actor=self.request.user)


REFERRAL_ACTIONS = {
    "accept": "change",
    "decline": "change",
    "start": "change",
    "complete": "change",
    "withdraw": "change",
}


class ReferralViewSet(ServiceModelViewSet):
    """Referrals (转介) of a ``recipient`` (and possibly a ``case``) by a ``worker`` of a
    ``station`` to a ``partner`` (for a ``resource``), each with its ``status``: ``sent`` →
    ``accepted`` / ``declined`` → ``in_progress`` → ``completed``, or ``withdrawn``. The
    partner's answer is recorded by ``POST …/{id}/accept/`` (``answered_on``),
    ``…/decline/`` (``reason`` required), ``…/start/`` (``started_on``), ``…/complete/``
    (``outcome`` and ``feedback`` required), ``…/withdraw/`` (``reason`` required); a move
    the state does not allow answers 400 naming ``status``, one already made or from a final
    state 409. Only ``note_for_partner`` is meant for the partner. Filters: ``status``,
    ``outcome``, ``partner``, ``station``, ``recipient``, ``case``, ``region_code``
    (prefix), ``overdue``, ``sent_after``, ``q``."""

    model = Referral
    serializer_class = linkage_serializers.ReferralSerializer
    filterset_class = filtersets.ReferralFilterSet
    ordering_fields = ["sent_on", "answer_due_on"]
    create_service = services.referral_create
    update_service = services.referral_update
    record_keyword = "referral"

    @property
    def permission_action(self) -> str | None:
        return REFERRAL_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[Referral]:
        return selectors.referral_list(actor=self.request.user).select_related("station__region")

    def perform_destroy(self, instance: Referral) -> None:
        services.referral_delete(actor=self.request.user, referral=instance)

    @extend_schema(
        request=linkage_serializers.AnswerSerializer,
        responses=transition_responses(linkage_serializers.ReferralSerializer),
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self.validated_body(linkage_serializers.AnswerSerializer)
        return self.answer_with(
            services.referral_accept(
                actor=request.user, referral=referral, answered_on=data.get("answered_on")
            )
        )

    @extend_schema(
        request=linkage_serializers.DeclineSerializer,
        responses=transition_responses(linkage_serializers.ReferralSerializer),
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self.validated_body(linkage_serializers.DeclineSerializer)
        return self.answer_with(
            services.referral_decline(
                actor=request.user,
                referral=referral,
                reason=data["reason"],
                answered_on=data.get("answered_on"),
            )
        )

    @extend_schema(
        request=linkage_serializers.StartSerializer,
        responses=transition_responses(linkage_serializers.ReferralSerializer),
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self.validated_body(linkage_serializers.StartSerializer)
        return self.answer_with(
            services.referral_start(
                actor=request.user, referral=referral, started_on=data.get("started_on")
            )
        )

    @extend_schema(
        request=linkage_serializers.CompleteSerializer,
        responses=transition_responses(linkage_serializers.ReferralSerializer),
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self.validated_body(linkage_serializers.CompleteSerializer)
        return self.answer_with(
            services.referral_complete(
                actor=request.user,
                referral=referral,
                outcome=data["outcome"],
                feedback=data["feedback"],
                completed_on=data.get("completed_on"),
            )
        )

    @extend_schema(
        request=linkage_serializers.WithdrawSerializer,
        responses=transition_responses(linkage_serializers.ReferralSerializer),
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        data = self.validated_body(linkage_serializers.WithdrawSerializer)
        return self.answer_with(
            services.referral_withdraw(
                actor=request.user,
                referral=referral,
                reason=data["reason"],
                withdrawn_on=data.get("withdrawn_on"),
            )
        )
