"""Meta-tests: every scoped model has its full set of layers, and views keep to selectors."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise

from swstation.core.permissions import RolePermissions
from swstation.core.scoping import ScopedQuerySet

SRC = Path(__file__).resolve().parents[2] / "src" / "swstation"


def scoped_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("swstation.")
        and isinstance(getattr(model, "role_permissions", None), RolePermissions)
        and not model.__name__.startswith("Historical")
    ]


def test_there_are_scoped_models() -> None:
    names = {m.__name__ for m in scoped_models()}
    assert {"Region", "Population", "User"} <= names


@pytest.mark.parametrize("model", scoped_models(), ids=lambda m: m.__name__)
def test_model_has_every_layer(model: type[models.Model]) -> None:
    app = model.__module__.rsplit(".", 1)[0]
    name = model.__name__
    assert isinstance(model._default_manager.all(), ScopedQuerySet), "manager lacks visible_to"
    path = model.scope_path  # type: ignore[attr-defined]
    if path is not None:  # None: city-wide policy data, readable by every role
        model._default_manager.filter(**{f"{path}__startswith": "33"}).exists  # noqa: B018
    assert hasattr(model, "history"), "no django-simple-history"
    for module, attr in [
        ("filtersets", f"{name}FilterSet"),
        ("tables", f"{name}Table"),
        ("api.serializers", f"{name}Serializer"),
        ("api.views", f"{name}ViewSet"),
    ]:
        assert hasattr(importlib.import_module(f"{app}.{module}"), attr), f"{app}.{module}.{attr}"
    label, model_name = model._meta.app_label, model._meta.model_name
    for suffix, args in (("_list", []), ("", [1]), ("_history", [1])):  # its pages
        reverse(f"{label}:{model_name}{suffix}", args=args)
    assert isinstance(model._meta.verbose_name, Promise), "verbose_name is not translatable"
    assert model._meta.ordering, "no default ordering"
    assert model.__str__ is not models.Model.__str__
    assert hasattr(model, "get_absolute_url")


def test_views_and_api_views_do_not_query_models_directly() -> None:
    """architecture.md: no <Model>.objects in views (views.py or views/*.py) or API views
    (api/views.py or api/views/*.py); use selectors."""
    offenders = []
    paths = [*SRC.glob("*/views.py"), *SRC.glob("*/views/*.py")]
    paths += [*SRC.glob("*/api/views.py"), *SRC.glob("*/api/views/*.py")]
    assert SRC / "cases" / "views" / "records.py" in paths
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"\b[A-Z]\w*\.objects\b", line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []
