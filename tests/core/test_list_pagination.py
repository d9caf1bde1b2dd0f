"""Lists fast at any size (issue 10): every list, on its page and in the API, is read a page at
a time by keyset (a cursor: the values of the last row in the list's order), so that page 500
costs what page 1 costs, and counted up to a cap instead of over the whole table.

These tests prove the pages are right (every record once, in order, forwards and backwards,
with ties, NULLs and orders through relations) and that a deep page is read without OFFSET
and the count without reading past the cap; the timings are in benchmarks/lists.py."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from swstation.accounts.models import User
from swstation.cases.models import ServiceRecord
from swstation.core import keyset
from swstation.core.keyset import Position, decode_cursor, encode_cursor, ordering_keys
from swstation.core.roles import Role
from swstation.workforce.models import Payment
from tests.cases import test_records_fixtures as build
from tests.clients import client_for as page_client
from tests.conftest import CICHENG, CICHENG_VILLAGE, YUEHU_COMMUNITY

pytestmark = pytest.mark.django_db

RECORDS_URL = "/api/v1/service-records/"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def records() -> list[ServiceRecord]:
    """17 services in 慈城镇 and 4 in 月湖 (海曙区), several on each day: ties on the date."""
    worker = build.worker(CICHENG)
    haishu_worker = build.worker(YUEHU_COMMUNITY)
    people = [build.recipient(CICHENG_VILLAGE) for _ in range(3)]
    haishu_person = build.recipient(YUEHU_COMMUNITY)
    start = date(2024, 3, 1)
    made = [build.record(people[n % 3], worker, start + timedelta(days=n % 5)) for n in range(17)]
    made += [build.record(haishu_person, haishu_worker, start + timedelta(n)) for n in range(4)]
    return made


def in_order(queryset: Any) -> list[int]:
    return list(queryset.order_by("-served_on", "-pk").values_list("pk", flat=True))


def walk(client: APIClient, url: str, params: dict[str, Any]) -> tuple[list[int], list[dict]]:
    """Every id, following ``next`` from the first page; and each page's answer."""
    answers = [client.get(url, params).json()]
    while answers[-1]["next"]:
        response = client.get(answers[-1]["next"])
        assert response.status_code == 200
        answers.append(response.json())
    return [row["id"] for answer in answers for row in answer["results"]], answers


def test_api_pages_follow_the_order_forwards_and_back(
    records: list[ServiceRecord], users: dict[str, User]
) -> None:
    client = api(users[Role.CITY_ADMIN])
    ids, answers = walk(client, RECORDS_URL, {"page_size": 4})
    assert ids == in_order(ServiceRecord.objects.all())  # each once, ties broken by id
    assert len(answers) == 6 and all(len(a["results"]) == 4 for a in answers[:-1])
    assert all(a["count"] == 21 and a["count_exact"] is True for a in answers)
    assert "cursor=" in answers[0]["next"] and answers[0]["previous"] is None
    # Back from the last page by ``previous``: the same pages, the other way.
    back = [answers[-1]]
    while back[-1]["previous"]:
        back.append(client.get(back[-1]["previous"]).json())
    assert [[r["id"] for r in a["results"]] for a in reversed(back)] == [
        [r["id"] for r in a["results"]] for a in answers
    ]


def test_api_pages_stay_in_the_jurisdiction(
    records: list[ServiceRecord], users: dict[str, User]
) -> None:
    officer = users[Role.DISTRICT_OFFICER]  # 江北区: 慈城镇's 17, not 月湖's 4
    ids, answers = walk(api(officer), RECORDS_URL, {"page_size": 5})
    expected = in_order(ServiceRecord.objects.visible_to(officer))
    assert ids == expected and len(expected) == 17
    assert answers[0]["count"] == 17


