"""Things a higher level provides (supervisors, agencies, courses) are read from below and
picked in forms there, but only changed at their own level."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.core.scoping import ancestor_codes
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import Supervisor

pytestmark = pytest.mark.django_db


def test_ancestor_codes() -> None:
    assert ancestor_codes("3302") == []
    assert ancestor_codes("330205") == ["330200000000"]
    assert ancestor_codes("330205103") == ["330200000000", "330205000000"]


@pytest.fixture
def supervisors() -> dict[str, Supervisor]:
    def make(name: str, code: str) -> Supervisor:
        return Supervisor.objects.create(
            name=name, level="city", region=Region.objects.get(code=code)
        )

    return {
        "city": make("市级督导甲", "330200000000"),
        "jiangbei": make("江北督导乙", "330205000000"),
        "haishu": make("海曙督导丙", "330203000000"),
    }


def test_a_district_officer_reads_the_city_supervisors_but_not_another_district(
    users: dict[str, Any], supervisors: dict[str, Supervisor]
) -> None:
    visible = set(Supervisor.objects.visible_to(users[Role.DISTRICT_OFFICER]))
    assert supervisors["city"] in visible and supervisors["jiangbei"] in visible
    assert supervisors["haishu"] not in visible
    writable = set(Supervisor.objects.visible_to(users[Role.DISTRICT_OFFICER], for_write=True))
    assert writable == {supervisors["jiangbei"]}


def test_the_city_supervisor_is_read_only_from_below(
    users: dict[str, Any], supervisors: dict[str, Supervisor]
) -> None:
    city = supervisors["city"]
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    assert client.get(city.get_absolute_url()).status_code == 200
    assert client.get(f"/workforce/supervisors/{city.pk}/edit/").status_code == 403
    assert client.post(f"/workforce/supervisors/{city.pk}/delete/").status_code == 403
    api = APIClient()
    api.force_authenticate(users[Role.DISTRICT_OFFICER])
    assert api.get(f"/api/v1/supervisors/{city.pk}/").status_code == 200
    assert (
        api.patch(f"/api/v1/supervisors/{city.pk}/", {"name": "改"}, format="json").status_code
        == 404
    )
    assert api.delete(f"/api/v1/supervisors/{city.pk}/").status_code == 404
    city.refresh_from_db()
    assert city.name == "市级督导甲"


def test_a_session_with_the_city_supervisor_can_be_recorded_in_the_district(
    users: dict[str, Any], supervisors: dict[str, Supervisor]
) -> None:
    station = Station.objects.create(
        name="慈城镇社会工作站",
        kind="township",
        status="operating",
        opened_on=date(2021, 1, 1),
        region=Region.objects.get(code="330205103000"),
    )
    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    form = client.get("/workforce/supervision-sessions/add/").context["form"]
    choices = set(form.fields["supervisor"].queryset)
    assert supervisors["city"] in choices and supervisors["haishu"] not in choices
    response = client.post(
        "/workforce/supervision-sessions/add/",
        {
            "supervisor": supervisors["city"].pk,
            "station": station.pk,
            "held_on": "2024-05-06",
            "hours": "2",
            "topic": "个案督导",
        },
    )
    assert response.status_code == 302
    assert station.supervision_sessions.get().supervisor == supervisors["city"]
