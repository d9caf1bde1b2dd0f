"""The demo city has a history (issue 18): its activity starts when each station opened and
runs up to the day the demo is built; every year's cockpit says what was true then, older years
thinner but none empty.

Shares the one demo build of the package (tests/demo/conftest.py, ``demo_log``); the pure parts
of the time line (demo/history.py) are checked on their own.
"""

import itertools
import random
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F, Max, Min
from django.test import Client
from django.utils import timezone

from swstation.accounts.models import User
from swstation.cases.models import (
    Case,
    CaseStage,
    CaseStageChange,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
    VisitSchedule,
)
from swstation.demo import builder, daily
from swstation.demo.history import (
    FIRST_YEAR_SHARE,
    HISTORY_START,
    SAMPLED_SHARE,
    History,
    demo_history,
    history,
    maturity,
    maturity_days,
)
from swstation.recipients.models import CategoryPeriod, Recipient, RecipientStatus
from swstation.regions.models import Region
from swstation.stations.models import Station, StationKind
from swstation.workforce.models import SocialWorker

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]

EXIT_STATUS = {
    "deceased": RecipientStatus.DECEASED,
    "moved_away": RecipientStatus.MOVED,
    "ineligible": RecipientStatus.INACTIVE,
    "declined": RecipientStatus.INACTIVE,
}


def overview(year: int) -> dict[str, Any]:
    client = Client()
    client.force_login(User.objects.get(username="city_admin"))
    response = client.get("/api/v1/stats/overview/", {"year": year})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def end_of_build(demo_log: str) -> date:
    """The day the demo was built, as its log says."""
    line = next(line for line in demo_log.splitlines() if line.strip().startswith("history:"))
    return date.fromisoformat(line.split("..")[1][:10])


# --- the time line ------------------------------------------------------------------------


def test_the_default_builds_recent_years_in_full_and_samples_the_older_ones() -> None:
    line = History(end=date(2026, 12, 5))
    assert line.full_from == date(2025, 1, 1)
    assert line.kept_share(date(2024, 12, 31)) == SAMPLED_SHARE
    assert line.kept_share(date(2025, 1, 1)) == 1.0
    assert line.last_year == date(2025, 12, 6)
    full = History(end=date(2026, 12, 5), full=True)
    assert full.full_from == HISTORY_START
    assert full.kept_share(date(2020, 3, 1)) == 1.0
    assert "every year in full" in full.describe() and "10%" in line.describe()


def test_a_station_grows_into_its_activity_over_its_first_year() -> None:
    opened = date(2021, 3, 15)
    assert maturity(opened, opened) == FIRST_YEAR_SHARE
    assert maturity(opened, opened + timedelta(days=200)) < 1
    assert maturity(opened, opened + timedelta(days=365)) == 1
    rng = random.Random(3)
    for _ in range(200):
        start = opened + timedelta(days=rng.randint(0, 700))
        end = start + timedelta(days=rng.randint(0, 900))
        days = (end - start).days
        exact = sum(maturity(opened, start + timedelta(days=n)) for n in range(days))
        assert maturity_days(opened, start, end) == pytest.approx(exact)


def test_the_time_line_is_set_for_the_build_only() -> None:
    assert demo_history().end == timezone.localdate() and not demo_history().full
    with history(full=True, end=date(2027, 3, 1)) as line:
        assert demo_history() == line == History(date(2027, 3, 1), full=True)
    assert not demo_history().full


def test_the_command_passes_full_history_to_the_steps(monkeypatch: Any, settings: Any) -> None:
    settings.DEBUG = True
    seen: list[bool] = []
    monkeypatch.setattr(builder, "STEPS", [("probe", lambda log: seen.append(demo_history().full))])
    out = StringIO()
    call_command("demo", "--full-history", stdout=out)
    call_command("demo", stdout=out)
    assert seen == [True, False]
    assert "every year in full" in out.getvalue()


# --- the built city -----------------------------------------------------------------------


