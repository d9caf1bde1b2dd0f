"""Serializers of the partners, resources and referrals API. Every record names its
``region_code`` (12 digits): a partner's registration, a resource's partner's, a referral's
station's."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.cases.models import Case
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.linkage.models import Partner, Referral, ReferralOutcome, Resource
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.api.serializers import MaskedPersonalFieldsMixin
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker

REGION_HELP = _("The 12-digit code of the record's region.")


class PartnerSerializer(
    MaskedPersonalFieldsMixin, ScopedSerializerMixin, serializers.ModelSerializer
):
    url = serializers.HyperlinkedIdentityField(view_name="api:partner-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all(), help_text=REGION_HELP
    )
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True
    )
    agency: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_("The service agency this partner is, if one."),
    )
    serves = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Region.objects.filter(level="village"),
        required=False,
        help_text=_("12-digit codes of the villages and communities served."),
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "department",
            "region_code",
            "station",
            "agency",
            "serves",
            "contact_name",
            "contact_phone",
            "address",
            "description",
            "active",
        ]
        validators: list[object] = []


class ResourceSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:resource-detail")
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    region_code = serializers.CharField(
        source="partner.region.code", read_only=True, help_text=REGION_HELP
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "url",
            "partner",
            "partner_name",
            "region_code",
            "kind",
            "title",
            "description",
            "capacity",
            "capacity_unit",
            "valid_from",
            "valid_to",
        ]


class ReferralSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:referral-detail")
    recipient = serializers.PrimaryKeyRelatedField(queryset=Recipient.objects.all())
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.all(), required=False, allow_null=True
    )
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all(), required=False)
    worker = serializers.PrimaryKeyRelatedField(
        queryset=SocialWorker.objects.all(),
        required=False,
        help_text=_("The referring social worker; by default the caller's own record."),
    )
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    resource = serializers.PrimaryKeyRelatedField(
        queryset=Resource.objects.all(), required=False, allow_null=True
    )
    region_code = serializers.CharField(
        source="station.region.code", read_only=True, help_text=REGION_HELP
    )
    sent_on = serializers.DateField(required=False)

    class Meta:
        model = Referral
        fields = [
            "id",
            "url",
            "recipient",
            "case",
            "station",
            "worker",
            "partner",
            "partner_name",
            "resource",
            "region_code",
            "service",
            "reason",
            "note_for_partner",
            "internal_note",
            "sent_on",
            "answer_due_on",
            "status",
            "answered_on",
            "decline_reason",
            "started_on",
            "completed_on",
            "outcome",
            "feedback",
            "withdrawn_on",
            "withdraw_reason",
        ]
        read_only_fields = [
            "status",
            "answered_on",
            "decline_reason",
            "started_on",
            "completed_on",
            "outcome",
            "feedback",
            "withdrawn_on",
            "withdraw_reason",
        ]


class AnswerSerializer(serializers.Serializer):
    answered_on = serializers.DateField(required=False, allow_null=True)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    answered_on = serializers.DateField(required=False, allow_null=True)


class StartSerializer(serializers.Serializer):
    started_on = serializers.DateField(required=False, allow_null=True)


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReferralOutcome.choices)
    feedback = serializers.CharField(max_length=2000)
    completed_on = serializers.DateField(required=False, allow_null=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    withdrawn_on = serializers.DateField(required=False, allow_null=True)
