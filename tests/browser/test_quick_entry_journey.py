"""A social worker records a home visit on a phone: search the recipient by name, tap the
result, tap the service type, save."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from swstation.accounts.models import User
from swstation.cases.models import ServiceRecord
from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from swstation.regions.models import Region
from tests.browser.test_journeys import log_in_ok
from tests.conftest import CICHENG, CICHENG_VILLAGE
from tests.workforce import helpers

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Any:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def test_social_worker_records_a_home_visit_on_a_phone(
    phone: Page, live_server: Any, make_user: Callable[..., User], regions: None
) -> None:
    station = helpers.station(CICHENG)
    worker_user = make_user(Role.SOCIAL_WORKER, CICHENG)
    helpers.person(CICHENG, name="李社工", station=station, user=worker_user, is_fulltime=True)
    elder = Recipient.objects.create(
        name="张阿婆",
        region=Region.objects.get(code=CICHENG_VILLAGE),
        station=station,
        consent_given=True,
        consent_on="2024-01-01",
    )

    log_in_ok(phone, live_server, worker_user)
    phone.goto("/cases/services/quick/")
    phone.locator("#quick-entry-form input[type=search]").fill("张阿")
    result = phone.locator("#quick-entry-form").get_by_text("张阿婆").first
    expect(result).to_be_visible()
    result.click()
    phone.locator(".quick-types label").first.click()
    phone.locator("#quick-entry-form input[name=duration_minutes]").fill("40")
    phone.locator("#quick-entry-form [type=submit]").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    record = ServiceRecord.objects.get(recipient=elder)
    assert record.duration_minutes == 40
    assert record.worker.user == worker_user and record.station == station
