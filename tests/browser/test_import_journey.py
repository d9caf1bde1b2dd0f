"""A station manager imports a roster through the real page: upload, the htmx-polled check,
the row errors of a bad file, then a good file applied in one go."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from swstation.accounts.models import User
from swstation.core.roles import Role
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import SocialWorker
from tests.browser.test_journeys import log_in_ok
from tests.conftest import CICHENG

pytestmark = pytest.mark.browser

HEADER = ["姓名", "性别", "手机号", "所在社工站", "是否专职", "入职日期"]


def workbook(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def upload(page: Page, path: Path) -> None:
    page.goto("/workforce/social-workers/")
    page.locator("a.btn", has_text="导入").click()  # not the menu's 导入同义词
    page.locator("#import-upload input[type=file]").set_input_files(str(path))
    page.locator("#import-upload [type=submit]").click()


def cicheng_manager_logged_in(page: Page, live_server: Any, make_user: Callable[..., User]) -> User:
    """慈城镇's station, and its manager logged in: who imports the roster."""
    Station.objects.create(
        name="慈城镇社会工作站",
        kind="township",
        status="operating",
        opened_on=date(2021, 3, 1),
        region=Region.objects.get(code=CICHENG),
        has_sign=True,
    )
    manager = make_user(Role.STATION_MANAGER, CICHENG)
    log_in_ok(page, live_server, manager)
    return manager


def test_station_manager_imports_a_roster(
    page: Page, live_server: Any, make_user: Callable[..., User], tmp_path: Path
) -> None:
    manager = cicheng_manager_logged_in(page, live_server, make_user)

    bad = workbook(
        tmp_path / "bad.xlsx",
        [
            ["王小明", "男", "13800000001", "慈城镇社会工作站", "是", "2023-01-05"],
            ["李小红", "女", "1380000", "慈城镇社会工作站", "是", "2023-02-30"],
        ],
    )
    upload(page, bad)
    status = page.locator("#import-status")
    expect(status).to_have_attribute("data-status", "invalid")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("3")  # the bad row's number in the sheet
    expect(errors).to_contain_text("手机号")
    assert SocialWorker.objects.count() == 0

    good = workbook(
        tmp_path / "good.xlsx",
        [
            ["王小明", "男", "13800000001", "慈城镇社会工作站", "是", "2023-01-05"],
            ["李小红", "女", "13800000002", "慈城镇社会工作站", "是", "2023-02-28"],
        ],
    )
    upload(page, good)
    expect(status).to_have_attribute("data-status", "valid")
    expect(page.locator("#import-plan")).to_contain_text("2")
    page.locator("#import-apply").click()
    expect(page.locator("#import-result")).to_be_visible()
    people = SocialWorker.objects.order_by("name")
    assert [p.name for p in people] == ["李小红", "王小明"]
    assert all(p.station is not None and p.station.region.code == CICHENG for p in people)
    assert people[0].history.first().history_user == manager  # type: ignore[union-attr]
