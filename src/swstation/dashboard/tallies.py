"""What each family of tallies counts (domain.md §5), computed from its source records.

Every function takes a region-code prefix ("" for everything, 9 digits for one partition) and
returns unsaved :class:`~swstation.dashboard.models.Tally` rows at the township (partition) level,
plus village rows where a figure needs villages. Each reads its records with a handful of grouped
queries; none of them loads records one by one except where a rule needs a person's whole
history (certificates, visit schedules), and then only ids, dates and codes.

The families and their metrics:

``services`` (service records, by the recipient's village)
    ``services``: records by service type and month (``total`` = minutes);
    ``people_served``: distinct recipients served in the month;
    ``village_months`` (village rows): per village and year (``period`` 1 January), the months
    with at least one service as a bit mask in ``count`` (bit 0 = January), for village
    coverage over any run of months.
``recipients`` (recipients being served)
    ``recipients``: by category (``key``) or all (``key`` ""), by month registered.
``cases`` (cases, by their station's region)
    ``cases``: by current stage and month opened; ``cases_closed``: by month closed.
``visits`` (active visit schedules of people still served)
    ``visits_next_due``: schedules by the date of their next visit (``period``) and the day
    they end (``key``, "" when open-ended): overdue on a day = next visit before it.
``workforce`` (certificate holders, by the person's region)
    ``certified``: net change, by year (``period`` 1 January), of the people whose highest level
    held is ``key``: the number at the end of a year is the sum up to that year;
    ``newly_certified``: people whose first certificate is of that year.
``funds`` (money paid)
    ``payments_paid``: rewards and allowances of paid batches by kind and month paid
    (``total`` = yuan); ``subsidies_paid``: station subsidies paid, by month paid.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Substr, TruncMonth

from swstation.cases.models import Case, ServiceRecord, VisitSchedule
from swstation.cases.selectors.records import NOT_SERVED, visit_interval_days
from swstation.dashboard.models import Tally, TallyLevel
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.regions.codes import LEVEL_DIGITS, code_of_prefix
from swstation.stations.models import StationSubsidy, SubsidyStatus
from swstation.workforce.models import BatchStatus, Certificate, Payment

PARTITION_DIGITS = LEVEL_DIGITS["township"]
DISTRICT_DIGITS = LEVEL_DIGITS["county"]
CITY_DIGITS = LEVEL_DIGITS["city"]


def partition_of(code: str) -> str:
    """The partition of a record registered at ``code``: its town or street (or its county,
    for records kept at county level)."""
    return code[:PARTITION_DIGITS]


def month_bit(month: int) -> int:
    return 1 << (month - 1)


def _scoped(queryset: QuerySet[Any], path: str, prefix: str) -> QuerySet[Any]:
    queryset = queryset.order_by()
    return queryset.filter(**{f"{path}__startswith": prefix}) if prefix else queryset


def _row(
    family: str,
    metric: str,
    part: str,
    *,
    key: str = "",
    period: date | None = None,
    count: int = 0,
    total: Any = None,
    level: str = TallyLevel.TOWNSHIP,
) -> Tally:
    return Tally(
        family=family,
        metric=metric,
        level=level,
        region_code=code_of_prefix(part) if level != TallyLevel.VILLAGE else part,
        key=key or "",
        period=period,
        count=count,
        total=Decimal(total or 0),
    )


def services(prefix: str) -> list[Tally]:
    path = "recipient__region__code"
    records = _scoped(ServiceRecord.objects.all(), path, prefix)
    part = Substr(path, 1, PARTITION_DIGITS)
    month = TruncMonth("served_on", output_field=DateField())
    rows = [
        _row(
            "services",
            "services",
            r["part"],
            key=r["service_type"],
            period=r["month"],
            count=r["n"],
            total=r["minutes"],
        )
        for r in records.values("service_type", part=part, month=month).annotate(
            n=Count("pk"), minutes=Sum("duration_minutes")
        )
    ]
    rows += [
        _row("services", "people_served", r["part"], period=r["month"], count=r["n"])
        for r in records.values(part=part, month=month).annotate(
            n=Count("recipient_id", distinct=True)
        )
    ]
    masks: dict[tuple[str, int], int] = defaultdict(int)
    for village, served_month in records.values_list(path, month).distinct():
        masks[(village, served_month.year)] |= month_bit(served_month.month)
    rows += [
        _row(
            "services",
            "village_months",
            village,
            period=date(year, 1, 1),
            count=mask,
            level=TallyLevel.VILLAGE,
        )
        for (village, year), mask in masks.items()
    ]
    return rows


def recipients(prefix: str) -> list[Tally]:
    path = "region__code"
    served = _scoped(Recipient.objects.filter(status=RecipientStatus.ACTIVE), path, prefix)
    part = Substr(path, 1, PARTITION_DIGITS)
    month = TruncMonth("created_at", output_field=DateField())
    rows = [
        _row("recipients", "recipients", r["part"], period=r["month"], count=r["n"])
        for r in served.values(part=part, month=month).annotate(n=Count("pk"))
    ]
    rows += [
        _row(
            "recipients",
            "recipients",
            r["part"],
            key=r["category"],
            period=r["month"],
            count=r["n"],
        )
        for r in served.filter(categories__isnull=False)
        .values(part=part, month=month, category=F("categories__code"))
        .annotate(n=Count("pk"))
    ]
    return rows


def cases(prefix: str) -> list[Tally]:
    path = "station__region__code"
    all_cases = _scoped(Case.objects.all(), path, prefix)
    part = Substr(path, 1, PARTITION_DIGITS)
    rows = [
        _row("cases", "cases", r["part"], key=r["stage"], period=r["month"], count=r["n"])
        for r in all_cases.values(
            "stage", part=part, month=TruncMonth("opened_on", output_field=DateField())
        ).annotate(n=Count("pk"))
    ]
    rows += [
        _row("cases", "cases_closed", r["part"], period=r["month"], count=r["n"])
        for r in all_cases.filter(closed_on__isnull=False)
        .values(part=part, month=TruncMonth("closed_on", output_field=DateField()))
        .annotate(n=Count("pk"))
    ]
    return rows


def visits(prefix: str) -> list[Tally]:
    """The next visit of every active schedule, by the rule of
    :func:`swstation.cases.selectors.records.visit_schedules_with_next_due`: the last service of
    the schedule's type to its recipient since it started (or its start) plus the interval."""
    path = "recipient__region__code"
    last_served = (
        ServiceRecord.objects.filter(
            recipient=OuterRef("recipient"),
            service_type=OuterRef("service_type"),
            served_on__gte=OuterRef("starts_on"),
        )
        .order_by("-served_on")
        .values("served_on")[:1]
    )
    schedules = _scoped(
        VisitSchedule.objects.filter(active=True).exclude(recipient__status__in=NOT_SERVED),
        path,
        prefix,
    ).values_list(
        Substr(path, 1, PARTITION_DIGITS),
        "starts_on",
        "ends_on",
        "times_per_month",
        Subquery(last_served, output_field=DateField()),
    )
    counts: Counter[tuple[str, str, date]] = Counter()
    for part, starts_on, ends_on, times_per_month, last in schedules:
        next_due = (last or starts_on) + timedelta(days=visit_interval_days(times_per_month))
        counts[(part, ends_on.isoformat() if ends_on else "", next_due)] += 1
    return [
        _row("visits", "visits_next_due", part, key=key, period=due, count=n)
        for (part, key, due), n in counts.items()
    ]


