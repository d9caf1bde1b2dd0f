"""User journeys through a real headless Chromium against the live server.

Run with ``pytest tests/browser -p no:xdist -m browser``. Each test starts from a fresh browser
context (no cookies) whose Accept-Language is Chinese, like the stations' staff's browsers.
"""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from swstation.accounts.models import User
from swstation.core.roles import Role
from swstation.regions.models import Region
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import CICHENG, CITY, JIANGBEI, PASSWORD, YUEHU

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/swstation-home.png"
LOGIN_TITLE_EN = "Log in to SWStation"


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fill in and send the login form (the page must not be logged in yet)."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").click()


def log_in_ok(page: Page, live_server: Any, user: User) -> None:
    log_in(page, user.username)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("#my-jurisdiction")).to_be_visible()


def children_link(page: Page, name: str) -> Any:
    """The link to a subdivision in a region page's children table (not the breadcrumbs)."""
    return page.locator("table:not(#population-table)").get_by_role("link", name=name, exact=True)


def test_district_officer_logs_in_and_sees_jurisdiction(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.DISTRICT_OFFICER, JIANGBEI)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_label("用户名")).to_be_visible()

    log_in_ok(page, live_server, officer)
    card = page.locator("#my-jurisdiction")
    expect(card.get_by_role("link", name="江北区", exact=True)).to_be_visible()
    expect(card).not_to_contain_text(JIANGBEI)  # the region's name, never its raw code
    expect(page.locator("#user-menu")).to_contain_text(officer.username)
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_language_switch_to_english_and_back(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    html = page.locator("html")
    select = page.locator("#language-select")

    # Anonymous, on the login page: Chinese by default.
    page.goto("/accounts/login/")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(
        page.get_by_text(LOGIN_TITLE_EN),
        "the login title is not translated: is locale/zh_Hans/LC_MESSAGES/django.mo compiled?",
    ).to_have_count(0)
    expect(select).to_have_value("zh-hans")

    select.select_option("en")
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name=LOGIN_TITLE_EN)).to_be_visible()
    expect(select).to_have_value("en")

    # The choice outlives the login, and the switch in the logged-in navbar works too.
    log_in_ok(page, live_server, make_user(Role.SOCIAL_WORKER, CICHENG))
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("#my-jurisdiction")).to_contain_text("My jurisdiction")

    select.select_option(label="简体中文")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(select).to_have_value("zh-hans")
    expect(page.locator("#my-jurisdiction")).to_contain_text("慈城镇")


def test_city_admin_browses_region_tree_down_to_a_village(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    log_in_ok(page, live_server, make_user(Role.CITY_ADMIN, CITY))
    heading = page.locator("main h1")
    crumbs = page.locator("#region-breadcrumbs")

    page.goto("/regions/")
    page.locator("#object-table").get_by_role("link", name="宁波市", exact=True).click()
    expect(heading).to_contain_text("宁波市")
    expect(crumbs.locator(".breadcrumb-item.active")).to_have_text("宁波市")
    expect(page.locator("#population-table tbody tr").first).to_be_visible()

    children_link(page, "江北区").click()
    expect(heading).to_contain_text("江北区")
    expect(crumbs.get_by_role("link", name="宁波市", exact=True)).to_be_visible()

    children_link(page, "慈城镇").click()
    expect(heading).to_contain_text("慈城镇")

    village = Region.objects.filter(parent__code=CICHENG).order_by("code").first()
    assert village is not None
    children_link(page, village.name).click()
    expect(page).to_have_url(f"{live_server.url}{village.get_absolute_url()}")
    expect(heading).to_contain_text(village.name)
    expect(crumbs.locator(".breadcrumb-item")).to_have_text(
        ["宁波市", "江北区", "慈城镇", village.name]
    )
    for ancestor in ("宁波市", "江北区", "慈城镇"):
        expect(crumbs.get_by_role("link", name=ancestor, exact=True)).to_be_visible()
    expect(page.locator("table:not(#population-table)")).to_have_count(0)  # no subdivisions


def test_district_officer_gets_404_outside_jurisdiction(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    log_in_ok(page, live_server, make_user(Role.DISTRICT_OFFICER, JIANGBEI))
    yuehu = Region.objects.get(code=YUEHU)

    response = page.goto(yuehu.get_absolute_url())
    assert response is not None
    assert response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_contain_text("404")
    expect(page.locator("main h1")).not_to_contain_text("月湖街道")
    expect(page.get_by_text("月湖街道")).to_have_count(0)
    expect(page.locator("#region-breadcrumbs")).to_have_count(0)
    # The way back home still works: the user is logged in, just not allowed there.
    page.locator("main a.btn[href='/']").click()
    expect(page.locator("#my-jurisdiction")).to_contain_text("江北区")


def test_wrong_passwords_lock_the_account(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    worker = make_user(Role.SOCIAL_WORKER, CICHENG)

    log_in(page, worker.username, "not-the-password")
    expect(page.locator("#login-error")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    # The user name is kept in the form, the password is not.
    expect(page.locator("input[name=username]")).to_have_value(worker.username)
    expect(page.locator("input[name=password]")).to_have_value("")

    for _attempt in range(3):
        log_in(page, worker.username, "not-the-password")
        expect(page.locator("#login-error")).to_be_visible()

    log_in(page, worker.username, "not-the-password")  # the fifth in a row
    expect(page.locator("#locked-message")).to_be_visible()
    expect(page.locator("#login-error")).to_have_count(0)

    log_in(page, worker.username, PASSWORD)  # even the right password is refused now
    expect(page.locator("#locked-message")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("#my-jurisdiction")).to_have_count(0)


@pytest.fixture
def phone_page(browser: Browser, live_server: Any, regions: None) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_navbar_collapses_on_a_phone(
    phone_page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    page = phone_page
    log_in_ok(page, live_server, make_user(Role.STATION_MANAGER, CICHENG))
    toggler = page.locator("button.navbar-toggler")
    menu = page.locator("#main-nav")

    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(page.locator("#user-menu")).to_be_hidden()

    toggler.click()
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#user-menu")).to_be_visible()
    expect(page.locator("#language-select")).to_be_visible()
    # The menu fits the phone's width: nothing sticks out to the right.
    box = menu.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 375
