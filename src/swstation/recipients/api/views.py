from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.core.api.schema import transition_responses
from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.core.scoping import get_object_for_user
from swstation.core.transitions import StateConflict, lock_rows
from swstation.recipients import filtersets, selectors, services
from swstation.recipients.api import serializers as recipient_serializers
from swstation.recipients.models import (
    CategoryPeriod,
    DuplicateReview,
    Household,
    IdentityView,
    Recipient,
)


class HouseholdViewSet(ScopedModelViewSet):
    """Households (户) in villages and communities, with ``member_count``: the recipients
    recorded in them. The address is masked for auditors.

    Filters: ``region_code`` (prefix), ``has_members``, ``q`` (head's name or address)."""

    model = Household
    serializer_class = recipient_serializers.HouseholdSerializer
    filterset_class = filtersets.HouseholdFilterSet
    ordering_fields = ["head_name", "region__code", "size"]

    def get_queryset(self) -> QuerySet[Household]:
        return selectors.household_list(actor=self.request.user)


# The role check of the actions that change a record (a POST would ask for "add").
RECIPIENT_ACTION_PERMISSIONS = {"exit": "change"}


class RecipientViewSet(ScopedModelViewSet):
    """People the stations serve (服务对象), each with ``region_code`` (village or community),
    ``categories`` (codes) and ``id_number``, ``phone``, ``guardian_phone`` and
    ``emergency_contact_phone`` always **masked** (written in full; left out of an update, a
    number is kept, "" removes it): the full numbers are returned only by the
    ``reveal-identity`` action, to station managers and social workers, and every such view is
    logged (with its purpose, required for a guardian's or emergency contact's phone).

    Minors (under 18) are left out for roles that may not read them (auditors); address is
    masked for auditors, and instead of the date of birth and the age they get the
    ``age_band`` alone. ``health_notes`` is written here but never returned: it is read through
    ``reveal-identity`` (``field`` = ``health_notes``, not for auditors), each view logged.

    Filters: ``category`` (code), ``region_code`` (prefix), ``status``, ``station`` (id),
    ``household`` (id), ``document_type``, ``age_min``/``age_max``, ``is_minor``, ``q`` (a name,
    or an exact document or phone number, found through its keyed hash).

    Writing: a new person needs ``consent_given`` and ``consent_on``; a valid 18-character
    number fills in ``sex`` and ``birth_date``; a possible duplicate is refused with an error
    on ``confirm_duplicates`` until it is sent as true. ``registered_on`` (登记日期) defaults to
    today; ``categories`` changes take effect on ``categories_since`` (``category_periods``
    keeps every period held). Leaving service is the ``exit`` action (date and reason), which
    sets ``exited_on``, ``exit_reason`` and the ``status``; a record's exit may be corrected by
    writing those two fields (both empty: back in service)."""

    model = Recipient
    serializer_class = recipient_serializers.RecipientSerializer
    filterset_class = filtersets.RecipientFilterSet
    ordering_fields = ["name", "birth_date", "region__code", "created_at"]

    @property
    def permission_action(self) -> str | None:
        return RECIPIENT_ACTION_PERMISSIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[Recipient]:
        return selectors.recipient_list(actor=self.request.user)

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        number = data.pop("id_number", None)
        phone = data.pop("phone", None)
        categories = data.pop("categories", None)
        data["categories_since"] = data.pop("categories_since", None)
        allow = bool(data.pop("confirm_duplicates", False))
        try:
            recipient = self._write_recipient(serializer, data, number, phone, categories, allow)
        except DjangoValidationError as exc:
            # The services name the number "document_number"; the API calls it "id_number".
            if hasattr(exc, "error_dict") and "document_number" in exc.error_dict:
                errors = dict(exc.error_dict)
                errors["id_number"] = errors.pop("document_number")
                raise DjangoValidationError(errors) from exc
            raise
        serializer.instance = recipient
        return recipient

    def _write_recipient(
        self,
        serializer: serializers.BaseSerializer,
        data: dict[str, Any],
        number: str | None,
        phone: str | None,
        categories: Any,
        allow: bool,
    ) -> Recipient:
        if serializer.instance is None:
            return services.recipient_create(
                actor=self.request.user,
                document_number=number or "",
                phone=phone or "",
                categories=categories or (),
                allow_duplicates=allow,
                **data,
            )
        return services.recipient_update(
            actor=self.request.user,
            recipient=serializer.instance,
            document_number=number,
            phone=phone,
            categories=categories,
            allow_duplicates=allow,
            **data,
        )

    @action(
        detail=True,
        methods=["post"],
        url_path="reveal-identity",
        permission_classes=[IsAuthenticated],
        serializer_class=recipient_serializers.RevealIdentitySerializer,
    )
    def reveal_identity(self, request: Request, pk: str | None = None) -> Response:
        """The full document number (``field`` = ``id_number``, the default) or phone number
        (``phone``, ``guardian_phone``, ``emergency_contact_phone``) of one person, with a
        ``purpose`` (required for a guardian's or emergency contact's phone: 400 without);
        station managers and social workers only (403 for other roles); every call is logged.
        ``field`` = ``health_notes``: the person's health notes, for every role that may read
        them (403 for auditors), logged the same way."""
        recipient = self.get_object()
        payload = recipient_serializers.RevealIdentitySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        value = services.recipient_reveal_identity(
            actor=request.user,
            recipient=recipient,
            field=payload.validated_data["field"],
            purpose=payload.validated_data["purpose"],
        )
        return Response(
            {"id": recipient.pk, "field": payload.validated_data["field"], "value": value}
        )

    @extend_schema(
        request=recipient_serializers.ExitSerializer,
        responses=transition_responses(recipient_serializers.RecipientSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=recipient_serializers.ExitSerializer)
    def exit(self, request: Request, pk: str | None = None) -> Response:
        """Record that the person left service on ``exited_on`` for ``reason`` (deceased,
        moved_away, ineligible, declined), with an optional ``note`` kept in the history. 409
        when the person has already left service."""
        payload = recipient_serializers.ExitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        recipient = self.get_object()
        recipient = services.recipient_exit(
            actor=request.user, recipient=recipient, **payload.validated_data
        )
        data = recipient_serializers.RecipientSerializer(
            recipient, context=self.get_serializer_context()
        ).data
        return Response(data)

    @extend_schema(
        request=recipient_serializers.MergeSerializer,
        responses=transition_responses(recipient_serializers.RecipientSerializer),
    )
    @action(
        detail=True,
        methods=["post"],
        serializer_class=recipient_serializers.MergeSerializer,
    )
    def merge(self, request: Request, pk: str | None = None) -> Response:
        """Merge the duplicate record ``merge`` (an id) into this one: its cases, services,
        assessments and other related records move here; it is kept, marked ``merged``.
        Station managers and the bureaus only. 409 when either record was merged or changed
        meanwhile by someone else."""
        payload = recipient_serializers.MergeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # Both rows in key order before get_object() locks this one: two merges of the same
        # pair in opposite directions then take turns instead of deadlocking.
        lock_rows(Recipient, pk, payload.validated_data["merge"])
        keep = self.get_object()
        try:
            merge = get_object_for_user(
                self.get_queryset(), request.user, pk=payload.validated_data["merge"]
            )
        except Http404 as exc:
            raise serializers.ValidationError(
                {"merge": [_("No such record in your jurisdiction.")]}
            ) from exc
        try:
            keep = services.recipient_merge(actor=request.user, keep=keep, merge=merge)
        except StateConflict:
            raise  # 409 (core.api.exceptions), not a 400 of the request's fields
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"merge": exc.messages}
            ) from exc
        data = recipient_serializers.RecipientSerializer(
            keep, context=self.get_serializer_context()
        ).data
        return Response(data)


