"""Serializers of the groups and community work API. Every record names its ``region_code``
(12 digits): a group's and a session's is their station's, an activity's its village's."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from swstation.community.models import (
    ActivityParticipant,
    ActivityPhoto,
    ActivityVolunteer,
    CommunityActivity,
    GoalsMet,
    GovernanceMeeting,
    Group,
    GroupMember,
    GroupSession,
    GroupStage,
    Pledge,
    Proposal,
    ProposalOutcome,
    ProposalStage,
    SessionAttendance,
)
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.linkage.models import Partner
from swstation.projects.api.serializers import ScopedListsMixin
from swstation.projects.models import Project
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.volunteers.models import Volunteer
from swstation.workforce.models import SocialWorker

STATION_REGION_HELP = _("The 12-digit code of the station's region.")


class GroupSerializer(ScopedListsMixin, ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:group-detail")
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    region_code = serializers.CharField(
        source="station.region.code", read_only=True, help_text=STATION_REGION_HELP
    )
    village = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("12-digit code of the village or community where the group meets."),
    )
    facilitators = serializers.PrimaryKeyRelatedField(
        queryset=SocialWorker.objects.all(), many=True
    )
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    session_count = serializers.IntegerField(read_only=True, default=0)
    member_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Group
        fields = [
            "id",
            "url",
            "station",
            "station_name",
            "region_code",
            "name",
            "kind",
            "purpose",
            "target_members",
            "village",
            "planned_sessions",
            "starts_on",
            "facilitators",
            "project",
            "stage",
            "ended_on",
            "goals_met",
            "evaluation",
            "measure_name",
            "pre_score",
            "post_score",
            "session_count",
            "member_count",
        ]


class GroupAdvanceSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(
        choices=GroupStage.choices,
        help_text=_("The group's next stage: forming, transition, mature or ended."),
    )
    on = serializers.DateField(required=False, help_text=_("The day the group ended."))
    goals_met = serializers.ChoiceField(
        choices=GoalsMet.choices, required=False, help_text=_("To end the group.")
    )
    evaluation = serializers.CharField(
        required=False, max_length=10_000, help_text=_("To end the group.")
    )


class GroupMemberSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:groupmember-detail")
    group = serializers.PrimaryKeyRelatedField(queryset=Group.objects.all())
    recipient = serializers.PrimaryKeyRelatedField(
        queryset=Recipient.objects.all(), required=False, allow_null=True
    )
    display_name = serializers.CharField(read_only=True)
    region_code = serializers.CharField(
        source="group.station.region.code", read_only=True, help_text=STATION_REGION_HELP
    )

    class Meta:
        model = GroupMember
        fields = [
            "id",
            "url",
            "group",
            "recipient",
            "name",
            "display_name",
            "region_code",
            "joined_on",
            "left_on",
        ]
        # The model's constraints are checked by the service's full_clean (a DRF unique
        # validator would make the optional recipient required).
        validators: list[Any] = []


class GroupSessionSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:groupsession-detail")
    group = serializers.PrimaryKeyRelatedField(queryset=Group.objects.all())
    number = serializers.IntegerField(
        min_value=1, max_value=200, required=False, help_text=_("Default: the next number.")
    )
    region_code = serializers.CharField(
        source="group.station.region.code", read_only=True, help_text=STATION_REGION_HELP
    )
    present_count = serializers.IntegerField(
        read_only=True,
        default=0,
        help_text=_("People present: members, walk-ins named and walk-ins counted."),
    )

    class Meta:
        model = GroupSession
        fields = [
            "id",
            "url",
            "group",
            "number",
            "region_code",
            "held_on",
            "content",
            "facilitator_notes",
            "walk_in_count",
            "present_count",
        ]
        read_only_fields = ["walk_in_count"]
        validators: list[Any] = []  # the number is optional: the service gives the next one


class SessionAttendanceWriteSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Ids of the members present.")
    )
    walk_in_names = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, default=list
    )
    walk_in_count = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)


class SessionAttendanceSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:sessionattendance-detail")
    display_name = serializers.CharField(read_only=True)
    region_code = serializers.CharField(
        source="session.group.station.region.code", read_only=True, help_text=STATION_REGION_HELP
    )

    class Meta:
        model = SessionAttendance
        fields = ["id", "url", "session", "member", "name", "display_name", "region_code"]
        read_only_fields = fields


class CommunityActivitySerializer(
    ScopedListsMixin, ScopedSerializerMixin, serializers.ModelSerializer
):
    url = serializers.HyperlinkedIdentityField(view_name="api:communityactivity-detail")
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("The 12-digit code of the village or community where it was held."),
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    participants_counted = serializers.IntegerField(read_only=True, default=0)
    partners = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), many=True, required=False
    )

    class Meta:
        model = CommunityActivity
        fields = [
            "id",
            "url",
            "station",
            "station_name",
            "region_code",
            "region_name",
            "name",
            "kind",
            "place",
            "held_on",
            "organisers",
            "campaign",
            "campaign_action",
            "project",
            "partners",
            "elders_count",
            "children_count",
            "others_count",
            "participants_counted",
            "description",
        ]


class ActivityParticipantSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activityparticipant-detail")
    activity = serializers.PrimaryKeyRelatedField(queryset=CommunityActivity.objects.all())
    recipient = serializers.PrimaryKeyRelatedField(
        queryset=Recipient.objects.all(), required=False, allow_null=True
    )
    display_name = serializers.CharField(read_only=True)
    region_code = serializers.CharField(source="activity.region.code", read_only=True)

    class Meta:
        model = ActivityParticipant
        fields = [
            "id",
            "url",
            "activity",
            "recipient",
            "name",
            "display_name",
            "group",
            "region_code",
        ]


class ActivityPhotoSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activityphoto-detail")
    activity = serializers.PrimaryKeyRelatedField(queryset=CommunityActivity.objects.all())
    region_code = serializers.CharField(source="activity.region.code", read_only=True)
    file = serializers.FileField(write_only=True, required=False)
    file_url = serializers.SerializerMethodField(
        help_text=_("The photo, for those who may see it.")
    )

    class Meta:
        model = ActivityPhoto
        fields = ["id", "url", "activity", "title", "file", "file_url", "region_code"]

    def get_file_url(self, obj: ActivityPhoto) -> str:
        from django.urls import reverse

        request = self.context.get("request")
        path = reverse("community:activityphoto_file", args=[obj.pk])
        return request.build_absolute_uri(path) if request is not None else path

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and not attrs.get("file"):
            message = self.fields["file"].error_messages["required"]  # DRF's own, translated
            raise serializers.ValidationError({"file": [message]})
        return attrs


class ActivityVolunteerSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:activityvolunteer-detail")
    activity = serializers.PrimaryKeyRelatedField(
        queryset=CommunityActivity.objects.all(), required=False, allow_null=True
    )
    session = serializers.PrimaryKeyRelatedField(
        queryset=GroupSession.objects.all(), required=False, allow_null=True
    )
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    held_on = serializers.DateField(read_only=True)

    class Meta:
        model = ActivityVolunteer
        fields = [
            "id",
            "url",
            "activity",
            "session",
            "volunteer",
            "volunteer_name",
            "hours",
            "held_on",
            "region_code",
        ]
        validators: list[Any] = []  # the model's constraints, checked by the service


class CombinedSessionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    held_on = serializers.DateField()
    present = serializers.IntegerField()


class CombinedActivitySerializer(serializers.Serializer):
    """A group or a community activity in the combined list."""

    kind = serializers.ChoiceField(choices=["group", "community"])
    id = serializers.IntegerField()
    name = serializers.CharField()
    region_code = serializers.CharField()
    station = serializers.IntegerField()
    held_on = serializers.DateField(
        help_text=_("An activity's day; a group's start (its sessions are listed).")
    )
    sessions = CombinedSessionSerializer(many=True, required=False)
    url = serializers.CharField()


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------


class ProposalSerializer(ScopedListsMixin, ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:proposal-detail")
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all())
    station_name = serializers.CharField(source="station.name", read_only=True)
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("The 12-digit code of the village or community of the proposal."),
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    lead_worker = serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all())
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.all(), required=False, allow_null=True
    )
    partners = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), many=True, required=False
    )
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, coerce_to_string=True
    )
    money_pledged = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        coerce_to_string=True,
        default=Decimal("0.00"),
    )
    money_received = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        coerce_to_string=True,
        default=Decimal("0.00"),
    )
    pledge_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "station",
            "station_name",
            "region_code",
            "region_name",
            "name",
            "place",
            "problem",
            "solution",
            "raised_on",
            "lead_worker",
            "project",
            "partners",
            "budget",
            "stage",
            "closed_on",
            "outcome",
            "result",
            "pledge_count",
            "money_pledged",
            "money_received",
        ]


class ProposalAdvanceSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(
        choices=ProposalStage.choices,
        help_text=_("The proposal's next stage: discussing, solving or closed."),
    )
    on = serializers.DateField(required=False, help_text=_("The day the proposal closed."))
    outcome = serializers.ChoiceField(
        choices=ProposalOutcome.choices, required=False, help_text=_("To close the proposal.")
    )
    result = serializers.CharField(
        required=False, max_length=10_000, help_text=_("To close the proposal.")
    )


class PledgeSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:pledge-detail")
    proposal = serializers.PrimaryKeyRelatedField(queryset=Proposal.objects.all())
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True
    )
    volunteer = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), required=False, allow_null=True
    )
    amount_pledged = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, coerce_to_string=True
    )
    amount_received = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, coerce_to_string=True
    )
    pledger = serializers.CharField(read_only=True)
    region_code = serializers.CharField(source="proposal.region.code", read_only=True)

    class Meta:
        model = Pledge
        fields = [
            "id",
            "url",
            "proposal",
            "kind",
            "source",
            "resident_name",
            "partner",
            "volunteer",
            "pledger",
            "description",
            "amount_pledged",
            "amount_received",
            "people_count",
            "pledged_on",
            "region_code",
        ]


class GovernanceMeetingSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:governancemeeting-detail")
    proposal = serializers.PrimaryKeyRelatedField(
        queryset=Proposal.objects.all(), required=False, allow_null=True
    )
    council = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A residents' self-governance station (a partner); or give the proposal."),
    )
    region_code = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = GovernanceMeeting
        fields = [
            "id",
            "url",
            "proposal",
            "council",
            "held_on",
            "place",
            "attendee_count",
            "attendee_names",
            "topics",
            "decisions",
            "region_code",
        ]
        validators: list[Any] = []  # the model's constraint, checked by the service
