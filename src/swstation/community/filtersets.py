"""Filters of the groups and community work lists; the pages and the API share them.
``region_code`` is a prefix of the record's region code (a district, a town, a village)."""

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.community.models import (
    ActivityKind,
    ActivityParticipant,
    ActivityPhoto,
    ActivityVolunteer,
    CampaignAction,
    CommunityActivity,
    GovernanceMeeting,
    Group,
    GroupKind,
    GroupMember,
    GroupSession,
    GroupStage,
    ParticipantGroup,
    Pledge,
    PledgeKind,
    PledgeSource,
    Proposal,
    ProposalOutcome,
    ProposalStage,
    SessionAttendance,
)
from swstation.core.filtersets import BaseFilterSet
from swstation.stations.models import Station


def _visible_stations(request: Any) -> QuerySet[Station]:
    queryset: QuerySet[Station] = Station.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("region__code", "name")


def _visible_groups(request: Any) -> QuerySet[Group]:
    queryset: QuerySet[Group] = Group.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("-starts_on", "name")


def _visible_activities(request: Any) -> QuerySet[CommunityActivity]:
    queryset: QuerySet[CommunityActivity] = CommunityActivity.objects.visible_to(
        getattr(request, "user", None)
    )
    return queryset.order_by("-held_on", "name")


def _visible_sessions(request: Any) -> QuerySet[GroupSession]:
    queryset: QuerySet[GroupSession] = GroupSession.objects.visible_to(
        getattr(request, "user", None)
    )
    return queryset.select_related("group").order_by("-held_on")


class GroupFilterSet(BaseFilterSet):
    search_fields = ("name", "purpose", "target_members", "station__name")

    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    kind = django_filters.ChoiceFilter(choices=GroupKind.choices, label=_("kind of group"))
    stage = django_filters.ChoiceFilter(choices=GroupStage.choices, label=_("group stage"))
    region_code = django_filters.CharFilter(
        field_name="station__region__code", lookup_expr="startswith", label=_("region code")
    )
    project = django_filters.NumberFilter(field_name="project", label=_("project"))
    year = django_filters.NumberFilter(field_name="starts_on__year", label=_("year"))
    # Groups that met (held a session) between the two days: the cockpit's "groups meeting".
    met_after = django_filters.DateFilter(method="filter_met", label=_("met on or after"))
    met_before = django_filters.DateFilter(method="filter_met", label=_("met on or before"))

    class Meta:
        model = Group
        fields = [
            "q",
            "station",
            "kind",
            "stage",
            "region_code",
            "project",
            "year",
            "met_after",
            "met_before",
        ]

    def filter_met(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """One session within both bounds (not one after the first and another before the
        second): the two filters read both days and apply once."""
        days = {key: self.form.cleaned_data.get(key) for key in ("met_after", "met_before")}
        if name == "met_before" and days["met_after"]:
            return queryset
        bounds = {}
        if days["met_after"]:
            bounds["held_on__gte"] = days["met_after"]
        if days["met_before"]:
            bounds["held_on__lte"] = days["met_before"]
        sessions = GroupSession.objects.filter(group=OuterRef("pk"), **bounds)
        return queryset.filter(Exists(sessions))


class GroupMemberFilterSet(BaseFilterSet):
    search_fields = ("name", "recipient__name", "group__name")

    group = django_filters.ModelChoiceFilter(queryset=_visible_groups, label=_("social work group"))
    region_code = django_filters.CharFilter(
        field_name="group__station__region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = GroupMember
        fields = ["q", "group", "region_code"]


class GroupSessionFilterSet(BaseFilterSet):
    search_fields = ("group__name", "content")

    group = django_filters.ModelChoiceFilter(queryset=_visible_groups, label=_("social work group"))
    region_code = django_filters.CharFilter(
        field_name="group__station__region__code", lookup_expr="startswith", label=_("region code")
    )
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("held on or after")
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("held on or before")
    )

    class Meta:
        model = GroupSession
        fields = ["q", "group", "region_code", "held_after", "held_before"]


class SessionAttendanceFilterSet(BaseFilterSet):
    search_fields = ("name", "member__name", "member__recipient__name", "session__group__name")

    session = django_filters.ModelChoiceFilter(queryset=_visible_sessions, label=_("group session"))
    region_code = django_filters.CharFilter(
        field_name="session__group__station__region__code",
        lookup_expr="startswith",
        label=_("region code"),
    )

    class Meta:
        model = SessionAttendance
        fields = ["q", "session", "region_code"]


class CommunityActivityFilterSet(BaseFilterSet):
    search_fields = ("name", "place", "organisers", "campaign", "region__name", "station__name")

    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("kind of activity"))
    campaign_action = django_filters.ChoiceFilter(
        choices=CampaignAction.choices, label=_("campaign action")
    )
    campaign = django_filters.CharFilter(label=_("campaign"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    held_after = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("held on or after")
    )
    held_before = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("held on or before")
    )
    project = django_filters.NumberFilter(field_name="project", label=_("project"))

    class Meta:
        model = CommunityActivity
        fields = [
            "q",
            "station",
            "kind",
            "campaign",
            "campaign_action",
            "region_code",
            "held_after",
            "held_before",
            "project",
        ]


