"""A social worker imports a group session's sign-in sheet through the real pages: the session
page's button, a sheet with bad rows (each named, nothing saved), then a good one previewed
and imported, on a phone and on a desktop."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from swstation.community.models import SessionAttendance
from swstation.core.roles import Role
from tests.browser.test_journeys import log_in_ok
from tests.community import helpers as h

pytestmark = pytest.mark.browser
HEADER = [
    "小组名称",
    "活动日期",
    "第几次",
    "姓名",
    "手机尾号",
    "是否签到",
    "临时参加",
    "未具名人数",
]


def book(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    sheet = wb.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("size", [(390, 844), (1440, 900)])
def test_a_sign_in_sheet_is_imported_through_the_pages(
    page: Page, live_server: Any, make_user: Any, tmp_path: Path, size: Any
) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    group = h.group(h.CICHENG, name="银龄互助小组")
    wang = h.member(group, h.recipient(h.CICHENG, name="王芳"))
    h.member(group, h.recipient(h.CICHENG, name="李强"))
    h.member(group, name="赵阿姨")
    session = h.session(group, 1, held_on=date(2024, 3, 8))
    SessionAttendance.objects.create(session=session, member=wang)
    activity = h.activity(h.CICHENG, name="广场消夏晚会")
    worker = make_user(Role.SOCIAL_WORKER, h.CICHENG)
    log_in_ok(page, live_server, worker)

    page.goto(activity.get_absolute_url())
    expect(page.locator("#import-signin")).to_be_visible()
    page.goto(session.get_absolute_url())
    page.locator("#import-signin").click()

    bad = book(
        tmp_path / "bad.xlsx",
        [
            ["银龄互助小组", "2024-03-08", "", "王芳", "", "是", "", ""],
            ["银龄互助小组", "2024-03-08", "", "周末", "", "是", "", ""],
            ["银龄互助小组", "2024-03-09", "", "李强", "", "是", "", ""],
            ["银龄互助小组", "2024-03-08", "", "", "", "", "", "三个"],
        ],
    )
    page.locator("#import-upload input[type=file]").set_input_files(str(bad))
    page.locator("#import-upload [type=submit]").click()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "invalid")
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("周末不是小组“银龄互助小组”的组员")
    expect(errors).to_contain_text("未具名人数")
    assert session.attendance.count() == 1

    good = book(
        tmp_path / "good.xlsx",
        [
            ["银龄互助小组", "2024-03-08", "", "王芳", "", "否", "", ""],
            ["银龄互助小组", "2024-03-08", "", "李强", "", "是", "", ""],
            ["银龄互助小组", "2024-03-08", "", "赵阿姨", "", "是", "", ""],
            ["银龄互助小组", "2024-03-08", "", "孙大伯", "", "", "是", ""],
            ["银龄互助小组", "2024-03-08", "", "", "", "", "", 3],
        ],
    )
    page.goto("/community/attendance/import/")
    page.locator("#import-upload input[type=file]").set_input_files(str(good))
    page.locator("#import-upload [type=submit]").click()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "valid")
    expect(page.locator("#import-status")).to_contain_text("是否签到")
    page.locator("#import-apply").click()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "done")
    page.goto(session.get_absolute_url())
    expect(page.locator("#attendance-list")).to_contain_text("孙大伯")
    assert {a.display_name for a in session.attendance.all()} == {"李强", "赵阿姨", "孙大伯"}
