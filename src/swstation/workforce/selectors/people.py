"""Reads on people, certificates, training, supervision and talent, and the certification
statistics of domain.md §5 ("Certified social workers, by level and region; per 10,000
residents; newly certified per year and year-on-year growth").

Every function takes the actor and returns only what they may see. The statistics are
aggregated in SQL (GROUP BY over correlated subqueries), so that they stay fast on the city's
20,000 people: Python only ever loops over the grouped rows (a few per district and level).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    CharField,
    Count,
    DateField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone

from swstation.core.actors import Actor
from swstation.regions.codes import LEVEL_DIGITS, LEVEL_ORDER
from swstation.regions.models import Region, RegionLevel
from swstation.regions.selectors import population_list, user_home_region
from swstation.workforce.models import (
    Attendance,
    Certificate,
    CertificateLevel,
    Course,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)

__all__ = [
    "AreaRow",
    "CertificationStatistics",
    "LevelRow",
    "PopulationUsed",
    "YearRow",
    "attendance_list",
    "certificate_list",
    "certification_statistics",
    "course_attendances",
    "course_list",
    "session_participants",
    "social_worker_attendances",
    "social_worker_certificates",
    "social_worker_level",
    "social_worker_list",
    "social_worker_sessions",
    "social_worker_talent_entries",
    "statistics_regions",
    "supervision_session_list",
    "supervisor_list",
    "supervisor_sessions",
    "talent_entry_list",
    "training_class_courses",
    "training_class_list",
]

ZERO_HOURS = Decimal("0.0")


# --- people and certificates ---------------------------------------------------------------


def highest_level_subquery(*, on_or_before: date | None = None) -> Subquery:
    """A person's highest certificate level (optionally as held at the end of a day).

    Level codes sort by rank (assistant < intermediate < senior), so the highest is the
    greatest code."""
    certificates = Certificate.objects.filter(social_worker=OuterRef("pk"))
    if on_or_before is not None:
        certificates = certificates.filter(obtained_on__lte=on_or_before)
    return Subquery(certificates.order_by("-level").values("level")[:1], output_field=CharField())


def social_worker_list(*, actor: Actor) -> QuerySet[SocialWorker]:
    """People in the actor's jurisdiction with ``current_level``: the highest level held."""
    queryset: QuerySet[SocialWorker] = SocialWorker.objects.visible_to(actor)
    return queryset.select_related("region", "station", "agency", "user").annotate(
        current_level=highest_level_subquery()
    )


def social_worker_level(*, social_worker: SocialWorker) -> str | None:
    """The highest level ``social_worker`` holds, for a record read without the annotation."""
    if hasattr(social_worker, "current_level"):  # read through social_worker_list
        level: str | None = getattr(social_worker, "current_level")  # noqa: B009  # annotation
        return level
    if social_worker.pk is None:
        return None
    found: str | None = (
        Certificate.objects.filter(social_worker=social_worker)
        .order_by("-level")
        .values_list("level", flat=True)
        .first()
    )
    return found


def social_worker_certificates(
    *, actor: Actor, social_worker: SocialWorker
) -> QuerySet[Certificate]:
    """The person's certificates in the order obtained: their certification history."""
    return (
        certificate_list(actor=actor)
        .filter(social_worker=social_worker)
        .order_by("obtained_on", "level")
    )


def social_worker_attendances(*, actor: Actor, social_worker: SocialWorker) -> QuerySet[Attendance]:
    return attendance_list(actor=actor).filter(social_worker=social_worker)


def social_worker_sessions(
    *, actor: Actor, social_worker: SocialWorker
) -> QuerySet[SupervisionSession]:
    queryset: QuerySet[SupervisionSession] = SupervisionSession.objects.visible_to(actor)
    return queryset.filter(participants=social_worker).select_related("supervisor", "station")


def social_worker_talent_entries(
    *, actor: Actor, social_worker: SocialWorker
) -> QuerySet[TalentEntry]:
    return talent_entry_list(actor=actor).filter(social_worker=social_worker)


def certificate_list(*, actor: Actor) -> QuerySet[Certificate]:
    queryset: QuerySet[Certificate] = Certificate.objects.visible_to(actor)
    return queryset.select_related("social_worker", "social_worker__region")


# --- rewards and payments (plain pages; the workflow reads are in selectors/payments.py) ---


# --- training ------------------------------------------------------------------------------


def training_class_list(*, actor: Actor) -> QuerySet[TrainingClass]:
    queryset: QuerySet[TrainingClass] = TrainingClass.objects.visible_to(actor)
    return queryset.select_related("region").annotate(course_count=Count("courses"))


def training_class_courses(*, actor: Actor, training_class: TrainingClass) -> QuerySet[Course]:
    return course_list(actor=actor).filter(training_class=training_class).order_by("held_on")


