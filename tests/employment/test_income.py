"""Income follow-up of low-income households in a livelihood project (issue 14, "从输血到造血"):
the baseline and the checks through the shared page and API cases, the rules, the page's
series and the cockpit's figures, which change when the records change."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.dashboard.employment_figures import employment_counts, employment_panel
from swstation.dashboard.selectors import Period
from swstation.employment import selectors, services
from swstation.employment.models import IncomeCheck, IncomeFollowUp, add_months
from swstation.projects.models import Project, ProjectStatus
from swstation.recipients.models import Household
from tests.base import ModelAPITests, ModelViewTests
from tests.employment import helpers as h
from tests.projects import helpers as projects

_serial = count(1)
BASELINE = date(2025, 3, 1)


def household(code: str = h.CICHENG, head: str = "") -> Household:
    n = next(_serial)
    return Household.objects.create(
        region=h.village(code), address=f"测试村{n}号", head_name=head or f"户主{n:03d}"
    )


def project(code: str = h.CICHENG) -> Project:
    return projects.project(
        code, status=ProjectStatus.RUNNING, field="employment", name=f"增收项目{next(_serial)}"
    )


def follow_up(code: str = h.CICHENG, **extra: Any) -> IncomeFollowUp:
    extra.setdefault("household", household(code))
    extra.setdefault("project", project(code))
    extra.setdefault("started_on", BASELINE)
    extra.setdefault("baseline_earned", Decimal("600"))
    extra.setdefault("baseline_given", Decimal("900"))
    return services.income_follow_up_create(actor=SYSTEM, **extra)


def check(target: IncomeFollowUp, day: date, earned: str, given: str) -> IncomeCheck:
    return services.income_check_create(
        actor=SYSTEM, follow_up=target, checked_on=day, earned=Decimal(earned), given=Decimal(given)
    )


# --- every layer, by role and scope --------------------------------------------------------------


class FollowUpCases:
    model = IncomeFollowUp
    list_params = {"q": "测试户"}

    def make_object(self, code: str, n: int = 0) -> IncomeFollowUp:
        return follow_up(code, household=household(code, head=f"测试户{n:03d}-{code[-6:]}"))

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "household": household(code).pk,
            "project": project(code).pk,
            "interval": "monthly",
            "started_on": BASELINE.isoformat(),
            "baseline_earned": "500",
            "baseline_given": "1200",
        }

    def edit_data(self, obj: IncomeFollowUp) -> dict[str, Any]:
        return {
            "household": obj.household_id,
            "project": obj.project_id,
            "interval": "quarterly",
            "started_on": obj.started_on.isoformat(),
            "baseline_earned": "650",
            "baseline_given": str(obj.baseline_given),
            "note": "基线收入核对后更正",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "household": household(code).pk,
            "project": project(code).pk,
            "started_on": BASELINE.isoformat(),
            "baseline_earned": "300.00",
            "baseline_given": "1100.00",
        }

    def api_patch(self, obj: IncomeFollowUp) -> dict[str, Any]:
        return {"interval": "monthly"}

    def object_label(self, obj: IncomeFollowUp) -> str:
        return obj.household.head_name


class TestFollowUpViews(FollowUpCases, ModelViewTests):
    pass


class TestFollowUpAPI(FollowUpCases, ModelAPITests):
    pass


class CheckCases:
    model = IncomeCheck
    list_params = {"q": "测试查户"}

    def make_object(self, code: str, n: int = 0) -> IncomeCheck:
        target = follow_up(code, household=household(code, head=f"测试查户{n:03d}-{code[-6:]}"))
        return check(target, BASELINE + timedelta(days=90), "1500", "600")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "follow_up": follow_up(code).pk,
            "checked_on": (BASELINE + timedelta(days=30)).isoformat(),
            "earned": "900",
            "given": "800",
        }

    def edit_data(self, obj: IncomeCheck) -> dict[str, Any]:
        return {
            "follow_up": obj.follow_up_id,
            "checked_on": obj.checked_on.isoformat(),
            "earned": "1800",
            "given": str(obj.given),
            "note": "含年糕厂季节工工资",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "follow_up": follow_up(code).pk,
            "checked_on": (BASELINE + timedelta(days=92)).isoformat(),
            "earned": "1600.00",
            "given": "500.00",
        }

    def api_patch(self, obj: IncomeCheck) -> dict[str, Any]:
        return {"earned": "1700.00"}

    def object_label(self, obj: IncomeCheck) -> str:
        return obj.follow_up.household.head_name


class TestCheckViews(CheckCases, ModelViewTests):
    pass


class TestCheckAPI(CheckCases, ModelAPITests):
    pass


# --- rules --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_household_outside_the_projects_station_is_refused_on_the_household() -> None:
    with pytest.raises(ValidationError) as error:
        follow_up(h.CICHENG, household=household(h.YUEHU))
    assert "household" in error.value.message_dict
    assert "不" in " ".join(error.value.message_dict["household"])


@pytest.mark.django_db
def test_a_household_is_followed_once_by_a_project() -> None:
    first = follow_up()
    with pytest.raises(ValidationError) as error:
        follow_up(household=first.household, project=first.project)
    assert "已" in " ".join(error.value.messages)


@pytest.mark.django_db
def test_a_check_comes_after_the_baseline_and_before_the_end() -> None:
    target = follow_up()
    with pytest.raises(ValidationError) as error:
        check(target, BASELINE - timedelta(days=1), "100", "100")
    assert "checked_on" in error.value.message_dict
    check(target, BASELINE + timedelta(days=40), "800", "700")
    services.income_follow_up_update(
        actor=SYSTEM, follow_up=target, ended_on=BASELINE + timedelta(days=60)
    )
    with pytest.raises(ValidationError) as ended:
        check(target, BASELINE + timedelta(days=50), "900", "600")
    assert "follow_up" in ended.value.message_dict


@pytest.mark.django_db
def test_the_end_is_not_before_the_last_check_nor_the_baseline_after_the_first() -> None:
    target = follow_up()
    check(target, BASELINE + timedelta(days=90), "800", "700")
    with pytest.raises(ValidationError) as error:
        services.income_follow_up_update(
            actor=SYSTEM, follow_up=target, ended_on=BASELINE + timedelta(days=30)
        )
    assert "ended_on" in error.value.message_dict
    target.refresh_from_db()
    with pytest.raises(ValidationError) as moved:
        services.income_follow_up_update(
            actor=SYSTEM, follow_up=target, started_on=BASELINE + timedelta(days=95)
        )
    assert "started_on" in moved.value.message_dict


@pytest.mark.django_db
def test_a_follow_up_with_checks_is_ended_not_deleted() -> None:
    target = follow_up()
    check(target, BASELINE + timedelta(days=30), "800", "700")
    with pytest.raises(StateConflict):
        services.income_follow_up_delete(actor=SYSTEM, follow_up=target)
    assert IncomeFollowUp.objects.filter(pk=target.pk).exists()


@pytest.mark.django_db
def test_household_and_project_stay() -> None:
    target = follow_up()
    with pytest.raises(ValidationError) as error:
        services.income_follow_up_update(actor=SYSTEM, follow_up=target, project=project())
    assert "project" in error.value.message_dict


@pytest.mark.django_db
def test_a_worker_may_not_follow_a_household_of_another_town(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]  # 慈城镇's
    with pytest.raises(ValidationError) as error:
        services.income_follow_up_create(
            actor=worker,
            household=household(h.YUEHU),
            project=project(h.CICHENG),
            started_on=BASELINE,
            baseline_earned=Decimal("0"),
            baseline_given=Decimal("1000"),
        )
    assert "household" in error.value.message_dict


def test_the_next_check_is_an_interval_after_the_last() -> None:
    target = IncomeFollowUp(started_on=date(2025, 1, 31), interval="monthly")
    assert target.next_due(None) == date(2025, 2, 28)
    target.interval = "quarterly"
    assert target.next_due(date(2025, 11, 30)) == date(2026, 2, 28)
    target.ended_on = date(2026, 1, 1)
    assert target.next_due(None) is None
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)


@pytest.mark.django_db
def test_the_series_shows_each_check_against_the_baseline() -> None:
    target = follow_up()
    check(target, BASELINE + timedelta(days=180), "1900", "300")
    check(target, BASELINE + timedelta(days=90), "1200", "600")
    rows = selectors.income_series(target, list(target.checks.all()))
    assert [row.change for row in rows] == [None, Decimal("300"), Decimal("700")]
    assert rows[0].point.earned_share == pytest.approx(0.4)
    assert rows[-1].point.earned_share == pytest.approx(1900 / 2200)


@pytest.mark.django_db
def test_the_page_shows_the_series_in_chinese(users: dict[str, Any]) -> None:
    target = follow_up()
    check(target, BASELINE + timedelta(days=90), "1200", "600")
    client = ModelViewTests().client_for(users[Role.SOCIAL_WORKER])
    page = client.get(target.get_absolute_url()).content.decode()
    assert "家庭月收入" in page and "+300" in page
    assert f"?follow_up={target.pk}" in page  # the worker may record the next check


# --- figures ------------------------------------------------------------------------------------


def _counts(actor: Any, start: date, end: date) -> Any:
    town = h.region(h.CICHENG)
    return employment_counts(actor=actor, regions=[town], start=start, end=end)[town.code]


@pytest.mark.django_db
def test_the_income_figures_follow_the_records(users: dict[str, Any]) -> None:
    city = users[Role.CITY_ADMIN]
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    first, second = follow_up(), follow_up()
    follow_up(started_on=date(2026, 1, 5))  # not under way in 2025
    counts = _counts(city, start, end)
    assert (counts.follow_ups, counts.follow_ups_checked) == (2, 0)
    assert counts.median_income_change is None
    check(first, date(2025, 6, 1), "1000", "900")  # +400
    check(first, date(2025, 9, 1), "1500", "700")  # +700: the latest counts
    check(second, date(2025, 9, 1), "900", "900")  # +300
    check(second, date(2026, 3, 1), "2000", "0")  # after the period: not counted
    counts = _counts(city, start, end)
    assert counts.follow_ups_checked == 2
    assert counts.median_income_change == Decimal("500")
    assert counts.incomes_risen == 2
    assert counts.earned_share_before == pytest.approx(1200 / 3000)
    assert counts.earned_share_latest == pytest.approx(2400 / 4000)
    panel = employment_panel(actor=city, region=h.region(h.CICHENG), period=Period(start, end))
    figures = {figure.id: figure for figure in panel.headlines}
    assert figures["followed"].value == 2
    assert figures["income"].value == "+500"
    assert figures["earned_share"].value == "40% → 60%"
    listed = city_list(users, figures["followed"].url)
    assert listed == {first.pk, second.pk}


def city_list(users: dict[str, Any], url: str) -> set[int]:
    """The follow-ups the figure's link opens, read through the API with the same filters."""
    client = ModelAPITests().api_client_for(users[Role.CITY_ADMIN])
    query = url.split("?", 1)[1]
    body = client.get(f"{reverse('api:incomefollowup-list')}?{query}&page_size=100").json()
    return {row["id"] for row in body["results"]}


