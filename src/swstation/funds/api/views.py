"""API of the funds (issue 12, "Funds"). Reads go through selectors.py, writes through
services.py, so the pages and the API share every rule."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ServiceModelViewSet
from swstation.funds import filtersets, selectors, services
from swstation.funds.api import serializers as funds_serializers
from swstation.funds.models import ContractInstalment, Expense, Funder, Grant, PurchaseContract


class FunderViewSet(ServiceModelViewSet):
    """Funders of the "four ones" by ``tier`` (``city``, ``county``, ``township``,
    ``social``) and ``kind``, registered at a region (``region_code``). A higher level's
    funders are read below. Filters: ``tier``, ``kind``, ``region_code`` (prefix), ``q``."""

    model = Funder
    serializer_class = funds_serializers.FunderSerializer
    filterset_class = filtersets.FunderFilterSet
    ordering_fields = ["name", "tier"]
    create_service = services.funder_create
    update_service = services.funder_update
    record_keyword = "funder"

    def get_queryset(self) -> QuerySet[Funder]:
        return selectors.funder_list(actor=self.request.user)


class GrantViewSet(ServiceModelViewSet):
    """Grants: money a funder gives to a station, a project or a programme, each with its
    ``tier`` (the funder's), ``amount`` (a decimal string of yuan), ``region_code``,
    ``allocated`` (split into shares: ``parent`` names the donation a share is split from),
    ``spent`` and ``status`` (``payable``/``paid``). A subsidy under a ``policy`` (the city's
    one-time subsidy per station) is a grant too. Shares never exceed their donation; the
    city's money is recorded by the city bureau, a district's by the bureaus.
    ``POST …/{id}/mark_paid/`` with ``paid_on`` records the payment (409 if already paid).
    ``POST …/generate_subsidies/`` with ``{"policy": id, "year": …}`` grants the payable
    subsidies of a policy for a year to every built station of its kinds that has none under
    it yet (``{"created": n}``; it replaces the station subsidies' own API).

    Filters: ``tier``, ``fund_type``, ``funder``, ``station``, ``project``, ``region_code``
    (prefix), ``year``, ``status``, ``policy``, ``subsidies``, ``shares_of``, ``programme``,
    ``q``."""

    model = Grant
    serializer_class = funds_serializers.GrantSerializer
    filterset_class = filtersets.GrantFilterSet
    ordering_fields = ["year", "granted_on", "amount"]
    create_service = services.grant_create
    update_service = services.grant_update
    record_keyword = "grant"

    @property
    def permission_action(self) -> str | None:
        return {"mark_paid": "change", "generate_subsidies": "add"}.get(
            getattr(self, "action", None) or ""
        )

    def get_queryset(self) -> QuerySet[Grant]:
        return selectors.grant_list(actor=self.request.user)

    def perform_destroy(self, instance: Grant) -> None:
        services.grant_delete(actor=self.request.user, grant=instance)

    @extend_schema(
        request=funds_serializers.PaidOnSerializer,
        responses=transition_responses(funds_serializers.GrantSerializer),
    )
    @action(detail=True, methods=["post"])
    def mark_paid(self, request: Request, pk: str | None = None) -> Response:
        grant = self.get_object()
        data = self.validated_body(funds_serializers.PaidOnSerializer)
        return self.answer_with(
            services.grant_mark_paid(actor=request.user, grant=grant, paid_on=data["paid_on"])
        )

    @extend_schema(
        request=funds_serializers.SubsidiesGenerateSerializer,
        responses={200: funds_serializers.SubsidiesCreatedSerializer},
    )
    @action(detail=False, methods=["post"])
    def generate_subsidies(self, request: Request) -> Response:
        data = self.validated_body(funds_serializers.SubsidiesGenerateSerializer)
        policy = selectors.subsidy_policy_choices().filter(pk=data["policy"]).first()
        if policy is None:
            raise serializers.ValidationError({"policy": [_("No such subsidy policy.")]})
        created = services.subsidies_generate(actor=request.user, policy=policy, year=data["year"])
        return Response({"created": created})


class PurchaseContractViewSet(ServiceModelViewSet):
    """Government purchase of services (政府购买服务): a township or a district
    (``region_code``, the purchaser; ``tier`` follows from its level) buys from a service
    ``agency`` the running of a ``station`` or a ``project``, with ``scheduled`` (in
    instalments), ``paid`` and ``spent``. Filters: ``agency``, ``station``, ``tier``,
    ``region_code`` (prefix), ``year`` (running in that year), ``q``."""

    model = PurchaseContract
    serializer_class = funds_serializers.PurchaseContractSerializer
    filterset_class = filtersets.PurchaseContractFilterSet
    ordering_fields = ["starts_on", "amount", "number"]
    create_service = services.purchase_contract_create
    update_service = services.purchase_contract_update
    record_keyword = "contract"

    def get_queryset(self) -> QuerySet[PurchaseContract]:
        return selectors.purchase_contract_list(actor=self.request.user)


INSTALMENT_ACTIONS = {"mark_paid": "change", "hold": "change", "release": "change"}


class ContractInstalmentViewSet(ServiceModelViewSet):
    """Instalments of the purchase contracts, never more than the contract in all. One final
    payment (``is_final``, 尾款) per contract may be held pending evaluation: ``hold/`` with a
    ``reason``, ``release/``; ``mark_paid/`` with ``paid_on`` (409 if paid or held). Filters:
    ``contract``, ``region_code``, ``open``, ``held``, ``is_final``, ``due_year``, ``q``."""

    model = ContractInstalment
    serializer_class = funds_serializers.ContractInstalmentSerializer
    filterset_class = filtersets.ContractInstalmentFilterSet
    ordering_fields = ["due_on", "sequence", "amount"]
    create_service = services.instalment_create
    update_service = services.instalment_update
    record_keyword = "instalment"

    @property
    def permission_action(self) -> str | None:
        return INSTALMENT_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[ContractInstalment]:
        return selectors.contract_instalment_list(actor=self.request.user)

    @extend_schema(
        request=funds_serializers.PaidOnSerializer,
        responses=transition_responses(funds_serializers.ContractInstalmentSerializer),
    )
    @action(detail=True, methods=["post"])
    def mark_paid(self, request: Request, pk: str | None = None) -> Response:
        instalment = self.get_object()
        data = self.validated_body(funds_serializers.PaidOnSerializer)
        return self.answer_with(
            services.instalment_mark_paid(
                actor=request.user, instalment=instalment, paid_on=data["paid_on"]
            )
        )

    @extend_schema(
        request=funds_serializers.HoldSerializer,
        responses=transition_responses(funds_serializers.ContractInstalmentSerializer),
    )
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str | None = None) -> Response:
        instalment = self.get_object()
        data = self.validated_body(funds_serializers.HoldSerializer)
        return self.answer_with(
            services.instalment_hold(
                actor=request.user, instalment=instalment, reason=data["reason"]
            )
        )

    @extend_schema(
        request=None,
        responses=transition_responses(funds_serializers.ContractInstalmentSerializer),
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        instalment = self.get_object()
        return self.answer_with(
            services.instalment_release(actor=request.user, instalment=instalment)
        )


class ExpenseViewSet(ServiceModelViewSet):
    """Spending lines against one ``grant`` or one ``contract``, with a ``category``
    (``staff``, ``activities``, ``materials``, ``training``, ``supervision``, ``admin``), an
    ``amount`` and a ``voucher_number``. A line that takes the spending beyond what was
    granted is refused (400 naming ``amount``) unless someone at the funder's level sends an
    ``override_reason``; they are kept as ``override_by``. Filters: ``grant``, ``contract``,
    ``category``, ``tier``, ``region_code``, ``year``, ``overridden``, ``q``."""

    model = Expense
    serializer_class = funds_serializers.ExpenseSerializer
    filterset_class = filtersets.ExpenseFilterSet
    ordering_fields = ["spent_on", "amount"]
    create_service = services.expense_create
    update_service = services.expense_update
    record_keyword = "expense"

    def get_queryset(self) -> QuerySet[Expense]:
        return selectors.expense_list(actor=self.request.user)

    def perform_destroy(self, instance: Expense) -> None:
        services.expense_delete(actor=self.request.user, expense=instance)