def course_list(*, actor: Actor) -> QuerySet[Course]:
    queryset: QuerySet[Course] = Course.objects.visible_to(actor)
    return queryset.select_related("region", "training_class").annotate(
        attendance_count=Count("attendances")
    )


def course_attendances(*, actor: Actor, course: Course) -> tuple[QuerySet[Attendance], Decimal]:
    """Who attended ``course`` (as far as the actor may see) and their total hours."""
    attendances = attendance_list(actor=actor).filter(course=course).order_by("social_worker__name")
    total = attendances.aggregate(total=Sum("hours"))["total"] or ZERO_HOURS
    return attendances, total


def attendance_list(*, actor: Actor) -> QuerySet[Attendance]:
    queryset: QuerySet[Attendance] = Attendance.objects.visible_to(actor)
    return queryset.select_related("course", "social_worker", "social_worker__region")


def training_hours(*, actor: Actor, social_worker: SocialWorker) -> Decimal:
    total: Decimal | None = social_worker_attendances(
        actor=actor, social_worker=social_worker
    ).aggregate(total=Sum("hours"))["total"]
    return total or ZERO_HOURS


# --- supervision and talent ----------------------------------------------------------------


def supervisor_list(*, actor: Actor) -> QuerySet[Supervisor]:
    queryset: QuerySet[Supervisor] = Supervisor.objects.visible_to(actor)
    return queryset.select_related("region", "user")


def supervisor_sessions(
    *, actor: Actor, supervisor: Supervisor
) -> tuple[QuerySet[SupervisionSession], Decimal]:
    """The supervisor's sessions the actor may see, and their total hours."""
    sessions = supervision_session_list(actor=actor).filter(supervisor=supervisor)
    visible: QuerySet[SupervisionSession] = SupervisionSession.objects.visible_to(actor)
    total: Decimal = (
        visible.filter(supervisor=supervisor).aggregate(total=Sum("hours"))["total"] or ZERO_HOURS
    )
    return sessions, total


def supervision_session_list(*, actor: Actor) -> QuerySet[SupervisionSession]:
    queryset: QuerySet[SupervisionSession] = SupervisionSession.objects.visible_to(actor)
    return queryset.select_related("supervisor", "station", "station__region").annotate(
        participant_count=Count("participants")
    )


def session_participants(*, actor: Actor, session: SupervisionSession) -> QuerySet[SocialWorker]:
    return social_worker_list(actor=actor).filter(supervision_sessions=session).order_by("name")


def talent_entry_list(*, actor: Actor) -> QuerySet[TalentEntry]:
    queryset: QuerySet[TalentEntry] = TalentEntry.objects.visible_to(actor)
    return queryset.select_related("social_worker", "social_worker__region")


# --- certification statistics (domain.md §5) -----------------------------------------------


@dataclass(frozen=True)
class PopulationUsed:
    """The resident population a ratio was computed with, and the year it belongs to."""

    population: int
    year: int
    requested_year: int

    @property
    def is_earlier_year(self) -> bool:
        return self.year != self.requested_year


@dataclass
class LevelRow:
    level: str
    label: str
    count: int
    share: Decimal | None  # percent of all certified people


@dataclass
class AreaRow:
    region: Region | None  # None: people registered directly at the parent region
    label: str
    code: str
    total: int
    by_level: dict[str, int]
    population: PopulationUsed | None
    per_10k: Decimal | None


@dataclass
class YearRow:
    year: int
    newly: int
    growth: Decimal | None  # percent on the year before; None when that year had none
    cumulative: int


@dataclass
class CertificationStatistics:
    region: Region
    year: int
    total: int
    population: PopulationUsed | None
    per_10k: Decimal | None
    by_level: list[LevelRow] = field(default_factory=list)
    by_area: list[AreaRow] = field(default_factory=list)
    by_year: list[YearRow] = field(default_factory=list)

    def year_row(self, year: int) -> YearRow | None:
        return next((row for row in self.by_year if row.year == year), None)


def statistics_regions(*, actor: Actor) -> QuerySet[Region]:
    """The regions the actor may choose on the statistics page (not villages)."""
    queryset: QuerySet[Region] = Region.objects.visible_to(actor)
    return queryset.exclude(level=RegionLevel.VILLAGE).order_by("code")


def statistics_default_region(*, actor: Actor) -> Region | None:
    return user_home_region(actor=actor)


def _people_in(*, actor: Actor, region: Region) -> QuerySet[SocialWorker]:
    """Everyone registered in ``region`` whom the actor may see, whether or not they have left:
    the national figure counts certificate holders registered in the city."""
    queryset: QuerySet[SocialWorker] = SocialWorker.objects.visible_to(actor).in_region_prefix(
        region.prefix
    )
    return queryset.order_by()


def _child_prefix_length(region: Region) -> int:
    """Digits that name a child region of ``region`` (a village has none: its own 12)."""
    index = LEVEL_ORDER.index(region.level)
    return LEVEL_DIGITS[LEVEL_ORDER[min(index + 1, len(LEVEL_ORDER) - 1)]]