def test_every_year_says_what_was_true_then(demo_log: str) -> None:
    """``/api/v1/stats/overview/?year=Y``: 95 stations in 2021; people registered and served,
    cases opened and closed in every year since the first stations opened, growing year on
    year, each below this year's (issue 18's interface)."""
    this_year = end_of_build(demo_log).year
    years = {year: overview(year) for year in range(2020, this_year + 1)}
    assert [years[y]["stations_operating"] for y in (2020, 2021, 2022)] == [45, 95, 156]
    assert years[2021]["certified_social_workers"] == 10_411
    for year in range(2020, this_year + 1):
        data = years[year]
        assert data["recipients"] > 0, year
        assert data["services"] > 0, year
        if year < this_year:
            assert data["recipients"] < years[this_year]["recipients"], year
    for year in range(2021, this_year + 1):
        assert years[year]["cases_opened"] > 0 and years[year]["cases_closed"] > 0, year
    # Visits overdue at the end of each year since the visit plans were all running (2023).
    for year in range(2023, this_year + 1):
        assert years[year]["visits_overdue"] > 0, year
    # Growing: more people in service and more services each year up to the last sampled one,
    # and again from the first year built in full.
    recipients = [years[y]["recipients"] for y in range(2020, this_year)]
    assert recipients == sorted(recipients)
    assert years[2020]["services"] < years[2021]["services"] < years[2022]["services"]
    assert years[2022]["services"] < years[2023]["services"]
    assert years[this_year - 1]["services"] > years[this_year - 2]["services"]
    assert 0 < years[2021]["services"] < years[this_year]["services"]


def test_people_are_registered_over_the_years_and_some_leave(demo_log: str) -> None:
    end = end_of_build(demo_log)
    people = Recipient.objects.select_related("station")
    registered = Counter(people.values_list("registered_on__year", flat=True))
    assert min(registered) == 2020 and max(registered) == end.year
    assert all(registered[year] > 0 for year in range(2020, end.year + 1))
    assert not people.filter(registered_on__lt=F("station__opened_on")).exists()
    assert not people.filter(registered_on__gt=end).exists()
    assert not people.exclude(consent_on=F("registered_on")).exists()
    exited = people.exclude(exited_on=None)
    assert 0.05 * people.count() < exited.count() < 0.2 * people.count()
    assert not exited.filter(exited_on__lte=F("registered_on")).exists()
    assert not exited.filter(exited_on__gt=end).exists()
    for reason, status in EXIT_STATUS.items():
        assert exited.filter(exit_reason=reason).exists(), reason
        assert set(exited.filter(exit_reason=reason).values_list("status", flat=True)) == {status}
    assert not people.filter(exited_on=None).exclude(status=RecipientStatus.ACTIVE).exists()
    assert len(set(exited.values_list("exited_on__year", flat=True))) >= end.year - 2021
    # The two exact places are all in service today.
    houdajie = people.filter(region__parent__code="330211001000", region__name="后大街社区")
    assert not houdajie.filter(categories__code="advanced_age").exclude(exited_on=None).exists()


def test_categories_carry_their_dates(demo_log: str) -> None:
    periods = CategoryPeriod.objects.select_related("recipient", "category")
    held = Counter(Recipient.categories.through.objects.values_list("recipient_id", "category_id"))
    open_periods = Counter(periods.filter(valid_to=None).values_list("recipient_id", "category_id"))
    assert open_periods == held  # one open period for each category held today
    assert not periods.filter(valid_from__lt=F("recipient__registered_on")).exists()
    # Some people went from 低保 to 低边 or back.
    closed = periods.exclude(valid_to=None)
    assert closed.exists()
    assert set(closed.values_list("category__code", flat=True)) <= {
        "subsistence_allowance",
        "marginal_subsistence",
    }
    # 高龄 from the 80th birthday.
    for period in periods.filter(category__code="advanced_age")[:500]:
        birth = period.recipient.birth_date
        assert birth is not None
        assert period.valid_from >= birth.replace(year=birth.year + 80, day=min(birth.day, 28))


