"""Tables of the employment lists (and of their .csv/.xlsx exports). Numbers are shown masked
to every role, as recipients' and volunteers' are; a full number is only the logged reveal on
the page."""

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from swstation.core.tables import BaseTable
from swstation.employment.models import JobPost, JobSeeker, Placement


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
