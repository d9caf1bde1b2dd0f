"""Generic API viewsets: scoped queryset, role permissions, atomic and re-checked writes."""

import functools
from collections.abc import Callable
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.response import Response

from swstation.core.forms import TEXT_MAX_LENGTH
from swstation.core.integrity import integrity_validation_error, unique_violation
from swstation.core.scoping import ScopedQuerySet, ensure_visible, lock_row, restrict
from swstation.core.transitions import StateConflict
from swstation.core.versions import STALE_MESSAGE, etag, if_match_allows


class ScopedSerializerMixin:
    """Related-record choices limited to the caller's jurisdiction, as in the forms."""

    context: dict[str, Any]
    fields: Any

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = super().get_fields()  # type: ignore[misc]
        request = self.context.get("request")
        if request is not None:
            for field in fields.values():
                queryset = getattr(field, "queryset", None)
                if isinstance(queryset, ScopedQuerySet):
                    field.queryset = queryset.visible_to(request.user)  # type: ignore[attr-defined]
        for name, field in fields.items():  # text without a limit of its own gets one
            writable = not field.read_only
            if writable and isinstance(field, serializers.CharField) and field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                message = field.error_messages["max_length"].format(max_length=TEXT_MAX_LENGTH)
                field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH, message=message))
            if not writable and isinstance(field, serializers.ChoiceField):
                _allow_blank_like_the_model(self, field, name)
        return fields


def _allow_blank_like_the_model(serializer: Any, field: serializers.ChoiceField, name: str) -> None:
    """A read-only choice answers what the model holds: "" or null when the model field allows
    them (DRF drops ``allow_blank`` from read-only fields, so the schema's enum lacked "").
    A field ModelSerializer built has no ``source`` yet (it is bound later): its name is it."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    try:
        model_field = model._meta.get_field(field.source or name) if model else None
    except FieldDoesNotExist:
        return
    if model_field is not None:
        text = isinstance(model_field, (models.CharField, models.TextField))
        field.allow_blank = field.allow_blank or (text and bool(model_field.blank))
        field.allow_null = field.allow_null or bool(model_field.null)


def _serializer_errors(
    error: DjangoValidationError, serializer: serializers.BaseSerializer
) -> dict[str, list[str]]:
    """Name each model-field error after the request field that carries it (``parent`` is
    sent as ``parent_code``), so that the client knows which of its fields is wrong."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    by_source = {
        getattr(field, "source", name): name
        for name, field in getattr(serializer, "fields", {}).items()
    }
    return {
        by_source.get(name, name): [m for e in errors for m in e.messages]
        for name, errors in error.error_dict.items()
    }


