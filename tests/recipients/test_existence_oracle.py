"""No existence oracle (issue 16): a front-line worker who records a person whose document
number is already recorded *outside their jurisdiction* gets exactly the answer they would get
for a number nobody recorded — through the API, the add page and the register import. The
match goes to a review queue (``DuplicateReview``) that only the officer whose jurisdiction
covers both records sees (the district's officer when both are in one district, else the city
bureau), and each match is logged without the number."""

import logging
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from swstation.core.import_models import ImportStatus
from swstation.core.roles import Role
from swstation.recipients.models import DuplicateReview, Recipient
from tests.clients import api_for, client_for
from tests.conftest import CITY, HAISHU, JIANGBEI
from tests.core.test_imports import post_file, xlsx_bytes
from tests.recipients.helpers import (
    CICHENG_VILLAGE,
    YUEHU_COMMUNITY,
    id_number,
    make_recipient,
    region,
)
from tests.recipients.test_register_import import HEADER, consenting, start_url

pytestmark = pytest.mark.django_db

BIRTH = date(1951, 2, 3)
WAITAN_COMMUNITY = "330205001001"  # 外滩社区, 外滩街道, 江北区: outside 慈城镇, same district


def numbers() -> tuple[str, str]:
    """Two valid numbers of people born the same day, same sex (so that what the answer derives
    from the number is the same), one recorded in 月湖街道 (海曙区), one recorded nowhere."""
    recorded = id_number(BIRTH, serial=101)
    fresh = id_number(BIRTH, serial=103)
    make_recipient(YUEHU_COMMUNITY, name="月湖居民", number=recorded)
    return recorded, fresh


def payload(number: str, name: str = "新登记") -> dict[str, Any]:
    return {
        "name": name,
        "region_code": CICHENG_VILLAGE,
        "id_number": number,
        "consent_given": True,
        "consent_on": "2026-01-05",
    }


def comparable(body: dict[str, Any]) -> dict[str, Any]:
    """An API answer without what must differ between two records (their id, url, name and
    masked number)."""
    return {k: v for k, v in body.items() if k not in ("id", "url", "name", "id_number")}


def test_api_answers_the_same_for_a_number_recorded_elsewhere_and_a_fresh_one(
    users: dict[str, Any],
) -> None:
    recorded, fresh = numbers()
    api = api_for(users[Role.SOCIAL_WORKER])
    elsewhere = api.post("/api/v1/recipients/", payload(recorded, "甲"), format="json")
    nowhere = api.post("/api/v1/recipients/", payload(fresh, "乙"), format="json")
    assert elsewhere.status_code == nowhere.status_code == 201, elsewhere.json()
    assert comparable(elsewhere.json()) == comparable(nowhere.json())
    assert "管辖范围" not in elsewhere.content.decode()
    # Both saved; only the match elsewhere is queued, for the officer above both records.
    assert Recipient.objects.filter(name__in=["甲", "乙"]).count() == 2
    review = DuplicateReview.objects.get()
    assert review.recipient_id == elsewhere.json()["id"]
    assert review.match.name == "月湖居民"
    assert review.status == "open"
    assert review.reported_by == users[Role.SOCIAL_WORKER]
    assert review.region.code == CITY  # 江北区 and 海曙区: the city bureau decides


