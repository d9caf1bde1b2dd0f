"""The demo city's income follow-up (issue 14, "从输血到造血"): the households enrolled in
慈缘驿站 and 塔峙大阿嫂结对帮扶 followed from their baseline, every record passing the models'
rules, most households earning more at their latest check, and the cockpit's figures counted
from those records."""

from datetime import date

import pytest
from django.utils import timezone

from swstation.core.actors import SYSTEM
from swstation.dashboard.employment_figures import employment_counts
from swstation.employment.models import IncomeCheck, IncomeFollowUp
from swstation.projects.models import ProjectEnrolment
from swstation.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]


def test_the_livelihood_projects_follow_their_enrolled_households(demo_log: str) -> None:
    assert "income follow-up:" in demo_log
    follow_ups = IncomeFollowUp.objects.select_related("project", "household__region")
    assert set(follow_ups.values_list("project__name", flat=True)) == {
        "慈缘驿站",
        "塔峙大阿嫂结对帮扶",
    }
    for follow_up in follow_ups:
        follow_up.full_clean()
        enrolled = ProjectEnrolment.objects.filter(
            project=follow_up.project, recipient__household=follow_up.household
        )
        assert enrolled.exists()
        assert follow_up.started_on == min(e.enrolled_on for e in enrolled)
    for check in IncomeCheck.objects.select_related("follow_up")[:400]:
        check.full_clean()


def test_most_households_earn_more_at_their_latest_check(demo_log: str) -> None:
    rose = fell = 0
    for follow_up in IncomeFollowUp.objects.prefetch_related("checks"):
        checks = sorted(follow_up.checks.all(), key=lambda c: c.checked_on)
        if not checks:
            continue
        if checks[-1].earned > follow_up.baseline_earned:
            rose += 1
        else:
            fell += 1
    assert rose > 2 * fell and rose > 0


def test_the_cockpit_counts_the_towns_follow_ups(demo_log: str) -> None:
    town = Region.objects.get(code="330205103000")  # 慈城镇
    today = timezone.localdate()
    counts = employment_counts(actor=SYSTEM, regions=[town], start=date(2000, 1, 1), end=today)[
        town.code
    ]
    followed = IncomeFollowUp.objects.filter(household__region__code__startswith="330205103")
    assert counts.follow_ups == followed.count() > 0
    assert counts.median_income_change is not None and counts.median_income_change > 0