@pytest.mark.django_db
def test_an_ended_follow_up_counts_in_the_periods_it_ran(users: dict[str, Any]) -> None:
    city = users[Role.CITY_ADMIN]
    target = follow_up()
    check(target, date(2025, 4, 1), "800", "800")
    services.income_follow_up_update(actor=SYSTEM, follow_up=target, ended_on=date(2025, 5, 1))
    assert _counts(city, date(2025, 1, 1), date(2025, 12, 31)).follow_ups == 1
    assert _counts(city, date(2026, 1, 1), date(2026, 12, 31)).follow_ups == 0


@pytest.mark.django_db
def test_the_overview_api_gives_the_income_change(users: dict[str, Any]) -> None:
    client = ModelAPITests().api_client_for(users[Role.CITY_ADMIN])
    url = "/api/v1/stats/overview/"

    def income() -> dict[str, Any]:
        data = client.get(url, {"year": 2025}).json()["employment"]
        return {k: data[k] for k in ("households_followed", "households_checked")} | {
            "change": data["median_income_change"]
        }

    assert income() == {"households_followed": 0, "households_checked": 0, "change": None}
    target = follow_up()
    check(target, date(2025, 6, 1), "1000", "900")
    assert income() == {"households_followed": 1, "households_checked": 1, "change": "400.00"}


