"""The staff of stations and agencies, supplied to the ``stations`` app below this one.

Stations need their staff counted (the construction standard's minimum of full-time staff,
domain.md §5) and listed on the station page, but may not import this app; ``stations.staffing``
declares what it needs and :data:`STAFF_SOURCE` fills it (registered in ``WorkforceConfig.ready``).
A member of staff counts from the day they were hired (``hired_on`` empty: since ever) until the
day they left (``left_on`` empty or later than the day), so that a past day counts the staff of
that day (issue 18).
"""

from datetime import date

from django.db.models import Count, Expression, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from swstation.core.actors import Actor
from swstation.stations.models import Station
from swstation.stations.staffing import StaffSource
from swstation.workforce.models import SocialWorker

__all__ = [
    "STAFF_SOURCE",
    "agency_staff_count",
    "station_fulltime_count",
    "station_staff",
    "still_working_q",
    "working_on_q",
]


def still_working_q(*, day: date) -> Q:
    """Staff who have not left by ``day``."""
    return Q(left_on__isnull=True) | Q(left_on__gt=day)


def working_on_q(*, day: date) -> Q:
    """Staff working on ``day``: hired by then (no hiring date: since ever) and not left."""
    return (Q(hired_on__isnull=True) | Q(hired_on__lte=day)) & still_working_q(day=day)


def _count_per(outer: str, condition: Q) -> Expression:
    """Staff matching ``condition`` of the outer station or agency, as a correlated subquery (no
    GROUP BY in the outer query, so that its list can filter and sort on the count)."""
    inner = (
        SocialWorker.objects.filter(condition, **{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), 0)


def station_fulltime_count(day: date) -> Expression:
    return _count_per("station", Q(is_fulltime=True) & working_on_q(day=day))


def agency_staff_count(day: date) -> Expression:
    return _count_per("agency", working_on_q(day=day))


def station_staff(actor: Actor, station: Station) -> QuerySet[SocialWorker]:
    """Staff of the station who have not left (name, post, full-time), full-time first."""
    queryset: QuerySet[SocialWorker] = SocialWorker.objects.visible_to(actor)
    return queryset.filter(still_working_q(day=timezone.localdate()), station=station).order_by(
        "-is_fulltime", "name"
    )


STAFF_SOURCE = StaffSource(
    station_fulltime_count=station_fulltime_count,
    agency_count=agency_staff_count,
    station_panel_template="workforce/inc/station_staff.html",
    station_staff=station_staff,
)