def _ratio(numerator: int, denominator: int, factor: int) -> Decimal:
    value = Decimal(numerator) * factor / Decimal(denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _populations(*, actor: Actor, regions: list[Region], year: int) -> dict[int, PopulationUsed]:
    """Each region's population in ``year``, or in the latest earlier year on record."""
    rows = (
        population_list(actor=actor)
        .filter(region__in=regions, year__lte=year)
        .order_by("region_id", "-year")
        .values_list("region_id", "year", "population")
    )
    found: dict[int, PopulationUsed] = {}
    for region_id, figure_year, population in rows:
        if region_id not in found and population:
            found[region_id] = PopulationUsed(population, figure_year, year)
    return found


def certification_statistics(*, actor: Actor, region: Region, year: int) -> CertificationStatistics:
    """Certified people in ``region`` at the end of ``year``: by highest level, by child
    region, per 10,000 residents; newly certified (first certificate) per year up to ``year``,
    with year-on-year growth. Four queries whatever the number of people."""
    year_end = date(year, 12, 31)
    people = _people_in(actor=actor, region=region)
    prefix_length = _child_prefix_length(region)

    # 1. Certified at year end, grouped by child region and highest level held then.
    grouped = (
        people.annotate(
            top_level=highest_level_subquery(on_or_before=year_end),
            area=Substr("region__code", 1, prefix_length),
        )
        .filter(top_level__isnull=False)
        .values("area", "top_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_area_level: dict[str, dict[str, int]] = {}
    level_totals = dict.fromkeys(CertificateLevel.values, 0)
    for row in grouped:
        by_area_level.setdefault(row["area"], dict.fromkeys(CertificateLevel.values, 0))[
            row["top_level"]
        ] += row["n"]
        level_totals[row["top_level"]] += row["n"]
    total = sum(level_totals.values())

    # 2. Child regions and populations (the region's own and its children's).
    children = list(
        Region.objects.visible_to(actor).filter(parent=region).order_by("code")
        if region.level != RegionLevel.VILLAGE
        else Region.objects.none()
    )
    populations = _populations(actor=actor, regions=[region, *children], year=year)

    population = populations.get(region.pk)
    statistics = CertificationStatistics(
        region=region,
        year=year,
        total=total,
        population=population,
        per_10k=_ratio(total, population.population, 10_000) if population else None,
    )
    statistics.by_level = [
        LevelRow(
            level=level,
            label=str(label),
            count=level_totals[level],
            share=_ratio(level_totals[level], total, 100) if total else None,
        )
        for level, label in CertificateLevel.choices
    ]
    empty = dict.fromkeys(CertificateLevel.values, 0)
    for child in children:
        counts = by_area_level.pop(child.prefix, empty)
        child_total = sum(counts.values())
        child_population = populations.get(child.pk)
        statistics.by_area.append(
            AreaRow(
                region=child,
                label=child.name,
                code=child.code,
                total=child_total,
                by_level=counts,
                population=child_population,
                per_10k=(
                    _ratio(child_total, child_population.population, 10_000)
                    if child_population
                    else None
                ),
            )
        )
    # People registered at the region itself (not in any child region), or in children the
    # actor may not see: one row, so that the rows add up to the total.
    leftover = dict.fromkeys(CertificateLevel.values, 0)
    for counts in by_area_level.values():
        for level, n in counts.items():
            leftover[level] += n
    if sum(leftover.values()):
        statistics.by_area.append(
            AreaRow(
                region=None,
                label=region.name,
                code=region.code,
                total=sum(leftover.values()),
                by_level=leftover,
                population=None,
                per_10k=None,
            )
        )

    # 3. Newly certified per year: people whose first certificate was obtained that year.
    first_obtained = Subquery(
        Certificate.objects.filter(social_worker=OuterRef("pk"))
        .order_by("obtained_on")
        .values("obtained_on")[:1],
        output_field=DateField(),
    )
    yearly = (
        people.annotate(first_on=first_obtained)
        .filter(first_on__lte=year_end)
        .annotate(first_year=ExtractYear("first_on"))
        .values("first_year")
        .annotate(n=Count("pk"))
        .order_by("first_year")
    )
    newly = {row["first_year"]: row["n"] for row in yearly}
    if newly:
        cumulative = 0
        previous: int | None = None
        for each_year in range(min(newly), year + 1):
            count = newly.get(each_year, 0)
            cumulative += count
            growth = (
                _ratio(count - previous, previous, 100).quantize(Decimal("0.1"))
                if previous
                else None
            )
            statistics.by_year.append(YearRow(each_year, count, growth, cumulative))
            previous = count
    return statistics


def certification_year_choices(*, today: date | None = None) -> list[int]:
    """Years offered on the statistics page, newest first."""
    current = (today or timezone.localdate()).year
    return list(range(current, 2005, -1))
