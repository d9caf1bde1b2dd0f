"""Office-ready exports (issue 10, "Exports and numbers").

A list's file and sheet are named in the user's language after the list (服务记录-日期.xlsx,
sent with an RFC 5987 ``filename*``); numbers, money and dates are typed cells with number
formats (a duration Excel can sum); the service records carry their notes. A list larger than
``EXPORT_IMMEDIATE_MAX_ROWS`` is written by a background task: the link answers with the page
of its job, which follows its progress and then offers the file, to its author only, holding
only what they may see, until it expires. Money and numbers read the same on every page.
"""

import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from swstation.cases.models import ServiceRecord
from swstation.core.export_jobs import expire_jobs, run_export
from swstation.core.export_models import ExportJob, ExportStatus
from swstation.core.numbers import format_money, format_number
from swstation.core.roles import Role
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG_VILLAGE, JIANGBEI, YUEHU_COMMUNITY

pytestmark = pytest.mark.django_db

LIST = "cases:servicerecord_list"


@pytest.fixture(autouse=True)
def export_storage(settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }
    return tmp_path / "exports"


def make_records(code: str, count: int, **extra: Any) -> list[ServiceRecord]:
    worker = build.worker(code)
    return [
        build.record(
            build.recipient(code, name=f"导出对象{code[-3:]}{n:03d}"),
            worker,
            date(2026, 3, 1 + n % 28),
            duration_minutes=30 + n,
            notes=f"入户探访，第{n}次",
            volunteers="志愿者王",
            **extra,
        )
        for n in range(count)
    ]