def test_services_follow_the_people_and_the_staff_in_post(demo_log: str) -> None:
    records = ServiceRecord.objects.all()
    assert not records.filter(served_on__lt=F("recipient__registered_on")).exists()
    assert not records.filter(served_on__gte=F("recipient__exited_on")).exists()
    assert not records.filter(served_on__lt=F("station__opened_on")).exists()
    assert not records.filter(served_on__lt=F("worker__hired_on")).exists()
    assert not records.filter(served_on__gte=F("worker__left_on")).exists()
    assert records.filter(recipient__status=RecipientStatus.DECEASED).exists()
    first = records.aggregate(first=Min("served_on"))["first"]
    assert first.year == 2020


def test_older_years_are_sampled_recent_years_full(demo_log: str) -> None:
    """Per person in service, the years before the previous one hold about a tenth of the
    services of the years built in full."""
    end = end_of_build(demo_log)
    full_from = date(end.year - 1, 1, 1)
    sampled_year, full_year = full_from.year - 1, full_from.year

    def per_person(year: int) -> float:
        served = (
            ServiceRecord.objects.filter(served_on__year=year)
            .exclude(notes__startswith="“幸福来敲门”")
            .exclude(notes__startswith="一人一案")
        )
        at_end = date(year, 12, 31)
        people = Recipient.objects.filter(registered_on__lte=at_end).exclude(exited_on__lte=at_end)
        return served.count() / people.count()

    ratio = per_person(sampled_year) / per_person(full_year)
    assert SAMPLED_SHARE * 0.6 < ratio < SAMPLED_SHARE * 1.6


def test_cases_are_opened_and_closed_in_every_year(demo_log: str) -> None:
    end = end_of_build(demo_log)
    cases = Case.objects.all()
    opened = Counter(cases.values_list("opened_on__year", flat=True))
    closed = Counter(cases.exclude(closed_on=None).values_list("closed_on__year", flat=True))
    for year in range(2021, end.year + 1):
        assert opened[year] > 0 and closed[year] > 0, year
    assert opened[2021] < opened[2022] < opened[2023]
    assert not cases.filter(opened_on__lt=F("recipient__registered_on")).exists()
    assert not cases.filter(closed_on__gt=F("recipient__exited_on")).exists()
    assert not cases.exclude(recipient__exited_on=None).exclude(stage=CaseStage.CLOSED).exists()
    # The worker in charge was in post from the opening to the closure (or today).
    for case in cases.select_related("worker")[:2000]:
        assert case.worker.hired_on is not None and case.worker.hired_on <= case.opened_on
        assert case.worker.left_on is None or case.worker.left_on > (case.closed_on or end)


def test_each_stage_change_is_logged_with_its_date(demo_log: str) -> None:
    """The log of stage changes says each case's stage on any day: its stage today is the last
    change's, the first is its opening."""
    changes: dict[int, list[tuple[date, str, str]]] = {}
    for case_id, day, before, after in CaseStageChange.objects.order_by(
        "case_id", "changed_on", "pk"
    ).values_list("case_id", "changed_on", "from_stage", "to_stage"):
        changes.setdefault(case_id, []).append((day, before, after))
    cases = dict(Case.objects.values_list("id", "stage"))
    assert set(changes) == set(cases)
    for case_id, steps in changes.items():
        assert steps[0][1] == "" and steps[0][2] == CaseStage.INTAKE
        assert steps[-1][2] == cases[case_id]
        assert all(a[2] == b[1] for a, b in itertools.pairwise(steps))
    opened = dict(Case.objects.values_list("id", "opened_on"))
    assert all(steps[0][0] == opened[case_id] for case_id, steps in changes.items())
    # Cases by stage at the end of 2023, from the log.
    at_end: Counter[str] = Counter()
    for steps in changes.values():
        before = [s for s in steps if s[0] <= date(2023, 12, 31)]
        if before:
            at_end[before[-1][2]] += 1
    assert at_end[CaseStage.CLOSED] > 0 and at_end[CaseStage.INTERVENTION] > 0


