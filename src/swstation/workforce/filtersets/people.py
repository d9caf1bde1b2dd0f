"""Filters of the people, certificates, training, supervision and talent lists; the pages and
the API share them."""

from datetime import date
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.filtersets import BaseFilterSet, YearFilter, year_filter
from swstation.stations.models import Station
from swstation.workforce.models import (
    Attendance,
    Certificate,
    CertificateLevel,
    CertificateMethod,
    ClassTier,
    Course,
    CourseMode,
    Post,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    SupervisorLevel,
    TalentCatalogue,
    TalentEntry,
    TrainingClass,
)

__all__ = [
    "AttendanceFilterSet",
    "CertificateFilterSet",
    "CourseFilterSet",
    "SocialWorkerFilterSet",
    "SupervisionSessionFilterSet",
    "SupervisorFilterSet",
    "TalentEntryFilterSet",
    "TrainingClassFilterSet",
]

NO_CERTIFICATE = "none"


def _visible_stations(request: Any) -> QuerySet[Station]:
    """Station choices of a filter: the stations the requesting user may see."""
    user = getattr(request, "user", None)
    queryset: QuerySet[Station] = Station.objects.visible_to(user).order_by("region__code", "name")
    return queryset


class SocialWorkerFilterSet(BaseFilterSet):
    search_fields = ("name",)

    level = django_filters.ChoiceFilter(
        choices=[*CertificateLevel.choices, (NO_CERTIFICATE, _("No certificate"))],
        method="filter_level",
        label=_("highest certificate"),
    )
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    is_fulltime = django_filters.BooleanFilter(label=_("full-time"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("still working"))
    post = django_filters.ChoiceFilter(choices=Post.choices, label=_("post"))
    # The cockpit's certified people (issue 10/18): holding a certificate on a day (``level``
    # then reads the highest level held that day), or first certified in a year.
    certified_on = django_filters.DateFilter(method="filter_certified_on", label=_("certified on"))
    first_certified_year = YearFilter(
        method="filter_first_certified_year", label=_("first certified in")
    )

    class Meta:
        model = SocialWorker
        fields = ["q", "level", "station", "region_code", "is_fulltime", "active", "post"]

    def _held(self) -> QuerySet[Any]:
        held = Certificate.objects.filter(social_worker=OuterRef("pk"))
        on = self.form.cleaned_data.get("certified_on")
        return held.filter(obtained_on__lte=on) if on else held

    def filter_certified_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(Exists(self._held())) if value else queryset

    def filter_first_certified_year(
        self, queryset: QuerySet[Any], name: str, value: Any
    ) -> QuerySet[Any]:
        if not value:
            return queryset
        held = Certificate.objects.filter(social_worker=OuterRef("pk"))
        return queryset.filter(Exists(held.filter(obtained_on__year=value))).exclude(
            Exists(held.filter(obtained_on__lt=date(int(value), 1, 1)))
        )

    def filter_level(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """By the highest level held (by ``certified_on`` when given): holds ``value`` and
        nothing higher (level codes sort by rank). EXISTS lookups use the (social_worker,
        level) index instead of computing the highest level of every person first."""
        held = self._held()
        if value == NO_CERTIFICATE:
            return queryset.filter(~Exists(held))
        return queryset.filter(Exists(held.filter(level=value))).exclude(
            Exists(held.filter(level__gt=value))
        )

    def filter_active(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        working = Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate())
        return queryset.filter(working) if value else queryset.exclude(working)


class CertificateFilterSet(BaseFilterSet):
    search_fields = ("number", "social_worker__name")

    level = django_filters.ChoiceFilter(choices=CertificateLevel.choices, label=_("level"))
    method = django_filters.ChoiceFilter(choices=CertificateMethod.choices, label=_("obtained by"))
    social_worker = django_filters.NumberFilter(
        field_name="social_worker_id", label=_("social worker (ID)")
    )
    region_code = django_filters.CharFilter(
        field_name="social_worker__region__code", lookup_expr="startswith", label=_("region code")
    )
    obtained_year = year_filter("obtained_on", _("year obtained"))
    obtained_after = django_filters.DateFilter(
        field_name="obtained_on", lookup_expr="gte", label=_("obtained on or after")
    )
    obtained_before = django_filters.DateFilter(
        field_name="obtained_on", lookup_expr="lte", label=_("obtained on or before")
    )

    class Meta:
        model = Certificate
        fields = [
            "q",
            "level",
            "method",
            "social_worker",
            "region_code",
            "obtained_year",
            "obtained_after",
            "obtained_before",
        ]


class TrainingClassFilterSet(BaseFilterSet):
    search_fields = ("name", "organiser")

    tier = django_filters.ChoiceFilter(choices=ClassTier.choices, label=_("tier"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    year = year_filter("starts_on", _("year started"))

    class Meta:
        model = TrainingClass
        fields = ["q", "tier", "region_code", "year"]


class CourseFilterSet(BaseFilterSet):
    search_fields = ("title", "teacher")

    mode = django_filters.ChoiceFilter(choices=CourseMode.choices, label=_("mode"))
    training_class = django_filters.NumberFilter(
        field_name="training_class_id", label=_("class (ID)")
    )
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("held on or after")
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("held on or before")
    )

    class Meta:
        model = Course
        fields = ["q", "mode", "training_class", "region_code", "held_after", "held_before"]


class AttendanceFilterSet(BaseFilterSet):
    search_fields = ("social_worker__name", "course__title")

    course = django_filters.NumberFilter(field_name="course_id", label=_("course (ID)"))
    social_worker = django_filters.NumberFilter(
        field_name="social_worker_id", label=_("social worker (ID)")
    )
    region_code = django_filters.CharFilter(
        field_name="social_worker__region__code", lookup_expr="startswith", label=_("region code")
    )
    year = year_filter("course__held_on", _("year"))

    class Meta:
        model = Attendance
        fields = ["q", "course", "social_worker", "region_code", "year"]


class SupervisorFilterSet(BaseFilterSet):
    search_fields = ("name", "field", "organisation")

    level = django_filters.ChoiceFilter(choices=SupervisorLevel.choices, label=_("level"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = Supervisor
        fields = ["q", "level", "region_code"]


class FollowUp:
    PENDING = "pending"
    OVERDUE = "overdue"
    DONE = "done"
    CHOICES = (
        (PENDING, _("Due and not done")),
        (OVERDUE, _("Overdue")),
        (DONE, _("Done")),
    )


class SupervisionSessionFilterSet(BaseFilterSet):
    search_fields = ("topic", "supervisor__name", "station__name")

    supervisor = django_filters.NumberFilter(field_name="supervisor_id", label=_("supervisor (ID)"))
    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="station__region__code", lookup_expr="startswith", label=_("region code")
    )
    follow_up = django_filters.ChoiceFilter(
        choices=FollowUp.CHOICES, method="filter_follow_up", label=_("follow-ups")
    )
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("held on or after")
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("held on or before")
    )

    class Meta:
        model = SupervisionSession
        fields = [
            "q",
            "supervisor",
            "station",
            "region_code",
            "follow_up",
            "held_after",
            "held_before",
        ]

    def filter_follow_up(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Follow-ups with a due date and not done (``pending``), those past their due date
        (``overdue``), or done."""
        if value == FollowUp.DONE:
            return queryset.filter(follow_up_done=True)
        pending = queryset.filter(follow_up_due__isnull=False, follow_up_done=False)
        if value == FollowUp.OVERDUE:
            return pending.filter(follow_up_due__lt=timezone.localdate())
        return pending


class TalentEntryFilterSet(BaseFilterSet):
    search_fields = ("social_worker__name", "note")

    catalogue = django_filters.ChoiceFilter(choices=TalentCatalogue.choices, label=_("catalogue"))
    region_code = django_filters.CharFilter(
        field_name="social_worker__region__code", lookup_expr="startswith", label=_("region code")
    )
    current = django_filters.BooleanFilter(method="filter_current", label=_("currently valid"))

    class Meta:
        model = TalentEntry
        fields = ["q", "catalogue", "region_code", "current"]

    def filter_current(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        today = timezone.localdate()
        valid = Q(listed_on__lte=today) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        return queryset.filter(valid) if value else queryset.exclude(valid)
