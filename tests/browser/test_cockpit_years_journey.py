"""The city bureau compares years in the cockpit (issue 18): this year's figures, then 2022's,
chosen with the period selector — each what was true then (the world of
tests/dashboard/test_as_of.py: stations opened and suspended, people registered and gone, cases
moving through their stages, visits overdue at each year's end)."""

import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from swstation.accounts.models import User
from swstation.core.roles import Role
from swstation.dashboard.services import tally_rebuild
from tests.browser.test_journeys import log_in_ok
from tests.conftest import CITY
from tests.dashboard.test_as_of import build

pytestmark = pytest.mark.browser


def test_the_cockpit_of_2022_differs_from_this_year_as_it_should(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    build()
    tally_rebuild()
    log_in_ok(page, live_server, make_user(Role.CITY_ADMIN, CITY))
    this_year = timezone.localdate().year

    page.goto(f"{live_server.url}/cockpit/")
    expect(page.locator("#cockpit-scope")).to_contain_text(str(this_year))
    # This year: S1 and S2 operating, both compliant with the 2024 standard; R2, R3 and R4
    # served; C1 back in intervention and C3 at intake; R3's visits overdue today.
    expect(page.locator("#headline-compliance")).to_contain_text("100.0%")
    expect(page.locator("#headline-compliance + div")).to_contain_text("2")
    expect(page.locator("#headline-recipients a")).to_have_text("3")
    expect(page.locator("#headline-cases-open a")).to_have_text("2")
    expect(page.locator("#headline-visits-overdue a")).to_have_text("1")

    form = page.locator("#cockpit-form")
    form.get_by_label("年份").select_option("2022")
    form.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"year=2022"))
    expect(page.locator("#cockpit-scope")).to_contain_text("2022")
    # 2022: S1, S2 (opened in September) and S3 (not yet suspended) operating; S2's rooms not in
    # use yet: 2 of 3 compliant; R1 and R2 served; C1 in intervention, C2 closed in November.
    expect(page.locator("#headline-compliance")).to_contain_text("66.7%")
    expect(page.locator("#headline-recipients a")).to_have_text("2")
    expect(page.locator("#headline-cases-open a")).to_have_text("1")
    expect(page.locator("#headline-compliance + div")).to_contain_text("3")
    expect(page.locator("#headline-visits-overdue a")).to_have_text("1")
    expect(page.locator("#headline-visits-overdue + div")).to_contain_text("2022-12-31")

    card = page.locator("#card-cases-by-stage")
    card.locator("[data-cockpit-view=table]").click()
    table = page.locator("#tableview-cases-by-stage")
    expect(table).to_be_visible()
    expect(table.locator("tr", has_text="介入")).to_contain_text("1")
    expect(table.locator("tr", has_text="结案")).to_contain_text("1")
    expect(table.locator("tr", has_text="接案")).to_contain_text("0")

    # Each number opens the records behind it as they were at the end of 2022 (issue 18): the
    # open case (C1, then in intervention) and R1's overdue plan, not today's lists.
    _shoot(page, "cockpit-2022")
    page.locator("#headline-cases-open a").click()
    expect(page).to_have_url(re.compile(r"/cases/\?as_of=2022-12-31"))
    expect(page.locator("table tbody tr")).to_have_count(1)
    _shoot(page, "cases-as-of-2022")
    page.go_back()
    page.locator("#headline-visits-overdue a").click()
    expect(page).to_have_url(re.compile(r"overdue_on=2022-12-31"))
    expect(page.locator("table tbody tr")).to_have_count(1)
    _shoot(page, "overdue-plans-2022")
    page.go_back()
    page.locator("#headline-village-coverage a").click()
    expect(page.locator("#villages-count")).to_contain_text("没有任何服务")
    _shoot(page, "villages-not-served-2022")


def _shoot(page: Page, name: str) -> None:
    """With SCREENSHOT_DIR set, the page at a phone's and a desk's width."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    size = page.viewport_size
    for width, height, label in ((390, 844, "phone"), (1440, 900, "desk")):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=os.path.join(folder, f"{name}-{label}.png"), full_page=True)
    if size:
        page.set_viewport_size(size)