def test_the_add_page_answers_the_same_and_shows_no_trace_of_the_other_record(
    users: dict[str, Any],
) -> None:
    recorded, fresh = numbers()
    worker = client_for(users[Role.SOCIAL_WORKER])
    form = {
        "document_type": "resident_id",
        "region": region(CICHENG_VILLAGE).pk,
        "status": "active",
        "consent_given": "on",
        "consent_on": "2026-01-05",
    }
    answers = []
    for name, number in (("甲", recorded), ("乙", fresh)):
        response = worker.post(
            "/recipients/add/", {**form, "name": name, "document_number": number}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        followed = worker.get(response["Location"])
        answers.append([str(m).replace(name, "…") for m in followed.context["messages"]])
    assert answers[0] == answers[1]
    assert DuplicateReview.objects.count() == 1
    held = DuplicateReview.objects.get().recipient
    # The station manager's page of the new record (with its "possible duplicates" card) and
    # its history say nothing of the record elsewhere.
    manager = client_for(users[Role.STATION_MANAGER])
    for url in (held.get_absolute_url(), reverse("recipients:recipient_history", args=[held.pk])):
        body = manager.get(url).content.decode()
        assert "管辖范围" not in body and "月湖" not in body
        assert "核查" not in body and "review" not in body.lower()


def test_the_import_answers_the_same(users: dict[str, Any]) -> None:
    recorded, fresh = numbers()
    worker = client_for(users[Role.SOCIAL_WORKER])
    jobs = []
    for name, number in (("甲", recorded), ("乙", fresh)):
        line = consenting(姓名=name, 证件号码=number, **{"所在村(社区)": CICHENG_VILLAGE})
        _response, job = post_file(worker, start_url(), xlsx_bytes([HEADER, line]))
        assert job is not None
        jobs.append(job)
    assert [j.status for j in jobs] == [ImportStatus.VALID, ImportStatus.VALID]
    assert jobs[0].errors == jobs[1].errors == []
    assert jobs[0].plan == jobs[1].plan
    for job in jobs:
        worker.post(reverse("recipients:recipient_import_apply", args=[job.pk]))
        job.refresh_from_db()
    assert [j.status for j in jobs] == [ImportStatus.DONE, ImportStatus.DONE]
    assert jobs[0].result == jobs[1].result
    review = DuplicateReview.objects.get()
    assert review.recipient.name == "甲" and review.match.name == "月湖居民"


def test_the_review_is_seen_by_the_officer_above_both_records_only(
    users: dict[str, Any], make_user: Any
) -> None:
    recorded, _fresh = numbers()
    assert (
        api_for(users[Role.SOCIAL_WORKER])
        .post("/api/v1/recipients/", payload(recorded), format="json")
        .status_code
        == 201
    )
    review = DuplicateReview.objects.get()
    haishu_officer = make_user(Role.DISTRICT_OFFICER, HAISHU)
    seen_by = {}
    for label, user in [
        *users.items(),
        ("haishu_officer", haishu_officer),
    ]:
        page = client_for(user).get(reverse("recipients:duplicatereview_list"))
        api = api_for(user).get("/api/v1/duplicate-reviews/")
        detail = client_for(user).get(review.get_absolute_url())
        if page.status_code == 200:
            assert api.status_code == 200
            listed = review.pk in {row["id"] for row in api.json()["results"]}
            assert listed == (review.get_absolute_url() in page.content.decode())
            assert detail.status_code == (200 if listed else 404)
            seen_by[label] = listed
        else:
            assert page.status_code == api.status_code == detail.status_code == 403
            seen_by[label] = False
    assert seen_by == {
        Role.CITY_ADMIN: True,
        Role.DISTRICT_OFFICER: False,  # 江北区's officer: the other record is in 海曙区
        Role.STATION_MANAGER: False,
        Role.SOCIAL_WORKER: False,
        Role.SUPERVISOR: False,
        Role.AUDITOR: False,
        Role.EVALUATOR: False,  # a third-party evaluator reads their assignments only
        "haishu_officer": False,
    }


def test_a_match_in_the_same_district_goes_to_the_districts_officer(
    users: dict[str, Any], make_user: Any
) -> None:
    number = id_number(BIRTH, serial=105)
    make_recipient(WAITAN_COMMUNITY, name="外滩居民", number=number)
    response = api_for(users[Role.SOCIAL_WORKER]).post(
        "/api/v1/recipients/", payload(number), format="json"
    )
    assert response.status_code == 201, response.json()
    review = DuplicateReview.objects.get()
    assert review.region.code == JIANGBEI
    officer = api_for(users[Role.DISTRICT_OFFICER])
    assert [r["id"] for r in officer.get("/api/v1/duplicate-reviews/").json()["results"]] == [
        review.pk
    ]
    haishu = api_for(make_user(Role.DISTRICT_OFFICER, HAISHU))
    assert haishu.get("/api/v1/duplicate-reviews/").json()["results"] == []


def test_every_match_is_logged_without_the_number(
    users: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    recorded, _fresh = numbers()
    with caplog.at_level(logging.INFO, logger="swstation.recipients"):
        response = api_for(users[Role.SOCIAL_WORKER]).post(
            "/api/v1/recipients/", payload(recorded), format="json"
        )
    assert response.status_code == 201
    review = DuplicateReview.objects.get()
    lines = [r.getMessage() for r in caplog.records if r.name == "swstation.recipients"]
    assert any(f"#{review.pk}" in line and f"#{review.match_id}" in line for line in lines)
    assert not any(recorded in line or recorded[-8:] in line for line in caplog.messages)


def test_a_match_inside_the_jurisdiction_is_still_reported_to_the_author(
    users: dict[str, Any],
) -> None:
    number = id_number(BIRTH, serial=107)
    first = make_recipient(CICHENG_VILLAGE, name="慈城居民", number=number)
    api = api_for(users[Role.SOCIAL_WORKER])
    response = api.post("/api/v1/recipients/", payload(number), format="json")
    assert response.status_code == 400
    assert f"#{first.pk}" in response.json()["id_number"][0]
    # The same number cannot be confirmed into a second record: one number, one person.
    response = api.post(
        "/api/v1/recipients/", {**payload(number), "confirm_duplicates": True}, format="json"
    )
    assert response.status_code == 400 and "id_number" in response.json()
    assert Recipient.objects.count() == 1
    assert not DuplicateReview.objects.exists()


def test_changing_a_number_to_one_recorded_elsewhere_answers_as_any_change(
    users: dict[str, Any],
) -> None:
    recorded, fresh = numbers()
    api = api_for(users[Role.SOCIAL_WORKER])
    mine = [
        make_recipient(CICHENG_VILLAGE, name=f"本镇{n}", number=id_number(BIRTH, serial=200 + n))
        for n in (1, 3)
    ]
    answers = [
        api.patch(f"/api/v1/recipients/{person.pk}/", {"id_number": number}, format="json")
        for person, number in zip(mine, (recorded, fresh), strict=True)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert {k: v for k, v in comparable(answers[0].json()).items() if k != "name"} == {
        k: v for k, v in comparable(answers[1].json()).items() if k != "name"
    }
    review = DuplicateReview.objects.get()
    assert review.recipient == mine[0]
