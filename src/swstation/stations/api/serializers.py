from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.core.masking import mask_value, user_sees_personal_data
from swstation.regions.models import Region
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    RoomKind,
    ServiceAgency,
    Station,
    StationKind,
    SubsidyPolicy,
)


class MaskedPersonalFieldsMixin:
    """Personal fields masked for roles that may not see personal data (auditors)."""

    context: dict[str, Any]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)  # type: ignore[misc]
        request = self.context.get("request")
        if request is not None and not user_sees_personal_data(request.user):
            for name in type(instance).personal_fields:
                if name in data:
                    data[name] = mask_value(data[name])
        return data


def station_kinds_field() -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=StationKind.choices))


class ServiceAgencySerializer(
    MaskedPersonalFieldsMixin, ScopedSerializerMixin, serializers.ModelSerializer
):
    url = serializers.HyperlinkedIdentityField(view_name="api:serviceagency-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all()
    )
    station_count = serializers.IntegerField(read_only=True, default=0)
    staff_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = ServiceAgency
        fields = [
            "id",
            "url",
            "name",
            "credit_code",
            "region_code",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "address",
            "founded_on",
            "note",
            "station_count",
            "staff_count",
        ]


class StationSerializer(
    MaskedPersonalFieldsMixin, ScopedSerializerMixin, serializers.ModelSerializer
):
    url = serializers.HyperlinkedIdentityField(view_name="api:station-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all()
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    parent_station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), allow_null=True, required=False
    )
    agency_credit_code = serializers.SlugRelatedField(
        source="agency",
        slug_field="credit_code",
        queryset=ServiceAgency.objects.all(),
        allow_null=True,
        required=False,
    )
    fulltime_staff_count = serializers.IntegerField(
        read_only=True, help_text=_("Full-time staff who have not left.")
    )
    compliant = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text=_("Meets the construction standard in force for its kind; null: not assessed."),
    )

    class Meta:
        model = Station
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "special_kind",
            "region_code",
            "region_name",
            "parent_station",
            "address",
            "opened_on",
            "status",
            "suspended_on",
            "operating_model",
            "agency_credit_code",
            "contract_start",
            "contract_end",
            "contact_name",
            "contact_phone",
            "has_sign",
            "sign_installed_on",
            "sign_removed_on",
            "note",
            "fulltime_staff_count",
            "compliant",
        ]


class RoomSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:room-detail")
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "url",
            "station",
            "station_name",
            "kind",
            "name",
            "area_m2",
            "shared_with",
            "in_use_from",
            "in_use_to",
        ]


class ConstructionStandardSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:constructionstandard-detail")
    station_kinds = station_kinds_field()
    required_rooms = serializers.ListField(
        child=serializers.ChoiceField(choices=RoomKind.choices), required=False
    )

    class Meta:
        model = ConstructionStandard
        fields = [
            "id",
            "url",
            "name",
            "valid_from",
            "valid_to",
            "station_kinds",
            "required_rooms",
            "requires_sign",
            "min_fulltime_staff",
            "requires_portfolio",
        ]


class SubsidyPolicySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:subsidypolicy-detail")
    station_kinds = station_kinds_field()

    class Meta:
        model = SubsidyPolicy
        fields = [
            "id",
            "url",
            "name",
            "source",
            "amount",
            "station_kinds",
            "one_time",
            "valid_from",
            "valid_to",
        ]