def test_visit_plans_and_assessments_fall_due_over_the_years(demo_log: str) -> None:
    end = end_of_build(demo_log)
    schedules = VisitSchedule.objects.all()
    # 幸福来敲门's plans point to the project (demo/project_work.py); 一人一案 stays a note.
    assert Counter(schedules.values_list("project__name", flat=True))["幸福来敲门"] == 48
    # cicheng_worker's plans (demo/daily.py) name no project either.
    demo_worker = schedules.filter(worker__user__username=daily.DEMO_WORKER).count()
    assert demo_worker == daily.DEMO_WORKER_PEOPLE
    assert Counter(schedules.values_list("project_text", flat=True)) == {
        "": 48 + demo_worker,
        "一人一案": 35,
    }
    starts = schedules.aggregate(first=Min("starts_on"), last=Max("starts_on"))
    assert starts["first"].year <= 2022 and starts["last"] < end
    # Late visits in past years: a gap longer than the plan's interval ended each year.
    late: Counter[int] = Counter()
    for schedule in schedules:
        days = list(
            ServiceRecord.objects.filter(
                recipient_id=schedule.recipient_id,
                service_type=schedule.service_type,
                served_on__gte=schedule.starts_on,
            )
            .order_by("served_on")
            .values_list("served_on", flat=True)
        )
        interval = 15 if schedule.times_per_month == 2 else 30
        for a, b in itertools.pairwise(days):
            if (b - a).days > interval:
                late[b.year] += 1
    assert all(late[year] > 0 for year in range(2023, end.year + 1))
    # Reassessments every six months, a few now falling due (the last one not made yet).
    mzt039 = ElderlyAssessment.objects.filter(standard="MZ/T 039-2013")  # 幸福来敲门's
    last_elderly = mzt039.values("recipient_id").annotate(
        due=Max("next_due"), first=Min("assessed_on")
    )
    assert len(last_elderly) == 48
    assert 0 < sum(1 for row in last_elderly if row["due"] < end) < 24
    assert mzt039.filter(reason="routine").count() > 48
    children = ChildNeedsAssessment.objects.values("recipient_id").annotate(due=Max("next_due"))
    assert len(children) == 35
    assert ChildNeedsAssessment.objects.count() > 35
    assert any(row["due"] < end for row in children)


def test_no_station_is_assessed_before_it_existed(demo_log: str) -> None:
    data = overview(2021)
    assert data["stations_operating"] == 95
    assert data.get("stations_assessed", 95) <= 95
    township = Station.objects.filter(kind=StationKind.TOWNSHIP)
    assert township.filter(opened_on__year__lte=2021).count() == 95


def test_a_station_opens_with_its_staff(demo_log: str) -> None:
    """Three full-time staff (the director among them) in post on the day a station opened,
    but for the stations planned short of staff: the compliance of its first year counts them."""
    from swstation.demo.stations import plan_townships

    towns = [
        (r.code, r.name) for r in Region.objects.filter(level="township", is_development_zone=False)
    ]
    plans = plan_townships(towns)
    stations = Station.objects.filter(kind=StationKind.TOWNSHIP).select_related("region")
    for station in stations:
        founding = SocialWorker.objects.filter(
            station=station, is_fulltime=True, hired_on__lte=station.opened_on
        ).count()
        if not plans[station.region.code].understaffed:
            assert founding >= 3, station.name
    data = overview(2021)
    stations_2021 = Client()
    stations_2021.force_login(User.objects.get(username="city_admin"))
    listed = stations_2021.get("/api/v1/stats/stations/", {"year": 2021}).json()["non_compliant"]
    assert not [s for s in listed if any("专职人员" in m for m in s["missing"])]
    assert data["stations_operating"] == 95
