"""Generic API viewsets: scoped queryset, role permissions, atomic and re-checked writes."""

from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from swstation.core.scoping import ScopedQuerySet, ensure_visible


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
        return fields


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


class ScopedModelViewSet(viewsets.ModelViewSet):
    """CRUD for a scoped model. Subclasses declare ``model``, ``serializer_class``,
    ``filterset_class`` and, for flat query counts, ``select_related``/``prefetch_related``."""

    model: ClassVar[type[models.Model]]
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        # Records a higher level shares downward are read from below but never changed there.
        for_write = self.action in ("update", "partial_update", "destroy")
        return queryset.visible_to(self.request.user, for_write=for_write)  # type: ignore[attr-defined]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self._write(serializer)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self._write(serializer)

    def _write(self, serializer: serializers.BaseSerializer) -> None:
        """Save, validate with the model's own rules, re-check the scope: all or nothing."""
        try:
            with transaction.atomic():
                instance = self.save_object(serializer)
                ensure_visible(self.request.user, instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_serializer_errors(exc, serializer)) from exc

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        """Write the record and validate it with the model's rules (``full_clean``), as the
        forms do. Models whose rules live in services override this to call them."""
        instance = serializer.save()
        instance.full_clean()
        return instance

    def perform_destroy(self, instance: Any) -> None:
        with transaction.atomic():
            instance.delete()
