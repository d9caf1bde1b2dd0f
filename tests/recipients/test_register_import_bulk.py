"""The register import writes in bulk (issue 10: a 2,000-row register in seconds, not minutes):
a chunk of rows is looked up in a few queries and written at once, with the same records, the
same history and the same refusals as the services' one row at a time. Several chunks, a bad
row in a later chunk, a number recorded outside the jurisdiction, and the cockpit's marks."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from swstation.core.import_models import ImportJob, ImportStatus
from swstation.core.imports import preview
from swstation.core.roles import Role
from swstation.dashboard.models import TallyDirty
from swstation.dashboard.tallies import partition_of
from swstation.recipients.crypto import decrypt
from swstation.recipients.models import CategoryPeriod, DuplicateReview, Recipient
from tests.core.test_imports import client_for, post_file, xlsx_bytes
from tests.recipients.helpers import CICHENG_VILLAGE, YUEHU_COMMUNITY, id_number, make_recipient
from tests.workforce.helpers import CICHENG, station

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "证件号码", "出生日期", "所在村(社区)", "住址", "类别", "是否同意", "同意日期"]
VILLAGES = ("勤丰村", "东镇村")


def people(count: int, *, first: int = 0, address: str = "") -> list[list[Any]]:
    """``count`` distinct people of 慈城镇's villages (a number each), consenting."""
    rows = []
    for index in range(first, first + count):
        birth = date(1940, 1, 1) + timedelta(days=index)
        rows.append(
            [
                f"测试{index:03d}",
                id_number(birth, serial=index % 500 * 2 + 1),
                birth.isoformat(),
                VILLAGES[index % 2],
                address or f"{VILLAGES[index % 2]}{index}号",
                "低保、独居老人" if index % 3 else "特困",
                "是",
                "2025-06-01",
            ]
        )
    return rows


def apply(client: Any, job: ImportJob) -> ImportJob:
    client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
    job.refresh_from_db()
    return job


@pytest.fixture
def worker(users: dict[str, Any]) -> Any:
    station(CICHENG)
    return users[Role.SOCIAL_WORKER]


@pytest.fixture
def small_chunks(monkeypatch: Any) -> None:
    """Chunks of 4 rows, so that a small file spans several."""
    monkeypatch.setattr(preview, "CHUNK_ROWS", 4)


def test_new_people_are_written_with_their_categories_periods_and_history(
    worker: Any, small_chunks: None
) -> None:
    client = client_for(worker)
    _response, job = post_file(
        client, reverse("recipients:recipient_import"), xlsx_bytes([HEADER, *people(10)])
    )
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    assert job.plan["create"] == 10
    job = apply(client, job)
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert job.result["created"] == 10

    recipients = list(Recipient.objects.order_by("name"))
    assert len(recipients) == 10
    for index, recipient in enumerate(recipients):
        birth = date(1940, 1, 1) + timedelta(days=index)
        assert recipient.name == f"测试{index:03d}"
        assert decrypt(recipient.id_number_encrypted) == id_number(birth, serial=index * 2 + 1)
        assert recipient.id_number_masked and not recipient.id_number_shared
        assert (recipient.birth_date, recipient.sex) == (birth, "male")
        assert recipient.region.name.startswith(VILLAGES[index % 2])
        assert recipient.registered_on == date.today()
        assert recipient.created_at is not None and recipient.updated_at is not None
        wanted = {"低保", "独居老人"} if index % 3 else {"特困"}
        assert {c.name for c in recipient.categories.all()} == wanted
        periods = list(recipient.category_periods.select_related("category"))
        assert {p.category.name for p in periods} == wanted
        assert all(p.valid_from == recipient.registered_on and p.valid_to is None for p in periods)
        # The history: one creation each, by the importer, of the record as saved.
        (created,) = recipient.history.all()  # type: ignore[attr-defined]
        assert (created.history_type, created.history_user) == ("+", worker)
        assert created.id_number_hash == recipient.id_number_hash
        assert created.created_at == recipient.created_at
        for period in periods:
            (entry,) = period.history.all()  # type: ignore[attr-defined]
            assert (entry.history_type, entry.history_user) == ("+", worker)


