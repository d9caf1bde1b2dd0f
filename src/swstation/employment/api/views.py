"""API of the employment aid (issue 14). Reads go through selectors.py, writes through
services.py, so the pages and the API share every rule."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ServiceModelViewSet
from swstation.employment import filtersets, selectors, services
from swstation.employment.api import serializers as employment_serializers
from swstation.employment.models import IncomeCheck, IncomeFollowUp, JobPost, JobSeeker, Placement


class JobSeekerViewSet(ServiceModelViewSet):
    """Job seekers (求职人员) of a ``station``: a ``recipient`` or a resident, with
    ``region_code`` (the home village), ``sex`` and ``category`` (``women_in_difficulty``,
    ``farmer``, ``low_income``, ``disabled``, ``other``), ``skills``, ``work_wanted``,
    ``available_months`` (1–12), ``hours_per_day``, the constraints (``child_care``,
    ``no_transport``, ``health_limits``), ``travel_range`` (``village``, ``township``,
    ``district``), ``wanted_pay`` (yuan a day), ``paused`` and ``status`` (``seeking``,
    ``placed``, ``paused``: kept from the placements). ``id_number`` and ``phone`` are written
    in full and always read masked; station managers and social workers may see one in full
    through ``POST …/{id}/reveal-identity/``, logged. ``trainings_attended`` counts the skills
    trainings (community activities of kind ``training``) the seeker attended that the caller
    reads.

    Filters: ``station``, ``region_code`` (prefix), ``status``, ``sex``, ``category``,
    ``travel_range``, ``month`` (free that month), ``trained_after`` / ``trained_before``
    (attended a skills training held between the two days), ``q``."""

    model = JobSeeker
    serializer_class = employment_serializers.JobSeekerSerializer
    filterset_class = filtersets.JobSeekerFilterSet
    ordering_fields = ["name", "registered_on"]
    create_service = services.job_seeker_create
    update_service = services.job_seeker_update
    delete_service = services.job_seeker_delete
    record_keyword = "seeker"
    reading_actions = frozenset({"reveal_identity"})

    def get_queryset(self) -> QuerySet[JobSeeker]:
        actor = self.request.user
        queryset = selectors.job_seeker_list(actor=actor)
        if self.request.method in ("GET", "HEAD"):
            queryset = selectors.with_trainings_attended(queryset, actor=actor)
        return queryset

    def service_data(self, data: dict[str, Any], creating: bool) -> dict[str, Any]:
        if "id_number" in data:
            data["document_number"] = data.pop("id_number")
        return data

    @extend_schema(
        request=employment_serializers.SeekerRevealSerializer,
        responses={200: employment_serializers.SeekerRevealSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-identity",
        permission_classes=[IsAuthenticated],
        serializer_class=employment_serializers.SeekerRevealSerializer,
    )
    def reveal_identity(self, request: Request, pk: str | None = None) -> Response:
        """The full identity (``field`` = ``id_number``, the default) or phone number of one
        seeker, with a ``purpose``; station managers and social workers only (403 for other
        roles); every call is logged."""
        seeker = self.get_object()
        payload = employment_serializers.SeekerRevealSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        value = services.job_seeker_reveal_identity(
            actor=request.user,
            seeker=seeker,
            field=payload.validated_data["field"],
            purpose=payload.validated_data["purpose"],
        )
        return Response({"id": seeker.pk, "field": payload.validated_data["field"], "value": value})


class JobPostViewSet(ServiceModelViewSet):
    """Job posts (岗位) of an ``employer`` (a partner of kind enterprise) through a ``station``:
    ``places`` for a season (``season_from``–``season_to``), ``hours_per_day``, ``skills``,
    ``requirements``, ``heavy_work``, ``pay`` (yuan a day), the place of work
    (``region_code``) and ``status`` (``open``, ``closed``). ``places_filled`` is counted from
    the placements. ``GET …/{id}/matches/`` lists the seekers who fit, best first, each with
    its ``score`` and ``reasons``. Filters: ``employer``, ``station``, ``region_code``
    (prefix), ``status``, ``current``, ``q``."""

    model = JobPost
    serializer_class = employment_serializers.JobPostSerializer
    filterset_class = filtersets.JobPostFilterSet
    ordering_fields = ["season_from", "season_to", "title"]
    create_service = services.job_post_create
    update_service = services.job_post_update
    delete_service = services.job_post_delete
    record_keyword = "post"
    reading_actions = frozenset({"matches"})

    def get_queryset(self) -> QuerySet[JobPost]:
        return selectors.job_post_list(actor=self.request.user)

    @extend_schema(responses={200: employment_serializers.SeekerMatchSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[IsAuthenticated],
        serializer_class=employment_serializers.SeekerMatchSerializer,
        pagination_class=None,
        filterset_class=None,
    )
    def matches(self, request: Request, pk: str | None = None) -> Response:
        """The seekers the caller reads who fit the post (at most 50), best first."""
        post = self.get_object()
        found = selectors.matches_for_post(actor=request.user, post=post)
        return Response(employment_serializers.SeekerMatchSerializer(found, many=True).data)


PLACEMENT_ACTIONS = {"hire": "change", "reject": "change", "start": "change", "leave": "change"}


class PlacementViewSet(ServiceModelViewSet):
    """Placements: a ``seeker`` referred to a ``post`` (``region_code`` is the post's place)
    and its ``status``: ``referred`` → ``hired`` / ``rejected`` → ``working`` → ``left``.
    ``POST …/{id}/hire/`` (``starts_on``, ``pay``, ``answered_on``), ``…/reject/``
    (``reason`` required), ``…/start/`` (``starts_on``), ``…/leave/`` (``ends_on``,
    ``reason``); a move the state does not allow answers 400 naming ``status``, one already
    made or from a final state 409. Filters: ``status``, ``post``, ``seeker``, ``employer``,
    ``sex``, ``region_code`` (prefix), ``q``."""

    model = Placement
    serializer_class = employment_serializers.PlacementSerializer
    filterset_class = filtersets.PlacementFilterSet
    ordering_fields = ["referred_on", "starts_on"]
    create_service = services.placement_create
    update_service = services.placement_update
    delete_service = services.placement_delete
    record_keyword = "placement"

    @property
    def permission_action(self) -> str | None:
        return PLACEMENT_ACTIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[Placement]:
        return selectors.placement_list(actor=self.request.user)

    @extend_schema(
        request=employment_serializers.HireSerializer,
        responses=transition_responses(employment_serializers.PlacementSerializer),
    )
    @action(detail=True, methods=["post"])
    def hire(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.validated_body(employment_serializers.HireSerializer)
        return self.answer_with(
            services.placement_hire(
                actor=request.user,
                placement=placement,
                starts_on=data.get("starts_on"),
                pay=data.get("pay"),
                answered_on=data.get("answered_on"),
            )
        )

    @extend_schema(
        request=employment_serializers.RejectSerializer,
        responses=transition_responses(employment_serializers.PlacementSerializer),
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.validated_body(employment_serializers.RejectSerializer)
        return self.answer_with(
            services.placement_reject(
                actor=request.user,
                placement=placement,
                reason=data["reason"],
                answered_on=data.get("answered_on"),
            )
        )

    @extend_schema(
        request=employment_serializers.PlacementStartSerializer,
        responses=transition_responses(employment_serializers.PlacementSerializer),
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.validated_body(employment_serializers.PlacementStartSerializer)
        return self.answer_with(
            services.placement_start(
                actor=request.user, placement=placement, starts_on=data.get("starts_on")
            )
        )

    @extend_schema(
        request=employment_serializers.LeaveSerializer,
        responses=transition_responses(employment_serializers.PlacementSerializer),
    )
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: str | None = None) -> Response:
        placement = self.get_object()
        data = self.validated_body(employment_serializers.LeaveSerializer)
        return self.answer_with(
            services.placement_leave(
                actor=request.user,
                placement=placement,
                ends_on=data.get("ends_on"),
                reason=data.get("reason") or "",
            )
        )


class IncomeFollowUpViewSet(ServiceModelViewSet):
    """Income follow-ups (收入跟踪): a ``household`` followed by a livelihood ``project``, with
    its monthly income before the project (``baseline_earned``: wages, farming, business;
    ``baseline_given``: 低保, subsidies, aid) on ``started_on``, checked ``monthly`` or
    ``quarterly`` (``interval``) until ``ended_on``; ``region_code`` is the household's village,
    ``last_checked`` and ``check_count`` come from the checks. A follow-up with checks is
    ended, not deleted (409). Filters: ``project``, ``household``, ``station``,
    ``region_code`` (prefix), ``interval``, ``followed``, ``started_after/before``, ``q``."""

    model = IncomeFollowUp
    serializer_class = employment_serializers.IncomeFollowUpSerializer
    filterset_class = filtersets.IncomeFollowUpFilterSet
    ordering_fields = ["started_on", "ended_on"]
    create_service = services.income_follow_up_create
    update_service = services.income_follow_up_update
    delete_service = services.income_follow_up_delete
    record_keyword = "follow_up"

    def get_queryset(self) -> QuerySet[IncomeFollowUp]:
        return selectors.income_follow_up_list(actor=self.request.user)


class IncomeCheckViewSet(ServiceModelViewSet):
    """Income checks (收入回访) of a ``follow_up``: the household's monthly income on
    ``checked_on`` (after the baseline, one a day), ``earned`` and ``given``, and their
    ``total``. Filters: ``follow_up``, ``region_code`` (prefix), ``checked_after/before``,
    ``q``."""

    model = IncomeCheck
    serializer_class = employment_serializers.IncomeCheckSerializer
    filterset_class = filtersets.IncomeCheckFilterSet
    ordering_fields = ["checked_on"]
    create_service = services.income_check_create
    update_service = services.income_check_update
    delete_service = services.income_check_delete
    record_keyword = "check"

    def get_queryset(self) -> QuerySet[IncomeCheck]:
        return selectors.income_check_list(actor=self.request.user)
