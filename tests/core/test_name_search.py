"""Search by name that an index serves (issue 10, "Lists fast at any size"): on PostgreSQL a
trigram index on a person's and a social worker's name (and a service's notes) finds a Chinese
name without reading the table; a list searching a related record's name (a service's person)
looks the name up in that record's table first. The results are those of a plain "contains",
on every database."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client

from swstation.accounts.models import User
from swstation.cases.models import ServiceRecord
from swstation.core import filtersets
from swstation.core.filtersets import contains_q
from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from swstation.workforce.models import SocialWorker
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG, CICHENG_VILLAGE, YUEHU_COMMUNITY

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, Any]:
    worker = build.worker(CICHENG, name="欧阳秀兰")
    other_worker = build.worker(CICHENG, name="李建国")
    wang = build.recipient(CICHENG_VILLAGE, name="王秀英")
    zhang = build.recipient(CICHENG_VILLAGE, name="张桂芳")
    far = build.recipient(YUEHU_COMMUNITY, name="王秀英")  # 海曙区: same name, elsewhere
    far_worker = build.worker(YUEHU_COMMUNITY, name="陈静")
    day = date(2024, 5, 6)
    records = {
        "wang": build.record(wang, other_worker, day),
        "zhang": build.record(zhang, worker, day),
        "noted": build.record(zhang, other_worker, day, notes="陪同王秀英的女儿复诊"),
        "far": build.record(far, far_worker, day),
    }
    return {"records": records, "wang": wang}


def plain_search(value: str) -> set[int]:
    """What "contains" means, written with joins."""
    return set(
        ServiceRecord.objects.filter(
            Q(recipient__name__icontains=value)
            | Q(worker__name__icontains=value)
            | Q(notes__icontains=value)
        ).values_list("pk", flat=True)
    )


def listed(user: User, value: str) -> set[int]:
    client = Client()
    client.force_login(user)
    response = client.get("/cases/services/", {"q": value})
    assert response.status_code == 200
    return {row.record.pk for row in response.context["table"].pager.object_list}


def test_service_search_by_names_and_notes(people: dict[str, Any], users: dict[str, User]) -> None:
    records = people["records"]
    city = users[Role.CITY_ADMIN]
    assert listed(city, "王秀英") == {records["wang"].pk, records["noted"].pk, records["far"].pk}
    assert listed(city, "王秀英") == plain_search("王秀英")
    assert listed(city, "欧阳") == {records["zhang"].pk} == plain_search("欧阳")  # the worker
    assert listed(city, "复诊") == {records["noted"].pk}  # the notes
    assert listed(city, "赵") == set()
    # In the jurisdiction only: 江北区 does not see 海曙区's 王秀英.
    officer = users[Role.DISTRICT_OFFICER]
    assert listed(officer, "王秀英") == {records["wang"].pk, records["noted"].pk}


def test_a_related_name_is_looked_up_in_its_table(people: dict[str, Any], monkeypatch: Any) -> None:
    wangs = set(Recipient.objects.filter(name="王秀英").values_list("pk", flat=True))
    found = contains_q(ServiceRecord, "recipient__name", "秀英")
    assert found.children == [("recipient__in", list(found.children[0][1]))]
    assert set(found.children[0][1]) == wangs
    assert contains_q(ServiceRecord, "notes", "复诊").children == [("notes__icontains", "复诊")]
    # Many matches (a common surname): the join, whose matches a page finds quickly.
    monkeypatch.setattr(filtersets, "RELATED_MATCH_LIMIT", 1)
    common = contains_q(ServiceRecord, "recipient__name", "王秀英")
    assert common.children == [("recipient__name__icontains", "王秀英")]
    assert set(ServiceRecord.objects.filter(common).values_list("pk", flat=True)) == plain_search(
        "王秀英"
    ) - {people["records"]["noted"].pk}


def test_pickers_find_people_and_workers_by_name(
    people: dict[str, Any], users: dict[str, User]
) -> None:
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    found = client.get("/choices/recipients/recipient/", {"q": "秀英"}).json()["results"]
    assert [row["value"] for row in found] == [people["wang"].pk]  # not 海曙区's
    workers = client.get("/choices/workforce/socialworker/", {"q": "欧阳秀"}).json()["results"]
    assert [row["text"] for row in workers] == ["欧阳秀兰"]


def test_names_have_trigram_indexes_on_postgresql(people: dict[str, Any]) -> None:
    """The indexes exist on PostgreSQL and serve "contains" (``UPPER(name) LIKE``); SQLite
    has none and searches the same way without them."""
    names = {"recipient_name_trgm", "socialworker_name_trgm", "servicerecord_notes_trgm"}
    with connection.cursor() as cursor:
        tables = ("recipients_recipient", "workforce_socialworker", "cases_servicerecord")
        indexes = {
            name
            for table in tables
            for name in connection.introspection.get_constraints(cursor, table)
        }
    if connection.vendor != "postgresql":
        assert not names & indexes
        assert Recipient.objects.filter(name__icontains="秀英").count() == 2
        return
    assert names <= indexes
    with connection.cursor() as cursor:
        # A tiny table would be read whole, or walked along another index (region_id) with the
        # name as a filter, whichever its statistics favour that run; a GIN index is read by a
        # bitmap scan only, so ruling out the other two plans leaves the question "can the
        # trigram index serve this search", which is what this test asks.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    for queryset, index in (
        (Recipient.objects.filter(name__icontains="王秀英"), "recipient_name_trgm"),
        (SocialWorker.objects.filter(name__icontains="欧阳秀"), "socialworker_name_trgm"),
        (ServiceRecord.objects.filter(notes__icontains="复诊陪"), "servicerecord_notes_trgm"),
    ):
        assert index in queryset.explain(), queryset.explain()


def test_a_long_list_of_choices_is_a_picker_searched_by_name(
    people: dict[str, Any], users: dict[str, User], monkeypatch: Any
) -> None:
    """Hundreds of stations or projects are not drawn into every filter form: past
    PICKER_OPTIONS_MAX the filter is a picker found by typing, and still filters."""
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    station = people["records"]["wang"].station
    short = client.get("/cases/services/").content.decode()
    assert '<select name="station" data-search="local"' in short
    monkeypatch.setattr(filtersets, "PICKER_OPTIONS_MAX", 1)
    body = client.get("/cases/services/").content.decode()
    picker = body[body.index('<select name="station"') :]
    picker = picker[: picker.index("</select>")]
    assert 'data-search="remote"' in picker and "/choices/stations/station/" in picker
    assert picker.count("<option") == 1  # 全部 only
    chosen = client.get("/cases/services/", {"station": station.pk})
    assert {row.record.station_id for row in chosen.context["table"].pager.object_list} == {
        station.pk
    }
    text = chosen.content.decode()
    assert f'<option value="{station.pk}" selected>{station}</option>' in text
    found = client.get("/choices/stations/station/", {"q": station.name[:4]}).json()["results"]
    assert station.pk in [row["value"] for row in found]