# The role check of each settling action (the other writes are nobody's: reviews are opened by
# the services).
REVIEW_ACTION_PERMISSIONS = {"merge": "change", "link": "change", "dismiss": "change"}


class DuplicateReviewViewSet(ScopedModelViewSet):
    """Matches across jurisdictions (issue 16): a record entered with a document number that
    was already recorded outside its author's jurisdiction. Its author was answered as for any
    new number; the review is seen and settled only by the officer whose jurisdiction covers
    both records (the district officer, or the city bureau when the records are in two
    districts): ``merge/`` (with ``keep``: ``recipient`` or ``match``), ``link/`` (the same
    person, both records kept) or ``dismiss/`` (two people, with a ``note`` saying what was
    checked). Each answers the review, or 400 naming what is wrong.

    Filters: ``status``, ``region_code`` (prefix), ``q`` (either person's name)."""

    model = DuplicateReview
    serializer_class = recipient_serializers.DuplicateReviewSerializer
    filterset_class = filtersets.DuplicateReviewFilterSet
    ordering_fields = ["created_at", "status", "decided_at"]
    http_method_names = ["get", "post", "head", "options"]

    @property
    def permission_action(self) -> str | None:
        return REVIEW_ACTION_PERMISSIONS.get(getattr(self, "action", None) or "")

    def get_queryset(self) -> QuerySet[DuplicateReview]:
        return selectors.duplicate_review_list(actor=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Reviews are opened by the services only (even a superuser's POST enters none).
        raise MethodNotAllowed("POST", _("Reviews are opened by the platform, not entered."))

    def _answer(self, review: DuplicateReview) -> Response:
        review.refresh_from_db()
        return Response(self.get_serializer(review).data)

    def _body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        body = serializer_class(data=self.request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(
        request=recipient_serializers.DuplicateReviewMergeSerializer,
        responses=recipient_serializers.DuplicateReviewSerializer,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        data = self._body(recipient_serializers.DuplicateReviewMergeSerializer)
        return self._answer(
            services.duplicate_review_merge(actor=request.user, review=review, **data)
        )

    @extend_schema(
        request=recipient_serializers.DuplicateReviewNoteSerializer,
        responses=recipient_serializers.DuplicateReviewSerializer,
    )
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        data = self._body(recipient_serializers.DuplicateReviewNoteSerializer)
        return self._answer(
            services.duplicate_review_link(actor=request.user, review=review, **data)
        )

    @extend_schema(
        request=recipient_serializers.DuplicateReviewNoteSerializer,
        responses=recipient_serializers.DuplicateReviewSerializer,
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        review = self.get_object()
        data = self._body(recipient_serializers.DuplicateReviewNoteSerializer)
        return self._answer(
            services.duplicate_review_dismiss(actor=request.user, review=review, **data)
        )


class CategoryPeriodViewSet(ScopedModelViewSet):
    """Each time a person held a category (issue 18), from ``valid_from`` to ``valid_to`` (both
    included; null: still). Read-only: the recipients services keep them when a person's
    ``categories`` change. Filters: ``recipient`` (ID), ``category`` (code), ``region_code``
    (prefix), ``held_on`` (a day), ``current``, ``valid_from_after``/``valid_from_before``,
    ``valid_to_after``/``valid_to_before``, ``q`` (the person's name)."""

    model = CategoryPeriod
    serializer_class = recipient_serializers.CategoryPeriodSerializer
    filterset_class = filtersets.CategoryPeriodFilterSet
    ordering_fields = ["valid_from", "valid_to"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[CategoryPeriod]:
        return selectors.category_period_list(actor=self.request.user)


class IdentityViewViewSet(ScopedModelViewSet):
    """The personal-data access log (issue 10, "Auditing"): every full view of a recipient's
    identity or phone number, every diagnosis read and every payment roster exported with its
    payees' numbers — who, whose, when, what and why. Read-only, newest first; auditors, the
    bureaus and station managers, each over their jurisdiction (city-wide for the city's
    auditors and bureau).

    Filters: ``viewed_after``/``viewed_before`` (days), ``user`` (ID), ``role``, ``recipient``
    (ID), ``station`` (ID), ``region_code`` (prefix), ``field``, ``kind``, ``q`` (purpose,
    names)."""

    model = IdentityView
    serializer_class = recipient_serializers.IdentityViewSerializer
    filterset_class = filtersets.IdentityViewFilterSet
    ordering_fields = ["viewed_at"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[IdentityView]:
        return selectors.identity_view_list(actor=self.request.user)
