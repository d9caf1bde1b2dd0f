"""API of projects (项目) and their beneficiaries. Reads go through selectors.py, writes through
services.py, so the page and the API share every rule."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.projects import filtersets, selectors, services
from swstation.projects.api import serializers as project_serializers
from swstation.projects.models import (
    Project,
    ProjectAttachment,
    ProjectEnrolment,
    ProjectIndicator,
    ProjectReport,
)

# The role check of the life-cycle actions: changing the project (the service then checks who
# approves or terminates for the project's money).
ACTION_PERMISSIONS = {"advance": "change", "terminate": "change"}


class ProjectViewSet(ScopedModelViewSet):
    """Projects (项目) of the stations' "1+X+1" portfolio, each with its ``station``,
    ``region_code`` (the station's), ``category`` (``vulnerable_groups``,
    ``regional_feature``, ``talent_support``), ``field``, ``status`` and ``enrolled_count``
    (people enrolled now). A district hub's projects are read by the stations of its district
    and changed only at the district.

    A new project is ``proposed``. Its status moves only through the actions: ``advance/``
    with ``to_status``, the next step of ``proposed → approved → running → midterm → closing →
    closed`` (``on``: the day of an approval or a closure), and ``terminate/`` with a
    ``reason``. A skipped, repeated or late step answers 409 with the reason in ``detail``.
    Approving and terminating belong to the station manager when the project asks only for
    station money (``funding_level`` ``station``), to the district officer when it asks for
    district or city money (the city bureau may do both); another role gets 403. Only a
    proposal is deleted; a closed or terminated project does not change.

    Filters: ``category``, ``field``, ``status`` (repeatable), ``funding_level``, ``station``
    (id), ``region_code`` (prefix), ``target_group`` (category code), ``year`` (running at some
    time of the year), ``active_on`` (a day), ``q`` (name, station or lead)."""

    model = Project
    serializer_class = project_serializers.ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet
    ordering_fields = ["starts_on", "ends_on", "name", "status", "category"]

    @property
    def permission_action(self) -> str | None:
        return ACTION_PERMISSIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.project_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            project = services.project_create(actor=self.request.user, **data)
        else:
            project = services.project_update(
                actor=self.request.user, project=serializer.instance, **data
            )
        serializer.instance = project
        return project

    def perform_destroy(self, instance: Project) -> None:
        services.project_delete(actor=self.request.user, project=instance)

    def _body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        body = serializer_class(data=self.request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _answer(self, project: Project) -> Response:
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        request=project_serializers.ProjectAdvanceSerializer,
        responses=transition_responses(project_serializers.ProjectSerializer),
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        data = self._body(project_serializers.ProjectAdvanceSerializer)
        return self._answer(
            services.project_advance(
                actor=request.user,
                project=project,
                to_status=data["to_status"],
                on=data.get("on"),
            )
        )

    @extend_schema(
        request=project_serializers.ProjectTerminateSerializer,
        responses=transition_responses(project_serializers.ProjectSerializer),
    )
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str | None = None) -> Response:
        project = self.get_object()
        data = self._body(project_serializers.ProjectTerminateSerializer)
        return self._answer(
            services.project_terminate(
                actor=request.user, project=project, reason=data["reason"], on=data.get("on")
            )
        )


class ProjectEnrolmentViewSet(ScopedModelViewSet):
    """People enrolled in projects (the projects' beneficiaries), with their enrolment and exit
    dates. A person is enrolled in a project of the caller's jurisdiction that is approved,
    running or at its midterm evaluation, and lives in the region of the project's station;
    the enrolments of a closed or terminated project do not change. The enrolments of minors
    are left out for auditors.

    Filters: ``project`` (id), ``category`` (the project's), ``region_code`` (the person's
    village, prefix), ``current`` (still enrolled), ``enrolled_year``, ``q`` (person or
    project)."""

    model = ProjectEnrolment
    serializer_class = project_serializers.ProjectEnrolmentSerializer
    filterset_class = filtersets.ProjectEnrolmentFilterSet
    ordering_fields = ["enrolled_on", "exited_on"]

    def get_queryset(self) -> QuerySet[ProjectEnrolment]:
        return selectors.project_enrolment_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            enrolment = services.enrolment_create(actor=self.request.user, **data)
        else:
            enrolment = services.enrolment_update(
                actor=self.request.user, enrolment=serializer.instance, **data
            )
        serializer.instance = enrolment
        return enrolment

    def perform_destroy(self, instance: ProjectEnrolment) -> None:
        services.enrolment_delete(actor=self.request.user, enrolment=instance)


class ProjectIndicatorViewSet(ScopedModelViewSet):
    """The indicators of the projects' objectives, each with its ``target`` and its
    ``actual`` computed from the records (``services``, ``people_served``, ``enrolled``,
    ``visit_rate``, ``hours``, ``sessions``, ``assessed`` under a ``standard``) or reported by
    hand (``manual``, with evidence attached on the page), the ``expected`` value for the
    period gone by and the ``state`` (``behind`` when below 90% of it).

    Filters: ``project`` (id), ``measure``, ``region_code`` (prefix), ``q``."""

    model = ProjectIndicator
    serializer_class = project_serializers.ProjectIndicatorSerializer
    filterset_class = filtersets.ProjectIndicatorFilterSet
    ordering_fields = ["order", "name"]

    def get_queryset(self) -> QuerySet[ProjectIndicator]:
        return selectors.indicator_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            indicator = services.indicator_create(actor=self.request.user, **data)
        else:
            indicator = services.indicator_update(
                actor=self.request.user, indicator=serializer.instance, **data
            )
        serializer.instance = indicator
        return indicator

    def perform_destroy(self, instance: ProjectIndicator) -> None:
        services.indicator_delete(actor=self.request.user, indicator=instance)


class ProjectReportViewSet(ScopedModelViewSet):
    """Closing reports (结项报告) of projects that are closing or closed: outcomes, stories,
    lessons. Filters: ``category``, ``region_code``, ``year`` (written), ``q``."""

    model = ProjectReport
    serializer_class = project_serializers.ProjectReportSerializer
    filterset_class = filtersets.ProjectReportFilterSet
    ordering_fields = ["written_on"]

    def get_queryset(self) -> QuerySet[ProjectReport]:
        return selectors.report_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            report = services.report_create(actor=self.request.user, **data)
        else:
            report = services.report_update(
                actor=self.request.user, report=serializer.instance, **data
            )
        serializer.instance = report
        return report

    def perform_destroy(self, instance: ProjectReport) -> None:
        services.report_delete(actor=self.request.user, report=instance)


class ProjectAttachmentViewSet(ScopedModelViewSet):
    """Photos and documents of projects (multipart upload of ``file``: JPEG, PNG, PDF, Word,
    Excel, at most 10 MB, its content checked against its name); ``download`` is the page
    that sends the file to those who may see the project. Filters: ``project``, ``kind``,
    ``region_code``, ``q``."""

    model = ProjectAttachment
    serializer_class = project_serializers.ProjectAttachmentSerializer
    filterset_class = filtersets.ProjectAttachmentFilterSet
    ordering_fields = ["taken_on", "title"]

    def get_queryset(self) -> QuerySet[ProjectAttachment]:
        return selectors.attachment_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            item = services.attachment_create(actor=self.request.user, **data)
        else:
            item = services.attachment_update(
                actor=self.request.user, attachment=serializer.instance, **data
            )
        serializer.instance = item
        return item

    def perform_destroy(self, instance: ProjectAttachment) -> None:
        services.attachment_delete(actor=self.request.user, attachment=instance)