class StaleVersion(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = STALE_MESSAGE
    default_code = "stale"


class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD for a scoped model. Subclasses declare ``model``, ``serializer_class``,
    ``filterset_class`` and, for flat query counts, ``select_related``/``prefetch_related``.

    Scoping cannot be forgotten (NetBox's ``restrict(user, action)``): whatever queryset
    ``get_queryset`` returns — the base one or a subclass's selector — is narrowed to the
    caller's jurisdiction for the request's action, reading or writing. Every request that
    writes runs in one transaction; its object is locked (``SELECT … FOR UPDATE``) and looked up
    again in the caller's *write* scope inside that transaction, so that a record a higher
    level shares downward is read from below but never changed there, by the CRUD actions and by
    every custom action alike. Subclasses may not override the methods that do this.
    """

    model: ClassVar[type[models.Model]]
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()
    # Custom actions sent with POST that only read (a logged reveal): read scope, not write.
    reading_actions: ClassVar[frozenset[str]] = frozenset()

    _SEALED: ClassVar[tuple[str, ...]] = ("filter_queryset", "get_object", "dispatch")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls._SEALED:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}: scoping lives there")
        # Whatever ``get_queryset`` the class ends up with (its own, a mixin's) is scoped.
        if not getattr(cls.get_queryset, "_scoped", False):
            cls.get_queryset = _scoped_queryset(cls.get_queryset)  # type: ignore[method-assign]

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def writes(self) -> bool:
        """Whether this request changes records: every unsafe method but the reading actions."""
        return (
            self.request.method not in permissions.SAFE_METHODS
            and self.action not in self.reading_actions
        )

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # OPTIONS writes nothing, but DRF's metadata tries a PUT of the object (get_object,
        # which locks the row): a transaction for it too, or the lock is a 500 on PostgreSQL.
        if request.method in permissions.SAFE_METHODS and request.method != "OPTIONS":
            return super().dispatch(request, *args, **kwargs)
        # All or nothing: an error answer rolls back whatever the request wrote.
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return super().filter_queryset(
            restrict(queryset, self.request.user, for_write=self.writes())
        )

    def get_object(self) -> Any:
        if self.writes():
            # Writes of one record take turns and each reads what the previous one wrote: no
            # lost update of another field, no transition made twice.
            lock_row(self.model, self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
        obj = super().get_object()
        if self.writes() and not if_match_allows(self.request.headers.get("If-Match"), obj):
            raise StaleVersion()
        self.versioned_object = obj
        return obj

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Answers about one record carry its version as ``ETag`` (send it back in ``If-Match``
        to have a write refused if someone changed the record since)."""
        obj = getattr(self, "versioned_object", None)
        if obj is not None and 200 <= response.status_code < 300 and request.method != "DELETE":
            tag = etag(obj)
            if tag:
                response["ETag"] = tag
        return super().finalize_response(request, response, *args, **kwargs)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self._write(serializer)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self._write(serializer)
        self.versioned_object = serializer.instance

    def _write(self, serializer: serializers.BaseSerializer) -> None:
        """Save, validate with the model's own rules, re-check the scope: all or nothing."""
        try:
            with transaction.atomic():
                instance = self.save_object(serializer)
                ensure_visible(self.request.user, instance)
        except StateConflict:
            raise  # the record's state, not the request's fields: a 409 (core.api.exceptions)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_serializer_errors(exc, serializer)) from exc
        except IntegrityError as exc:  # a value taken meanwhile by a request sent together
            if unique_violation(exc) is None:
                raise
            error = integrity_validation_error(exc)
            raise serializers.ValidationError(_serializer_errors(error, serializer)) from exc

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        """Write the record and validate it with the model's rules (``full_clean``), as the
        forms do. Models whose rules live in services override this to call them."""
        instance = serializer.save()
        instance.full_clean()
        return instance

    def perform_destroy(self, instance: Any) -> None:
        with transaction.atomic():
            instance.delete()


def _scoped_queryset(get_queryset: Any) -> Any:
    """A subclass's ``get_queryset`` whose result is narrowed to the caller's scope."""

    @functools.wraps(get_queryset)
    def scoped(self: ScopedModelViewSet) -> QuerySet[Any]:
        return restrict(get_queryset(self), self.request.user, for_write=self.writes())

    scoped._scoped = True  # type: ignore[attr-defined]
    return scoped


# The base queryset too: a custom action that reads ``self.get_queryset()`` gets it scoped.
ScopedModelViewSet.get_queryset = _scoped_queryset(  # type: ignore[method-assign]
    ScopedModelViewSet.get_queryset
)


class ServiceModelViewSet(ScopedModelViewSet):
    """A scoped viewset whose writes go through the app's services: ``create_service(actor,
    **data)``, ``update_service(actor, <record_keyword>=instance, **data)`` and, when given,
    ``delete_service(actor, <record_keyword>=instance)``. ``service_data`` may reshape the
    validated data first."""

    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    delete_service: Callable[..., Any] | None = None
    record_keyword: str

    def service_data(self, data: dict[str, Any], creating: bool) -> dict[str, Any]:
        return data

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        creating = serializer.instance is None
        data = self.service_data(dict(serializer.validated_data), creating)
        if creating:
            obj = type(self).create_service(actor=self.request.user, **data)
        else:
            obj = type(self).update_service(
                actor=self.request.user, **{self.record_keyword: serializer.instance}, **data
            )
        serializer.instance = obj
        return obj

    def perform_destroy(self, instance: Any) -> None:
        delete = type(self).delete_service
        if delete is None:
            super().perform_destroy(instance)
        else:
            delete(actor=self.request.user, **{self.record_keyword: instance})

    def answer_with(self, obj: Any) -> Response:
        """The record as the list reads it (scoped, with its annotations)."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data)

    def validated_body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """An action's request body, validated by ``serializer_class``."""
        body = serializer_class(data=self.request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)
