"""A social worker opens the platform on a phone (390×844): the first screen holds the 登记服务
button and the card of today's and overdue work, with an overdue health visit beside overdue
reassessments (issue 10)."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from swstation.accounts.models import User
from swstation.cases.models import ElderlyAssessment
from swstation.core.roles import Role
from tests.browser.test_journeys import log_in_ok
from tests.cases import case_builders as cb
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG, CICHENG_VILLAGE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, live_server: Any, regions: None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def in_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_a_social_worker_sees_the_days_work_on_the_first_screen_of_a_phone(
    phone: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    today = timezone.localdate()
    user = make_user(Role.SOCIAL_WORKER, CICHENG)
    me = cb.worker_of(user)
    for n in range(12):  # long-overdue reassessments, as in the issue
        ElderlyAssessment.objects.create(
            recipient=build.recipient(CICHENG_VILLAGE),
            assessed_on=today - timedelta(days=250 + n),
            reason="routine",
            assessor=me,
            second_assessor=me,
            base_level=1,
            level=1,
            next_due=today - timedelta(days=70 + n),
        )
    elder = build.recipient(CICHENG_VILLAGE, name="健康随访王阿婆")
    build.schedule(elder, me, today - timedelta(days=60), 2)
    build.record(elder, me, today - timedelta(days=20), "health_visit")
    cb.make_case(CICHENG, case_worker=me, case_supervisor=cb.supervisor())

    log_in_ok(phone, live_server, user)
    button = phone.locator("#home-record-service")
    expect(button).to_have_text("登记服务")
    expect(phone.locator("#home-due h2")).to_be_visible()
    assert in_first_screen(phone, "#home-record-service")
    assert in_first_screen(phone, "#home-due h2")
    visits = phone.locator("#home-due-visits")
    expect(visits.locator("#home-visits-overdue")).to_have_text("1")
    expect(visits).to_contain_text("健康随访王阿婆")
    assert in_first_screen(phone, "#home-due-visits .due-item")
    expect(phone.locator("#home-assessments-overdue")).to_have_text("12")
    # Nothing scrolls sideways on the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    button.click()
    expect(phone).to_have_url(f"{live_server.url}/cases/services/quick/")
