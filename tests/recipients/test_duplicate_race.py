"""Duplicates under race (issue 9): two entries of one person sent together both passed the
duplicate check and both were saved (3 rounds of 5). One document number is one active record
by a database constraint (``recipient_unique_id_number_hash``); the entry that loses the race
gets the answer the check gives one at a time — a 400 naming the number in Chinese when the
other record is the author's to see, the ordinary answer (and a review) when it is not.

The parallel tests need PostgreSQL (tests/concurrency.py); the same paths are proven
sequentially, on every database, by making the check miss the other record."""

import contextlib
import threading
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from swstation.core.import_models import ImportStatus
from swstation.core.roles import Role
from swstation.recipients import services
from swstation.recipients.crypto import lookup_hash
from swstation.recipients.models import DuplicateReview, Recipient
from swstation.recipients.selectors import Duplicates
from tests.clients import api_for
from tests.concurrency import TIMEOUT, parallel, run_together
from tests.conftest import YUEHU
from tests.core.test_imports import client_for, post_file, xlsx_bytes
from tests.recipients.helpers import CICHENG_VILLAGE, YUEHU_COMMUNITY, id_number, make_recipient
from tests.recipients.test_register_import import HEADER, consenting, start_url

ROUNDS = 5


def payload(number: str, code: str = CICHENG_VILLAGE, name: str = "并发登记") -> dict[str, Any]:
    return {
        "name": name,
        "region_code": code,
        "id_number": number,
        "consent_given": True,
        "consent_on": "2026-01-05",
    }


class CheckedTogether:
    """Each racer waits, once its duplicate check has answered, until the other's has too: both
    decide on the same state, as two requests sent at the same moment do.

    A racer that waited in vain goes on rather than failing its request: on a loaded CI machine
    one racer once waited the whole timeout while the other had not reached its check, and
    both answered 500 for the test's barrier. Gone on alone, the two requests meet one after
    the other, and exactly one must still succeed."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2)
        self.waited: set[int] = set()
        self.original = services.recipient_possible_duplicates

    def __call__(self, **kwargs: Any) -> Duplicates:
        found = self.original(**kwargs)
        if threading.get_ident() not in self.waited:
            self.waited.add(threading.get_ident())
            with contextlib.suppress(threading.BrokenBarrierError):
                self.barrier.wait(TIMEOUT)
        return found


@parallel
def test_two_parallel_entries_of_one_person_exactly_one_succeeds(
    users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    worker, manager = users[Role.SOCIAL_WORKER], users[Role.STATION_MANAGER]
    for n in range(ROUNDS):
        number = id_number(date(1948, 1, 1 + n), serial=300 + 2 * n + 1)
        monkeypatch.setattr(services, "recipient_possible_duplicates", CheckedTogether())
        body = payload(number)
        answers = run_together(
            lambda: api_for(worker).post("/api/v1/recipients/", body, format="json"),  # noqa: B023
            lambda: api_for(manager).post("/api/v1/recipients/", body, format="json"),  # noqa: B023
        )
        assert not [a for a in answers if isinstance(a, BaseException)], answers
        assert sorted(a.status_code for a in answers) == [201, 400], [a.json() for a in answers]
        refused = next(a for a in answers if a.status_code == 400).json()
        assert list(refused) == ["id_number"]
        assert "证件号码" in refused["id_number"][0]
        assert Recipient.objects.filter(id_number_hash=lookup_hash(number)).count() == 1
    assert not DuplicateReview.objects.exists()


@parallel
def test_parallel_entries_in_two_jurisdictions_are_both_answered_as_usual(
    users: dict[str, Any], make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser of the race may not learn of the other record either: both are saved, one
    kept apart for the city bureau's review."""
    cicheng = users[Role.SOCIAL_WORKER]
    yuehu = make_user(Role.SOCIAL_WORKER, YUEHU)
    number = id_number(date(1948, 2, 2), serial=401)
    monkeypatch.setattr(services, "recipient_possible_duplicates", CheckedTogether())
    answers = run_together(
        lambda: api_for(cicheng).post("/api/v1/recipients/", payload(number), format="json"),
        lambda: api_for(yuehu).post(
            "/api/v1/recipients/", payload(number, YUEHU_COMMUNITY), format="json"
        ),
    )
    assert [a.status_code for a in answers] == [201, 201], [a.json() for a in answers]
    records = Recipient.objects.filter(id_number_hash=lookup_hash(number))
    assert sorted(r.id_number_shared for r in records) == [False, True]
    review = DuplicateReview.objects.get()
    assert review.recipient == records.get(id_number_shared=True)


