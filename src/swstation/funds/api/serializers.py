"""Serializers of the funds API. Amounts are decimal strings of yuan with two places
(``"5000000.00"``); every record names its ``region_code`` (12 digits) and its ``tier``."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.funds.models import (
    ContractInstalment,
    Expense,
    Funder,
    Grant,
    PurchaseContract,
)
from swstation.projects.models import Project
from swstation.regions.models import Region
from swstation.stations.models import ServiceAgency, Station, SubsidyPolicy

REGION_HELP = _("The 12-digit code of the record's region.")


def _money(*, read_only: bool = False, help_text: Any = None) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        coerce_to_string=True,
        read_only=read_only,
        help_text=help_text,
    )


class FunderSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:funder-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all(), help_text=REGION_HELP
    )

    class Meta:
        model = Funder
        fields = ["id", "url", "name", "kind", "tier", "region_code", "contact_name", "note"]


class GrantSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:grant-detail")
    funder = serializers.PrimaryKeyRelatedField(queryset=Funder.objects.all())
    funder_name = serializers.CharField(source="funder.name", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Grant.objects.all(), required=False, allow_null=True
    )
    policy = serializers.PrimaryKeyRelatedField(
        queryset=SubsidyPolicy.objects.all(), required=False, allow_null=True
    )
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True
    )
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        help_text=_(
            "The 12-digit code of the region the money goes to (the station's, set by itself)."
        ),
    )
    amount = _money()
    allocated = _money(read_only=True, help_text=_("Split into shares (yuan)."))
    spent = _money(read_only=True, help_text=_("Spent (yuan)."))
    status = serializers.CharField(read_only=True, help_text=_("payable or paid."))

    class Meta:
        model = Grant
        fields = [
            "id",
            "url",
            "funder",
            "funder_name",
            "tier",
            "fund_type",
            "parent",
            "policy",
            "programme",
            "station",
            "project",
            "region_code",
            "amount",
            "allocated",
            "spent",
            "year",
            "document_number",
            "granted_on",
            "paid_on",
            "status",
            "purpose",
            "restrictions",
            "note",
        ]
        read_only_fields = ["tier"]
        # The one-subsidy-per-station-and-policy constraint is checked by the model's
        # full_clean in the service; DRF's validator for it would make ``policy`` required.
        validators: list[object] = []


class PurchaseContractSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:purchasecontract-detail")
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("The 12-digit code of the purchaser (a township, a street or a district)."),
    )
    agency = serializers.PrimaryKeyRelatedField(queryset=ServiceAgency.objects.all())
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    amount = _money()
    scheduled = _money(read_only=True, help_text=_("In instalments (yuan)."))
    paid = _money(read_only=True, help_text=_("Instalments paid (yuan)."))
    spent = _money(read_only=True, help_text=_("Spent (yuan)."))

    class Meta:
        model = PurchaseContract
        fields = [
            "id",
            "url",
            "number",
            "title",
            "region_code",
            "tier",
            "agency",
            "station",
            "project",
            "signed_on",
            "starts_on",
            "ends_on",
            "amount",
            "scheduled",
            "paid",
            "spent",
            "deliverables",
            "note",
        ]
        read_only_fields = ["tier"]


class ContractInstalmentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:contractinstalment-detail")
    contract = serializers.PrimaryKeyRelatedField(queryset=PurchaseContract.objects.all())
    region_code = serializers.CharField(
        source="contract.region.code", read_only=True, help_text=REGION_HELP
    )
    amount = _money()

    class Meta:
        model = ContractInstalment
        fields = [
            "id",
            "url",
            "contract",
            "region_code",
            "sequence",
            "due_on",
            "amount",
            "deliverable",
            "is_final",
            "held",
            "hold_reason",
            "paid_on",
        ]
        read_only_fields = ["held", "hold_reason", "paid_on"]


class ExpenseSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:expense-detail")
    grant = serializers.PrimaryKeyRelatedField(
        queryset=Grant.objects.all(), required=False, allow_null=True
    )
    contract = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseContract.objects.all(), required=False, allow_null=True
    )
    region_code = serializers.CharField(source="region.code", read_only=True, help_text=REGION_HELP)
    amount = _money()

    class Meta:
        model = Expense
        fields = [
            "id",
            "url",
            "grant",
            "contract",
            "region_code",
            "spent_on",
            "category",
            "amount",
            "voucher_number",
            "description",
            "override_reason",
            "override_by",
        ]
        read_only_fields = ["override_by"]


class SubsidiesGenerateSerializer(serializers.Serializer):
    policy = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class SubsidiesCreatedSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class PaidOnSerializer(serializers.Serializer):
    paid_on = serializers.DateField()


class HoldSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
