"""A station manager imports a roster kept the way a township office keeps it (issue 19), on a
phone and on a desk: the preview says what was normalised, which column is not imported and,
for a second file, what each updated row changes (old -> new) before anything is written.

With ``SCREENSHOT_DIR`` set, the previews are also saved there for a person to look at."""

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from swstation.accounts.models import User
from swstation.workforce.models import SocialWorker
from tests.browser.test_import_journey import cicheng_manager_logged_in, upload

pytestmark = pytest.mark.browser

# The office's own column names: 入职时间 for 入职日期, and a column the import does not know.
HEADER = ["姓名", "性别", "手机号", "所在社工站", "是否专职", "入职时间", "微信号"]


def ledger(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", None, None, None, None, None, None])  # the office's total row
    for column in "C":  # the phone column kept as text, as the template ships it
        for cell in sheet[column]:
            cell.number_format = "@"
    book.save(path)
    return path


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1440, "height": 900}], ids=str
)
def test_a_messy_roster_is_previewed_normalised_then_an_update_shows_its_changes(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    tmp_path: Path,
    viewport: dict[str, int],
) -> None:
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    cicheng_manager_logged_in(page, live_server, make_user)

    first = ledger(
        tmp_path / "roster.xlsx",
        [
            ["王小明", "男", "+86 138 0000 0001", "慈城镇社会工作站", "是", "20230105", "wx1"],
            ["李小红", "女", "13800000002", "慈城镇社会工作站", "专职", "2023-02-28", "wx2"],
        ],
    )
    upload(page, first)
    expect(page.locator("#import-status")).not_to_have_attribute("data-status", "running")
    errors = page.locator("#import-errors")
    assert not errors.count(), errors.inner_text()
    expect(page.locator("#import-status")).to_have_attribute("data-status", "valid")
    expect(page.locator("#import-ignored")).to_contain_text("微信号")
    expect(page.locator("#import-skipped")).to_contain_text("合计")
    shoot(page, f"import-preview-{size}")
    page.locator("#import-apply").click()
    expect(page.locator("#import-result")).to_be_visible()
    wang = SocialWorker.objects.get(name="王小明")
    assert wang.phone == "13800000001"
    assert wang.hired_on == date(2023, 1, 5)

    second = ledger(
        tmp_path / "roster-2.xlsx",
        [["王小明", "男", "13800000001", "慈城镇社会工作站", "是", "2023-03-01", "wx1"]],
    )
    upload(page, second)
    expect(page.locator("#import-status")).to_have_attribute("data-status", "valid")
    changes = page.locator("#import-changes")
    expect(changes).to_contain_text("入职日期")
    expect(changes).to_contain_text("2023")
    shoot(page, f"import-update-{size}")
    wang.refresh_from_db()
    assert wang.hired_on == date(2023, 1, 5)  # nothing written before the user applies