class ActivityParticipantFilterSet(BaseFilterSet):
    search_fields = ("name", "recipient__name", "activity__name")

    activity = django_filters.ModelChoiceFilter(
        queryset=_visible_activities, label=_("community activity")
    )
    group = django_filters.ChoiceFilter(
        choices=ParticipantGroup.choices, label=_("participant group")
    )
    region_code = django_filters.CharFilter(
        field_name="activity__region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = ActivityParticipant
        fields = ["q", "activity", "group", "region_code"]


class ActivityPhotoFilterSet(BaseFilterSet):
    search_fields = ("title", "activity__name")

    activity = django_filters.ModelChoiceFilter(
        queryset=_visible_activities, label=_("community activity")
    )
    region_code = django_filters.CharFilter(
        field_name="activity__region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = ActivityPhoto
        fields = ["q", "activity", "region_code"]


class ActivityVolunteerFilterSet(BaseFilterSet):
    search_fields = ("volunteer__name", "activity__name", "session__group__name")

    activity = django_filters.NumberFilter(field_name="activity", label=_("community activity"))
    session = django_filters.NumberFilter(field_name="session", label=_("group session"))
    volunteer = django_filters.NumberFilter(field_name="volunteer", label=_("volunteer"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )

    class Meta:
        model = ActivityVolunteer
        fields = ["q", "activity", "session", "volunteer", "region_code"]


class CombinedActivityFilterSet(django_filters.FilterSet):
    """The filters of ``/api/v1/activities/`` (documentation of the combined list)."""

    kind = django_filters.ChoiceFilter(
        choices=[("group", _("social work group")), ("community", _("community activity"))],
        label=_("kind"),
    )
    region_code = django_filters.CharFilter(label=_("region code"))
    held_after = django_filters.DateFilter(label=_("held on or after"))
    held_before = django_filters.DateFilter(label=_("held on or before"))


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------


def _visible_proposals(request: Any) -> QuerySet[Proposal]:
    queryset: QuerySet[Proposal] = Proposal.objects.visible_to(getattr(request, "user", None))
    return queryset.order_by("-raised_on", "name")


class ProposalFilterSet(BaseFilterSet):
    search_fields = ("name", "place", "problem", "solution", "region__name", "station__name")

    station = django_filters.ModelChoiceFilter(queryset=_visible_stations, label=_("station"))
    stage = django_filters.ChoiceFilter(choices=ProposalStage.choices, label=_("proposal stage"))
    outcome = django_filters.ChoiceFilter(choices=ProposalOutcome.choices, label=_("outcome"))
    region_code = django_filters.CharFilter(
        field_name="region__code", lookup_expr="startswith", label=_("region code")
    )
    raised_after = django_filters.DateFilter(
        field_name="raised_on", lookup_expr="gte", label=_("raised on or after")
    )
    raised_before = django_filters.DateFilter(
        field_name="raised_on", lookup_expr="lte", label=_("raised on or before")
    )
    project = django_filters.NumberFilter(field_name="project", label=_("project"))

    class Meta:
        model = Proposal
        fields = [
            "q",
            "station",
            "stage",
            "outcome",
            "region_code",
            "raised_after",
            "raised_before",
            "project",
        ]


class PledgeFilterSet(BaseFilterSet):
    search_fields = ("resident_name", "partner__name", "volunteer__name", "description")

    proposal = django_filters.ModelChoiceFilter(
        queryset=_visible_proposals, label=_("micro-governance proposal")
    )
    kind = django_filters.ChoiceFilter(choices=PledgeKind.choices, label=_("kind of pledge"))
    source = django_filters.ChoiceFilter(choices=PledgeSource.choices, label=_("pledged by"))
    region_code = django_filters.CharFilter(
        field_name="proposal__region__code", lookup_expr="startswith", label=_("region code")
    )
    pledged_after = django_filters.DateFilter(
        field_name="pledged_on", lookup_expr="gte", label=_("pledged on or after")
    )
    pledged_before = django_filters.DateFilter(
        field_name="pledged_on", lookup_expr="lte", label=_("pledged on or before")
    )

    class Meta:
        model = Pledge
        fields = [
            "q",
            "proposal",
            "kind",
            "source",
            "region_code",
            "pledged_after",
            "pledged_before",
        ]


class GovernanceMeetingFilterSet(BaseFilterSet):
    search_fields = ("topics", "place", "proposal__name", "council__name")

    proposal = django_filters.ModelChoiceFilter(
        queryset=_visible_proposals, label=_("micro-governance proposal")
    )
    council = django_filters.NumberFilter(
        field_name="council", label=_("residents' self-governance station")
    )
    of = django_filters.ChoiceFilter(
        choices=[("proposal", _("Proposals' meetings")), ("council", _("Council meetings"))],
        method="filter_of",
        label=_("kind of meeting"),
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
        model = GovernanceMeeting
        fields = ["q", "proposal", "council", "of", "region_code", "held_after", "held_before"]

    def filter_of(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "proposal":
            return queryset.filter(proposal__isnull=False)
        if value == "council":
            return queryset.filter(council__isnull=False)
        return queryset