def client_for(user: Any, language: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def content_of(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def filename_of(response: Any) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" in disposition
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


def sheet_of(response: Any) -> Any:
    return load_workbook(io.BytesIO(content_of(response))).worksheets[0]


def column(sheet: Any, header: str) -> list[Any]:
    headers = [cell.value for cell in sheet[1]]
    assert header in headers, headers
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


# --- names, types and columns ------------------------------------------------------------------


def test_service_records_export_is_named_in_chinese_typed_and_has_the_notes(users: Any) -> None:
    make_records(CICHENG_VILLAGE, 3)
    response = client_for(users[Role.CITY_ADMIN]).get(reverse(LIST), {"export": "xlsx"})
    assert response.status_code == 200
    today = timezone.localdate()
    assert filename_of(response) == f"服务记录-{today:%Y-%m-%d}.xlsx"
    sheet = sheet_of(response)
    assert sheet.title == "服务记录"

    durations = column(sheet, "时长（分钟）")
    assert sorted(cell.value for cell in durations) == [30, 31, 32]
    assert all(cell.data_type == "n" for cell in durations)  # numbers Excel sums
    dates = column(sheet, "日期")
    assert all(isinstance(cell.value, datetime) for cell in dates)
    assert {cell.number_format for cell in dates} == {"yyyy-mm-dd"}
    assert {cell.value for cell in column(sheet, "备注")} == {
        "入户探访，第0次",
        "入户探访，第1次",
        "入户探访，第2次",
    }
    assert {cell.value for cell in column(sheet, "服务类型")} == {"入户探访"}  # labels, not codes
    assert {cell.value for cell in column(sheet, "志愿者")} == {"志愿者王"}


def test_the_file_is_named_in_english_when_the_user_reads_english(users: Any) -> None:
    make_records(CICHENG_VILLAGE, 1)
    client = client_for(users[Role.CITY_ADMIN], language="en")
    response = client.get(reverse(LIST), {"export": "xlsx"})
    assert filename_of(response).startswith("Service-records-")
    assert sheet_of(response).title == "Service records"
    csv = client.get(reverse(LIST), {"export": "csv"})
    assert filename_of(csv).endswith(".csv") and filename_of(csv).startswith("Service-records-")


def test_csv_keeps_numbers_and_iso_dates(users: Any) -> None:
    make_records(CICHENG_VILLAGE, 1)
    response = client_for(users[Role.CITY_ADMIN]).get(reverse(LIST), {"export": "csv"})
    text = content_of(response).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "备注" in header
    assert "2026-03-01" in row and ",30," in row and "入户探访，第0次" in row


# --- background exports ------------------------------------------------------------------------


def test_a_large_export_runs_in_the_background_and_only_its_author_downloads_it(
    users: Any, make_user: Any, settings: Any, export_storage: Any
) -> None:
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 2
    make_records(CICHENG_VILLAGE, 4)  # 江北区
    outside = make_records(YUEHU_COMMUNITY, 2)  # 海曙区: not the officer's
    officer = users[Role.DISTRICT_OFFICER]
    assert officer.jurisdiction.code == JIANGBEI
    client = client_for(officer)

    response = client.get(reverse(LIST), {"export": "xlsx", "sort": "-duration_minutes"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ExportStatus.PENDING and job.total_rows == 4
    assert job.params == {"sort": ["-duration_minutes"]}
    # Asked again while it waits: the same job, not a second file.
    client.get(reverse(LIST), {"export": "xlsx", "sort": "-duration_minutes"})
    assert ExportJob.objects.count() == 1

    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert 'hx-trigger="every 1s"' in page.content.decode()  # polls while waiting
    # Queued for the exports' own worker, not the cockpit's recount queue.
    queued = DBTaskResult.objects.filter(task_path__endswith="run_export")
    assert {row.backend_name for row in queued} == {"exports"}

    assert run_export.call(job.pk) == ExportStatus.DONE  # what the worker does
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.processed_rows == job.total_rows == 4
    assert job.expires_at is not None and job.expires_at > timezone.now() + timedelta(hours=23)

    status = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in status  # done: polling stops
    download_url = reverse("exports:download", args=[job.pk])
    assert download_url in status

    download = client.get(download_url)
    assert download.status_code == 200
    assert filename_of(download) == f"服务记录-{timezone.localdate():%Y-%m-%d}.xlsx"
    sheet = sheet_of(download)
    names = [cell.value for cell in column(sheet, "服务对象")]
    assert len(names) == 4 and all(name.startswith("导出对象201") for name in names)
    assert not {r.recipient.name for r in outside} & set(names)  # jurisdiction kept
    assert [cell.value for cell in column(sheet, "时长（分钟）")] == [33, 32, 31, 30]  # the sort

    # Nobody else may see or download it, not even the city bureau.
    other = client_for(users[Role.CITY_ADMIN])
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(download_url).status_code == 404
    same_role = client_for(make_user(Role.DISTRICT_OFFICER, JIANGBEI))
    assert same_role.get(download_url).status_code == 404

    # Files expire: deleted, no longer offered.
    stored = export_storage / job.file
    assert stored.exists()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_jobs() == 1
    assert not stored.exists()
    assert client.get(download_url).status_code == 404
    assert "已过期" in client.get(job.get_absolute_url()).content.decode()


def test_with_tasks_run_in_the_request_the_job_is_done_at_once(users: Any, settings: Any) -> None:
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    settings.TASKS = {
        name: {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        for name in ("default", "background", "exports")
    }
    make_records(CICHENG_VILLAGE, 3)
    client = client_for(users[Role.CITY_ADMIN])
    response = client.get(reverse(LIST), {"export": "csv"}, follow=True)
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.total_rows == 3
    assert 'id="export-download"' in response.content.decode()
    text = content_of(client.get(reverse("exports:download", args=[job.pk]))).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 4
    jobs_page = client.get(reverse("exports:list")).content.decode()
    assert job.get_absolute_url() in jobs_page


def test_a_failed_export_says_so(users: Any, settings: Any) -> None:
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 0
    make_records(CICHENG_VILLAGE, 1)
    client = client_for(users[Role.CITY_ADMIN])
    client.get(reverse(LIST), {"export": "xlsx"})
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(route="no-such:list")
    run_export.call(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert "导出" in client.get(job.get_absolute_url()).content.decode()


# --- money and numbers ---------------------------------------------------------------------------


def test_money_and_numbers_read_the_same_everywhere() -> None:
    assert format_money(Decimal("1544600")) == "¥1,544,600.00"
    assert format_money(64000) == "¥64,000.00"
    assert format_money(Decimal("-5")) == "-¥5.00"
    assert format_money(None) == ""
    assert format_number(300000) == "300,000"
    assert format_number(Decimal("2.5")) == "2.5"
    assert format_number("+1520") == "+1,520"  # a change keeps its sign
    assert format_number("-80") == "-80"
    with translation.override("en"):
        assert format_money(Decimal("1544600.5")) == "¥1,544,600.50"


def test_the_cockpit_the_payment_list_and_a_payment_read_the_same_amount(users: Any) -> None:
    """One payment of 1,500 yuan: the cockpit's headline, the payments' list and the payment's
    page all say ¥1,500.00 (the cockpit said ¥1,500, the others 1500.00)."""
    from swstation.dashboard.services import tally_rebuild
    from swstation.workforce.models import Payment
    from tests.dashboard import helpers as h

    world = h.build_world()
    person = world.workers[h.CICHENG][0]
    h.make_paid_batch(person, person.certificates.get(), date(2026, 5, 20))
    tally_rebuild()
    client = client_for(users[Role.DISTRICT_OFFICER])
    cockpit = client.get("/cockpit/", {"year": 2026}).content.decode()
    listing = client.get(reverse("workforce:payment_list")).content.decode()
    payment = client.get(Payment.objects.get().get_absolute_url()).content.decode()
    for name, page in (("cockpit", cockpit), ("list", listing), ("payment", payment)):
        assert "¥1,500.00" in page, (name, re.findall(r"[^<>]{0,40}1,?500[^<>]{0,20}", page))
    for page in (listing, payment):
        assert "1500.00" not in page, re.findall(r".{0,80}1500\.00.{0,20}", page)


def test_the_queries_of_an_export_do_not_grow_with_its_rows(users: Any) -> None:
    """Every relation a column reads is joined (or prefetched): 3 rows or 12, same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users[Role.CITY_ADMIN])
    make_records(CICHENG_VILLAGE, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(LIST), {"export": "xlsx"}).status_code == 200
    make_records(CICHENG_VILLAGE, 9)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(LIST), {"export": "xlsx"})
    assert len(column(sheet_of(response), "备注")) == 12
    assert len(many) == len(few)
