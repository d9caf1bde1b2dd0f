from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from swstation.community.models import (
    ActivityParticipant,
    ActivityPhoto,
    ActivityVolunteer,
    CommunityActivity,
    GovernanceMeeting,
    Group,
    GroupMember,
    GroupSession,
    Pledge,
    Proposal,
    SessionAttendance,
)


@admin.register(Group)
class GroupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "station", "kind", "stage", "starts_on", "planned_sessions")
    list_filter = ("stage", "kind")
    search_fields = ("name", "station__name")
    raw_id_fields = ("station", "village", "project", "facilitators")


@admin.register(GroupMember)
class GroupMemberAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "group", "joined_on", "left_on")
    raw_id_fields = ("group", "recipient")


@admin.register(GroupSession)
class GroupSessionAdmin(SimpleHistoryAdmin):
    list_display = ("group", "number", "held_on", "walk_in_count")
    raw_id_fields = ("group",)
    date_hierarchy = "held_on"


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "session")
    raw_id_fields = ("session", "member")


@admin.register(CommunityActivity)
class CommunityActivityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "held_on", "kind", "region", "station", "campaign")
    list_filter = ("kind", "campaign_action")
    search_fields = ("name", "place", "campaign")
    raw_id_fields = ("station", "region", "project", "partners")
    date_hierarchy = "held_on"


@admin.register(ActivityParticipant)
class ActivityParticipantAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "group", "activity")
    raw_id_fields = ("activity", "recipient")


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(SimpleHistoryAdmin):
    list_display = ("title", "activity")
    raw_id_fields = ("activity",)


@admin.register(ActivityVolunteer)
class ActivityVolunteerAdmin(SimpleHistoryAdmin):
    list_display = ("volunteer", "activity", "session", "hours")
    raw_id_fields = ("activity", "session", "volunteer")


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "station", "stage", "raised_on", "outcome")
    list_filter = ("stage", "outcome")
    search_fields = ("name", "place", "station__name")
    raw_id_fields = ("station", "region", "lead_worker", "project", "partners")
    date_hierarchy = "raised_on"


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "proposal", "kind", "source", "amount_pledged", "amount_received")
    list_filter = ("kind", "source")
    raw_id_fields = ("proposal", "partner", "volunteer")


@admin.register(GovernanceMeeting)
class GovernanceMeetingAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "held_on", "place", "attendee_count")
    raw_id_fields = ("proposal", "council")
    date_hierarchy = "held_on"
