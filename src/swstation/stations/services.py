"""Writes on stations: the registry and the city's subsidies per built station.

Single-record rules (where a station may stand, what its status implies) live in
``Station.clean()``; the services run them with ``full_clean()`` so that the page, the API and
the demo builder share one set of rules.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from swstation.core.actors import Actor
from swstation.core.history import save_with_history
from swstation.core.permissions import user_can
from swstation.core.transitions import StateConflict, lock_for_transition
from swstation.stations.models import (
    Station,
    StationSubsidy,
    SubsidyPolicy,
    SubsidyStatus,
)
from swstation.stations.selectors import BUILT_STATUSES


@transaction.atomic
def station_create(*, actor: Actor, **fields: Any) -> Station:
    """Register a station; ``fields`` are Station fields (``region``, ``kind``, ``name``...)."""
    station = Station(**fields)
    station.full_clean()
    save_with_history(station, actor=actor)
    return station


@transaction.atomic
def station_update(*, actor: Actor, station: Station, **changes: Any) -> Station:
    for name, value in changes.items():
        setattr(station, name, value)
    station.full_clean()
    save_with_history(station, actor=actor)
    return station


def _policy_valid_in_year(policy: SubsidyPolicy, year: int) -> bool:
    return policy.valid_from <= date(year, 12, 31) and (
        policy.valid_to is None or policy.valid_to >= date(year, 1, 1)
    )


@transaction.atomic
def station_subsidies_generate(*, actor: Actor, policy: SubsidyPolicy, year: int) -> int:
    """Create a payable subsidy under ``policy`` for every built station of the policy's kinds
    that opened in or before ``year`` and has none under this policy yet. Returns how many.

    Never twice: stations that already have a subsidy under the policy are skipped, the policy
    row is locked so that two clicks at once cannot both create, and the database refuses a
    second subsidy per station and policy (``one_subsidy_per_station_and_policy``).
    """
    if not user_can(actor, "add", StationSubsidy):
        raise PermissionDenied(_("Your role may not create subsidies."))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a budget year between 2000 and 2100.")})
    policy = SubsidyPolicy.objects.select_for_update().get(pk=policy.pk)
    if not _policy_valid_in_year(policy, year):
        raise ValidationError(
            {
                "year": _("The policy “%(policy)s” is not valid in %(year)s.")
                % {"policy": policy, "year": year}
            }
        )
    stations = (
        Station.objects.visible_to(actor)
        .filter(
            kind__in=policy.station_kinds,
            status__in=BUILT_STATUSES,
            opened_on__year__lte=year,
        )
        .exclude(subsidies__policy=policy)
        .order_by("pk")
    )
    subsidies = [
        StationSubsidy(
            station=station,
            policy=policy,
            amount=policy.amount,
            year=year,
            status=SubsidyStatus.PAYABLE,
        )
        for station in stations
    ]
    for subsidy in subsidies:
        subsidy.full_clean(exclude=["station", "policy"], validate_constraints=False)
    bulk_create_with_history(subsidies, StationSubsidy, default_user=actor)
    return len(subsidies)


def _subsidy_changed(subsidy: StationSubsidy) -> str:
    return _(
        "This subsidy was changed by someone else in the meantime: it is now “%(status)s”. "
        "Reload it and try again."
    ) % {"status": subsidy.get_status_display()}


@transaction.atomic
def station_subsidy_mark_paid(
    *, actor: Actor, subsidy: StationSubsidy, paid_on: date
) -> StationSubsidy:
    """Record that a payable subsidy was paid on ``paid_on`` (not in the future).

    The subsidy's row is locked and its status must still be the one the caller loaded: of two
    payments recorded together, the second is refused with a StateConflict (409)."""
    if not user_can(actor, "change", StationSubsidy):
        raise PermissionDenied(_("Your role may not change subsidies."))
    lock_for_transition(subsidy, "status", conflict=_subsidy_changed)
    if subsidy.status == SubsidyStatus.PAID:
        raise StateConflict(
            {"status": _("This subsidy was already paid on %(date)s.") % {"date": subsidy.paid_on}}
        )
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date is in the future.")})
    subsidy.status = SubsidyStatus.PAID
    subsidy.paid_on = paid_on
    subsidy.full_clean()
    save_with_history(subsidy, actor=actor)
    return subsidy
