"""A social worker on a phone (390×844) opens a person and records a service from the person's
page (issue 10, "the person at the centre"): the actions are on the first screen, the person's
work is there (the open case and its next step, the overdue visit), the other sections fold to
their titles, and the service form opens with the person, the worker and the case preset."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from swstation.accounts.models import User
from swstation.cases.models import CaseStage, ServiceRecord
from swstation.core.roles import Role
from tests.browser.test_journeys import log_in_ok
from tests.cases import case_builders as cb
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG, JIANGBEI
from tests.recipients.helpers import make_recipient

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, live_server: Any, regions: None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


def in_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_a_social_worker_records_a_service_from_a_persons_page_on_a_phone(
    phone: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    today = timezone.localdate()
    user = make_user(Role.SOCIAL_WORKER, CICHENG)
    me = cb.worker_of(user)
    supervisor = cb.supervisor(JIANGBEI)
    person = make_recipient(
        name="张阿婆",
        birth=date(1940, 5, 17),
        station=me.station,
        categories=("elderly_living_alone",),
        address="慈城镇民生路88号3幢2单元501室",
    )
    case = cb.make_case(
        recipient=person,
        case_worker=me,
        case_supervisor=supervisor,
        stage=CaseStage.INTERVENTION,
        opened_on=today - timedelta(days=100),
    )
    build.schedule(person, me, today - timedelta(days=60), times_per_month=2)
    build.record(person, me, today - timedelta(days=30), service_type="health_visit")

    log_in_ok(phone, live_server, user)
    phone.goto(f"/recipients/?q={person.name}")
    phone.get_by_role("link", name=person.name, exact=True).first.click()
    expect(phone).to_have_url(f"{live_server.url}{person.get_absolute_url()}")

    # The first screen: the record button, the summary; the page never scrolls sideways.
    record = phone.locator("#action-record_service")
    expect(record).to_be_visible()
    assert in_first_screen(phone, "#action-record_service")
    assert in_first_screen(phone, "#recipient-summary")
    expect(phone.locator("#fact-visits_overdue")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The person's work unfolded, the rest folded to a title that unfolds on a tap.
    expect(phone.locator("#overview-cases")).to_contain_text(case.number)
    expect(phone.locator("#overview-visits .overview-plan-overdue")).to_be_visible()
    expect(phone.locator("#overview-services")).to_be_hidden()
    phone.locator("#section-services .overview-toggle").click()
    expect(phone.locator("#overview-services")).to_be_visible()
    expect(phone.locator("#overview-services .overview-service")).to_have_count(1)

    # Record a service: the form opens with the person, the case and the worker chosen.
    record.click()
    form = phone.locator("main form")
    expect(form.locator(f"input[name=recipient][value='{person.pk}']")).to_be_checked()
    expect(form.locator("select[name=case]")).to_have_value(str(case.pk))
    expect(form.locator("select[name=worker]")).to_have_value(str(me.pk))
    expect(form.locator("select[name=station]")).to_have_value(str(me.station_id))
    form.locator("select[name=service_type]").select_option("home_visit")
    form.locator("input[name=duration_minutes]").fill("40")
    form.locator("textarea[name=notes]").fill("入户探访，老人精神尚好")
    form.locator("[type=submit]").click()
    expect(phone.locator(".alert-success")).to_be_visible()

    saved = ServiceRecord.objects.get(notes="入户探访，老人精神尚好")
    assert (saved.recipient, saved.case, saved.worker, saved.station) == (
        person,
        case,
        me,
        me.station,
    )
    assert saved.served_on == today and saved.duration_minutes == 40

    # Back on the person's page, the service is there.
    phone.goto(person.get_absolute_url())
    phone.locator("#section-services .overview-toggle").click()
    expect(phone.locator("#overview-services")).to_contain_text("入户探访，老人精神尚好")
    expect(phone.locator("#section-services .badge").first).to_have_text("2")
