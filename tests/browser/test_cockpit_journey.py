"""A district officer reads the cockpit in Chinese: charts drawn by ECharts, a chart switched
to its table, a town opened from the figures by region, a number opened to its records."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from swstation.accounts.models import User
from swstation.core.roles import Role
from tests.browser.test_journeys import log_in_ok
from tests.conftest import JIANGBEI
from tests.dashboard.helpers import CICHENG, build_world

pytestmark = pytest.mark.browser


def test_district_officer_reads_the_cockpit_and_drills_down(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    build_world()
    officer = make_user(Role.DISTRICT_OFFICER, JIANGBEI)
    log_in_ok(page, live_server, officer)

    menu = page.locator("#main-nav")
    menu.get_by_role("button", name="数据驾驶舱").click()
    menu.get_by_role("link", name="数据驾驶舱").click()
    expect(page).to_have_url(re.compile(r"/cockpit/$"))
    expect(page.locator("h1")).to_contain_text("数据驾驶舱")
    expect(page.locator("#cockpit-scope")).to_contain_text("江北区")
    expect(page.locator("#headline-township-coverage")).to_contain_text("%")
    expect(page.locator("#headline-services")).to_have_text("6")
    for chart in ("stations-built", "services-by-type", "cases-by-stage"):
        expect(page.locator(f"#chart-{chart}")).to_have_attribute("data-rendered", "true")
        expect(page.locator(f"#chart-{chart} canvas")).to_have_count(1)

    card = page.locator("#card-services-by-type")
    card.locator("[data-cockpit-view=table]").click()
    expect(page.locator("#tableview-services-by-type")).to_be_visible()
    expect(page.locator("#chart-services-by-type")).to_be_hidden()
    expect(card.get_by_role("link", name="入户探访")).to_be_visible()

    page.locator("#by-region").get_by_role("link", name="慈城镇", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/cockpit/\?region={CICHENG}"))
    expect(page.locator("#cockpit-scope")).to_contain_text("慈城镇")
    expect(page.locator("#headline-services")).to_have_text("3")

    page.locator("#headline-services a").click()
    expect(page).to_have_url(re.compile(r"/cases/services/\?region_code=330205103000"))
    expect(page.locator("table tbody tr")).to_have_count(3)
