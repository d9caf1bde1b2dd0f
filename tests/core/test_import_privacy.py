"""An uploaded import file holds personal data (full identity numbers): it is stored encrypted
with the personal-data keys while the job may still be applied, dropped as soon as the job ends
(imported, refused, failed or cancelled), and an abandoned job is expired after
IMPORT_JOB_EXPIRY_HOURS by a scheduled cleanup (a task queued with every new upload, and the
``expire_import_jobs`` command for cron)."""

from datetime import timedelta
from importlib import import_module
from io import StringIO
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from swstation.core import crypto
from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.imports import expire_abandoned_jobs, expire_import_jobs
from swstation.core.roles import Role
from tests.core.test_imports import client_for, post_file, upload, xlsx_bytes
from tests.recipients.test_register_import import HEADER, ZHANG, start_url, valid_rows
from tests.workforce.helpers import CICHENG, station

pytestmark = pytest.mark.django_db

ZIP_MAGIC = b"PK\x03\x04"  # every .xlsx is a zip; base64 (Fernet's token) never holds \x03\x04


def stored_content(job: ImportJob) -> bytes:
    """The column as the database holds it, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM core_importjob WHERE id = %s", [job.pk])
        (value,) = cursor.fetchone()
    return bytes(value or b"")


@pytest.fixture
def worker(users: dict[str, Any]) -> Any:
    station(CICHENG)
    return users[Role.SOCIAL_WORKER]


def upload_register(worker: Any) -> tuple[Any, ImportJob]:
    client = client_for(worker)
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, *valid_rows()]))
    assert job is not None
    assert job.status == ImportStatus.VALID, job.errors
    return client, job


def test_the_uploaded_file_is_stored_encrypted_and_dropped_once_imported(worker: Any) -> None:
    content = xlsx_bytes([HEADER, *valid_rows()])
    assert ZIP_MAGIC in content and ZHANG.encode() not in content  # numbers sit compressed
    client = client_for(worker)
    response = client.post(start_url(), {"file": upload(content)})
    job = ImportJob.objects.get(created_by=worker)
    assert job.status == ImportStatus.PENDING
    raw = stored_content(job)
    assert raw, "a pending job keeps its file"
    assert ZIP_MAGIC not in raw and not raw.startswith(b"PK")
    assert crypto.decrypt_bytes(raw) == content  # with the personal-data keys

    client.post(response["Location"], headers={"HX-Request": "true"})  # the check
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID, job.errors
    raw = stored_content(job)
    assert raw and ZIP_MAGIC not in raw and ZHANG.encode() not in raw

    client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert job.result["created"] == 3
    assert stored_content(job) == b""


def test_a_cancelled_job_drops_its_file(worker: Any) -> None:
    client, job = upload_register(worker)
    response = client.post(reverse("recipients:recipient_import_cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert stored_content(job) == b""
    # a cancelled job cannot be imported any more
    client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    page = client.get(reverse("recipients:recipient_import_job", args=[job.pk])).content.decode()
    assert "已取消" in page


def test_another_user_cannot_cancel_a_job(worker: Any, users: dict[str, Any]) -> None:
    _client, job = upload_register(worker)
    manager = client_for(users[Role.STATION_MANAGER])
    response = manager.post(reverse("recipients:recipient_import_cancel", args=[job.pk]))
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID


def age(job: ImportJob, hours: float) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - timedelta(hours=hours),
        created_at=timezone.now() - timedelta(hours=hours),
    )


def test_abandoned_jobs_expire_after_the_setting_and_recent_ones_stay(worker: Any) -> None:
    _client, old = upload_register(worker)
    _client, recent = upload_register(worker)
    age(old, 25)
    age(recent, 23)
    out = StringIO()
    call_command("expire_import_jobs", stdout=out)
    assert "1" in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == ImportStatus.CANCELLED
    assert "24" in old.message
    assert stored_content(old) == b""
    assert recent.status == ImportStatus.VALID
    assert stored_content(recent) != b""

    with override_settings(IMPORT_JOB_EXPIRY_HOURS=2):
        assert expire_abandoned_jobs() == 1
    recent.refresh_from_db()
    assert recent.status == ImportStatus.CANCELLED
    assert stored_content(recent) == b""


def test_expiry_also_ends_jobs_waiting_or_stuck_and_drops_any_left_over_file(
    worker: Any,
) -> None:
    _client, job = upload_register(worker)
    pending = ImportJob.objects.create(
        importer=job.importer,
        route=job.route,
        created_by=worker,
        file_name="x.xlsx",
        content=crypto.encrypt_bytes(b"PK\x03\x04 waiting"),
    )
    stuck = ImportJob.objects.create(
        importer=job.importer,
        route=job.route,
        created_by=worker,
        file_name="y.xlsx",
        status=ImportStatus.APPLYING,
        content=crypto.encrypt_bytes(b"PK\x03\x04 stuck"),
    )
    # a finished job that somehow kept its file (e.g. written by an older version)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE)
    for each in (job, pending, stuck):
        age(each, 30)
    assert expire_abandoned_jobs() == 2
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses[pending.pk] == ImportStatus.CANCELLED
    assert statuses[stuck.pk] == ImportStatus.FAILED
    assert statuses[job.pk] == ImportStatus.DONE
    for each in (job, pending, stuck):
        assert stored_content(each) == b""


def test_every_upload_queues_the_cleanup_on_the_background_worker(worker: Any) -> None:
    before = DBTaskResult.objects.filter(task_path__endswith="expire_import_jobs").count()
    upload_register(worker)
    queued = DBTaskResult.objects.filter(task_path__endswith="expire_import_jobs")
    assert queued.count() == before + 1
    assert queued.latest("enqueued_at").backend_name == "background"
    # the task itself does the cleanup
    _client, job = upload_register(worker)
    age(job, 48)
    assert expire_import_jobs.call() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED


def test_the_migration_encrypts_stored_files_and_back(worker: Any) -> None:
    migration = import_module("swstation.core.migrations.0002_importjob_encrypted_content")
    clear = xlsx_bytes([HEADER, *valid_rows()])
    job = ImportJob.objects.create(
        importer="x", route="x", created_by=worker, file_name="old.xlsx", content=clear
    )
    migration.encrypt_contents(django_apps, None)
    raw = stored_content(job)
    assert ZIP_MAGIC not in raw and crypto.decrypt_bytes(raw) == clear
    migration.decrypt_contents(django_apps, None)
    assert stored_content(job) == clear
