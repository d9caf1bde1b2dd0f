"""No lost update (issue 9): two changes of one record never silently undo each other.

- Two API PATCHes of different fields sent together both stay (the row is locked and read
  again inside the write's transaction).
- A page or client that edits a version someone else has since changed is refused with a
  message that says so (hidden version on the form; ``ETag``/``If-Match`` on the API).
"""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from rest_framework.test import APIClient

from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.core.roles import Role
from swstation.stations.models import Station
from tests.concurrency import TIMEOUT, parallel, run_together
from tests.conftest import CICHENG
from tests.stations.helpers import make_station


def _edit_page_version(client: Client, station: Station) -> dict[str, str]:
    page = client.get(f"/stations/{station.pk}/edit/").content.decode()
    version = re.search(r'name="row_version" value="([^"]+)"', page)
    assert version, "the edit form carries the version it shows"
    return {"row_version": version.group(1)}


def _form_data(station: Station, **changes: Any) -> dict[str, Any]:
    data = {
        "name": station.name,
        "kind": station.kind,
        "region": station.region_id,
        "status": station.status,
        "operating_model": station.operating_model,
        "address": station.address,
        "note": station.note,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_a_stale_edit_page_is_refused_and_saves_nothing(users: dict[str, Any]) -> None:
    station = make_station(CICHENG, "慈城镇社会工作站")
    first, second = Client(), Client()
    first.force_login(users[Role.DISTRICT_OFFICER])
    second.force_login(users[Role.STATION_MANAGER])
    first_version = _edit_page_version(first, station)
    second_version = _edit_page_version(second, station)

    saved = first.post(
        f"/stations/{station.pk}/edit/",
        {**_form_data(station, address="慈城镇新址1号"), **first_version},
    )
    assert saved.status_code == 302
    stale = second.post(
        f"/stations/{station.pk}/edit/",
        {**_form_data(station, note="站长的备注"), **second_version},
    )
    assert stale.status_code == 200
    assert "其他人修改了此记录" in stale.content.decode()
    station.refresh_from_db()
    assert station.address == "慈城镇新址1号"
    assert station.note == ""
    # Reloaded, the same change goes through.
    again = second.post(
        f"/stations/{station.pk}/edit/",
        {**_form_data(station, note="站长的备注"), **_edit_page_version(second, station)},
    )
    assert again.status_code == 302
    station.refresh_from_db()
    assert (station.address, station.note) == ("慈城镇新址1号", "站长的备注")


@pytest.mark.django_db
def test_the_api_answers_a_version_and_refuses_a_stale_if_match(users: dict[str, Any]) -> None:
    station = make_station(CICHENG, "慈城镇社会工作站")
    api = APIClient()
    api.force_authenticate(users[Role.DISTRICT_OFFICER])
    read = api.get(f"/api/v1/stations/{station.pk}/")
    tag = read["ETag"]
    assert tag.startswith(f'"{station.pk}-')

    changed = api.patch(
        f"/api/v1/stations/{station.pk}/", {"note": "甲"}, format="json", HTTP_IF_MATCH=tag
    )
    assert changed.status_code == 200
    assert changed["ETag"] != tag

    stale = api.patch(
        f"/api/v1/stations/{station.pk}/", {"note": "乙"}, format="json", HTTP_IF_MATCH=tag
    )
    assert stale.status_code == 412
    assert "其他人修改了此记录" in stale.json()["detail"]
    station.refresh_from_db()
    assert station.note == "甲"
    # Without If-Match a client takes the record as it is now.
    assert (
        api.patch(f"/api/v1/stations/{station.pk}/", {"note": "乙"}, format="json").status_code
        == 200
    )


@contextmanager
def _both_read_first_if_they_can(barrier: threading.Barrier) -> Iterator[None]:
    """Each PATCH waits, after reading its record, for the other to have read it too — as two
    requests sent at the same moment would — unless the other cannot read it yet (locked):
    then it goes on after a short wait."""
    original = ScopedModelViewSet.get_object

    def held(self: Any) -> Any:
        obj = original(self)
        with suppress(threading.BrokenBarrierError):
            barrier.wait(2)
        return obj

    with mock.patch.object(ScopedModelViewSet, "get_object", held):
        yield


@parallel
def test_two_patches_of_different_fields_sent_together_both_stay(
    make_user: Any,
) -> None:
    station = make_station(CICHENG, "慈城镇社会工作站")
    officer = make_user(Role.DISTRICT_OFFICER)

    def patch(field: str, value: str) -> Any:
        client = APIClient()
        client.force_authenticate(officer)
        return lambda: (
            client.patch(
                f"/api/v1/stations/{station.pk}/", {field: value}, format="json"
            ).status_code
        )

    with _both_read_first_if_they_can(threading.Barrier(2, timeout=TIMEOUT)):
        results = run_together(patch("address", "慈城镇新址1号"), patch("note", "并发备注"))
    assert results == [200, 200]
    station.refresh_from_db()
    assert (station.address, station.note) == ("慈城镇新址1号", "并发备注")
