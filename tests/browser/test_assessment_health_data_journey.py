"""An elder's assessment on a phone and a desk (issue 11): the social worker opens the GB/T
42195-2022 form, then the assessment, whose diagnoses stay hidden until they ask to see them
(a logged view), and its printable report; an auditor reads the same assessment and report with
the diagnoses hidden and no way to show them. With ``SCREENSHOT_DIR`` set, the pages are saved
there for a person to look at."""

import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from swstation.accounts.models import User
from swstation.cases.models import AssessorQualification
from swstation.cases.services import records as services
from swstation.core.actors import SYSTEM
from swstation.core.roles import Role
from swstation.recipients.models import IdentityView
from tests.browser.test_journeys import log_in_ok
from tests.cases import case_builders as cb
from tests.cases import test_records_fixtures as build
from tests.cases.test_assessments_gbt42195 import EXAMPLES
from tests.conftest import CICHENG, CICHENG_VILLAGE, JIANGBEI

pytestmark = pytest.mark.browser

CODE = "F00.1"


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def no_sideways_scroll(page: Page) -> None:
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1440, "height": 900}], ids=str
)
def test_diagnoses_are_shown_to_the_worker_on_request_and_never_to_the_auditor(
    page: Page, live_server: Any, make_user: Callable[..., User], viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    today = timezone.localdate()
    worker_user = make_user(Role.SOCIAL_WORKER, CICHENG)
    me = cb.worker_of(worker_user)
    colleague = build.worker(CICHENG_VILLAGE, name="李评估")
    AssessorQualification.objects.create(
        social_worker=colleague,
        kind="assessor",
        number="PG330200123",
        issued_by="宁波市民政局",
        valid_from=date(2024, 5, 1),
    )
    elder = build.recipient(CICHENG_VILLAGE, name="王阿婆", birth_date=date(1938, 4, 2))
    _id, items, *_rest = EXAMPLES["W9"]
    assessment = services.elderly_assessment_create(
        actor=SYSTEM,
        recipient=elder,
        assessed_on=today - timedelta(days=3),
        reason="routine",
        assessor=me,
        second_assessor=colleague,
        items=items,
        adjustments={"diagnoses": [CODE, "I10"], "falls": 1},
        place="慈城镇社区日间照料中心",
        informant_name="王小明",
        informant_relation="child",
    )

    log_in_ok(page, live_server, worker_user)
    page.goto(f"{reverse('cases:elderlyassessment_add')}?recipient={elder.pk}")
    expect(page.locator("#elderly-assessment-form")).to_contain_text("进食")
    no_sideways_scroll(page)
    shoot(page, f"{size}-01-form")

    page.goto(assessment.get_absolute_url())
    expect(page.locator("#condition-diagnoses")).to_contain_text("已隐藏")
    expect(page.locator("body")).not_to_contain_text(CODE)
    no_sideways_scroll(page)
    shoot(page, f"{size}-02-assessment-worker")
    page.locator("#reveal-purpose").fill("护理计划复核")
    page.locator("#reveal-health-data button").click()
    expect(page.locator("#condition-diagnoses")).to_contain_text(CODE)
    expect(page.locator("#health-data-logged")).to_be_visible()
    shoot(page, f"{size}-03-assessment-worker-revealed")
    assert IdentityView.objects.filter(recipient=elder, field="diagnosis").count() == 1

    page.goto(reverse("cases:elderlyassessment_report", args=[assessment.pk]))
    expect(page.locator("#report-level")).to_contain_text("能力中度受损")
    expect(page.locator("#report-assessors")).to_contain_text("PG330200123")
    no_sideways_scroll(page)
    shoot(page, f"{size}-04-report-worker")
    expect(page.locator("#report-reveal")).to_be_visible()
    page.locator("#report-reveal").click()
    expect(page.locator("#report-condition-diagnoses")).to_contain_text(CODE)
    shoot(page, f"{size}-04b-report-worker-with-diagnoses")
    assert IdentityView.objects.filter(recipient=elder, field="diagnosis").count() == 2

    # A change of condition: the assessment is due again at once, in the due list.
    page.goto(assessment.get_absolute_url())
    page.locator("#id_condition_change_note").fill("跌倒后住院三天")
    page.locator("#condition-change-form button").click()
    expect(page.locator("#condition-change")).to_contain_text("跌倒后住院三天")
    page.goto(reverse("cases:due"))
    expect(page.locator("body")).to_contain_text("即时评估")
    expect(page.locator("body")).to_contain_text("GB/T 42195-2022 · 2")
    no_sideways_scroll(page)
    shoot(page, f"{size}-04c-due-immediate-reassessment")

    auditor = make_user(Role.AUDITOR, JIANGBEI)
    page.context.clear_cookies()
    log_in_ok(page, live_server, auditor)
    page.goto(assessment.get_absolute_url())
    expect(page.locator("#condition-diagnoses")).to_contain_text("已隐藏")
    expect(page.locator("#health-data-masked")).to_be_visible()
    expect(page.locator("#reveal-health-data")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(CODE)
    no_sideways_scroll(page)
    shoot(page, f"{size}-05-assessment-auditor")
    page.goto(reverse("cases:elderlyassessment_report", args=[assessment.pk]))
    expect(page.locator("body")).not_to_contain_text(CODE)
    expect(page.locator("#report-reveal")).to_have_count(0)
    shoot(page, f"{size}-06-report-auditor")
    assert IdentityView.objects.filter(recipient=elder, field="diagnosis").count() == 2

    manager = make_user(Role.STATION_MANAGER, CICHENG)
    page.context.clear_cookies()
    log_in_ok(page, live_server, manager)
    page.goto(reverse("cases:assessorqualification_list"))
    expect(page.locator("body")).to_contain_text("PG330200123")
    no_sideways_scroll(page)
    shoot(page, f"{size}-07-assessor-qualifications")
