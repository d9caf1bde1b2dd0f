"""Tables of the groups and community work lists (and of their .csv/.xlsx exports)."""

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

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
from swstation.core.tables import BaseTable


class GroupTable(BaseTable):
    name = tables.Column(linkify=True)
    station = tables.Column(linkify=True)
    member_count = tables.Column(verbose_name=_("members now"), default=0)
    session_count = tables.Column(verbose_name=_("sessions held"), default=0)

    class Meta(BaseTable.Meta):
        model = Group
        fields = (
            "name",
            "station",
            "kind",
            "stage",
            "starts_on",
            "planned_sessions",
            "session_count",
            "member_count",
        )


class GroupMemberTable(BaseTable):
    member = tables.Column(
        verbose_name=_("member"),
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("recipient__name", "name"),
    )
    group = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = GroupMember
        fields = ("member", "group", "joined_on", "left_on")

    def render_member(self, record: GroupMember) -> str:
        return record.display_name

    def value_member(self, record: GroupMember) -> str:
        return record.display_name


class GroupSessionTable(BaseTable):
    session = tables.Column(
        verbose_name=_("group session"),
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("group__name", "number"),
    )
    present_count = tables.Column(verbose_name=_("present"), default=0)

    class Meta(BaseTable.Meta):
        model = GroupSession
        fields = ("session", "held_on", "present_count")

    def render_session(self, record: GroupSession) -> str:
        return str(record)

    def value_session(self, record: GroupSession) -> str:
        return str(record)


class SessionAttendanceTable(BaseTable):
    person = tables.Column(
        verbose_name=_("present"),
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("member__recipient__name", "name"),
    )
    session = tables.Column(linkify=True)
    walk_in = tables.Column(verbose_name=_("walk-in"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = SessionAttendance
        fields = ("person", "session", "walk_in")

    def render_person(self, record: SessionAttendance) -> str:
        return record.display_name

    def value_person(self, record: SessionAttendance) -> str:
        return record.display_name

    def render_walk_in(self, record: SessionAttendance) -> Any:
        return _("Yes") if record.is_walk_in else _("No")

    def value_walk_in(self, record: SessionAttendance) -> str:
        return str(self.render_walk_in(record))


class CommunityActivityTable(BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column(verbose_name=_("village or community"), order_by=("region__code",))
    participants_counted = tables.Column(verbose_name=_("participants"), default=0)

    class Meta(BaseTable.Meta):
        model = CommunityActivity
        fields = (
            "name",
            "held_on",
            "kind",
            "region",
            "station",
            "campaign",
            "elders_count",
            "children_count",
            "others_count",
            "participants_counted",
        )

    def render_region(self, record: CommunityActivity) -> str:
        return record.region.name

    def value_region(self, record: CommunityActivity) -> str:
        return record.region.name


class ActivityParticipantTable(BaseTable):
    participant = tables.Column(
        verbose_name=_("participant"),
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("recipient__name", "name"),
    )
    activity = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ActivityParticipant
        fields = ("participant", "group", "activity")

    def render_participant(self, record: ActivityParticipant) -> str:
        return record.display_name

    def value_participant(self, record: ActivityParticipant) -> str:
        return record.display_name


class ActivityPhotoTable(BaseTable):
    title = tables.Column(linkify=True)
    activity = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = ActivityPhoto
        fields = ("title", "activity")


class ActivityVolunteerTable(BaseTable):
    volunteer = tables.Column(linkify=lambda record: record.get_absolute_url())
    occasion = tables.Column(
        verbose_name=_("activity or session"), empty_values=(), orderable=False
    )
    held_on = tables.Column(verbose_name=_("held on"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = ActivityVolunteer
        fields = ("volunteer", "occasion", "held_on", "hours")

    def render_occasion(self, record: ActivityVolunteer) -> str:
        return str(record.occasion)

    def value_occasion(self, record: ActivityVolunteer) -> str:
        return str(record.occasion)

    def render_held_on(self, record: ActivityVolunteer) -> str:
        day = record.held_on
        return day.isoformat() if day else "—"

    def value_held_on(self, record: ActivityVolunteer) -> str:
        return self.render_held_on(record)


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------


class ProposalTable(BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column(verbose_name=_("village or community"), order_by=("region__code",))
    money_pledged = tables.Column(verbose_name=_("money pledged (yuan)"), default=0)
    money_received = tables.Column(verbose_name=_("money received (yuan)"), default=0)
    pledge_count = tables.Column(verbose_name=_("pledges"), default=0)

    class Meta(BaseTable.Meta):
        model = Proposal
        fields = (
            "name",
            "region",
            "station",
            "stage",
            "raised_on",
            "lead_worker",
            "pledge_count",
            "money_pledged",
            "money_received",
            "outcome",
        )

    def render_region(self, record: Proposal) -> str:
        return record.region.name

    def value_region(self, record: Proposal) -> str:
        return record.region.name


class PledgeTable(BaseTable):
    pledge = tables.Column(
        verbose_name=_("pledge"),
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("kind", "pk"),
    )
    pledger = tables.Column(verbose_name=_("pledger"), empty_values=(), orderable=False)
    proposal = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Pledge
        fields = (
            "pledge",
            "source",
            "pledger",
            "proposal",
            "pledged_on",
            "amount_pledged",
            "amount_received",
            "people_count",
        )

    def render_pledge(self, record: Pledge) -> str:
        return record.description or str(record.get_kind_display())

    def value_pledge(self, record: Pledge) -> str:
        return self.render_pledge(record)

    def render_pledger(self, record: Pledge) -> str:
        return record.pledger

    def value_pledger(self, record: Pledge) -> str:
        return record.pledger


class GovernanceMeetingTable(BaseTable):
    meeting = tables.Column(
        verbose_name=_("governance meeting"),
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        order_by=("held_on", "pk"),
    )
    of = tables.Column(verbose_name=_("proposal or council"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = GovernanceMeeting
        fields = ("meeting", "held_on", "of", "place", "attendee_count")

    def render_meeting(self, record: GovernanceMeeting) -> str:
        return str(record.topics).splitlines()[0][:40] if record.topics else "—"

    def value_meeting(self, record: GovernanceMeeting) -> str:
        return self.render_meeting(record)

    def render_of(self, record: GovernanceMeeting) -> str:
        return str(record.proposal or record.council)

    def value_of(self, record: GovernanceMeeting) -> str:
        return self.render_of(record)
