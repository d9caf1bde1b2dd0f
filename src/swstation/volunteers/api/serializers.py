"""Serializers of the volunteers API. Every record names its ``region_code`` (12 digits); a
volunteer's ``id_number`` and ``phone`` are written in full and always read masked, as a
recipient's (the ``reveal-identity`` action shows one in full, logged)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from swstation.cases.models import ServiceRecord
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.projects.models import Project
from swstation.recipients.api.serializers import MaskedNumberField
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
from swstation.workforce.models import SocialWorker

REGION_HELP = _("The 12-digit code of the record's region.")


class VolunteerNumberField(MaskedNumberField):
    """A volunteer's number: sent back as read (masked), the stored number is kept."""

    def run_validation(self, data: Any = empty) -> Any:
        instance = getattr(self.parent, "instance", None)
        if (
            isinstance(instance, Volunteer)
            and isinstance(data, str)
            and data
            and data == getattr(instance, self.masked_attribute)
        ):
            raise SkipField
        return serializers.CharField.run_validation(self, data)


class VolunteerSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:volunteer-detail")
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("The 12-digit code of the home village or community (or town)."),
    )
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    id_number = VolunteerNumberField(
        masked_attribute="id_number_masked",
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_(
            "The identity card number: written in full, always read masked. On an update, leave "
            "it out to keep the stored number."
        ),
    )
    phone = VolunteerNumberField(
        masked_attribute="phone_masked",
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("Written in full, read masked; an empty string removes it."),
    )
    active = serializers.BooleanField(
        source="is_active", read_only=True, help_text=_("Volunteering today.")
    )

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "url",
            "name",
            "id_number",
            "phone",
            "region_code",
            "station",
            "station_name",
            "skills",
            "availability",
            "registered_on",
            "left_on",
            "active",
            "note",
        ]
        validators: list[object] = []


class VolunteerTeamSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:volunteerteam-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all(), help_text=REGION_HELP
    )
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    leader = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), required=False, allow_null=True
    )
    members = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), many=True, required=False
    )

    class Meta:
        model = VolunteerTeam
        fields = [
            "id",
            "url",
            "name",
            "region_code",
            "station",
            "project",
            "leader",
            "members",
            "founded_on",
            "note",
        ]
        validators: list[object] = []


class PairingSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:pairing-detail")
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    recipient = serializers.PrimaryKeyRelatedField(queryset=Recipient.objects.all())
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    worker = serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all())
    team = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerTeam.objects.all(), required=False, allow_null=True
    )
    region_code = serializers.CharField(
        source="recipient.region.code", read_only=True, help_text=REGION_HELP
    )
    last_visit_on = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The last visit recorded (a service record).")
    )
    next_due_on = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The next visit due, as of today.")
    )

    class Meta:
        model = Pairing
        fields = [
            "id",
            "url",
            "volunteer",
            "volunteer_name",
            "recipient",
            "recipient_name",
            "region_code",
            "worker",
            "team",
            "service_type",
            "times_per_month",
            "starts_on",
            "ends_on",
            "active",
            "deactivated_on",
            "last_visit_on",
            "next_due_on",
            "note",
        ]
        read_only_fields = ["deactivated_on"]


class ServiceVolunteerSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:servicevolunteer-detail")
    record = serializers.PrimaryKeyRelatedField(queryset=ServiceRecord.objects.all())
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    served_on = serializers.DateField(source="record.served_on", read_only=True)
    region_code = serializers.CharField(
        source="record.recipient.region.code", read_only=True, help_text=REGION_HELP
    )
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = ServiceVolunteer
        fields = [
            "id",
            "url",
            "record",
            "served_on",
            "region_code",
            "volunteer",
            "volunteer_name",
            "hours",
        ]
        validators: list[object] = []


class VolunteerRevealSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["id_number", "phone"], default="id_number")
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PairingVisitSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    hours = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
