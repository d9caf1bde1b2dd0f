"""The city's subsidy per built station, a grant under a policy (issue 12: one ledger):
granted from the records, never twice, paid once; shown on the policy's and the station's
pages; its own API and pages are gone."""

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.funds import services
from swstation.funds.models import Funder, Grant
from tests.clients import client_for
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


def test_generate_for_built_stations_of_the_policy_kinds_never_twice(
    users: dict[str, Any],
) -> None:
    world = built_world()
    policy = make_policy(amount=Decimal("50000"))
    admin = users[Role.CITY_ADMIN]
    assert services.subsidies_generate(actor=admin, policy=policy, year=2020) == 2
    subsidies = Grant.objects.filter(policy=policy)
    assert {s.station for s in subsidies} == {world["a"], world["b"]}
    assert {(s.amount, s.year, s.status, s.tier) for s in subsidies} == {
        (Decimal("50000.00"), 2020, "payable", "city")
    }
    # owed from the day each station opened in the year
    assert {s.granted_on for s in subsidies} == {date(2020, 5, 1), date(2020, 8, 1)}
    assert all(s.history.first().history_user == admin for s in subsidies)
    # Paid by the city's civil-affairs bureau, registered as a funder the first time.
    (bureau,) = Funder.objects.filter(grants__in=subsidies).distinct()
    assert (bureau.name, bureau.tier, bureau.region.code) == (
        "宁波市民政局",
        "city",
        "330200000000",
    )
    assert services.subsidies_generate(actor=admin, policy=policy, year=2021) == 1
    assert services.subsidies_generate(actor=admin, policy=policy, year=2021) == 0
    assert services.subsidies_generate(actor=admin, policy=policy, year=2022) == 0
    assert Grant.objects.filter(policy=policy).count() == 3
    assert not Grant.objects.filter(station=world["planned"]).exists()
    assert not Grant.objects.filter(station=world["special"]).exists()


def test_a_second_policy_pays_again_and_kinds_come_from_the_policy(
    users: dict[str, Any],
) -> None:
    world = built_world()
    admin = users[Role.CITY_ADMIN]
    services.subsidies_generate(actor=admin, policy=make_policy(), year=2022)
    special_policy = make_policy(name="专项站补助", station_kinds=["special"], amount=Decimal(8000))
    assert services.subsidies_generate(actor=admin, policy=special_policy, year=2022) == 1
    assert Grant.objects.get(policy=special_policy).station == world["special"]


def subsidy(station: Any, policy: Any, **extra: Any) -> Grant:
    bureau, _created = Funder.objects.get_or_create(
        name="宁波市民政局",
        region=station.region.__class__.objects.get(code="330200000000"),
        defaults={"kind": "civil_affairs", "tier": "city"},
    )
    extra.setdefault("amount", Decimal(50000))
    extra.setdefault("year", 2020)
    extra.setdefault("granted_on", date(extra["year"], 1, 1))
    return Grant.objects.create(
        funder=bureau,
        tier="city",
        policy=policy,
        station=station,
        region=station.region,
        purpose=policy.name,
        **extra,
    )


def test_the_database_refuses_a_second_subsidy_per_station_and_policy() -> None:
    station = make_operating_station(CICHENG, date(2020, 1, 1))
    policy = make_policy()
    subsidy(station, policy, amount=1, year=2020)
    with pytest.raises(IntegrityError), transaction.atomic():
        subsidy(station, policy, amount=1, year=2021)


def test_generate_refuses_a_year_outside_the_policy_and_other_roles(
    users: dict[str, Any],
) -> None:
    built_world()
    policy = make_policy(valid_from=date(2021, 1, 1), valid_to=date(2022, 12, 31))
    admin = users[Role.CITY_ADMIN]
    for year in (2020, 2023):
        with pytest.raises(ValidationError) as info:
            services.subsidies_generate(actor=admin, policy=policy, year=year)
        assert "year" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.subsidies_generate(actor=users[Role.DISTRICT_OFFICER], policy=policy, year=2021)
    assert not Grant.objects.exists()


def test_mark_paid_once_and_not_in_the_future(users: dict[str, Any]) -> None:
    station = make_operating_station(CICHENG, date(2020, 1, 1))
    owed = subsidy(station, make_policy())
    admin = users[Role.CITY_ADMIN]
    with pytest.raises(ValidationError) as info:
        services.grant_mark_paid(
            actor=admin, grant=owed, paid_on=timezone.localdate() + timedelta(days=1)
        )
    assert "paid_on" in info.value.message_dict
    owed = Grant.objects.get(pk=owed.pk)
    with pytest.raises(ValidationError) as info:  # the city's money is the city bureau's
        services.grant_mark_paid(
            actor=users[Role.DISTRICT_OFFICER], grant=owed, paid_on=date(2020, 12, 1)
        )
    assert "funder" in info.value.message_dict
    paid = services.grant_mark_paid(actor=admin, grant=owed, paid_on=date(2020, 12, 1))
    assert (paid.status, paid.paid_on) == ("paid", date(2020, 12, 1))
    assert paid.history.first().history_user == admin
    with pytest.raises(ValidationError) as info:
        services.grant_mark_paid(
            actor=admin, grant=Grant.objects.get(pk=owed.pk), paid_on=date(2021, 1, 1)
        )
    assert "paid_on" in info.value.message_dict


