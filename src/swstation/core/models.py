"""Base model for every record that belongs to a region and so to a jurisdiction."""

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from swstation.core.permissions import RolePermissions
from swstation.core.scoping import ScopedQuerySet


class ScopedModel(models.Model):
    """A record scoped by region, with timestamps and a change history.

    Subclasses set ``scope_path`` (the lookup from the record to a 12-digit region code) and
    ``role_permissions``; the manager gives them ``objects.visible_to(user)``.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(inherit=True)
    objects: Any = ScopedQuerySet.as_manager()

    scope_path: ClassVar[str] = "region__code"
    role_permissions: ClassVar[RolePermissions] = RolePermissions()
    # Fields holding personal data, masked for roles in roles.MASKED_ROLES (pages, API, history).
    personal_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True
