"""An import's job page follows its check and its import (issue 10): the status fragment the
page polls shows rows done / total and a progress bar during both, and polls no more once the
job has ended. With the imports' queue in the database (production: ``db_worker --backend
imports``) the upload and the "import" button only queue the work; nothing runs in the
request. A file over the row limit is refused at the upload, before any check."""

import re
import zipfile
from io import BytesIO
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.imports import jobs, preview, workbook
from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from tests.core.test_imports import client_for, post_file, upload, xlsx_bytes
from tests.recipients.test_register_import_bulk import HEADER, people
from tests.workforce.helpers import CICHENG, station

QUEUED = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "imports": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


@pytest.fixture
def worker(users: dict[str, Any]) -> Any:
    station(CICHENG)
    return users[Role.SOCIAL_WORKER]


def job_url(job: ImportJob) -> str:
    return reverse("recipients:recipient_import_job", args=[job.pk])


def poll(client: Any, job: ImportJob) -> str:
    """What the page's polling request gets: the status fragment."""
    response = client.get(job_url(job), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return str(response.content.decode())


def progress_of(fragment: str) -> str:
    return fragment.split('id="import-progress">')[1].split("<")[0]


def run_queue() -> int:
    """Run the imports' queued tasks as the worker does (each task's function, its arguments
    as queued); the number run."""
    queued = list(DBTaskResult.objects.ready().filter(backend_name="imports"))
    for result in queued:
        task = import_string(result.task_path)
        task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()
    return len(queued)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "words"), [("validating", "正在逐行校验"), ("applying", "正在以单个事务导入所有行")]
)
def test_the_progress_endpoint_shows_rows_done_of_the_total_while_running(
    worker: Any, status: str, words: str
) -> None:
    client = client_for(worker)
    _response, job = post_file(
        client, reverse("recipients:recipient_import"), xlsx_bytes([HEADER, *people(3)])
    )
    assert job is not None
    ImportJob.objects.filter(pk=job.pk).update(status=status, processed_rows=1200, total_rows=2000)
    fragment = poll(client, job)
    assert f'data-status="{status}"' in fragment
    assert 'hx-trigger="every 1s"' in fragment and f'hx-get="{job_url(job)}"' in fragment
    assert progress_of(fragment) == "1200 / 2000"
    assert 'aria-valuenow="60"' in fragment and "width: 60%" in fragment and "(60%)" in fragment
    assert words in fragment
    # The whole page holds the same fragment, which the polls then replace.
    page = client.get(job_url(job)).content.decode()
    assert 'id="import-status"' in page and "1200 / 2000" in page

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED)
    assert "hx-trigger" not in poll(client, job)


@pytest.mark.django_db
def test_an_import_not_yet_counted_shows_a_bar_without_numbers(worker: Any) -> None:
    client = client_for(worker)
    _response, job = post_file(
        client, reverse("recipients:recipient_import"), xlsx_bytes([HEADER, *people(3)])
    )
    assert job is not None
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING, processed_rows=0)
    fragment = poll(client, job)
    assert 'class="progress"' in fragment and 'id="import-progress"' not in fragment
    assert 'hx-trigger="every 1s"' in fragment


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("parallel_db")
@pytest.mark.usefixtures("reference_data", "restore_reference_data_afterwards")
def test_polling_during_the_import_shows_its_progress(worker: Any, monkeypatch: Any) -> None:
    """The import runs in one transaction; its counter is seen by the page meanwhile (on
    PostgreSQL it is written through a connection of its own, committed at once)."""
    monkeypatch.setattr(preview, "CHUNK_ROWS", 100)
    client = client_for(worker)
    _response, job = post_file(
        client, reverse("recipients:recipient_import"), xlsx_bytes([HEADER, *people(250)])
    )
    assert job is not None and job.status == ImportStatus.VALID, job.errors

    polls: list[str] = []
    original = jobs._save_progress

    def poll_meanwhile(job_id: int, processed: int) -> None:
        original(job_id, processed)
        polls.append(progress_of(poll(client, job)))

    monkeypatch.setattr(jobs, "_save_progress", poll_meanwhile)
    client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result["created"] == 250
    assert polls == ["100 / 250", "200 / 250"]


@pytest.mark.django_db
def test_with_a_worker_the_check_and_the_import_leave_the_request(worker: Any) -> None:
    client = client_for(worker)
    with override_settings(TASKS=QUEUED):
        response = client.post(
            reverse("recipients:recipient_import"),
            {"file": upload(xlsx_bytes([HEADER, *people(5)]))},
        )
        job = ImportJob.objects.get()
        assert job.status == ImportStatus.PENDING
        page = client.get(response["Location"]).content.decode()
        assert 'hx-trigger="load"' not in page  # the worker starts it, not the page
        assert 'hx-trigger="every 1s"' in page
        assert run_queue() == 1
        job.refresh_from_db()
        assert job.status == ImportStatus.VALID and job.plan["create"] == 5

        client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
        job.refresh_from_db()
        assert job.status == ImportStatus.APPLYING and not Recipient.objects.exists()
        assert 'hx-trigger="every 1s"' in poll(client, job)
        assert run_queue() == 1
        job.refresh_from_db()
        assert job.status == ImportStatus.DONE and Recipient.objects.count() == 5
        assert "hx-trigger" not in poll(client, job)


@pytest.mark.django_db
def test_a_file_over_the_row_limit_is_refused_at_the_upload(worker: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    client = client_for(worker)
    response = client.post(
        reverse("recipients:recipient_import"), {"file": upload(xlsx_bytes([HEADER, *people(6)]))}
    )
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert "文件超过 5 行，单次最多可导入 5 行" in response.content.decode()
    # At the limit it is accepted.
    _response, job = post_file(
        client, reverse("recipients:recipient_import"), xlsx_bytes([HEADER, *people(5)])
    )
    assert job is not None and job.status == ImportStatus.VALID


@pytest.mark.django_db
def test_a_file_far_over_the_limit_is_refused_without_reading_its_rows(
    worker: Any, monkeypatch: Any
) -> None:
    """Its rows holding a value are counted in the sheet's XML; the rows are not read."""
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)

    def not_read(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the rows were read")

    monkeypatch.setattr(workbook.SheetReader, "count_rows", not_read)
    monkeypatch.setattr(workbook.SheetReader, "rows", not_read)
    client = client_for(worker)
    response = client.post(
        reverse("recipients:recipient_import"), {"file": upload(xlsx_bytes([HEADER, *people(20)]))}
    )
    assert "文件超过 5 行，单次最多可导入 5 行" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_totals_rows_do_not_count_towards_the_limit(worker: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    rows = [HEADER, *people(5), ["合计", "", "", "", "", "", "", ""], ["填表人：张三"]]
    _response, job = post_file(
        client_for(worker), reverse("recipients:recipient_import"), xlsx_bytes(rows)
    )
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    assert job.plan["create"] == 5 and job.plan["skipped_count"] == 2


def wrong_dimension(content: bytes, dimension: str) -> bytes:
    """The workbook with its sheet's <dimension> rewritten (as some programs write it)."""
    source, written = zipfile.ZipFile(BytesIO(content)), BytesIO()
    with zipfile.ZipFile(written, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', dimension.encode(), data)
            target.writestr(item, data)
    return written.getvalue()


@pytest.mark.django_db
def test_rows_past_a_wrong_sheet_dimension_are_read_not_dropped(worker: Any) -> None:
    content = wrong_dimension(xlsx_bytes([HEADER, *people(9)]), '<dimension ref="A1:H3"/>')
    _response, job = post_file(client_for(worker), reverse("recipients:recipient_import"), content)
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    assert job.plan["create"] == 9 and job.total_rows == 9