def test_changed_addresses_are_updated_with_history_and_a_second_run_changes_nothing(
    worker: Any, small_chunks: None
) -> None:
    client = client_for(worker)
    url = reverse("recipients:recipient_import")
    _response, job = post_file(client, url, xlsx_bytes([HEADER, *people(9)]))
    assert job is not None and apply(client, job).status == ImportStatus.DONE
    stamps = dict(Recipient.objects.values_list("pk", "updated_at"))

    _response, job = post_file(client, url, xlsx_bytes([HEADER, *people(9, address="新村1号")]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    assert (job.plan["create"], job.plan["update"]) == (0, 9)
    assert job.plan["changes"][0]["fields"] == [["住址", "勤丰村0号", "新村1号"]]
    job = apply(client, job)
    assert job.status == ImportStatus.DONE and job.result["updated"] == 9
    for recipient in Recipient.objects.all():
        assert recipient.address == "新村1号"
        assert recipient.updated_at > stamps[recipient.pk]
        latest, first = recipient.history.all()  # type: ignore[attr-defined]
        assert (latest.history_type, latest.history_user, latest.address) == (
            "~",
            worker,
            "新村1号",
        )
        assert first.history_type == "+" and first.address != "新村1号"
        assert latest.updated_at == recipient.updated_at
        # Same categories: their periods untouched.
        assert all(p.history.count() == 1 for p in recipient.category_periods.all())  # type: ignore[attr-defined]

    _response, job = post_file(client, url, xlsx_bytes([HEADER, *people(9, address="新村1号")]))
    assert job is not None and job.plan["unchanged"] == 9
    assert apply(client, job).result["unchanged"] == 9
    assert all(r.history.count() == 2 for r in Recipient.objects.all())  # type: ignore[attr-defined]


def test_a_bad_row_in_a_later_chunk_saves_nothing_and_is_named(
    worker: Any, small_chunks: None
) -> None:
    """The check passes, then someone records row 12's person (under another number) before
    the import: the import refuses that row by row and column, and rolls back the two chunks
    it had written before."""
    client = client_for(worker)
    rows = people(12)
    url = reverse("recipients:recipient_import")
    _response, job = post_file(client, url, xlsx_bytes([HEADER, *rows]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    name, _number, birth, village, *_rest = rows[10]
    assert village == "勤丰村"  # CICHENG_VILLAGE
    born = date.fromisoformat(birth)
    other = make_recipient(CICHENG_VILLAGE, name=name, birth=born, number=id_number(born, 998))
    job = apply(client, job)
    assert job.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(12, "证件号码")]
    assert f"#{other.pk}" in job.errors[0]["message"]
    assert list(Recipient.objects.all()) == [other]
    assert not CategoryPeriod.objects.exclude(recipient=other).exists()
    assert Recipient.history.count() == 1  # type: ignore[attr-defined]  # the other's creation
    assert not DuplicateReview.objects.exists()


def test_two_rows_of_one_person_with_different_numbers_are_refused_at_the_check(
    worker: Any,
) -> None:
    """The services refuse a second record of the same name, date of birth and village: so
    does the check, instead of the import."""
    rows = people(2)
    rows[1][0], rows[1][2], rows[1][3] = rows[0][0], rows[0][2], rows[0][3]
    rows[1][1] = id_number(date(1940, 1, 1), serial=99)
    client = client_for(worker)
    _response, job = post_file(
        client, reverse("recipients:recipient_import"), xlsx_bytes([HEADER, *rows])
    )
    assert job is not None and job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (3, "姓名", "与本文件第2行重复。")
    ]


def test_a_number_recorded_outside_the_jurisdiction_is_saved_apart_and_queued(
    worker: Any, small_chunks: None
) -> None:
    rows = people(6)
    elsewhere = make_recipient(YUEHU_COMMUNITY, name="外区", number=rows[4][1])
    client = client_for(worker)
    _response, job = post_file(
        client, reverse("recipients:recipient_import"), xlsx_bytes([HEADER, *rows])
    )
    assert job is not None and job.plan["create"] == 6  # nothing said of the other district
    assert apply(client, job).status == ImportStatus.DONE
    shared = Recipient.objects.get(name=rows[4][0])
    assert shared.id_number_shared
    assert Recipient.objects.filter(id_number_shared=True).count() == 1 + elsewhere.id_number_shared
    review = DuplicateReview.objects.get()
    assert {review.recipient, review.match} == {shared, elsewhere}


def test_the_cockpit_figures_of_every_village_written_are_marked(worker: Any) -> None:
    TallyDirty.objects.all().delete()
    client = client_for(worker)
    _response, job = post_file(
        client, reverse("recipients:recipient_import"), xlsx_bytes([HEADER, *people(4)])
    )
    assert job is not None and apply(client, job).status == ImportStatus.DONE
    codes = set(Recipient.objects.values_list("region__code", flat=True))
    assert len(codes) == 2
    marked = set(TallyDirty.objects.values_list("family", "partition"))
    for code in codes:
        assert ("recipients", partition_of(code)) in marked


def test_a_chunk_is_looked_up_in_a_few_queries_whatever_its_size(worker: Any) -> None:
    """The check's queries grow by at most one per row (the model's own check that its village
    exists), not by the dozen a row cost when each row looked itself up."""
    client = client_for(worker)
    url = reverse("recipients:recipient_import")
    queries = []
    for count in (5, 40):
        _response, job = post_file(client, url, xlsx_bytes([HEADER, *people(count, first=100)]))
        assert job is not None
        job.status = ImportStatus.PENDING
        job.save()
        with CaptureQueriesContext(connection) as captured:
            client.post(
                reverse("recipients:recipient_import_job", args=[job.pk]),
                headers={"HX-Request": "true"},
            )
        queries.append(len(captured))
    small, large = queries
    assert large - small <= 35, queries  # at most one per extra row (its village's check)
