"""A large export on a phone and a desk (issue 10): the list's Excel button answers with the page
of a background export, which shows its progress while the worker writes the file and then a
download link; the file downloaded is named in Chinese. The district officer's payment roster
for finance (ID and bank account numbers) is offered on the batch's review page. With
``SCREENSHOT_DIR`` set, the pages are saved there for a person to look at."""

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from swstation.accounts.models import User
from swstation.core.actors import SYSTEM
from swstation.core.export_jobs import run_export
from swstation.core.export_models import ExportJob
from swstation.core.roles import Role
from swstation.workforce.services.payments import payment_batch_approve
from swstation.workforce.services.people import social_worker_update
from tests.browser.test_journeys import log_in_ok
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG_VILLAGE, JIANGBEI
from tests.workforce.test_payments import REWARD, create_batch, make_certificate, make_person

pytestmark = pytest.mark.browser


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1440, "height": 900}], ids=str
)
def test_a_large_export_runs_in_the_background_then_downloads(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    settings: Any,
    tmp_path: Path,
    viewport: dict[str, int],
) -> None:
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 3
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    worker = build.worker(CICHENG_VILLAGE)
    for n in range(6):
        build.record(
            build.recipient(CICHENG_VILLAGE, name=f"导出对象{n:03d}"),
            worker,
            date(2026, 3, 1 + n),
            notes=f"第{n}次入户",
        )
    officer = make_user(Role.DISTRICT_OFFICER, JIANGBEI)
    log_in_ok(page, live_server, officer)

    page.goto("/cases/services/")
    expect(page.locator("a[data-export=xlsx]")).to_have_text("导出Excel")
    shoot(page, f"exports-{size}-0-list")
    page.locator("a[data-export=xlsx]").click()
    expect(page.locator("#export-status")).to_have_attribute("data-status", "pending")
    expect(page.locator("h1")).to_contain_text("导出 · 服务记录")
    shoot(page, f"exports-{size}-1-waiting")

    job = ExportJob.objects.get(created_by=officer)
    run_export.call(job.pk)  # what the background worker does; the page polls meanwhile
    expect(page.locator("#export-ready")).to_be_visible()
    expect(page.locator("#export-ready")).to_contain_text("共 6 行")
    shoot(page, f"exports-{size}-2-ready")
    with page.expect_download() as download:
        page.locator("#export-download").click()
    assert download.value.suggested_filename == f"服务记录-{timezone.localdate():%Y-%m-%d}.xlsx"

    page.goto("/exports/")
    expect(page.locator("#export-jobs")).to_contain_text("服务记录")
    shoot(page, f"exports-{size}-3-mine")


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1440, "height": 900}], ids=str
)
def test_the_bureau_is_offered_the_payment_roster_for_finance(
    page: Page,
    live_server: Any,
    make_user: Callable[..., User],
    viewport: dict[str, int],
) -> None:
    from tests.workforce.test_payments import make_policy

    for level, amount in (("assistant", 1500), ("intermediate", 3000)):
        make_policy(REWARD, level, amount)
    person = make_person(name="李付款")
    social_worker_update(
        actor=SYSTEM,
        social_worker=person,
        id_number="11010519491231002X",
        bank_name="宁波银行慈城支行",
        bank_account="6222021234567890123",
    )
    make_certificate(person, "assistant", date(2023, 6, 1))
    officer = make_user(Role.DISTRICT_OFFICER, JIANGBEI)
    batch = create_batch(officer, kind=REWARD)
    payment_batch_approve(actor=officer, batch=batch)
    page.set_viewport_size(viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    log_in_ok(page, live_server, officer)
    page.goto(f"/workforce/payment-batches/{batch.pk}/review/")
    expect(page.locator("#export-roster")).to_contain_text("财务发放花名册")
    expect(page.locator("#batch-lines")).to_contain_text("6222***********0123")
    expect(page.locator("#total-amount")).to_have_text("¥1,500.00")
    shoot(page, f"exports-{size}-4-review")
    page.goto(person.get_absolute_url())
    expect(page.locator("#bank-account")).to_have_text("6222***********0123")
    shoot(page, f"exports-{size}-5-person")