def workforce(prefix: str) -> list[Tally]:
    """Certificate holders by the highest level they held at each year's end, as net changes,
    and newly certified people by year: the rules of
    :func:`swstation.workforce.selectors.people.certification_statistics`."""
    path = "social_worker__region__code"
    certificates = (
        _scoped(Certificate.objects.all(), path, prefix)
        .order_by("social_worker_id", "obtained_on")
        .values_list("social_worker_id", path, "level", "obtained_on")
    )
    changes: Counter[tuple[str, str, int]] = Counter()
    newly: Counter[tuple[str, int]] = Counter()
    held: dict[int, tuple[str, dict[int, str]]] = {}
    for person, code, level, obtained_on in certificates:
        part, best_by_year = held.setdefault(person, (partition_of(code), {}))
        year = obtained_on.year
        best_by_year[year] = max(best_by_year.get(year, level), level)
    for part, best_by_year in held.values():
        top: str | None = None
        for year in sorted(best_by_year):
            if top is None:
                newly[(part, year)] += 1
            if top is None or best_by_year[year] > top:
                if top is not None:
                    changes[(part, top, year)] -= 1
                top = best_by_year[year]
                changes[(part, top, year)] += 1
    rows = [
        _row("workforce", "certified", part, key=level, period=date(year, 1, 1), count=n)
        for (part, level, year), n in changes.items()
        if n
    ]
    rows += [
        _row("workforce", "newly_certified", part, period=date(year, 1, 1), count=n)
        for (part, year), n in newly.items()
    ]
    return rows


def funds(prefix: str) -> list[Tally]:
    path = "social_worker__region__code"
    payments = _scoped(
        Payment.objects.filter(batch__status=BatchStatus.PAID, batch__paid_on__isnull=False),
        path,
        prefix,
    )
    rows = [
        _row(
            "funds",
            "payments_paid",
            r["part"],
            key=r["kind"],
            period=r["paid_month"],
            count=r["n"],
            total=r["yuan"],
        )
        for r in payments.values(
            "kind",
            part=Substr(path, 1, PARTITION_DIGITS),
            paid_month=TruncMonth("batch__paid_on", output_field=DateField()),
        ).annotate(n=Count("pk"), yuan=Sum("amount"))
    ]
    path = "station__region__code"
    subsidies = _scoped(
        StationSubsidy.objects.filter(status=SubsidyStatus.PAID, paid_on__isnull=False),
        path,
        prefix,
    )
    rows += [
        _row(
            "funds",
            "subsidies_paid",
            r["part"],
            period=r["month"],
            count=r["n"],
            total=r["yuan"],
        )
        for r in subsidies.values(
            part=Substr(path, 1, PARTITION_DIGITS),
            month=TruncMonth("paid_on", output_field=DateField()),
        ).annotate(n=Count("pk"), yuan=Sum("amount"))
    ]
    return rows


FAMILIES: dict[str, Callable[[str], list[Tally]]] = {
    "services": services,
    "recipients": recipients,
    "cases": cases,
    "visits": visits,
    "workforce": workforce,
    "funds": funds,
}