@pytest.mark.django_db
def test_the_cockpit_and_the_district_report_show_the_income_change(
    users: dict[str, Any],
) -> None:
    target = follow_up()
    check(target, date(2025, 6, 1), "1000", "900")
    city = ModelViewTests().client_for(users[Role.CITY_ADMIN])
    page = city.get("/cockpit/", {"year": 2025}).content.decode()
    assert 'id="employment-figure-income"' in page and "+400" in page
    officer = ModelViewTests().client_for(users[Role.DISTRICT_OFFICER])
    report = officer.get("/cockpit/report/", {"year": 2025}).content.decode()
    row = report.split('id="report-employment"')[1].split(f'data-code="{h.CICHENG}"')[1]
    row = row.split("</tr>")[0]
    assert '<td class="num" data-figure="followed">1</td>' in row
    assert '<td class="num" data-figure="income">+400</td>' in row


@pytest.mark.django_db
def test_a_household_members_page_shows_the_income_follow_up(users: dict[str, Any]) -> None:
    person = h.recipient(h.CICHENG, name="周家媳妇")
    target = follow_up(household=household(h.CICHENG, head="周家"))
    person.household = target.household
    person.save(update_fields=["household"])
    client = ModelViewTests().client_for(users[Role.SOCIAL_WORKER])
    page = client.get(person.get_absolute_url()).content.decode()
    assert "家庭收入" in page and "尚未回访" in page
    check(target, BASELINE + timedelta(days=90), "1200", "600")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "1,500 → 1,800" in page and "+300" in page
    assert target.get_absolute_url() in page
    other = ModelViewTests().client_for(users[Role.AUDITOR])
    assert "家庭收入" in other.get(person.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_checks_due_join_the_workers_agenda(users: dict[str, Any]) -> None:
    from swstation.cases.selectors import home

    worker = users[Role.SOCIAL_WORKER]
    today = timezone.localdate()
    due = follow_up(started_on=add_months(today, -3) - timedelta(days=5))  # 5 days overdue
    follow_up(started_on=today - timedelta(days=10))  # due in about 80 days: not yet
    follow_up(h.YUEHU, started_on=add_months(today, -3) - timedelta(days=5))  # not the worker's

    def group() -> Any:
        agenda = home.worker_agenda(actor=worker, on=today)
        return next(g for g in agenda.groups if g.kind == "income_checks")

    found = group()
    assert (found.overdue, found.today, found.soon) == (1, 0, 0)
    [item] = found.items
    assert item.url == due.get_absolute_url() and item.days_late == 5
    assert item.recipient.name == str(due.household)
    page = ModelViewTests().client_for(worker).get("/").content.decode()
    assert "收入回访" in page and f"?follow_up={due.pk}" in page
    check(due, today, "900", "900")
    assert group().total == 0
