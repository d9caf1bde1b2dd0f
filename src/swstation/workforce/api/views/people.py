"""API of people, certificates, training, supervision and talent."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.workforce import filtersets
from swstation.workforce.api import serializers as workforce_serializers
from swstation.workforce.models import (
    Attendance,
    Certificate,
    Course,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)
from swstation.workforce.selectors import people as selectors
from swstation.workforce.services import people as services

__all__ = [
    "AttendanceViewSet",
    "CertificateViewSet",
    "CourseViewSet",
    "SocialWorkerViewSet",
    "SupervisionSessionViewSet",
    "SupervisorViewSet",
    "TalentEntryViewSet",
    "TrainingClassViewSet",
]


class RevealPhoneMixin:
    """``POST {id}/reveal-phone/``: a person's mobile phone in full (``phone`` is masked
    everywhere else), with an optional ``purpose``; 403 for auditors; every call is a line of
    the access log. A viewset names the service that reveals and logs (``reveal_phone_of``)."""

    def reveal_phone_of(self, actor: Any, record: Any, purpose: str) -> str:
        raise NotImplementedError

    @extend_schema(
        request=workforce_serializers.RevealPhoneSerializer,
        responses=inline_serializer(
            "RevealedPhone",
            {"id": serializers.IntegerField(), "phone": serializers.CharField()},
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-phone",
        permission_classes=[IsAuthenticated],
        serializer_class=workforce_serializers.RevealPhoneSerializer,
    )
    def reveal_phone(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()  # type: ignore[attr-defined]  # a ScopedModelViewSet's
        payload = workforce_serializers.RevealPhoneSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        phone = self.reveal_phone_of(request.user, record, payload.validated_data["purpose"])
        return Response({"id": record.pk, "phone": phone})


class SocialWorkerViewSet(RevealPhoneMixin, ScopedModelViewSet):
    """People working in social work in the caller's jurisdiction, each with ``level``: the
    highest certificate level held (assistant < intermediate < senior), or null.

    Filters: ``level`` (a level, or ``none``), ``station`` (id), ``region_code`` (prefix),
    ``is_fulltime``, ``active`` (not left), ``post``, ``q`` (name). ``phone`` is masked for
    every role (``reveal-phone`` gives it in full, logged); date of birth for auditors."""

    model = SocialWorker
    serializer_class = workforce_serializers.SocialWorkerSerializer
    filterset_class = filtersets.SocialWorkerFilterSet
    ordering_fields = ["name", "hired_on", "region__code"]

    def get_queryset(self) -> QuerySet[SocialWorker]:
        return selectors.social_worker_list(actor=self.request.user)

    def reveal_phone_of(self, actor: Any, record: Any, purpose: str) -> str:
        return services.social_worker_reveal_phone(
            actor=actor, social_worker=record, purpose=purpose
        )

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            worker = services.social_worker_create(actor=self.request.user, **data)
        else:
            worker = services.social_worker_update(
                actor=self.request.user, social_worker=serializer.instance, **data
            )
        serializer.instance = worker
        return worker


class CertificateViewSet(ScopedModelViewSet):
    """National social worker certificates. A person holds each level once; numbers are
    unique; the date obtained is not in the future."""

    model = Certificate
    serializer_class = workforce_serializers.CertificateSerializer
    filterset_class = filtersets.CertificateFilterSet
    select_related = ("social_worker",)
    ordering_fields = ["obtained_on", "number", "level"]

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            certificate = services.certificate_create(actor=self.request.user, **data)
        else:
            certificate = services.certificate_update(
                actor=self.request.user, certificate=serializer.instance, **data
            )
        serializer.instance = certificate
        return certificate


class TrainingClassViewSet(ScopedModelViewSet):
    """Tiered training classes (金鼎班, 银鼎班, 文鼎班...)."""

    model = TrainingClass
    serializer_class = workforce_serializers.TrainingClassSerializer
    filterset_class = filtersets.TrainingClassFilterSet
    select_related = ("region",)
    ordering_fields = ["starts_on", "name"]


class CourseViewSet(ScopedModelViewSet):
    """Courses and workshops with their hours."""

    model = Course
    serializer_class = workforce_serializers.CourseSerializer
    filterset_class = filtersets.CourseFilterSet
    select_related = ("region",)
    ordering_fields = ["held_on", "title", "hours"]


class AttendanceViewSet(ScopedModelViewSet):
    """Who attended which course, with the hours credited (at most the course's hours)."""

    model = Attendance
    serializer_class = workforce_serializers.AttendanceSerializer
    filterset_class = filtersets.AttendanceFilterSet
    select_related = ("social_worker", "course")
    ordering_fields = ["hours", "course__held_on"]


class SupervisorViewSet(RevealPhoneMixin, ScopedModelViewSet):
    """The expert support team: provincial and city supervisors, domain experts. ``phone`` is
    masked for every role (``reveal-phone`` gives it in full, logged)."""

    model = Supervisor
    serializer_class = workforce_serializers.SupervisorSerializer
    filterset_class = filtersets.SupervisorFilterSet
    select_related = ("region",)
    ordering_fields = ["name", "level"]

    def reveal_phone_of(self, actor: Any, record: Any, purpose: str) -> str:
        return services.supervisor_reveal_phone(actor=actor, supervisor=record, purpose=purpose)


class SupervisionSessionViewSet(ScopedModelViewSet):
    """Supervision sessions with a station and its social workers. ``follow_up=pending``
    lists follow-ups due and not done; ``overdue`` those past their due date."""

    model = SupervisionSession
    serializer_class = workforce_serializers.SupervisionSessionSerializer
    filterset_class = filtersets.SupervisionSessionFilterSet
    prefetch_related = ("participants",)
    ordering_fields = ["held_on", "follow_up_due", "hours"]


class TalentEntryViewSet(ScopedModelViewSet):
    """Listings of social workers in the city's talent catalogues."""

    model = TalentEntry
    serializer_class = workforce_serializers.TalentEntrySerializer
    filterset_class = filtersets.TalentEntryFilterSet
    select_related = ("social_worker",)
    ordering_fields = ["listed_on", "valid_until"]
