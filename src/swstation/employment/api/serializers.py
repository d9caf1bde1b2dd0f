"""Serializers of the employment API. Every record names its ``region_code`` (12 digits); a
seeker's ``id_number`` and ``phone`` are written in full and always read masked, as a
volunteer's (the ``reveal-identity`` action shows one in full, logged); a post's
``places_filled`` is counted from its placements."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.employment import selectors
from swstation.employment.models import (
    IncomeCheck,
    IncomeFollowUp,
    JobPost,
    JobSeeker,
    Placement,
    mask_months,
    month_mask,
)
from swstation.linkage.models import Partner
from swstation.projects.models import Project
from swstation.recipients.api.serializers import MaskedNumberField
from swstation.recipients.models import Household, Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station

REGION_HELP = _("The 12-digit code of the record's region.")


class SeekerNumberField(MaskedNumberField):
    """A seeker's number: sent back as read (masked), the stored number is kept."""

    def run_validation(self, data: Any = empty) -> Any:
        instance = getattr(self.parent, "instance", None)
        if (
            isinstance(instance, JobSeeker)
            and isinstance(data, str)
            and data
            and data == getattr(instance, self.masked_attribute)
        ):
            raise SkipField
        return serializers.CharField.run_validation(self, data)


class MonthsField(serializers.ListField):
    """The months (1–12) a seeker is free; kept as a bit set."""

    child = serializers.IntegerField(min_value=1, max_value=12)

    def to_representation(self, data: Any) -> list[int]:
        return mask_months(int(data or 0))

    def to_internal_value(self, data: Any) -> int:  # type: ignore[override]
        months = super().to_internal_value(data)
        if not months:
            raise serializers.ValidationError(_("Choose at least one month."))
        return month_mask(months)


class JobSeekerSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:jobseeker-detail")
    recipient = serializers.PrimaryKeyRelatedField(
        queryset=Recipient.objects.all(), required=False, allow_null=True
    )
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("The 12-digit code of the home village or community (or town)."),
    )
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    id_number = SeekerNumberField(
        masked_attribute="id_number_masked",
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_(
            "The identity card number: written in full, always read masked. On an update, leave "
            "it out to keep the stored number."
        ),
    )
    phone = SeekerNumberField(
        masked_attribute="phone_masked",
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("Written in full, read masked; an empty string removes it."),
    )
    available_months = MonthsField(
        required=False, help_text=_("The months (1–12) the seeker is free to work.")
    )
    trainings_attended = serializers.SerializerMethodField(
        help_text=_(
            "The skills trainings (community activities of kind training) the seeker attended, "
            "of those the caller reads."
        )
    )

    class Meta:
        model = JobSeeker
        fields = [
            "id",
            "url",
            "recipient",
            "name",
            "sex",
            "category",
            "id_number",
            "phone",
            "region_code",
            "station",
            "station_name",
            "skills",
            "work_wanted",
            "available_months",
            "hours_per_day",
            "child_care",
            "no_transport",
            "health_limits",
            "travel_range",
            "wanted_pay",
            "paused",
            "status",
            "registered_on",
            "note",
            "trainings_attended",
        ]
        read_only_fields = ["status"]
        validators: list[object] = []

    def get_trainings_attended(self, obj: JobSeeker) -> int:
        """Annotated by the viewset's reads (selectors.with_trainings_attended); counted once
        for the record a write answers with."""
        counted = getattr(obj, "trainings_attended", None)
        if counted is not None:
            return int(counted)
        request = self.context.get("request")
        actor: Any = getattr(request, "user", None)
        return selectors.job_seeker_trainings(actor=actor, seeker=obj).count()


class JobPostSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:jobpost-detail")
    employer = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), help_text=_("A partner of kind enterprise.")
    )
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("The 12-digit code of the place of work."),
    )
    places_filled = serializers.IntegerField(
        read_only=True,
        help_text=_("Placements hired, at work or having left: counted, never typed."),
    )

    class Meta:
        model = JobPost
        fields = [
            "id",
            "url",
            "employer",
            "employer_name",
            "station",
            "title",
            "places",
            "places_filled",
            "season_from",
            "season_to",
            "hours_per_day",
            "skills",
            "requirements",
            "heavy_work",
            "pay",
            "region_code",
            "status",
            "posted_on",
            "note",
        ]


class PlacementSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:placement-detail")
    post = serializers.PrimaryKeyRelatedField(queryset=JobPost.objects.all())
    post_title = serializers.CharField(source="post.title", read_only=True)
    seeker = serializers.PrimaryKeyRelatedField(queryset=JobSeeker.objects.all())
    seeker_name = serializers.CharField(source="seeker.name", read_only=True)
    region_code = serializers.CharField(
        source="post.region.code", read_only=True, help_text=REGION_HELP
    )

    class Meta:
        model = Placement
        fields = [
            "id",
            "url",
            "post",
            "post_title",
            "seeker",
            "seeker_name",
            "region_code",
            "referred_on",
            "status",
            "answered_on",
            "starts_on",
            "ends_on",
            "pay",
            "reason",
            "note",
            "service_record",
        ]
        read_only_fields = [
            "status",
            "answered_on",
            "starts_on",
            "ends_on",
            "pay",
            "reason",
            "service_record",
        ]
        validators: list[object] = []


class SeekerRevealSerializer(serializers.Serializer):
    # A string checked here rather than a choice: the schema's enum of "field" is the
    # recipients' (with health notes), and a third choice set of that name collides.
    field = serializers.RegexField(
        r"^(id_number|phone)$",
        default="id_number",
        help_text=_("id_number or phone."),
        error_messages={"invalid": _("Choose the number to show.")},
    )
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class HireSerializer(serializers.Serializer):
    answered_on = serializers.DateField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    pay = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True, min_value=0
    )


class RejectSerializer(serializers.Serializer):
    answered_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=2000)


class PlacementStartSerializer(serializers.Serializer):
    starts_on = serializers.DateField(required=False, allow_null=True)


class LeaveSerializer(serializers.Serializer):
    ends_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField()
    points = serializers.IntegerField()
    text = serializers.CharField()


class SeekerMatchSerializer(serializers.Serializer):
    """One seeker who fits a post: the score and its reasons (names masked nowhere: a seeker's
    name is no number; the numbers are not given)."""

    seeker = serializers.IntegerField(source="subject.pk")
    seeker_name = serializers.CharField(source="subject.name")
    region_code = serializers.CharField(source="subject.region.code")
    score = serializers.IntegerField()
    reasons = ReasonSerializer(many=True)


class IncomeFollowUpSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:incomefollowup-detail")
    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all())
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    project_name = serializers.CharField(source="project.name", read_only=True)
    region_code = serializers.CharField(
        source="household.region.code", read_only=True, help_text=REGION_HELP
    )
    baseline_total = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text=_("Earned plus given.")
    )
    last_checked = serializers.DateField(read_only=True, allow_null=True)
    check_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = IncomeFollowUp
        fields = [
            "id",
            "url",
            "household",
            "project",
            "project_name",
            "region_code",
            "interval",
            "started_on",
            "baseline_earned",
            "baseline_given",
            "baseline_total",
            "ended_on",
            "last_checked",
            "check_count",
            "note",
        ]
        validators: list[object] = []

    def to_representation(self, instance: Any) -> Any:
        # A follow-up just written is not annotated by the list's selector.
        for name, value in (("last_checked", None), ("check_count", 0)):
            if not hasattr(instance, name):
                setattr(instance, name, value)
        return super().to_representation(instance)


class IncomeCheckSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:incomecheck-detail")
    follow_up = serializers.PrimaryKeyRelatedField(queryset=IncomeFollowUp.objects.all())
    region_code = serializers.CharField(
        source="follow_up.household.region.code", read_only=True, help_text=REGION_HELP
    )
    total = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text=_("Earned plus given.")
    )

    class Meta:
        model = IncomeCheck
        fields = [
            "id",
            "url",
            "follow_up",
            "region_code",
            "checked_on",
            "earned",
            "given",
            "total",
            "note",
        ]
        validators: list[object] = []
