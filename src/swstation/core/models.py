"""Base model for every record that belongs to a region and so to a jurisdiction."""

from datetime import date
from typing import ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from swstation.core.date_ranges import check_dates, latest_plan_end, record_floor
from swstation.core.permissions import RolePermissions
from swstation.core.roles import Role
from swstation.core.scoping import ScopedManager, ScopedQuerySet


class ScopedModel(models.Model):
    """A record scoped by region, with timestamps and a change history.

    Subclasses set ``scope_path`` (the lookup from the record to a 12-digit region code) and
    ``role_permissions``; the manager gives them ``objects.visible_to(user)``, typed for each
    model (``Region.objects.visible_to(user)`` is a ``ScopedQuerySet[Region]``).
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(inherit=True)
    objects = ScopedManager()

    scope_path: ClassVar[str | None] = "region__code"
    # Prefix lengths of a scope column the model indexes (core.scoping.prefix_condition).
    scope_prefix_indexes: ClassVar[tuple[int, ...]] = ()
    # True for things a higher level provides to those below (see ScopedQuerySet.visible_to).
    shared_downward: ClassVar[bool] = False
    role_permissions: ClassVar[RolePermissions] = RolePermissions()
    # Fields holding personal data, masked for roles in roles.MASKED_ROLES (pages, API, history).
    personal_fields: ClassVar[tuple[str, ...]] = ()
    # Protected personal data (issue 10, "Auditing"): masked for every role (pages, API,
    # history, edit forms), shown in full only through a logged reveal where a role needs it.
    protected_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True


class PolicyQuerySet[M: models.Model](ScopedQuerySet[M]):
    def valid_on(self, day: date) -> Self:
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


PolicyManager = models.Manager.from_queryset(PolicyQuerySet)


class PolicyModel(ScopedModel):
    """City-wide policy data with a validity period (domain.md: amounts and standards are
    "configurable data with validity dates, never constants in code"). Everyone reads it;
    only the city bureau writes it."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty: open-ended.")
    )

    # ClassVar, as django-stubs declares ScopedModel's; typed per model all the same
    # (``ConstructionStandard.objects.valid_on(day)`` is a PolicyQuerySet[ConstructionStandard]).
    objects: ClassVar = PolicyManager()

    scope_path: ClassVar[str | None] = None
    role_permissions: ClassVar[RolePermissions] = RolePermissions(
        add=frozenset({Role.CITY_ADMIN}),
        change=frozenset({Role.CITY_ADMIN}),
        delete=frozenset({Role.CITY_ADMIN}),
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        more: dict[str, str] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            more["valid_to"] = str(_("The end of validity is before its start."))
        check_dates(
            self,
            {
                "valid_from": (record_floor(), latest_plan_end()),
                "valid_to": (None, latest_plan_end()),
            },
            **more,
        )

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


from swstation.core.export_models import ExportJob  # noqa: E402, F401
from swstation.core.import_models import ImportJob  # noqa: E402, F401
