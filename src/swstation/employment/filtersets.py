"""Filters of the employment lists; the pages and the API share them. ``region_code`` is a
prefix of the record's region code (a district, a town, a village)."""

from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.crypto import lookup_hash
from swstation.core.filtersets import BaseFilterSet
from swstation.employment import selectors
from swstation.employment.models import (
    FollowUpInterval,
    IncomeCheck,
    IncomeFollowUp,
    JobPost,
    JobSeeker,
    Placement,
    PlacementStatus,
    PostStatus,
    SeekerCategory,
    SeekerStatus,
    TravelRange,
)
from swstation.linkage.models import Partner, PartnerKind
from swstation.recipients.identifiers import Sex
from swstation.stations.models import Station

MONTHS = [(month, _("month %(month)d") % {"month": month}) for month in range(1, 13)]


def _visible_stations(request: Any) -> QuerySet[Station]:
    queryset: QuerySet[Station] = Station.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("region__code", "name")


def _visible_employers(request: Any) -> QuerySet[Partner]:
    queryset: QuerySet[Partner] = Partner.objects.visible_to(getattr(request, "user", None))
    return queryset.filter(kind=PartnerKind.ENTERPRISE).order_by("name")


class JobSeekerFilterSet(BaseFilterSet):
    """``q`` is a name (or part of it), a skill, or an exact identity or phone number, found
    through its keyed hash (the numbers are stored encrypted). ``month``: free that month."""

    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    status = django_filters.ChoiceFilter(choices=SeekerStatus.choices, label=_("status"))
    sex = django_filters.ChoiceFilter(choices=Sex.choices, label=_("sex"))
    category = django_filters.ChoiceFilter(
        choices=SeekerCategory.choices, label=_("category of job seeker")
    )
    travel_range = django_filters.ChoiceFilter(
        choices=TravelRange.choices, label=_("how far they travel")
    )
    month = django_filters.ChoiceFilter(
        choices=[(str(month), label) for month, label in MONTHS],
        method="filter_month",
        label=_("free in month"),
    )
    # The cockpit's "seekers trained": a skills training attended between the two days.
    trained_after = django_filters.DateFilter(
        method="filter_trained", label=_("trained on or after")
    )
    trained_before = django_filters.DateFilter(
        method="filter_trained", label=_("trained on or before")
    )

    class Meta:
        model = JobSeeker
        fields = [
            "q",
            "station",
            "region_code",
            "status",
            "sex",
            "category",
            "travel_range",
            "month",
            "trained_after",
            "trained_before",
        ]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = (value or "").strip()
        if not value:
            return queryset
        digest = lookup_hash(value)
        return queryset.filter(
            Q(name__icontains=value)
            | Q(skills__icontains=value)
            | Q(work_wanted__icontains=value)
            | Q(id_number_hash=digest)
            | Q(phone_hash=digest)
        )

    def filter_month(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        bit = 1 << (int(value) - 1)

        return queryset.annotate(_free=F("available_months").bitand(bit)).filter(_free__gt=0)

    def filter_trained(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """One training within both bounds (not one after the first and another before the
        second): the two filters read both days and apply once."""
        days = {key: self.form.cleaned_data.get(key) for key in ("trained_after", "trained_before")}
        if name == "trained_before" and days["trained_after"]:
            return queryset
        return selectors.trained_seekers(
            queryset,
            actor=self._user(),
            start=days["trained_after"],
            end=days["trained_before"],
        )


class JobPostFilterSet(BaseFilterSet):
    """``current``: the season has not ended."""

    search_fields = ("title", "skills", "employer__name")

    employer = django_filters.ModelChoiceFilter(queryset=_visible_employers, label=_("employer"))
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    status = django_filters.ChoiceFilter(choices=PostStatus.choices, label=_("post status"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("season not over"))
    # The cockpit's 就业帮扶 figures (dashboard/employment_figures.py) open the posts posted
    # in the period.
    posted_after = django_filters.DateFilter(
        field_name="posted_on", lookup_expr="gte", label=_("posted on or after")
    )
    posted_before = django_filters.DateFilter(
        field_name="posted_on", lookup_expr="lte", label=_("posted on or before")
    )

    class Meta:
        model = JobPost
        fields = [
            "q",
            "employer",
            "station",
            "region_code",
            "status",
            "current",
            "posted_after",
            "posted_before",
        ]

    def filter_current(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        today = timezone.localdate()
        return (
            queryset.filter(season_to__gte=today) if value else queryset.filter(season_to__lt=today)
        )


class PlacementFilterSet(BaseFilterSet):
    search_fields = ("seeker__name", "post__title", "post__employer__name")

    status = django_filters.ChoiceFilter(choices=PlacementStatus.choices, label=_("status"))
    post = django_filters.NumberFilter(field_name="post_id", label=_("job post (ID)"))
    seeker = django_filters.NumberFilter(field_name="seeker_id", label=_("job seeker (ID)"))
    employer = django_filters.ModelChoiceFilter(
        queryset=_visible_employers, field_name="post__employer", label=_("employer")
    )
    sex = django_filters.ChoiceFilter(choices=Sex.choices, field_name="seeker__sex", label=_("sex"))
    region_code = django_filters.CharFilter(
        field_name="post__region__code", lookup_expr="startswith", label=_("region code")
    )

    # The cockpit's placements hired in the period, by the seeker's category.
    hired_after = django_filters.DateFilter(method="filter_hired", label=_("hired on or after"))
    hired_before = django_filters.DateFilter(method="filter_hired", label=_("hired on or before"))
    category = django_filters.ChoiceFilter(
        choices=SeekerCategory.choices,
        field_name="seeker__category",
        label=_("category of job seeker"),
    )

    class Meta:
        model = Placement
        fields = [
            "q",
            "status",
            "post",
            "seeker",
            "employer",
            "sex",
            "region_code",
            "hired_after",
            "hired_before",
            "category",
        ]

    def filter_hired(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Hired (录用, at work since or having left) on or after / on or before ``value``."""
        if not value:
            return queryset
        if name == "hired_after":
            return queryset.filter(selectors.hired_q(value, None))
        return queryset.filter(selectors.hired_q(None, value))


class IncomeFollowUpFilterSet(BaseFilterSet):
    """``q`` is the head of the household or the project's name; ``followed``: not ended."""

    search_fields = ("household__head_name", "project__name")

    project = django_filters.NumberFilter(field_name="project_id", label=_("project (ID)"))
    household = django_filters.NumberFilter(field_name="household_id", label=_("household (ID)"))
    station = django_filters.ModelChoiceFilter(
        queryset=_visible_stations, field_name="project__station", label=_("station")
    )
    region_code = django_filters.CharFilter(
        field_name="household__region__code", lookup_expr="startswith", label=_("region code")
    )
    interval = django_filters.ChoiceFilter(
        choices=FollowUpInterval.choices, label=_("follow-up interval")
    )
    followed = django_filters.BooleanFilter(
        field_name="ended_on", lookup_expr="isnull", label=_("still followed")
    )
    started_after = django_filters.DateFilter(
        field_name="started_on", lookup_expr="gte", label=_("baseline on or after")
    )
    started_before = django_filters.DateFilter(
        field_name="started_on", lookup_expr="lte", label=_("baseline on or before")
    )
    # The cockpit's follow-ups under way in the period: started by its end, not ended before
    # its start.
    ended_after = django_filters.DateFilter(
        method="filter_ended_after", label=_("still followed on or after")
    )

    class Meta:
        model = IncomeFollowUp
        fields = [
            "q",
            "project",
            "household",
            "station",
            "region_code",
            "interval",
            "followed",
            "started_after",
            "started_before",
            "ended_after",
        ]

    def filter_ended_after(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if not value:
            return queryset
        return queryset.filter(selectors.followed_q(value, None))


class IncomeCheckFilterSet(BaseFilterSet):
    search_fields = ("follow_up__household__head_name", "follow_up__project__name")

    follow_up = django_filters.NumberFilter(
        field_name="follow_up_id", label=_("income follow-up (ID)")
    )
    region_code = django_filters.CharFilter(
        field_name="follow_up__household__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )
    checked_after = django_filters.DateFilter(
        field_name="checked_on", lookup_expr="gte", label=_("checked on or after")
    )
    checked_before = django_filters.DateFilter(
        field_name="checked_on", lookup_expr="lte", label=_("checked on or before")
    )

    class Meta:
        model = IncomeCheck
        fields = ["q", "follow_up", "region_code", "checked_after", "checked_before"]
