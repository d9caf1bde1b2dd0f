"""Serializers of the project API: projects (each with its station, region code, category and
status) and enrolments."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.core.scoping import ScopedQuerySet
from swstation.projects import selectors
from swstation.projects.models import (
    Project,
    ProjectAttachment,
    ProjectEnrolment,
    ProjectIndicator,
    ProjectReport,
    ProjectStatus,
)
from swstation.recipients.models import Category, Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker


class ScopedListsMixin:
    """Lists of related records (``many=True``) limited to the caller's jurisdiction like the
    single choices, which ScopedSerializerMixin narrows (it does not reach into a list)."""

    context: dict[str, Any]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = super().get_fields()  # type: ignore[misc]
        request = self.context.get("request")
        if request is None:
            return fields
        for field in fields.values():
            child = getattr(field, "child_relation", None)
            if child is not None and isinstance(child.queryset, ScopedQuerySet):
                child.queryset = child.queryset.visible_to(request.user)
        return fields


class ProjectSerializer(ScopedListsMixin, ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail")
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    region_code = serializers.CharField(
        source="station.region.code",
        read_only=True,
        help_text=_("The 12-digit code of the station's region."),
    )
    lead = serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all())
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    team = serializers.PrimaryKeyRelatedField(
        queryset=SocialWorker.objects.all(), many=True, required=False
    )
    target_groups = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        many=True,
        required=False,
        help_text=_("Recipient category codes."),
    )
    villages = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        many=True,
        required=False,
        help_text=_("12-digit codes of the villages and communities covered."),
    )
    enrolled_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "station",
            "station_name",
            "region_code",
            "name",
            "category",
            "field",
            "funding_level",
            "starts_on",
            "ends_on",
            "lead",
            "lead_name",
            "team",
            "target_groups",
            "villages",
            "partners",
            "description",
            "status",
            "approved_by",
            "approved_on",
            "closed_on",
            "terminated_on",
            "termination_reason",
            "enrolled_count",
        ]


class ProjectAdvanceSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(
        choices=ProjectStatus.choices,
        help_text=_("The project's next status: approved, running, midterm, closing or closed."),
    )
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The day of an approval or a closure (today by default)."),
    )


class ProjectTerminateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    on = serializers.DateField(
        required=False, allow_null=True, help_text=_("The day (today by default).")
    )


class ProjectEnrolmentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:projectenrolment-detail")
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    project_name = serializers.CharField(source="project.name", read_only=True)
    recipient = serializers.PrimaryKeyRelatedField(queryset=Recipient.objects.all())
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    region_code = serializers.CharField(
        source="recipient.region.code",
        read_only=True,
        help_text=_("The 12-digit code of the recipient's village or community."),
    )

    class Meta:
        model = ProjectEnrolment
        fields = [
            "id",
            "url",
            "project",
            "project_name",
            "recipient",
            "recipient_name",
            "region_code",
            "enrolled_on",
            "exited_on",
            "exit_reason",
            "note",
        ]


class IndicatorListSerializer(serializers.ListSerializer):
    """Reads the progress of every project on the page at once (selectors.projects_progress),
    so that a page of indicators costs the same few queries whatever its length."""

    def to_representation(self, data: Any) -> list[Any]:
        items = list(data.all() if hasattr(data, "all") else data)
        projects = {item.project_id: item.project for item in items}
        context: Any = self.context  # the root's: the child reads the same dict
        context["progress"] = selectors.projects_progress(list(projects.values()))
        child: Any = self.child
        return [child.to_representation(item) for item in items]


class ProjectIndicatorSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:projectindicator-detail")
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    actual = serializers.SerializerMethodField(
        help_text=_(
            "Computed from the records (a decimal string); a manual indicator's reported value; "
            "null while a manual one is not reported or a rate has nothing planned."
        )
    )
    expected = serializers.SerializerMethodField(
        help_text=_("What the share of the period gone by asks for (a rate: its target).")
    )
    state = serializers.SerializerMethodField(
        help_text=_("met, on_track, behind, missed, not_reported or not_started.")
    )
    standard_label = serializers.SerializerMethodField(
        help_text=_("The assessment standard (and level) an assessment indicator counts under.")
    )

    class Meta:
        model = ProjectIndicator
        list_serializer_class = IndicatorListSerializer
        fields = [
            "id",
            "url",
            "project",
            "objective",
            "name",
            "measure",
            "target",
            "unit",
            "service_type",
            "standard",
            "level",
            "standard_label",
            "manual_actual",
            "evidence_note",
            "order",
            "actual",
            "expected",
            "state",
        ]

    def _row(self, obj: ProjectIndicator) -> Any:
        context: Any = self.context
        cache = context.setdefault("progress", {})
        if obj.project_id not in cache:
            cache.update(selectors.projects_progress([obj.project]))
        progress = cache[obj.project_id]
        return next(row for row in progress.indicators if row.indicator.pk == obj.pk)

    def get_actual(self, obj: ProjectIndicator) -> str | None:
        actual = self._row(obj).actual
        return None if actual is None else str(actual)

    def get_expected(self, obj: ProjectIndicator) -> str:
        return str(self._row(obj).expected)

    def get_state(self, obj: ProjectIndicator) -> str:
        return str(self._row(obj).state)

    def get_standard_label(self, obj: ProjectIndicator) -> str:
        return str(self._row(obj).standard_label)


class ProjectReportSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:projectreport-detail")
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())

    class Meta:
        model = ProjectReport
        fields = ["id", "url", "project", "outcomes", "stories", "lessons", "written_on"]


class ProjectAttachmentSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:projectattachment-detail")
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    file = serializers.FileField(
        write_only=True,
        help_text=_("A photo (JPEG, PNG) or a document (PDF, Word, Excel), at most 10 MB."),
    )
    download = serializers.SerializerMethodField()

    class Meta:
        model = ProjectAttachment
        fields = [
            "id",
            "url",
            "project",
            "title",
            "kind",
            "file",
            "taken_on",
            "in_report",
            "download",
        ]
        read_only_fields = ["kind"]

    def get_download(self, obj: ProjectAttachment) -> str:
        from django.urls import reverse

        request = self.context.get("request")
        path = reverse("projects:projectattachment_file", args=[obj.pk])
        return request.build_absolute_uri(path) if request is not None else path
