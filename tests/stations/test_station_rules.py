"""The single-record rules of the stations models (model.clean(), shared by forms, API and
importers) and the Station write services."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from swstation.core.roles import Role
from swstation.funds.models import Funder, Grant
from swstation.stations import services
from swstation.stations.models import (
    ConstructionStandard,
    ServiceAgency,
    Station,
    SubsidyPolicy,
)
from tests.conftest import CICHENG, CICHENG_VILLAGE, JIANGBEI, YUEHU, YUEHU_COMMUNITY
from tests.stations.helpers import (
    DEVELOPMENT_ZONE,
    make_policy,
    make_station,
    make_subsidy_funder,
    region,
)

pytestmark = pytest.mark.django_db


def errors_of(obj: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    return info.value.message_dict


def station(code: str, kind: str = "township", **extra: Any) -> Station:
    return Station(name="规则测试站", kind=kind, region=region(code), **extra)


@pytest.mark.parametrize(
    ("kind", "code", "special_kind"),
    [
        ("township", CICHENG, ""),
        ("district_hub", JIANGBEI, ""),
        ("special", CICHENG, "medical"),
        ("special", JIANGBEI, "school"),
        ("special", "330200000000", "enterprise"),
    ],
)
def test_each_kind_stands_at_its_level(kind: str, code: str, special_kind: str) -> None:
    station(code, kind, special_kind=special_kind).full_clean()


@pytest.mark.parametrize(
    ("kind", "code", "special_kind"),
    [
        ("township", CICHENG_VILLAGE, ""),
        ("township", JIANGBEI, ""),
        ("district_hub", CICHENG, ""),
        ("special", CICHENG_VILLAGE, "school"),
    ],
)
def test_a_kind_at_the_wrong_level_is_refused(kind: str, code: str, special_kind: str) -> None:
    assert "region" in errors_of(station(code, kind, special_kind=special_kind))


def test_development_zones_get_no_township_station() -> None:
    assert region(DEVELOPMENT_ZONE).is_development_zone
    errors = errors_of(station(DEVELOPMENT_ZONE))
    assert "region" in errors
    # A special station may still stand there.
    station(DEVELOPMENT_ZONE, "special", special_kind="enterprise").full_clean()


def test_an_unknown_kind_is_a_field_error_not_a_crash() -> None:
    assert "kind" in errors_of(station(CICHENG, "castle"))


def test_special_kind_only_and_always_for_special_stations() -> None:
    assert "special_kind" in errors_of(station(CICHENG, "special"))
    assert "special_kind" in errors_of(station(CICHENG, "township", special_kind="school"))


def test_outposts_belong_to_the_township_station_of_their_village() -> None:
    township_station = make_station(CICHENG, kind="township")
    outpost = station(CICHENG_VILLAGE, "outpost", parent_station=township_station)
    outpost.full_clean()
    assert "parent_station" in errors_of(station(CICHENG_VILLAGE, "outpost"))
    elsewhere = make_station(YUEHU, kind="township")
    wrong = station(CICHENG_VILLAGE, "outpost", parent_station=elsewhere)
    assert "parent_station" in errors_of(wrong)
    special = make_station(CICHENG, kind="special")
    assert "parent_station" in errors_of(
        station(CICHENG_VILLAGE, "outpost", parent_station=special)
    )
    assert "region" in errors_of(station(CICHENG, "outpost", parent_station=township_station))
    # and only outposts have a parent station
    assert "parent_station" in errors_of(
        station(
            YUEHU_COMMUNITY[:9] + "000",
            "special",
            special_kind="school",
            parent_station=township_station,
        )
    )


def test_a_commissioned_station_names_its_agency() -> None:
    errors = errors_of(station(CICHENG, operating_model="commissioned_agency"))
    assert "agency" in errors
    agency = ServiceAgency.objects.create(
        name="慈城社工服务社", credit_code="52330205MJ00000001", region=region(CICHENG)
    )
    station(CICHENG, operating_model="commissioned_agency", agency=agency).full_clean()


def test_contract_cannot_end_before_it_starts() -> None:
    errors = errors_of(
        station(CICHENG, contract_start=date(2022, 1, 1), contract_end=date(2021, 12, 31))
    )
    assert "contract_end" in errors


@pytest.mark.parametrize("status", ["operating", "suspended"])
def test_an_operating_or_suspended_station_has_an_opening_date(status: str) -> None:
    assert "opened_on" in errors_of(station(CICHENG, status=status))
    station(CICHENG, status=status, opened_on=date(2020, 6, 1)).full_clean()


def test_one_township_station_per_township() -> None:
    make_station(CICHENG)
    assert "__all__" in errors_of(station(CICHENG))
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(name="第二个站", kind="township", region=region(CICHENG))
    # special stations in the same township are fine
    make_station(CICHENG, kind="special")
    make_station(CICHENG, kind="special", special_kind="school")


def test_agency_credit_code_shape() -> None:
    agency = ServiceAgency(name="机构", credit_code="12345", region=region(CICHENG))
    assert "credit_code" in errors_of(agency)


def test_construction_standard_rules() -> None:
    standard = ConstructionStandard(
        name="标准", valid_from=date(2022, 1, 1), station_kinds=["castle"], required_rooms=["spa"]
    )
    errors = errors_of(standard)
    assert {"station_kinds", "required_rooms"} <= errors.keys()
    standard = ConstructionStandard(
        name="标准",
        valid_from=date(2022, 1, 1),
        valid_to=date(2021, 1, 1),
        station_kinds=["township"],
    )
    assert "valid_to" in errors_of(standard)
    # required rooms may be empty; station kinds may not
    ConstructionStandard(
        name="标准", valid_from=date(2022, 1, 1), station_kinds=["outpost"]
    ).full_clean()
    assert "station_kinds" in errors_of(
        ConstructionStandard(name="标准", valid_from=date(2022, 1, 1), station_kinds=[])
    )


def test_subsidy_policy_rules() -> None:
    policy = SubsidyPolicy(
        name="补助", source="city", amount=Decimal("1"), valid_from=date(2020, 1, 1)
    )
    assert "station_kinds" in errors_of(policy)
    policy.station_kinds = ["palace"]
    assert "station_kinds" in errors_of(policy)
    policy.station_kinds = ["township"]
    policy.amount = Decimal("-1")
    assert "amount" in errors_of(policy)


def test_a_subsidy_is_a_grant_to_a_station_of_the_policys_tier() -> None:
    """The rules of the station subsidies, now grants under a policy (funds, issue 12)."""
    policy = make_policy()
    county = Funder.objects.create(
        name="江北区民政局", kind="civil_affairs", tier="county", region=region(JIANGBEI)
    )
    subsidy = Grant(
        funder=county,
        policy=policy,
        region=region(CICHENG),
        amount=Decimal("50000"),
        year=2022,
        granted_on=date(2022, 3, 1),
        purpose=policy.name,
    )
    errors = errors_of(subsidy)
    assert "station" in errors and "funder" in errors
    subsidy.station = make_station(CICHENG)
    subsidy.funder = make_subsidy_funder()
    subsidy.full_clean()
    subsidy.year = 1990
    assert "year" in errors_of(subsidy)


def test_station_services_apply_the_rules_and_record_the_author(users: dict[str, Any]) -> None:
    actor = users[Role.DISTRICT_OFFICER]
    with pytest.raises(ValidationError) as info:
        services.station_create(actor=actor, name="错站", kind="township", region=region(JIANGBEI))
    assert "region" in info.value.message_dict
    created = services.station_create(
        actor=actor, name="慈城镇社会工作站", kind="township", region=region(CICHENG)
    )
    assert created.history.first().history_user == actor
    with pytest.raises(ValidationError) as info:
        services.station_update(actor=actor, station=created, status="operating")
    assert "opened_on" in info.value.message_dict
    created.refresh_from_db()
    assert created.status == "planned"
    services.station_update(
        actor=actor, station=created, status="operating", opened_on=date(2020, 9, 1)
    )
    created.refresh_from_db()
    assert created.status == "operating" and created.history.count() == 2


def test_station_form_shows_the_model_rule_on_its_field(users: dict[str, Any]) -> None:
    from django.test import Client

    client = Client()
    client.force_login(users[Role.DISTRICT_OFFICER])
    response = client.post(
        "/stations/add/",
        {
            "name": "错站",
            "kind": "township",
            "region": region(CICHENG_VILLAGE).pk,
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Station.objects.filter(name="错站").exists()


def test_station_api_names_the_request_field(users: dict[str, Any]) -> None:
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users[Role.DISTRICT_OFFICER])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        "/api/v1/stations/",
        {"name": "错站", "kind": "township", "region_code": CICHENG_VILLAGE},
        format="json",
    )
    assert response.status_code == 400
    assert "region_code" in response.json()
    response = client.post(
        "/api/v1/stations/",
        {"name": "错站", "kind": "special", "region_code": CICHENG},
        format="json",
    )
    assert response.status_code == 400
    assert "special_kind" in response.json()
    assert not Station.objects.filter(name="错站").exists()