# --- the same paths, sequentially, on every database ------------------------------------------


@pytest.fixture
def check_misses_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """The duplicate check of the next entry answers as if the other record were not saved
    yet (the state a parallel entry sees); the check after the database's refusal sees it."""
    calls = {"n": 0}
    original = services.recipient_possible_duplicates
    original_elsewhere = services.recipient_matches_elsewhere

    def stale(**kwargs: Any) -> Duplicates:
        calls["n"] += 1
        return Duplicates(visible=[]) if calls["n"] == 1 else original(**kwargs)

    def stale_elsewhere(**kwargs: Any) -> list[Recipient]:
        return [] if calls["n"] == 1 else original_elsewhere(**kwargs)

    monkeypatch.setattr(services, "recipient_possible_duplicates", stale)
    monkeypatch.setattr(services, "recipient_matches_elsewhere", stale_elsewhere)


@pytest.mark.django_db
def test_the_constraint_refuses_what_the_check_missed_with_a_400_on_the_number(
    users: dict[str, Any], check_misses_everything: None
) -> None:
    number = id_number(date(1948, 3, 3), serial=501)
    first = make_recipient(CICHENG_VILLAGE, name="先登记", number=number)
    response = api_for(users[Role.SOCIAL_WORKER]).post(
        "/api/v1/recipients/", payload(number), format="json"
    )
    assert response.status_code == 400
    assert f"#{first.pk}" in response.json()["id_number"][0]
    assert Recipient.objects.count() == 1


@pytest.mark.django_db
def test_the_page_shows_the_constraints_refusal_on_the_number(
    users: dict[str, Any], check_misses_everything: None
) -> None:
    number = id_number(date(1948, 3, 4), serial=503)
    make_recipient(CICHENG_VILLAGE, name="先登记", number=number)
    response = client_for(users[Role.SOCIAL_WORKER]).post(
        "/recipients/add/",
        {
            "name": "后登记",
            "document_type": "resident_id",
            "document_number": number,
            "region": Recipient.objects.get().region_id,
            "status": "active",
            "consent_given": "on",
            "consent_on": "2026-01-05",
        },
    )
    assert response.status_code == 200
    assert "证件号码" in " ".join(response.context["form"].errors["document_number"])
    assert Recipient.objects.count() == 1


@pytest.mark.django_db
def test_the_import_reports_the_constraints_refusal_on_the_row(
    users: dict[str, Any], check_misses_everything: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's own look-up finds the record by number before the services run: the race
    it loses is the one where the record appears between its check and its save."""
    number = id_number(date(1948, 3, 5), serial=505)
    worker = users[Role.SOCIAL_WORKER]
    client = client_for(worker)
    line = consenting(姓名="后登记", 证件号码=number, **{"所在村(社区)": CICHENG_VILLAGE})
    _response, job = post_file(client, start_url(), xlsx_bytes([HEADER, line]))
    assert job is not None and job.status == ImportStatus.VALID, job.errors
    make_recipient(CICHENG_VILLAGE, name="先登记", number=number)  # meanwhile
    monkeypatch.setattr(
        "swstation.recipients.importers.RecipientImporter.find_existing",
        lambda self, row, region, digest, actor: None,
    )
    monkeypatch.setattr(
        "swstation.recipients.importers.recipient_possible_duplicates",
        lambda **kwargs: Duplicates(visible=[]),
    )
    client.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status != ImportStatus.DONE
    assert job.errors and job.errors[0]["column"] == "证件号码", job.errors
    assert Recipient.objects.count() == 1


@pytest.mark.django_db
def test_a_refusal_by_the_constraint_of_a_record_elsewhere_is_saved_apart(
    users: dict[str, Any], check_misses_everything: None
) -> None:
    number = id_number(date(1948, 3, 6), serial=507)
    elsewhere = make_recipient(YUEHU_COMMUNITY, name="月湖居民", number=number)
    response = api_for(users[Role.SOCIAL_WORKER]).post(
        "/api/v1/recipients/", payload(number), format="json"
    )
    assert response.status_code == 201, response.json()
    mine = Recipient.objects.get(pk=response.json()["id"])
    assert mine.id_number_shared
    assert DuplicateReview.objects.get().match == elsewhere