def test_generate_page_for_the_city_bureau_only(users: dict[str, Any]) -> None:
    built_world()
    policy = make_policy()
    officer = client_for(users[Role.DISTRICT_OFFICER])
    body = officer.get(policy.get_absolute_url()).content.decode()
    assert 'id="generate-subsidies"' not in body
    response = officer.post(f"/funds/subsidy-policies/{policy.pk}/generate/", {"year": 2021})
    assert response.status_code == 403
    admin = client_for(users[Role.CITY_ADMIN])
    assert 'id="generate-subsidies"' in admin.get(policy.get_absolute_url()).content.decode()
    response = admin.post(f"/funds/subsidy-policies/{policy.pk}/generate/", {"year": 2021})
    assert response.status_code == 302
    assert Grant.objects.filter(policy=policy).count() == 3
    response = admin.post(
        f"/funds/subsidy-policies/{policy.pk}/generate/", {"year": 2021}, follow=True
    )
    assert Grant.objects.filter(policy=policy).count() == 3
    messages = [str(m) for m in response.context["messages"]]
    assert re.search(r"(?<!\d)0(?!\d)", messages[-1])  # nothing new: "0 created"
    response = admin.post(
        f"/funds/subsidy-policies/{policy.pk}/generate/", {"year": 1900}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_policy_and_station_pages_show_the_subsidies_as_grants(users: dict[str, Any]) -> None:
    policy = make_policy()
    stations = [make_operating_station(code, date(2020, 1, 1)) for code in JIANGBEI_TOWNSHIPS[:3]]
    for n, station in enumerate(stations):
        subsidy(
            station,
            policy,
            amount=Decimal(10000 * (n + 1)),
            year=2020 + n,
            paid_on=date(2020, 6, 1) if n == 0 else None,
        )
    subsidy(make_operating_station(YUEHU, date(2020, 1, 1)), policy, amount=Decimal(99999))
    officer = client_for(users[Role.DISTRICT_OFFICER])  # 江北区's
    body = officer.get(policy.get_absolute_url()).content.decode()
    card = body[body.index('id="policy-subsidies"') :]
    # payable 20k+30k, paid 10k; not 海曙's
    assert "50,000.00" in card and "10,000.00" in card and "99,999" not in card
    assert f"/funds/grants/?policy={policy.pk}" in card
    page = officer.get(stations[0].get_absolute_url()).content.decode()
    card = page[page.index('id="subsidies"') :]
    assert policy.name in card and "10,000.00" in card
    grant = Grant.objects.get(station=stations[0])
    assert grant.get_absolute_url() in card
    # The grant's own page is the subsidy's: the policy, the payment.
    assert policy.name in officer.get(grant.get_absolute_url()).content.decode()
    # A social worker reads no money: no subsidies card.
    worker = client_for(users[Role.SOCIAL_WORKER])
    response = worker.get(stations[0].get_absolute_url())
    if response.status_code == 200:
        assert 'id="subsidies"' not in response.content.decode()
    # The old pages and API are gone.
    assert officer.get("/stations/subsidies/").status_code == 404
    assert officer.get("/api/v1/station-subsidies/").status_code == 404


def test_generate_and_mark_paid_through_the_api(users: dict[str, Any]) -> None:
    built_world()
    policy = make_policy()
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.CITY_ADMIN])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = "/api/v1/grants/generate_subsidies/"
    response = client.post(url, {"policy": policy.pk, "year": 2021}, format="json")
    assert response.status_code == 200 and response.json() == {"created": 3}
    response = client.post(url, {"policy": policy.pk, "year": 2019}, format="json")
    assert response.status_code == 400
    response = client.post(url, {"policy": 999999, "year": 2021}, format="json")
    assert response.status_code == 400 and "policy" in response.json()
    listed = client.get("/api/v1/grants/", {"policy": policy.pk}).json()
    assert listed["count"] == 3
    assert {row["tier"] for row in listed["results"]} == {"city"}
    assert {row["amount"] for row in listed["results"]} == {"50000.00"}
    owed = Grant.objects.filter(policy=policy).first()
    assert owed is not None
    response = client.post(
        f"/api/v1/grants/{owed.pk}/mark_paid/", {"paid_on": "2021-12-01"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "paid"
    officer = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.DISTRICT_OFFICER])
    officer.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = officer.post(
        "/api/v1/grants/generate_subsidies/", {"policy": policy.pk, "year": 2021}, format="json"
    )
    assert response.status_code == 403
