"""The API's schema class: drf-spectacular's AutoSchema, with the values a response may hold.

A choice field is documented with the choices it accepts; a response may also hold "" or null
when the model field allows them — a user without a role answers ``"role": ""`` although a
write must name one (issue 16: responses must match their schema). Response schemas therefore
add "" (or null) to a choice field whose model field may be blank (or null); request schemas
keep to what is accepted. (Read-only choice fields get the same from
``core.api.viewsets.ScopedSerializerMixin``.)
"""

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


def model_field_of(field: serializers.Field) -> models.Field[Any, Any] | None:
    """The model field a (bound) serializer field shows directly, if any."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source = getattr(field, "source", "") or ""
    if model is None or not source or source == "*" or "." in source:
        return None
    try:
        found = model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


class ResponseChoicesSchema(AutoSchema):
    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        if (
            direction == "response"
            and isinstance(field, serializers.ChoiceField)
            and not isinstance(field, serializers.MultipleChoiceField)
        ):
            model_field = model_field_of(field)
            if model_field is not None and model_field.choices:
                text = isinstance(model_field, (models.CharField, models.TextField))
                blank = text and model_field.blank and not field.allow_blank
                null = model_field.null and not field.allow_null
                if blank or null:
                    field = copy.copy(field)
                    field.allow_blank = field.allow_blank or blank
                    field.allow_null = field.allow_null or null
        return super()._map_serializer_field(field, direction, bypass_extensions)
