"""Tables of the project and enrolment lists (and of their .csv/.xlsx exports)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from swstation.core.tables import BaseTable
from swstation.projects.models import (
    Project,
    ProjectAttachment,
    ProjectEnrolment,
    ProjectIndicator,
    ProjectReport,
)


class ProjectTable(BaseTable):
    name = tables.Column(linkify=True)
    station = tables.Column(linkify=True)
    lead = tables.Column(linkify=True)
    target_groups = tables.ManyToManyColumn(verbose_name=_("target groups"), separator="、")
    enrolled_count = tables.Column(
        verbose_name=_("enrolled now"), accessor="enrolled_count", default=0
    )

    class Meta(BaseTable.Meta):
        model = Project
        fields = (
            "name",
            "station",
            "category",
            "field",
            "funding_level",
            "status",
            "starts_on",
            "ends_on",
            "lead",
            "target_groups",
            "enrolled_count",
        )


class ProjectEnrolmentTable(BaseTable):
    recipient = tables.Column(linkify=True)
    recipient_region = tables.Column(
        verbose_name=_("village / community"), accessor="recipient__region__name"
    )
    project = tables.Column(linkify=True)
    enrolled_on = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = ProjectEnrolment
        fields = (
            "recipient",
            "recipient_region",
            "project",
            "enrolled_on",
            "exited_on",
            "exit_reason",
        )


class ProjectIndicatorTable(BaseTable):
    name = tables.Column(linkify=True)
    project = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ProjectIndicator
        fields = ("project", "objective", "name", "measure", "target", "standard")


class ProjectReportTable(BaseTable):
    project = tables.Column(linkify=True)
    station = tables.Column(accessor="project__station__name", verbose_name=_("station"))
    written_on = tables.DateColumn(format="Y-m-d", linkify=True)

    class Meta(BaseTable.Meta):
        model = ProjectReport
        fields = ("project", "station", "written_on")


class ProjectAttachmentTable(BaseTable):
    title = tables.Column(linkify=True)
    project = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ProjectAttachment
        fields = ("title", "project", "kind", "taken_on", "in_report")
