"""Filters of the volunteers lists; the pages and the API share them. ``region_code`` is a
prefix of the record's region code (a district, a town, a village)."""

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.core.crypto import lookup_hash
from swstation.core.filtersets import BaseFilterSet
from swstation.stations.models import Station
from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
from swstation.volunteers.selectors import running_pairings, with_next_due


def _visible_stations(request: Any) -> QuerySet[Station]:
    queryset: QuerySet[Station] = Station.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("region__code", "name")


def _visible_teams(request: Any) -> QuerySet[VolunteerTeam]:
    queryset: QuerySet[VolunteerTeam] = VolunteerTeam.objects.visible_to(
        getattr(request, "user", None)
    )
    return queryset.order_by("name")


class VolunteerFilterSet(BaseFilterSet):
    """``q`` is a name (or part of it), a skill, or an exact identity or phone number, found
    through its keyed hash (the numbers are stored encrypted)."""

    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    team = django_filters.ModelChoiceFilter(
        queryset=_visible_teams, field_name="teams", label=_("team")
    )
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    active = django_filters.BooleanFilter(method="filter_active", label=_("volunteering today"))
    # The cockpit's volunteer figures count volunteers where their station is.
    station_region_code = django_filters.CharFilter(
        field_name="station__region__code", lookup_expr="startswith", label=_("station's region")
    )

    class Meta:
        model = Volunteer
        fields = ["q", "station", "team", "region_code", "active", "station_region_code"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = (value or "").strip()
        if not value:
            return queryset
        digest = lookup_hash(value)
        return queryset.filter(
            Q(name__icontains=value)
            | Q(skills__icontains=value)
            | Q(id_number_hash=digest)
            | Q(phone_hash=digest)
        )

    def filter_active(
        self, queryset: QuerySet[Any], name: str, value: bool | None
    ) -> QuerySet[Any]:
        if value is None:
            return queryset
        today = timezone.localdate()
        active = Q(registered_on__lte=today) & (Q(left_on__isnull=True) | Q(left_on__gt=today))
        return queryset.filter(active) if value else queryset.exclude(active)


class VolunteerTeamFilterSet(BaseFilterSet):
    search_fields = ("name", "leader__name", "project__name")

    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = VolunteerTeam
        fields = ["q", "station", "region_code"]


DUE_CHOICES = (("overdue", _("Overdue")), ("due", _("Due within 2 days")))


class PairingFilterSet(BaseFilterSet):
    """``due``: ``overdue`` (the next visit's day has passed) or ``due`` (today or within two
    days), for the pairings running today."""

    search_fields = ("volunteer__name", "recipient__name", "team__name")

    station = django_filters.ModelChoiceFilter(
        queryset=_visible_stations, field_name="volunteer__station", label=_("station")
    )
    team = django_filters.ModelChoiceFilter(queryset=_visible_teams, label=_("team"))
    volunteer = django_filters.NumberFilter(field_name="volunteer_id", label=_("volunteer (ID)"))
    recipient = django_filters.NumberFilter(field_name="recipient_id", label=_("recipient (ID)"))
    region_code = django_filters.CharFilter(
        field_name="recipient__region__code", lookup_expr="startswith", label=_("region code")
    )
    active = django_filters.BooleanFilter(label=_("active"))
    due = django_filters.ChoiceFilter(
        choices=DUE_CHOICES, method="filter_due", label=_("visit due")
    )
    # The pairings running on a day (the cockpit's "pairings on schedule" of a past period).
    running_on = django_filters.DateFilter(method="filter_running_on", label=_("running on"))

    class Meta:
        model = Pairing
        fields = [
            "q",
            "station",
            "team",
            "volunteer",
            "recipient",
            "region_code",
            "active",
            "due",
            "running_on",
        ]

    def filter_running_on(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return running_pairings(queryset, value) if value else queryset

    def filter_due(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        today = timezone.localdate()
        if "next_due_on" not in queryset.query.annotations:
            queryset = with_next_due(queryset, on=today)
        running = running_pairings(queryset, today)
        if value == "overdue":
            return running.filter(Q(next_due_on__lt=today))
        return running.filter(Q(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=2)))


class ServiceVolunteerFilterSet(BaseFilterSet):
    search_fields = ("volunteer__name", "record__recipient__name")

    volunteer = django_filters.NumberFilter(field_name="volunteer_id", label=_("volunteer (ID)"))
    record = django_filters.NumberFilter(field_name="record_id", label=_("service record (ID)"))
    year = django_filters.NumberFilter(
        field_name="record__served_on", lookup_expr="year", label=_("year")
    )
    region_code = django_filters.CharFilter(
        field_name="record__recipient__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )

    class Meta:
        model = ServiceVolunteer
        fields = ["q", "volunteer", "record", "year", "region_code"]
