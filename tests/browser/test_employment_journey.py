"""A social worker of 慈城镇 works the employment aid through the real pages, on a phone and on a
desktop: refers the best-ranked seeker of a post's match page, records the hiring and the start
of work, then records a low-income household's income check and reads its change against the
baseline."""

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.employment.models import IncomeCheck, Placement, add_months
from swstation.employment.services import income_follow_up_create
from swstation.projects.models import ProjectStatus
from swstation.recipients.models import Household
from tests.browser.test_journeys import log_in_ok
from tests.employment import helpers as h
from tests.projects import helpers as projects

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(390, 844), (1440, 900)])
def test_a_seeker_is_referred_hired_and_at_work_and_a_household_checked(
    page: Page, live_server: Any, make_user: Any, size: Any
) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    post = h.post(h.CICHENG, title="年糕生产季节工", skills="年糕制作")
    best = h.seeker(h.CICHENG, name="周阿姨", skills="年糕制作、包装")
    worker = make_user(Role.SOCIAL_WORKER, h.CICHENG)
    log_in_ok(page, live_server, worker)

    page.goto(f"/employment/posts/{post.pk}/matches/")
    first = page.locator("#matches > li").first
    expect(first).to_contain_text("周阿姨")
    expect(first).to_contain_text("技能")  # the score's reasons are shown, in Chinese
    first.get_by_role("link", name="推荐").click()
    page.locator("form.card [type=submit]").click()
    expect(page.locator("#placement-status")).to_have_text("推荐至用工企业")
    placement = Placement.objects.get(post=post, seeker=best)

    today = timezone.localdate()
    hire = page.locator("#hire")
    hire.locator("input[name=starts_on]").fill(today.isoformat())
    hire.locator("input[name=pay]").fill("160")
    hire.locator("[type=submit]").click()
    expect(page.locator("#placement-status")).to_have_text("录用")
    page.locator("#start [type=submit]").click()
    expect(page.locator("#placement-status")).to_have_text("在岗")
    placement.refresh_from_db()
    assert (placement.status, placement.pay) == ("working", Decimal("160.00"))

    household = Household.objects.create(
        region=h.village(h.CICHENG), address="慈湖村8号", head_name="周阿姨"
    )
    project = projects.project(h.CICHENG, status=ProjectStatus.RUNNING, name="慈缘驿站")
    baseline = today - timedelta(days=100)
    follow_up = income_follow_up_create(
        actor=SYSTEM,
        household=household,
        project=project,
        started_on=baseline,
        baseline_earned=Decimal("300"),
        baseline_given=Decimal("1200"),
    )
    page.goto(follow_up.get_absolute_url())
    expect(page.locator("#next-due")).to_have_text(add_months(baseline, 3).isoformat())
    page.locator("#add-check").click()
    page.locator("input[name=checked_on]").fill(today.isoformat())
    page.locator("input[name=earned]").fill("-5")
    page.locator("input[name=given]").fill("600")
    page.locator("form.card [type=submit]").click()
    expect(page.locator("input[name=earned]")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("form.card")).to_contain_text("大于或等于")  # the bound, in Chinese
    assert not IncomeCheck.objects.exists()
    page.locator("input[name=earned]").fill("1600")
    page.locator("form.card [type=submit]").click()
    page.goto(follow_up.get_absolute_url())
    series = page.locator("#income-series")
    expect(series).to_contain_text("+700")
    expect(series).to_contain_text("73%")  # 1,600 of 2,200 earned
