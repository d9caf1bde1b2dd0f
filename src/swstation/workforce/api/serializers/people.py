"""Serializers of people, certificates, training, supervision and talent."""

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.core.api.fields import MaskedPhoneField
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.core.masking import (
    age_band_code,
    mask_api_value,
    user_sees_personal_data,
)
from swstation.core.scoping import ScopedQuerySet
from swstation.regions.models import Region
from swstation.stations.models import ServiceAgency, Station
from swstation.workforce.models import (
    Attendance,
    Certificate,
    CertificateLevel,
    Course,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)
from swstation.workforce.selectors import people as selectors

__all__ = [
    "AttendanceSerializer",
    "CertificateSerializer",
    "CourseSerializer",
    "RevealPhoneSerializer",
    "SocialWorkerSerializer",
    "SupervisionSessionSerializer",
    "SupervisorSerializer",
    "TalentEntrySerializer",
    "TrainingClassSerializer",
]


class MaskPersonalFieldsMixin:
    """Personal fields (``Meta.model.personal_fields``) masked for roles that read them masked."""

    context: dict[str, Any]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)  # type: ignore[misc]
        request = self.context.get("request")
        if request is not None and not user_sees_personal_data(request.user):
            for name in getattr(type(instance), "personal_fields", ()):
                if name in data:
                    data[name] = mask_api_value(data[name])
        return data


class SocialWorkerSerializer(
    MaskPersonalFieldsMixin, ScopedSerializerMixin, serializers.ModelSerializer
):
    phone = MaskedPhoneField(
        label=_("mobile phone"),
        required=False,
        allow_blank=True,
        max_length=11,
        help_text=_("Masked when read; the reveal-phone action shows it in full (logged)."),
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:socialworker-detail")
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Set from the station when there is one."),
    )
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.all(), required=False, allow_null=True
    )
    agency = serializers.PrimaryKeyRelatedField(
        queryset=ServiceAgency.objects.all(), required=False, allow_null=True
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    level = serializers.SerializerMethodField(
        help_text=_("The highest certificate level held, or null.")
    )
    age_band = serializers.SerializerMethodField(
        help_text=_(
            'The five-year age band ("30-34"), for every role; roles that read personal '
            "data masked get it instead of the date of birth (null)."
        )
    )

    class Meta:
        model = SocialWorker
        fields = [
            "id",
            "url",
            "name",
            "gender",
            "birth_date",
            "age_band",
            "phone",
            "region_code",
            "station",
            "agency",
            "post",
            "is_fulltime",
            "is_community_worker",
            "is_civil_servant",
            "hired_on",
            "left_on",
            "education",
            "user",
            "note",
            "level",
        ]

    def get_age_band(self, obj: SocialWorker) -> str | None:
        return age_band_code(obj.birth_date)

    def get_level(self, obj: SocialWorker) -> str | None:
        level = selectors.social_worker_level(social_worker=obj)
        return level if level in CertificateLevel.values else None


class RevealPhoneSerializer(serializers.Serializer):
    purpose = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text=_("Why the number is needed (logged)."),
    )


class CertificateSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:certificate-detail")
    social_worker = serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all())
    social_worker_name = serializers.CharField(source="social_worker.name", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "url",
            "social_worker",
            "social_worker_name",
            "level",
            "number",
            "obtained_on",
            "method",
            "exam_in_city",
            "registered_in_city",
        ]
        # Uniqueness is checked by certificate_create/certificate_update, which say in the
        # person's terms what is already taken (the same message for the page and the API).
        validators: list[Any] = []
        extra_kwargs: dict[str, dict[str, Any]] = {"number": {"validators": []}}


class TrainingClassSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:trainingclass-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all()
    )

    class Meta:
        model = TrainingClass
        fields = ["id", "url", "name", "tier", "region_code", "starts_on", "ends_on", "organiser"]


class CourseSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:course-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all()
    )
    training_class = serializers.PrimaryKeyRelatedField(
        queryset=TrainingClass.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "url",
            "title",
            "training_class",
            "region_code",
            "mode",
            "held_on",
            "hours",
            "teacher",
        ]


class AttendanceSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:attendance-detail")
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    social_worker = serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all())
    social_worker_name = serializers.CharField(source="social_worker.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "url", "course", "social_worker", "social_worker_name", "hours"]


class SupervisorSerializer(
    MaskPersonalFieldsMixin, ScopedSerializerMixin, serializers.ModelSerializer
):
    phone = MaskedPhoneField(
        label=_("mobile phone"),
        required=False,
        allow_blank=True,
        max_length=11,
        help_text=_("Masked when read; the reveal-phone action shows it in full (logged)."),
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:supervisor-detail")
    region_code = serializers.SlugRelatedField(
        source="region", slug_field="code", queryset=Region.objects.all()
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Supervisor
        fields = [
            "id",
            "url",
            "name",
            "level",
            "field",
            "organisation",
            "phone",
            "region_code",
            "user",
        ]


class SupervisionSessionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:supervisionsession-detail")
    supervisor = serializers.PrimaryKeyRelatedField(queryset=Supervisor.objects.all())
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    participants = serializers.PrimaryKeyRelatedField(
        queryset=SocialWorker.objects.all(), many=True, required=False
    )

    class Meta:
        model = SupervisionSession
        fields = [
            "id",
            "url",
            "supervisor",
            "station",
            "held_on",
            "hours",
            "topic",
            "participants",
            "follow_ups",
            "follow_up_due",
            "follow_up_done",
        ]

    def get_fields(self) -> dict[str, serializers.Field]:
        """Participants, a list, are limited to the caller's jurisdiction like single choices."""
        fields = super().get_fields()
        request = self.context.get("request")
        participants = fields["participants"]
        child = getattr(participants, "child_relation", None)
        if request is not None and child is not None and isinstance(child.queryset, ScopedQuerySet):
            child.queryset = child.queryset.visible_to(request.user)
        return fields


class TalentEntrySerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:talententry-detail")
    social_worker = serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all())
    social_worker_name = serializers.CharField(source="social_worker.name", read_only=True)

    class Meta:
        model = TalentEntry
        fields = [
            "id",
            "url",
            "social_worker",
            "social_worker_name",
            "catalogue",
            "listed_on",
            "valid_until",
            "note",
        ]