def test_api_pages_through_a_nullable_order(make_user: Any, users: dict[str, User]) -> None:
    """``ordering=last_login``: the users who never logged in come last going up and first
    going down, once each; ties in the direction of the order."""
    staff = [make_user(Role.SOCIAL_WORKER, CICHENG) for _ in range(7)]
    for n, user in enumerate(staff[:4]):
        User.objects.filter(pk=user.pk).update(last_login=f"2024-0{n % 2 + 1}-01T08:00:00Z")
    client = api(users[Role.CITY_ADMIN])
    for ordering, order, ties in (
        ("last_login", F("last_login").asc(nulls_last=True), "pk"),
        ("-last_login", F("last_login").desc(nulls_first=True), "-pk"),
    ):
        ids, _ = walk(client, "/api/v1/users/", {"page_size": 2, "ordering": ordering})
        expected = list(User.objects.order_by(order, ties).values_list("pk", flat=True))
        assert ids == expected, ordering


def test_api_count_is_capped_and_the_last_page_is_still_reached(
    records: list[ServiceRecord], users: dict[str, User], monkeypatch: Any
) -> None:
    monkeypatch.setattr(keyset, "COUNT_CAP", 5)
    client = api(users[Role.CITY_ADMIN])
    expected = in_order(ServiceRecord.objects.all())
    first = client.get(RECORDS_URL, {"page_size": 4}).json()
    assert first["count"] == 5 and first["count_exact"] is False
    last = client.get(RECORDS_URL, {"page_size": 4, "page": "last"}).json()
    assert [r["id"] for r in last["results"]] == expected[-4:]
    assert last["next"] is None and last["previous"]
    before = client.get(last["previous"]).json()
    assert [r["id"] for r in before["results"]] == expected[-8:-4]
    # Numbered pages only within the cap; deeper, the cursors.
    assert client.get(RECORDS_URL, {"page_size": 4, "page": 2}).status_code == 200
    deep = client.get(RECORDS_URL, {"page_size": 4, "page": 3})
    assert deep.status_code == 400 and "page" in deep.json()


def test_numbered_pages_keep_working(records: list[ServiceRecord], users: dict[str, User]) -> None:
    client = api(users[Role.CITY_ADMIN])
    expected = in_order(ServiceRecord.objects.all())
    second = client.get(RECORDS_URL, {"page_size": 4, "page": 2}).json()
    assert [r["id"] for r in second["results"]] == expected[4:8]
    assert [r["id"] for r in client.get(second["next"]).json()["results"]] == expected[8:12]
    assert [r["id"] for r in client.get(second["previous"]).json()["results"]] == expected[:4]
    last = client.get(RECORDS_URL, {"page_size": 4, "page": "last"}).json()
    assert [r["id"] for r in last["results"]] == expected[20:]
    assert client.get(RECORDS_URL, {"page_size": 4, "page": 7}).status_code == 404


def test_a_cursor_of_another_order_or_altered_is_refused(
    records: list[ServiceRecord], users: dict[str, User]
) -> None:
    client = api(users[Role.CITY_ADMIN])
    first = client.get(RECORDS_URL, {"page_size": 4}).json()
    cursor = re.search(r"cursor=([^&]+)", first["next"])[1]  # type: ignore[index]
    for params in (
        {"cursor": cursor, "ordering": "duration_minutes"},
        {"cursor": cursor[:-3] + "abc"},
        {"cursor": "not-a-cursor"},
    ):
        response = client.get(RECORDS_URL, params)
        assert response.status_code == 400 and "cursor" in response.json(), params


def test_a_cursor_does_not_show_the_values_it_holds(records: list[ServiceRecord]) -> None:
    """A masked role may sort by a date of birth: the link must not carry it in clear."""
    keys = ordering_keys(ServiceRecord.objects.all())
    assert keys is not None
    cursor = encode_cursor(keys, Position("next", ("2024-03-05", 12345)))
    assert "2024" not in cursor and "12345" not in cursor
    assert decode_cursor(keys, cursor) == Position("next", ("2024-03-05", 12345))


def test_a_deep_page_reads_no_offset_and_the_count_stops_at_the_cap(
    records: list[ServiceRecord], users: dict[str, User]
) -> None:
    client = api(users[Role.CITY_ADMIN])
    _, answers = walk(client, RECORDS_URL, {"page_size": 4})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(answers[3]["next"]).status_code == 200
    sql = [
        q["sql"].upper()
        for q in queries.captured_queries
        if '"CASES_SERVICERECORD"' in q["sql"].upper()
    ]
    assert not any("OFFSET" in statement for statement in sql), sql
    counts = [statement for statement in sql if "COUNT(" in statement]
    assert counts and all(f"LIMIT {keyset.COUNT_CAP + 1}" in c for c in counts), counts


