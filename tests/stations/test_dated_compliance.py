"""Compliance and operation on a past day (issue 18): the rooms in use, the sign up, the
full-time staff working and the standard in force on that day; the dates of the sign and of a
suspension follow the station's flags."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from swstation.stations.models import Room, RoomKind, Station
from swstation.stations.selectors import (
    annotate_compliance,
    operating_on_q,
    station_compliance,
)
from tests.stations.helpers import make_operating_station, make_rooms, make_staff, make_standard

CICHENG = "330205103000"
KONGPU = "330205003000"
TODAY = timezone.localdate()


def compliant_on(station: Station, day: date) -> bool | None:
    found: Any = annotate_compliance(Station.objects.filter(pk=station.pk), day=day).get()
    checklist = station_compliance(station=station, day=day)
    assert checklist.compliant == found.compliant, "the list and the checklist disagree"
    return found.compliant


@pytest.fixture
def station(db: Any) -> Station:
    make_standard()
    station = make_operating_station(CICHENG, date(2021, 1, 1), has_sign=True)
    make_rooms(station, "office", "casework_room")
    make_staff(station, 3, hired_on=date(2021, 1, 1))
    return station


def test_a_complete_station_is_compliant_every_day_since_it_opened(station: Station) -> None:
    assert station.sign_installed_on == date(2021, 1, 1)  # a sign ticked: up since opening
    assert compliant_on(station, date(2021, 6, 30)) is True
    assert compliant_on(station, TODAY) is True


def test_a_room_counts_only_while_in_use(station: Station) -> None:
    office = Room.objects.get(station=station, kind="office")
    office.in_use_from, office.in_use_to = date(2022, 1, 1), date(2023, 6, 30)
    office.full_clean()
    office.save()
    assert compliant_on(station, date(2021, 12, 31)) is False
    assert compliant_on(station, date(2022, 1, 1)) is True
    assert compliant_on(station, date(2023, 6, 30)) is True
    assert compliant_on(station, date(2023, 7, 1)) is False
    missing = station_compliance(station=station, day=date(2023, 7, 1)).missing
    assert [check.label for check in missing] == [str(RoomKind.OFFICE.label)]


def test_a_room_given_up_before_it_was_in_use_is_refused(station: Station) -> None:
    room = Room(
        station=station,
        kind="group_room",
        area_m2=10,
        in_use_from=date(2023, 1, 1),
        in_use_to=date(2022, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        room.full_clean()
    assert "in_use_to" in caught.value.message_dict


def test_staff_count_from_their_hiring_to_their_leaving(station: Station) -> None:
    late = make_staff(station, 1, hired_on=date(2024, 3, 1))[0]
    leaver = type(late).objects.filter(station=station).order_by("pk").first()
    assert leaver is not None
    leaver.left_on = date(2023, 5, 1)
    leaver.save()
    assert compliant_on(station, date(2023, 4, 30)) is True
    assert compliant_on(station, date(2023, 5, 1)) is False  # two left until the hire
    assert compliant_on(station, date(2024, 2, 29)) is False
    assert compliant_on(station, date(2024, 3, 1)) is True


def test_the_sign_counts_from_the_day_it_went_up_to_the_day_it_came_down(
    station: Station,
) -> None:
    station.sign_installed_on = date(2022, 5, 1)
    station.full_clean()
    station.save()
    assert compliant_on(station, date(2022, 4, 30)) is False
    assert compliant_on(station, date(2022, 5, 1)) is True
    station.has_sign = False  # taken down: today, by default
    station.full_clean()
    station.save()
    assert station.sign_removed_on == TODAY
    assert compliant_on(station, TODAY - timedelta(days=1)) is True
    assert compliant_on(station, TODAY) is False


def test_sign_dates_that_contradict_are_refused(station: Station) -> None:
    station.sign_removed_on = date(2021, 6, 1)  # while the sign is ticked as up
    with pytest.raises(ValidationError) as caught:
        station.full_clean()
    assert "sign_removed_on" in caught.value.message_dict
    station.has_sign = False
    station.sign_installed_on, station.sign_removed_on = date(2022, 1, 1), date(2021, 1, 1)
    with pytest.raises(ValidationError) as caught:
        station.full_clean()
    assert "sign_removed_on" in caught.value.message_dict


def test_the_standard_in_force_on_the_day_applies(station: Station) -> None:
    from swstation.stations.models import ConstructionStandard

    ConstructionStandard.objects.update(valid_to=date(2023, 12, 31))
    make_standard(valid_from=date(2024, 1, 1), min_fulltime_staff=4)
    assert compliant_on(station, date(2023, 12, 31)) is True
    assert compliant_on(station, date(2024, 1, 1)) is False


def test_operating_on_a_day_follows_opening_and_suspension(db: Any) -> None:
    station = make_operating_station(KONGPU, date(2021, 1, 1))
    operating = Station.objects.filter(operating_on_q(day=date(2022, 1, 1)))
    assert station in operating and station.operating_on(date(2022, 1, 1))
    assert station not in Station.objects.filter(operating_on_q(day=date(2020, 12, 31)))
    station.status = "suspended"
    station.full_clean()
    station.save()
    assert station.suspended_on == TODAY  # a suspension without a date begins today
    assert station in Station.objects.filter(operating_on_q(day=TODAY - timedelta(days=1)))
    assert station not in Station.objects.filter(operating_on_q(day=TODAY))
    assert not station.operating_on(TODAY)
    # Written without a date (a bulk writer): never counted as operating.
    Station.objects.filter(pk=station.pk).update(suspended_on=None)
    assert station not in Station.objects.filter(operating_on_q(day=date(2022, 1, 1)))
    station.refresh_from_db()
    assert not station.operating_on(date(2022, 1, 1))
    station.status = "operating"
    station.suspended_on = date(2023, 1, 1)
    with pytest.raises(ValidationError) as caught:
        station.full_clean()
    assert "suspended_on" in caught.value.message_dict


def test_the_api_and_the_forms_take_the_dates(station: Station, users: dict[str, Any]) -> None:
    from django.test import Client
    from rest_framework.test import APIClient

    from swstation.core.roles import Role

    api = APIClient()
    api.force_authenticate(users[Role.DISTRICT_OFFICER])
    answer = api.patch(
        f"/api/v1/stations/{station.pk}/", {"sign_installed_on": "2021-03-01"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["sign_installed_on"] == "2021-03-01"
    room = Room.objects.get(station=station, kind="office")
    answer = api.patch(f"/api/v1/rooms/{room.pk}/", {"in_use_from": "2022-01-01"}, format="json")
    assert answer.status_code == 200, answer.content
    assert compliant_on(station, date(2021, 12, 31)) is False
    answer = api.patch(f"/api/v1/rooms/{room.pk}/", {"in_use_to": "2021-01-01"}, format="json")
    assert answer.status_code == 400 and "in_use_to" in answer.json()
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    html = client.get(f"/stations/{station.pk}/edit/").content.decode()
    assert 'name="sign_installed_on"' in html and 'name="suspended_on"' in html
    assert 'name="in_use_from"' in client.get(f"/stations/rooms/{room.pk}/edit/").content.decode()
