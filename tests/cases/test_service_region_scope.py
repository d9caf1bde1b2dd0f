"""A service record's jurisdiction is read from its own column (issue 10, lists flat in data
size): ``region_code``, its person's village code, copied on every save and moved with the
person, so that a district officer's or a town's list is a range of an index in the list's
order (``LEFT(region_code, 6|9), -served_on, -id``) instead of every service joined to its
person. The records seen are those the person's region gives, as before."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from swstation.accounts.models import User
from swstation.cases.models import ServiceRecord
from swstation.cases.selectors.records import service_record_list
from swstation.cases.services.records import service_record_create
from swstation.core.roles import Role
from swstation.recipients.services import recipient_merge, recipient_update
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG, CICHENG_VILLAGE, YUEHU, YUEHU_COMMUNITY
from tests.recipients.helpers import make_recipient

pytestmark = pytest.mark.django_db

DAY = date(2024, 5, 6)


@pytest.fixture
def services() -> dict[str, Any]:
    near = make_recipient(CICHENG_VILLAGE, "王秀英")
    far = make_recipient(YUEHU_COMMUNITY, "张桂芳")  # 海曙区: outside 江北区
    near_worker = build.worker(CICHENG)
    far_worker = build.worker(YUEHU)
    return {
        "near": near,
        "far": far,
        "near_worker": near_worker,
        "far_worker": far_worker,
        "near_record": build.record(near, near_worker, DAY),
        "far_record": build.record(far, far_worker, DAY),
    }


def seen(user: User) -> set[int]:
    return set(ServiceRecord.objects.visible_to(user).values_list("pk", flat=True))


def through_person(user: User) -> set[int]:
    """What the jurisdiction meant when it was read through the person."""
    prefix = user.scope_prefix
    assert prefix
    rows = ServiceRecord.objects.filter(recipient__region__code__startswith=prefix)
    return set(rows.values_list("pk", flat=True))


def test_the_code_is_the_persons_and_the_jurisdiction_reads_it(
    services: dict[str, Any], users: dict[str, User]
) -> None:
    assert services["near_record"].region_code == CICHENG_VILLAGE
    assert ServiceRecord.objects.get(pk=services["far_record"].pk).region_code == YUEHU_COMMUNITY
    worker = users[Role.SOCIAL_WORKER]
    created = service_record_create(
        actor=worker,
        recipient=services["near"],
        worker=services["near_worker"],
        served_on=DAY,
        service_type="home_visit",
        duration_minutes=30,
    )
    assert ServiceRecord.objects.get(pk=created.pk).region_code == CICHENG_VILLAGE
    for role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.STATION_MANAGER, Role.AUDITOR):
        assert seen(users[role]) == through_person(users[role]), role
    assert seen(users[Role.DISTRICT_OFFICER]) == {services["near_record"].pk, created.pk}
    assert seen(users[Role.CITY_ADMIN]) == set(ServiceRecord.objects.values_list("pk", flat=True))


def test_a_person_who_moves_takes_their_services_along(
    services: dict[str, Any], users: dict[str, User], make_user: Any
) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    haishu = make_user(Role.DISTRICT_OFFICER, "330203000000")
    record = services["near_record"]
    assert record.pk in seen(officer)
    recipient_update(
        actor=users[Role.CITY_ADMIN],
        recipient=services["near"],
        region=build.village(YUEHU_COMMUNITY),
    )
    assert ServiceRecord.objects.get(pk=record.pk).region_code == YUEHU_COMMUNITY
    assert record.pk not in seen(officer)
    assert record.pk in seen(haishu)
    assert seen(haishu) == through_person(haishu)


def test_a_merge_moves_the_services_to_the_kept_persons_region(
    services: dict[str, Any], users: dict[str, User]
) -> None:
    record = services["near_record"]
    # The same person recorded again in 海曙区, without a document number.
    twin = make_recipient(
        YUEHU_COMMUNITY, "王秀英", number="", document_type="none", no_document_reason="旧档"
    )
    recipient_merge(actor=users[Role.CITY_ADMIN], keep=twin, merge=services["near"])
    moved = ServiceRecord.objects.get(pk=record.pk)
    assert moved.recipient_id == twin.pk
    assert moved.region_code == YUEHU_COMMUNITY
    assert record.pk not in seen(users[Role.DISTRICT_OFFICER])


def test_the_lists_region_filter_reads_the_same_column(
    services: dict[str, Any], users: dict[str, User]
) -> None:
    """The list's region filter (a region picked from the tree) narrows by the service's own
    code as the jurisdiction does: the same records as through the person."""
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    for code, expected in (
        ("330205103000", {services["near_record"].pk}),  # 慈城镇, cut to its prefix
        ("330203000000", {services["far_record"].pk}),  # 海曙区
        ("330200000000", {services["near_record"].pk, services["far_record"].pk}),
    ):
        response = client.get("/cases/services/", {"region_code": code})
        assert {row.record.pk for row in response.context["table"].pager.object_list} == expected
    api = client.get("/api/v1/service-records/", {"region_code": "330205"}).json()
    assert [row["id"] for row in api["results"]] == [services["near_record"].pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans of PostgreSQL")
def test_a_jurisdictions_first_page_is_read_along_its_index(
    services: dict[str, Any], users: dict[str, User]
) -> None:
    """The plan test: a district's and a town's first page are index ranges in the list's
    order (no sort, no join to the person for the scope), so they read a page whatever the
    size of the city. Sequential scans and sorts are ruled out (a tiny table would be read
    whole and sorted, whichever its statistics favour), which leaves the question "can the
    index serve the page"; the city's page walks the newest-first index."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    for role, index in (
        (Role.DISTRICT_OFFICER, "servicerecord_county_newest"),
        (Role.STATION_MANAGER, "servicerecord_town_newest"),
        (Role.SOCIAL_WORKER, "servicerecord_town_newest"),
        (Role.CITY_ADMIN, "servicerecord_newest_first"),
    ):
        page = service_record_list(actor=users[role]).order_by("-served_on", "-id")[:51]
        plan = page.explain()
        assert index in plan, (role, plan)
        assert "Sort" not in plan, (role, plan)
        assert "regions_region.code" not in plan, (role, plan)  # no join for the scope
        if role != Role.CITY_ADMIN:  # the whole city: a filter on the row's own column
            assert "~~" not in plan, (role, plan)  # no LIKE '330205%' either