def test_orders_through_relations_become_their_fields() -> None:
    """A payment's order names its batch: the batch's own order, then the worker's name."""
    keys = ordering_keys(Payment.objects.all())
    assert keys is not None
    assert [(k.path, k.descending) for k in keys] == [
        ("batch__period_end", True),
        ("batch__kind", False),
        ("social_worker__name", False),
        ("pk", False),
    ]
    assert ordering_keys(Payment.objects.order_by("?")) is None


# --- the list pages ----------------------------------------------------------------------------


def rows_of(response: Any) -> list[int]:
    return [row.record.pk for row in response.context["table"].pager.object_list]


def test_list_page_walks_by_cursor(users: dict[str, User], monkeypatch: Any) -> None:
    worker = build.worker(CICHENG)
    person = build.recipient(CICHENG_VILLAGE)
    for n in range(55):
        build.record(person, worker, date(2024, 1, 1) + timedelta(days=n % 9))
    expected = in_order(ServiceRecord.objects.all())
    client = page_client(users[Role.CITY_ADMIN])
    url = "/cases/services/"
    response = client.get(url)
    body = response.content.decode()
    assert "55 条记录" in body and "第 1 页，共 3 页" in body
    pages = [rows_of(response)]
    pager = response.context["table"].pager
    while pager.next_url:
        response = client.get(pager.next_url)
        pager = response.context["table"].pager
        pages.append(rows_of(response))
    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [25, 25, 5]
    assert "第 3 页，共 3 页" in response.content.decode()
    back = client.get(pager.previous_url)
    assert rows_of(back) == expected[25:50]
    assert rows_of(client.get(pager.first_url)) == expected[:25]
    # The end of the list at once, and a count that stops at the cap.
    monkeypatch.setattr(keyset, "COUNT_CAP", 30)
    first = client.get(url)
    body = first.content.decode()
    assert "超过 30 条记录" in body and "共 3 页" not in body
    end = client.get(first.context["table"].pager.last_url)
    assert rows_of(end) == expected[-25:]
    assert end.context["table"].pager.next_url is None
    assert rows_of(client.get(end.context["table"].pager.previous_url)) == expected[5:30]


def test_list_page_cursor_survives_a_change_of_sort(
    users: dict[str, User], records: list[ServiceRecord]
) -> None:
    """A cursor of another order (the user sorted by a column since) starts at page 1."""
    client = page_client(users[Role.CITY_ADMIN])
    keys = ordering_keys(ServiceRecord.objects.all())
    assert keys is not None
    cursor = encode_cursor(keys, Position("next", ("2024-03-03", records[5].pk)))
    response = client.get("/cases/services/", {"cursor": cursor, "sort": "served_on"})
    assert response.status_code == 200
    assert response.context["table"].pager.previous_url is None
    altered = client.get("/cases/services/", {"cursor": "garbage"})
    assert altered.status_code == 200 and len(rows_of(altered)) == 21


def test_the_jurisdiction_is_filtered_once(users: dict[str, User]) -> None:
    """A selector's visible_to and the view's restrict name the same region: one condition in
    the query, not three (PostgreSQL multiplied their selectivities, took a district's rows
    for a handful and sorted them all instead of reading a page in the list's order)."""
    from swstation.core.scoping import restrict

    officer = users[Role.DISTRICT_OFFICER]
    twice = restrict(restrict(ServiceRecord.objects.visible_to(officer), officer), officer)
    sql = str(twice.query)
    assert sql.count("330205") == 1, sql

    # A narrower prefix applied first still keeps the wider one out; a wider one first does not
    # stop a narrower one.
    # (A service's district and town are compared as LEFT(region_code, 6|9) = …, SUBSTR on
    # SQLite: the indexes of core.scoping.prefix_condition.)
    def conditions(queryset: Any) -> int:
        return str(queryset.query).split(" WHERE ")[1].count("region_code")

    narrow = ServiceRecord.objects.in_region_prefix("330205103").in_region_prefix("330205")
    assert conditions(narrow) == 1
    wide = ServiceRecord.objects.in_region_prefix("330205").in_region_prefix("330205103")
    assert conditions(wide) == 2
