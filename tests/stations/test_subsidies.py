"""The city's subsidy per built station: generated from the records, never twice, paid once."""

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.stations import services
from swstation.stations.models import StationSubsidy
from tests.conftest import CICHENG, YUEHU
from tests.stations.helpers import (
    JIANGBEI_TOWNSHIPS,
    make_operating_station,
    make_policy,
    make_station,
)

pytestmark = pytest.mark.django_db


def built_world() -> dict[str, Any]:
    return {
        "a": make_operating_station(JIANGBEI_TOWNSHIPS[0], date(2020, 5, 1)),
        "b": make_station(JIANGBEI_TOWNSHIPS[1], status="suspended", opened_on=date(2020, 8, 1)),
        "c": make_operating_station(YUEHU, date(2021, 3, 1)),
        "planned": make_station(JIANGBEI_TOWNSHIPS[2], status="planned"),
        "special": make_station(
            CICHENG, kind="special", status="operating", opened_on=date(2020, 1, 1)
        ),
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_generate_for_built_stations_of_the_policy_kinds_never_twice(
    users: dict[str, Any],
) -> None:
    world = built_world()
    policy = make_policy(amount=Decimal("50000"))
    admin = users[Role.CITY_ADMIN]
    assert services.station_subsidies_generate(actor=admin, policy=policy, year=2020) == 2
    subsidies = StationSubsidy.objects.filter(policy=policy)
    assert {s.station for s in subsidies} == {world["a"], world["b"]}
    assert {(s.amount, s.year, s.status) for s in subsidies} == {
        (Decimal("50000.00"), 2020, "payable")
    }
    assert all(s.history.first().history_user == admin for s in subsidies)
    assert services.station_subsidies_generate(actor=admin, policy=policy, year=2021) == 1
    assert services.station_subsidies_generate(actor=admin, policy=policy, year=2021) == 0
    assert services.station_subsidies_generate(actor=admin, policy=policy, year=2022) == 0
    assert StationSubsidy.objects.filter(policy=policy).count() == 3
    assert not StationSubsidy.objects.filter(station=world["planned"]).exists()
    assert not StationSubsidy.objects.filter(station=world["special"]).exists()


def test_a_second_policy_pays_again_and_kinds_come_from_the_policy(
    users: dict[str, Any],
) -> None:
    world = built_world()
    admin = users[Role.CITY_ADMIN]
    services.station_subsidies_generate(actor=admin, policy=make_policy(), year=2022)
    special_policy = make_policy(name="专项站补助", station_kinds=["special"], amount=Decimal(8000))
    assert services.station_subsidies_generate(actor=admin, policy=special_policy, year=2022) == 1
    assert StationSubsidy.objects.get(policy=special_policy).station == world["special"]


def test_the_database_refuses_a_second_subsidy_per_station_and_policy() -> None:
    station = make_operating_station(CICHENG, date(2020, 1, 1))
    policy = make_policy()
    StationSubsidy.objects.create(station=station, policy=policy, amount=1, year=2020)
    with pytest.raises(IntegrityError), transaction.atomic():
        StationSubsidy.objects.create(station=station, policy=policy, amount=1, year=2021)


def test_generate_refuses_a_year_outside_the_policy_and_other_roles(
    users: dict[str, Any],
) -> None:
    built_world()
    policy = make_policy(valid_from=date(2021, 1, 1), valid_to=date(2022, 12, 31))
    admin = users[Role.CITY_ADMIN]
    for year in (2020, 2023):
        with pytest.raises(ValidationError) as info:
            services.station_subsidies_generate(actor=admin, policy=policy, year=year)
        assert "year" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.station_subsidies_generate(
            actor=users[Role.DISTRICT_OFFICER], policy=policy, year=2021
        )
    assert not StationSubsidy.objects.exists()


def test_mark_paid_once_and_not_in_the_future(users: dict[str, Any]) -> None:
    station = make_operating_station(CICHENG, date(2020, 1, 1))
    subsidy = StationSubsidy.objects.create(
        station=station, policy=make_policy(), amount=50000, year=2020
    )
    admin = users[Role.CITY_ADMIN]
    with pytest.raises(ValidationError) as info:
        services.station_subsidy_mark_paid(
            actor=admin, subsidy=subsidy, paid_on=timezone.localdate() + timedelta(days=1)
        )
    assert "paid_on" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.station_subsidy_mark_paid(
            actor=users[Role.DISTRICT_OFFICER], subsidy=subsidy, paid_on=date(2020, 12, 1)
        )
    paid = services.station_subsidy_mark_paid(
        actor=admin, subsidy=subsidy, paid_on=date(2020, 12, 1)
    )
    assert (paid.status, paid.paid_on) == ("paid", date(2020, 12, 1))
    assert paid.history.first().history_user == admin
    with pytest.raises(ValidationError) as info:
        services.station_subsidy_mark_paid(actor=admin, subsidy=subsidy, paid_on=date(2021, 1, 1))
    assert "status" in info.value.message_dict


def test_generate_page_for_the_city_bureau_only(users: dict[str, Any]) -> None:
    built_world()
    policy = make_policy()
    officer = client_for(users[Role.DISTRICT_OFFICER])
    body = officer.get(policy.get_absolute_url()).content.decode()
    assert 'id="generate-subsidies"' not in body
    response = officer.post(f"/stations/subsidy-policies/{policy.pk}/generate/", {"year": 2021})
    assert response.status_code == 403
    admin = client_for(users[Role.CITY_ADMIN])
    assert 'id="generate-subsidies"' in admin.get(policy.get_absolute_url()).content.decode()
    response = admin.post(f"/stations/subsidy-policies/{policy.pk}/generate/", {"year": 2021})
    assert response.status_code == 302
    assert StationSubsidy.objects.filter(policy=policy).count() == 3
    response = admin.post(
        f"/stations/subsidy-policies/{policy.pk}/generate/", {"year": 2021}, follow=True
    )
    assert StationSubsidy.objects.filter(policy=policy).count() == 3
    messages = [str(m) for m in response.context["messages"]]
    assert re.search(r"(?<!\d)0(?!\d)", messages[-1])  # nothing new: "0 created"
    response = admin.post(
        f"/stations/subsidy-policies/{policy.pk}/generate/", {"year": 1900}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_mark_paid_page(users: dict[str, Any]) -> None:
    station = make_operating_station(CICHENG, date(2020, 1, 1))
    subsidy = StationSubsidy.objects.create(
        station=station, policy=make_policy(), amount=50000, year=2020
    )
    url = f"/stations/subsidies/{subsidy.pk}/mark-paid/"
    officer = client_for(users[Role.DISTRICT_OFFICER])
    assert 'id="mark-paid"' not in officer.get(subsidy.get_absolute_url()).content.decode()
    assert officer.post(url, {"paid_on": "2020-12-01"}).status_code == 403
    admin = client_for(users[Role.CITY_ADMIN])
    assert 'id="mark-paid"' in admin.get(subsidy.get_absolute_url()).content.decode()
    assert admin.post(url, {"paid_on": "2020-12-01"}).status_code == 302
    subsidy.refresh_from_db()
    assert (subsidy.status, subsidy.paid_on) == ("paid", date(2020, 12, 1))
    assert 'id="mark-paid"' not in admin.get(subsidy.get_absolute_url()).content.decode()
    response = admin.post(url, {"paid_on": "2021-01-01"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    subsidy.refresh_from_db()
    assert subsidy.paid_on == date(2020, 12, 1)


def test_subsidy_list_shows_totals_of_the_filtered_list(users: dict[str, Any]) -> None:
    policy = make_policy()
    for n, code in enumerate(JIANGBEI_TOWNSHIPS[:3]):
        StationSubsidy.objects.create(
            station=make_operating_station(code, date(2020, 1, 1)),
            policy=policy,
            amount=Decimal(10000 * (n + 1)),
            year=2020 + n,
            status="paid" if n == 0 else "payable",
            paid_on=date(2020, 6, 1) if n == 0 else None,
        )
    StationSubsidy.objects.create(
        station=make_operating_station(YUEHU, date(2020, 1, 1)),
        policy=policy,
        amount=99999,
        year=2020,
    )
    client = client_for(users[Role.DISTRICT_OFFICER])
    body = client.get("/stations/subsidies/").content.decode()
    tfoot = body[body.index("<tfoot") : body.index("</tfoot>")]
    assert "50,000.00" in tfoot and "10,000.00" in tfoot  # payable 20k+30k, paid 10k; not 海曙's
    body = client.get("/stations/subsidies/", {"year": 2021}).content.decode()
    tfoot = body[body.index("<tfoot") : body.index("</tfoot>")]
    assert "20,000.00" in tfoot and "10,000" not in tfoot


def test_generate_and_mark_paid_through_the_api(users: dict[str, Any]) -> None:
    built_world()
    policy = make_policy()
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.CITY_ADMIN])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        f"/api/v1/subsidy-policies/{policy.pk}/generate/", {"year": 2021}, format="json"
    )
    assert response.status_code == 200 and response.json() == {"created": 3}
    response = client.post(
        f"/api/v1/subsidy-policies/{policy.pk}/generate/", {"year": 2019}, format="json"
    )
    assert response.status_code == 400
    subsidy = StationSubsidy.objects.filter(policy=policy).first()
    assert subsidy is not None
    response = client.post(
        f"/api/v1/station-subsidies/{subsidy.pk}/mark_paid/",
        {"paid_on": "2021-12-01"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "paid"
    officer = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.DISTRICT_OFFICER])
    officer.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = officer.post(
        f"/api/v1/subsidy-policies/{policy.pk}/generate/", {"year": 2021}, format="json"
    )
    assert response.status_code == 403
