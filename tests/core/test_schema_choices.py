"""Response schemas include every value the API returns (issue 16): a choice field taken from
a model field that may be blank (or null) allows "" (or null) in the schema, read-only fields
included — ``closing_reason`` is "" until a case is closed."""

from typing import Any

import pytest
from django.db import models
from django.test import Client
from rest_framework import serializers

from swstation.core.api.openapi import model_field_of
from swstation.core.roles import Role
from swstation.urls import api_router

pytestmark = pytest.mark.django_db


def allowed_values(schema: dict[str, Any], components: dict[str, Any]) -> set[Any]:
    """Every value an (enum) property schema admits, through $ref, allOf and oneOf."""
    if "$ref" in schema:
        return allowed_values(components[schema["$ref"].rsplit("/", 1)[1]], components)
    values = set(schema.get("enum", []))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            values |= allowed_values(part, components)
    if schema.get("nullable"):
        values.add(None)
    return values


def blankable_choice_fields() -> list[tuple[str, str, bool, bool]]:
    """(component, field, blank, null) of every choice field of the API's model serializers
    whose model field may be blank or null."""
    found = []
    for _prefix, viewset, _basename in api_router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        if serializer_class is None or not issubclass(
            serializer_class, serializers.ModelSerializer
        ):
            continue
        for name, field in serializer_class().fields.items():  # bound: each knows its source
            if not isinstance(field, serializers.ChoiceField) or field.write_only:
                continue
            model_field = model_field_of(field)
            if model_field is None or not model_field.choices:
                continue
            blank = model_field.blank and isinstance(model_field, models.CharField)
            if blank or model_field.null:
                component = serializer_class.__name__.removesuffix("Serializer")
                found.append((component, name, blank, model_field.null))
    return found


def test_every_blank_choice_is_in_its_response_schema(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    fields = blankable_choice_fields()
    assert ("Case", "closing_reason", True, False) in fields
    missing = []
    for component, name, blank, null in fields:
        if component not in components:
            continue  # a serializer the schema names otherwise
        values = allowed_values(components[component]["properties"][name], components)
        if (blank and "" not in values) or (null and None not in values):
            missing.append(f"{component}.{name}")
    assert missing == []


def test_requests_keep_to_the_choices_accepted(users: dict[str, Any]) -> None:
    """A user's role may be "" in an answer (a superuser without one) but not in a write."""
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    components = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert "" in allowed_values(components["User"]["properties"]["role"], components)
    assert "" not in allowed_values(components["UserRequest"]["properties"]["role"], components)
