"""Demo step: the income follow-up of the households of two livelihood projects (issue 14,
"从输血到造血"): 慈城镇's 慈缘驿站 (employment aid) and 大碶街道's 塔峙大阿嫂结对帮扶.

- **Who is followed**: the households of the people each project enrolled (the projects step
  enrols the low-income recipients of its villages), one follow-up a household, its baseline
  taken on the day its first member was enrolled, checked quarterly (one in four monthly).
- **Income**: before, the household lives mostly on what it is given (低保, subsidies: 900–1,800
  yuan a month) and earns little (0–900). After, most households earn more at each check (a
  seasonal job found through 慈缘驿站, 大阿嫂's help with a small business) and, once earning,
  some are given less (leaving 低保 as the income rises); about one in six does not improve.
- **Ended**: the follow-up of a household whose members all left the project ends on the day
  the last one left.

Deterministic (``random.Random("demo-income")`` over querysets in a fixed order, dates relative
to the build day); a second run finds the follow-ups and changes nothing. Bulk writes with
their history: well under a second.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from swstation.demo.bulk import insert_objects
from swstation.demo.history import demo_history
from swstation.employment.models import (
    INTERVAL_MONTHS,
    FollowUpInterval,
    IncomeCheck,
    IncomeFollowUp,
    add_months,
)
from swstation.projects.models import Project, ProjectEnrolment

PROJECTS = ("慈缘驿站", "塔峙大阿嫂结对帮扶")
# Households followed by a project at most (the first by enrolment day).
MAX_HOUSEHOLDS = 40


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(15)))


def _yuan(value: float) -> Decimal:
    """Rounded to 10 yuan, as a household says its income."""
    return Decimal(max(0, round(value / 10) * 10))


def build_income_follow_ups(log: Callable[[str], None]) -> None:
    if IncomeFollowUp.objects.exists():
        log(f"income follow-up: already built ({IncomeFollowUp.objects.count()} households)")
        return
    rng = random.Random("demo-income")
    today = demo_history().end
    follow_ups: list[IncomeFollowUp] = []
    series: list[list[tuple[date, Decimal, Decimal]]] = []
    for project in Project.objects.filter(name__in=PROJECTS).order_by("name", "pk"):
        _plan_project(project, today, rng, follow_ups, series)
    insert_objects(IncomeFollowUp, follow_ups)
    checks: list[IncomeCheck] = []
    for follow_up, points in zip(follow_ups, series, strict=True):
        for day, earned, given in points:
            check = IncomeCheck(
                follow_up=follow_up, checked_on=day, earned=earned, given=given, note=""
            )
            check._history_date = _moment(day)  # type: ignore[attr-defined]
            checks.append(check)
    insert_objects(IncomeCheck, checks)
    log(f"income follow-up: {len(follow_ups)} households, {len(checks)} checks")


def _plan_project(
    project: Project,
    today: date,
    rng: random.Random,
    follow_ups: list[IncomeFollowUp],
    series: list[list[tuple[date, Decimal, Decimal]]],
) -> None:
    """The follow-ups of ``project``'s enrolled households and each one's checks."""
    enrolments = (
        ProjectEnrolment.objects.filter(project=project, recipient__household__isnull=False)
        .order_by("enrolled_on", "pk")
        .values_list("recipient__household_id", "enrolled_on", "exited_on")
    )
    households: dict[int, tuple[date, date | None, bool]] = {}
    for household_id, enrolled_on, exited_on in enrolments:
        first, last, still_in = households.get(household_id, (enrolled_on, exited_on, False))
        if exited_on is None:
            still_in = True
        elif last is None or exited_on > last:
            last = exited_on
        households[household_id] = (min(first, enrolled_on), last, still_in)
    for household_id, (started, last_exit, still_in) in list(households.items())[:MAX_HOUSEHOLDS]:
        if started > today:
            continue
        ended = None if still_in else last_exit
        interval = FollowUpInterval.MONTHLY if rng.random() < 0.25 else FollowUpInterval.QUARTERLY
        earned = rng.choice((0, 0, 200, 300, 450, 600, 800, 900))
        given = rng.choice((900, 1100, 1250, 1400, 1600, 1800))
        follow_up = IncomeFollowUp(
            household_id=household_id,
            project=project,
            interval=interval,
            started_on=started,
            baseline_earned=_yuan(earned),
            baseline_given=_yuan(given),
            ended_on=ended,
            note="",
        )
        follow_up._history_date = _moment(started)  # type: ignore[attr-defined]
        follow_ups.append(follow_up)
        series.append(_checks(started, ended or today, interval, earned, given, rng))


def _checks(
    started: date, until: date, interval: str, earned: float, given: float, rng: random.Random
) -> list[tuple[date, Decimal, Decimal]]:
    """The household's income at each check up to ``until``: rising for most (a job found,
    a small business), the aid falling once it earns; flat or falling for about one in six."""
    improves = rng.random() < 5 / 6
    gain = rng.uniform(150, 450) if improves else rng.uniform(-60, 40)
    points = []
    day = add_months(started, INTERVAL_MONTHS[interval])
    step = 0
    while day <= until:
        step += 1
        months = step * INTERVAL_MONTHS[interval]
        now_earned = earned + gain * min(months, 12) / 3 * rng.uniform(0.8, 1.2)
        now_given = given
        if improves and now_earned > 1500:
            now_given = given * rng.uniform(0.3, 0.7)
        points.append((day, _yuan(now_earned), _yuan(now_given)))
        day = add_months(started, months + INTERVAL_MONTHS[interval])
    return points
