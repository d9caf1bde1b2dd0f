"""API of groups and community work (issue 13). Reads go through selectors.py, writes through
services.py, so the pages and the API share every rule."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.community import filtersets, selectors, services
from swstation.community.api import serializers as community_serializers
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
from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ScopedModelViewSet, ServiceModelViewSet
from swstation.core.permissions import user_can


class GroupViewSet(ServiceModelViewSet):
    """Groups (小组) run by a station, each with its ``station``, ``region_code`` (the
    station's), ``facilitators`` (social worker ids), ``stage``, ``session_count`` and
    ``member_count`` (members now). A new group is ``preparing``; ``POST …/{id}/advance/`` with
    ``to_stage`` moves it one step on (``preparing → forming → transition → mature → ended``);
    ending it takes ``goals_met`` and ``evaluation``. A skipped or repeated step answers 409.
    An ended group no longer changes; only a group still being prepared is deleted.

    Filters: ``station``, ``kind``, ``stage``, ``region_code`` (prefix), ``project``, ``year``
    (of its start), ``q``."""

    model = Group
    serializer_class = community_serializers.GroupSerializer
    filterset_class = filtersets.GroupFilterSet
    ordering_fields = ["starts_on", "name", "stage"]
    create_service = services.group_create
    update_service = services.group_update
    delete_service = services.group_delete
    record_keyword = "group"

    @property
    def permission_action(self) -> str | None:
        return "change" if getattr(self, "action", None) == "advance" else None

    def get_queryset(self) -> QuerySet[Group]:
        return selectors.group_list(actor=self.request.user).prefetch_related("facilitators")

    @extend_schema(
        request=community_serializers.GroupAdvanceSerializer,
        responses=transition_responses(community_serializers.GroupSerializer),
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        group = self.get_object()
        data = self.validated_body(community_serializers.GroupAdvanceSerializer)
        return self.answer_with(
            services.group_advance(
                actor=request.user,
                group=group,
                to_stage=data["to_stage"],
                on=data.get("on"),
                goals_met=data.get("goals_met", ""),
                evaluation=data.get("evaluation", ""),
            )
        )


class GroupMemberViewSet(ServiceModelViewSet):
    """Members of groups: a ``recipient`` (id) or a resident by ``name``, with the days they
    joined and left. Filters: ``group``, ``region_code`` (prefix), ``q``."""

    model = GroupMember
    serializer_class = community_serializers.GroupMemberSerializer
    filterset_class = filtersets.GroupMemberFilterSet
    ordering_fields = ["joined_on"]
    create_service = services.member_create
    update_service = services.member_update
    delete_service = services.member_delete
    record_keyword = "member"

    def get_queryset(self) -> QuerySet[GroupMember]:
        return selectors.member_list(actor=self.request.user)


class GroupSessionViewSet(ServiceModelViewSet):
    """Sessions of groups with their ``present_count`` (members present, walk-ins named and
    walk-ins counted, from the attendance records). ``POST …/{id}/attendance/`` with
    ``present`` (member ids), ``walk_in_names`` and ``walk_in_count`` records the attendance
    as a whole. Filters: ``group``, ``region_code``, ``held_after``, ``held_before``, ``q``."""

    model = GroupSession
    serializer_class = community_serializers.GroupSessionSerializer
    filterset_class = filtersets.GroupSessionFilterSet
    ordering_fields = ["held_on", "number"]
    create_service = services.session_create
    update_service = services.session_update
    delete_service = services.session_delete
    record_keyword = "session"

    @property
    def permission_action(self) -> str | None:
        return "change" if getattr(self, "action", None) == "attendance" else None

    def get_queryset(self) -> QuerySet[GroupSession]:
        return selectors.session_list(actor=self.request.user)

    @extend_schema(
        request=community_serializers.SessionAttendanceWriteSerializer,
        responses=transition_responses(community_serializers.GroupSessionSerializer),
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        session = self.get_object()
        data = self.validated_body(community_serializers.SessionAttendanceWriteSerializer)
        members = {m.pk: m for m in selectors.members_on(session)}
        unknown = [pk for pk in data["present"] if pk not in members]
        if unknown:
            raise ValidationError(
                {
                    "present": [
                        _("%(ids)s are not members of the group on the session's day.")
                        % {"ids": ", ".join(map(str, unknown))}
                    ]
                }
            )
        services.session_attendance_record(
            actor=request.user,
            session=session,
            present=[members[pk] for pk in data["present"]],
            walk_in_names=data.get("walk_in_names") or [],
            walk_in_count=data.get("walk_in_count") or 0,
        )
        return self.answer_with(session)


class SessionAttendanceViewSet(ScopedModelViewSet):
    """Who was present at each session (read only: attendance is written through
    ``POST /api/v1/group-sessions/{id}/attendance/``). Filters: ``session``, ``region_code``,
    ``q``."""

    model = SessionAttendance
    serializer_class = community_serializers.SessionAttendanceSerializer
    filterset_class = filtersets.SessionAttendanceFilterSet
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[SessionAttendance]:
        return selectors.attendance_list(actor=self.request.user)


class CommunityActivityViewSet(ServiceModelViewSet):
    """Community activities (社区活动) at a village or community (``region_code``) on a day
    (``held_on``), with participants counted by group (``elders_count``, ``children_count``,
    ``others_count``) and a campaign's action (``campaign_action``: ``screen``, ``identity``,
    ``exam``, ``featured``, the "四个一" of 国际社工日). Filters: ``station``, ``kind``,
    ``campaign``, ``campaign_action``, ``region_code`` (prefix), ``held_after``,
    ``held_before``, ``project``, ``q``."""

    model = CommunityActivity
    serializer_class = community_serializers.CommunityActivitySerializer
    filterset_class = filtersets.CommunityActivityFilterSet
    ordering_fields = ["held_on", "name"]
    create_service = services.activity_create
    update_service = services.activity_update
    delete_service = services.activity_delete
    record_keyword = "activity"

    def get_queryset(self) -> QuerySet[CommunityActivity]:
        return selectors.activity_list(actor=self.request.user)


class ActivityParticipantViewSet(ServiceModelViewSet):
    """Participants of activities known by name: a ``recipient`` (id) or a resident by
    ``name``, with their ``group`` (``elder``, ``child``, ``other``)."""

    model = ActivityParticipant
    serializer_class = community_serializers.ActivityParticipantSerializer
    filterset_class = filtersets.ActivityParticipantFilterSet
    create_service = services.participant_create
    update_service = services.participant_update
    delete_service = services.participant_delete
    record_keyword = "participant"

    def get_queryset(self) -> QuerySet[ActivityParticipant]:
        return selectors.participant_list(actor=self.request.user)


class ActivityPhotoViewSet(ServiceModelViewSet):
    """Photos of activities (JPEG or PNG, at most 10 MB, sent as multipart ``file``); each
    answers with ``file_url``, the guarded photo."""

    model = ActivityPhoto
    serializer_class = community_serializers.ActivityPhotoSerializer
    filterset_class = filtersets.ActivityPhotoFilterSet
    create_service = services.photo_create
    update_service = services.photo_update
    delete_service = services.photo_delete
    record_keyword = "photo"

    def get_queryset(self) -> QuerySet[ActivityPhoto]:
        return selectors.photo_list(actor=self.request.user)


class ActivityVolunteerViewSet(ServiceModelViewSet):
    """Volunteer hours at community activities and group sessions: each row names an
    ``activity`` or a ``session`` (one of the two), the ``volunteer`` and the ``hours``
    (0.25–24). The volunteers' pages and hours certificates count them. Filters: ``activity``,
    ``session``, ``volunteer``, ``region_code``, ``q``."""

    model = ActivityVolunteer
    serializer_class = community_serializers.ActivityVolunteerSerializer
    filterset_class = filtersets.ActivityVolunteerFilterSet
    create_service = services.volunteer_hours_create
    update_service = services.volunteer_hours_update
    delete_service = services.volunteer_hours_delete
    record_keyword = "row"

    def get_queryset(self) -> QuerySet[ActivityVolunteer]:
        return selectors.volunteer_hours_list(actor=self.request.user)


def _day(request: Request, name: str) -> date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


class ActivityViewSet(viewsets.GenericViewSet):
    """Groups and community activities as one list, newest first, scoped and paginated: each
    with ``kind`` (``group`` or ``community``), ``id``, ``name``, ``region_code``, ``station``,
    ``held_on`` (an activity's day, a group's start) and, for a group, its ``sessions``
    (``number``, ``held_on``, ``present``). Filters: ``kind``, ``region_code`` (prefix),
    ``held_after``, ``held_before`` (a group in the period met or started in it). Read only:
    write through ``/api/v1/groups/`` and ``/api/v1/community-activities/``."""

    permission_classes = [IsAuthenticated]
    serializer_class = community_serializers.CombinedActivitySerializer
    # Only for the schema generator, which asks every view for its model; the list reads
    # selectors.activities_combined, scoped.
    queryset = Group._default_manager.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=["group", "community"]),
            OpenApiParameter("region_code", str, description="A prefix of a 12-digit code."),
            OpenApiParameter("held_after", date),
            OpenApiParameter("held_before", date),
        ]
    )
    def list(self, request: Request) -> Response:
        user = request.user
        if not (user_can(user, "view", Group) or user_can(user, "view", CommunityActivity)):
            raise PermissionDenied(_("Your role may not do this."))
        kind = request.query_params.get("kind", "")
        if kind not in ("", "group", "community"):
            raise ValidationError({"kind": [_("Choose group or community.")]})
        code = request.query_params.get("region_code", "")
        if code and (not code.isdigit() or len(code) > 12):
            raise ValidationError({"region_code": [_("A region code is up to 12 digits.")]})
        rows = selectors.activities_combined(
            actor=user,
            region_code=code,
            kind=kind,
            since=_day(request, "held_after"),
            until=_day(request, "held_before"),
        )
        page = self.paginate_queryset(rows)
        items = list(page if page is not None else rows)
        sessions = selectors.sessions_of([row[1] for row in items if row[0] == "group"])
        data = []
        # (The keyset pagination may add its ordering keys after the six columns.)
        for kind_code, pk, name, region_code, station_id, held_on in (row[:6] for row in items):
            is_group = kind_code == "group"
            path = reverse(
                "community:group" if is_group else "community:communityactivity", args=[pk]
            )
            item: dict[str, Any] = {
                "kind": kind_code,
                "id": pk,
                "name": name,
                "region_code": region_code,
                "station": station_id,
                "held_on": held_on,
                "url": request.build_absolute_uri(path),
            }
            if is_group:
                item["sessions"] = sessions.get(pk, [])
            data.append(item)
        serialized = self.get_serializer(data, many=True).data
        if page is not None:
            return self.get_paginated_response(serialized)
        return Response(serialized)


# --- residents' micro-governance (众筹微治, 邻舍家) ----------------------------------------------


class ProposalViewSet(ServiceModelViewSet):
    """Residents' micro-governance proposals (众筹微治) in a village or community
    (``region_code``), supported by a ``station`` and led by a social worker, each with its
    ``stage``, ``pledge_count``, ``money_pledged`` and ``money_received``. A new proposal is
    ``found`` (发现问题); ``POST …/{id}/advance/`` with ``to_stage`` moves it one step on
    (``found → discussing → solving → closed``); closing takes ``outcome`` and ``result``, and
    an open proposal closes early only as ``dropped``. A skipped or repeated step answers 409.
    A closed proposal no longer changes. Filters: ``station``, ``stage``, ``outcome``,
    ``region_code`` (prefix), ``raised_after``, ``raised_before``, ``project``, ``q``."""

    model = Proposal
    serializer_class = community_serializers.ProposalSerializer
    filterset_class = filtersets.ProposalFilterSet
    ordering_fields = ["raised_on", "name", "stage"]
    create_service = services.proposal_create
    update_service = services.proposal_update
    delete_service = services.proposal_delete
    record_keyword = "proposal"

    @property
    def permission_action(self) -> str | None:
        return "change" if getattr(self, "action", None) == "advance" else None

    def get_queryset(self) -> QuerySet[Proposal]:
        return selectors.proposal_list(actor=self.request.user).prefetch_related("partners")

    @extend_schema(
        request=community_serializers.ProposalAdvanceSerializer,
        responses=transition_responses(community_serializers.ProposalSerializer),
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        data = self.validated_body(community_serializers.ProposalAdvanceSerializer)
        services.proposal_advance(
            actor=request.user,
            proposal=proposal,
            to_stage=data["to_stage"],
            on=data.get("on"),
            outcome=data.get("outcome", ""),
            result=data.get("result", ""),
        )
        return self.answer_with(self.get_queryset().get(pk=proposal.pk))


class PledgeViewSet(ServiceModelViewSet):
    """The "五筹" of proposals: ``kind`` (``project``, ``wisdom``, ``resources``, ``funds``,
    ``talent``) and ``source`` (``resident`` by ``resident_name``, ``organisation`` or
    ``charity`` by ``partner``, ``station``, ``volunteer`` by ``volunteer``); a pledge of money
    has ``amount_pledged`` and ``amount_received`` (never more than pledged), a pledge of
    people its ``people_count``. Filters: ``proposal``, ``kind``, ``source``, ``region_code``,
    ``pledged_after``, ``pledged_before``, ``q``."""

    model = Pledge
    serializer_class = community_serializers.PledgeSerializer
    filterset_class = filtersets.PledgeFilterSet
    ordering_fields = ["pledged_on", "kind"]
    create_service = services.pledge_create
    update_service = services.pledge_update
    delete_service = services.pledge_delete
    record_keyword = "pledge"

    def get_queryset(self) -> QuerySet[Pledge]:
        return selectors.pledge_list(actor=self.request.user)


class GovernanceMeetingViewSet(ServiceModelViewSet):
    """Meetings (议事) of a ``proposal`` and council meetings (理事会) of a residents'
    self-governance station (``council``, a partner of kind ``self_governance``): one of the
    two, with ``held_on``, ``place``, ``attendee_count``, ``attendee_names``, ``topics`` and
    ``decisions``. Filters: ``proposal``, ``council``, ``of`` (``proposal`` or ``council``),
    ``region_code``, ``held_after``, ``held_before``, ``q``."""

    model = GovernanceMeeting
    serializer_class = community_serializers.GovernanceMeetingSerializer
    filterset_class = filtersets.GovernanceMeetingFilterSet
    ordering_fields = ["held_on"]
    create_service = services.meeting_create
    update_service = services.meeting_update
    delete_service = services.meeting_delete
    record_keyword = "meeting"

    def get_queryset(self) -> QuerySet[GovernanceMeeting]:
        return selectors.meeting_list(actor=self.request.user)
