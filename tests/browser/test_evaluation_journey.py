"""The city bureau's evaluation standard on a phone and a desk (issue 15): the default version's
tree reads without sideways scrolling, "copy as a new version" opens the new draft with its
"publish" button, and a district officer reads the same tree without the buttons. With
``SCREENSHOT_DIR`` set, the pages are saved there for a person to look at."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from swstation.accounts.models import User
from swstation.core.roles import Role
from swstation.evaluation.models import IndicatorSet
from tests.browser.test_assessment_health_data_journey import no_sideways_scroll, shoot
from tests.browser.test_journeys import log_in_ok
from tests.conftest import JIANGBEI
from tests.evaluation.helpers import DEFAULT_NAME

pytestmark = pytest.mark.browser


def shoot_screen(page: Page, name: str) -> None:
    """The first screen as a person sees it (beside ``shoot``'s whole page)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1440, "height": 900}], ids=str
)
def test_the_city_copies_the_default_standard_and_a_district_reads_it(
    page: Page, live_server: Any, make_user: Callable[..., User], viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    default = IndicatorSet.objects.get(name=DEFAULT_NAME, version=1)
    admin = make_user(Role.CITY_ADMIN)

    log_in_ok(page, live_server, admin)
    page.goto(reverse("evaluation:indicatorset_list"))
    no_sideways_scroll(page)
    page.get_by_role("link", name=DEFAULT_NAME).first.click()
    expect(page.locator("#dimension-A")).to_contain_text("阵地建设")
    expect(page.locator("#indicator-H5")).to_contain_text("投诉")
    expect(page.locator("#publish-button")).to_have_count(0)
    no_sideways_scroll(page)
    shoot(page, f"{size}-evaluation-01-default")
    page.locator("#dimension-B").scroll_into_view_if_needed()
    shoot_screen(page, f"{size}-evaluation-01-default-screen")

    page.locator("#copy-button").click()
    expect(page.locator("#set-status")).to_contain_text("草稿")
    expect(page.locator("#publish-button")).to_be_visible()
    expect(page.locator("#add-dimension")).to_be_visible()
    no_sideways_scroll(page)
    copy = IndicatorSet.objects.get(name=DEFAULT_NAME, version=2)
    assert page.url.endswith(copy.get_absolute_url())

    page.locator("#indicator-A1 a").first.click()
    expect(page.locator("#indicator-rule")).to_contain_text("按项计分")
    no_sideways_scroll(page)
    shoot(page, f"{size}-evaluation-02-indicator")

    page.context.clear_cookies()
    log_in_ok(page, live_server, make_user(Role.DISTRICT_OFFICER, JIANGBEI))
    page.goto(default.get_absolute_url())
    expect(page.locator("#indicator-tree")).to_contain_text("服务成效与满意度")
    expect(page.locator("#copy-button")).to_have_count(0)
    no_sideways_scroll(page)
