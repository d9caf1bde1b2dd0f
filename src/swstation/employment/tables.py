"""Tables of the employment lists (and of their .csv/.xlsx exports). Numbers are shown masked
to every role, as recipients' and volunteers' are; a full number is only the logged reveal on
the page."""

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from swstation.core.numbers import format_number
from swstation.core.tables import BaseTable
from swstation.employment.models import IncomeCheck, IncomeFollowUp, JobPost, JobSeeker, Placement


class JobSeekerTable(BaseTable):
    name = tables.Column(linkify=True)
    sex = tables.Column()
    category = tables.Column()
    region = tables.Column(order_by=("region__code",))
    phone_masked = tables.Column(verbose_name=_("phone"))
    skills = tables.Column()
    months = tables.Column(
        verbose_name=_("months available"), accessor="months_display", orderable=False
    )
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = JobSeeker
        fields = (
            "name",
            "sex",
            "category",
            "region",
            "phone_masked",
            "skills",
            "months",
            "hours_per_day",
            "status",
        )


class JobPostTable(BaseTable):
    title = tables.Column(linkify=True)
    employer = tables.Column(order_by=("employer__name",))
    region = tables.Column(order_by=("region__code",))
    season_from = tables.DateColumn(format="Y-m-d")
    season_to = tables.DateColumn(format="Y-m-d")
    places_filled = tables.Column(verbose_name=_("places filled"))
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = JobPost
        fields = (
            "title",
            "employer",
            "region",
            "season_from",
            "season_to",
            "places",
            "places_filled",
            "pay",
            "status",
        )


class PlacementTable(BaseTable):
    seeker = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("seeker__name",)
    )
    post = tables.Column(order_by=("post__title",))
    employer = tables.Column(
        accessor="post__employer__name", verbose_name=_("employer"), orderable=False
    )
    referred_on = tables.DateColumn(format="Y-m-d")
    starts_on = tables.DateColumn(format="Y-m-d")
    ends_on = tables.DateColumn(format="Y-m-d")
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Placement
        fields = (
            "seeker",
            "post",
            "employer",
            "referred_on",
            "status",
            "starts_on",
            "ends_on",
            "pay",
        )

    def render_post(self, record: Placement) -> Any:
        return record.post.title

    def value_post(self, record: Placement) -> str:
        return str(record.post.title)


class IncomeFollowUpTable(BaseTable):
    household = tables.Column(
        accessor="household__head_name",
        verbose_name=_("head of household"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("household__head_name",),
    )
    region = tables.Column(
        accessor="household__region__name",
        verbose_name=_("village / community"),
        order_by=("household__region__code",),
    )
    project = tables.Column(order_by=("project__name",))
    started_on = tables.DateColumn(format="Y-m-d")
    baseline = tables.Column(
        verbose_name=_("income before (yuan a month)"),
        accessor="baseline_total",
        orderable=False,
    )
    check_count = tables.Column(verbose_name=_("checks"))
    last_checked = tables.DateColumn(format="Y-m-d", verbose_name=_("last checked"))
    ended_on = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = IncomeFollowUp
        fields = (
            "household",
            "region",
            "project",
            "interval",
            "started_on",
            "baseline",
            "check_count",
            "last_checked",
            "ended_on",
        )

    def render_baseline(self, value: Any) -> str:
        return format_number(value)

    def render_project(self, record: IncomeFollowUp) -> Any:
        return record.project.name

    def value_project(self, record: IncomeFollowUp) -> str:
        return str(record.project.name)


class IncomeCheckTable(BaseTable):
    household = tables.Column(
        accessor="follow_up__household__head_name",
        verbose_name=_("head of household"),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("follow_up__household__head_name",),
    )
    checked_on = tables.DateColumn(format="Y-m-d")
    total = tables.Column(verbose_name=_("income (yuan a month)"), orderable=False)

    class Meta(BaseTable.Meta):
        model = IncomeCheck
        fields = ("household", "checked_on", "earned", "given", "total")
