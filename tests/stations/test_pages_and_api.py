"""Every stations model gets the shared page and API matrix (role × scope) of tests/base.py."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from swstation.core.roles import Role
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    ServiceAgency,
    Station,
    SubsidyPolicy,
)
from tests.base import ROLES, ModelAPITests, ModelViewTests
from tests.stations.helpers import make_policy, make_standard, make_station, region

# --- service agencies ----------------------------------------------------------------------------


class ServiceAgencyCases:
    model = ServiceAgency
    list_params = {"q": "测试机构"}

    def make_object(self, code: str, n: int = 0) -> ServiceAgency:
        return ServiceAgency.objects.create(
            name=f"测试机构{n:03d}",
            credit_code=f"52{code[:6]}{n:010d}",
            region=region(code),
            contact_phone="13812345678",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试机构新",
            "credit_code": f"52{code[:6]}9999999999",
            "region": region(code).pk,
            "contact_phone": "13812345678",
        }

    def edit_data(self, obj: ServiceAgency) -> dict[str, Any]:
        return {
            "name": f"{obj.name}改",
            "credit_code": obj.credit_code,
            "region": obj.region_id,
            "contact_phone": obj.contact_phone,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试机构接口",
            "credit_code": f"52{code[:6]}8888888888",
            "region_code": code,
        }

    def api_patch(self, obj: ServiceAgency) -> dict[str, Any]:
        return {"name": f"{obj.name}改"}

    def object_label(self, obj: ServiceAgency) -> str:
        return obj.name


class TestServiceAgencyViews(ServiceAgencyCases, ModelViewTests):
    pass


class TestServiceAgencyAPI(ServiceAgencyCases, ModelAPITests):
    pass


# --- stations ------------------------------------------------------------------------------------


class StationCases:
    model = Station
    list_params = {"q": "测试站"}

    def make_object(self, code: str, n: int = 0) -> Station:
        # One township station per township (a constraint): the others are special stations.
        kind = "township" if n == 0 else "special"
        return make_station(code, name=f"测试站{n:03d}", kind=kind, contact_phone="13912345678")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试站新",
            "kind": "special",
            "special_kind": "school",
            "region": region(code).pk,
            "status": "planned",
        }

    def edit_data(self, obj: Station) -> dict[str, Any]:
        return {
            "name": f"{obj.name}改",
            "kind": obj.kind,
            "special_kind": obj.special_kind,
            "region": obj.region_id,
            "status": "operating",
            "opened_on": "2021-05-01",
            "has_sign": "on",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试站接口",
            "kind": "special",
            "special_kind": "school",
            "region_code": code,
            "status": "planned",
        }

    def api_patch(self, obj: Station) -> dict[str, Any]:
        return {"name": f"{obj.name}改"}

    def object_label(self, obj: Station) -> str:
        return obj.name


class TestStationViews(StationCases, ModelViewTests):
    pass


class TestStationAPI(StationCases, ModelAPITests):
    pass


# --- rooms ---------------------------------------------------------------------------------------


def _room_station(code: str) -> Station:
    existing = Station.objects.filter(region__code=code, name="房间测试站").first()
    return existing or make_station(code, name="房间测试站", kind="special")


class RoomCases:
    model = Room
    list_params = {"q": "测试室"}

    def make_object(self, code: str, n: int = 0) -> Room:
        return Room.objects.create(
            station=_room_station(code), kind="office", name=f"测试室{n:03d}", area_m2=20 + n
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "station": _room_station(code).pk,
            "kind": "casework_room",
            "name": "测试室新",
            "area_m2": "25.5",
            "shared_with": "party_service_center",
        }

    def edit_data(self, obj: Room) -> dict[str, Any]:
        return {
            "station": obj.station_id,
            "kind": obj.kind,
            "name": obj.name,
            "area_m2": str(obj.area_m2 + 1),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "station": _room_station(code).pk,
            "kind": "office",
            "name": "测试室接口",
            "area_m2": "30.0",
        }

    def api_patch(self, obj: Room) -> dict[str, Any]:
        return {"area_m2": "42.0"}

    def object_label(self, obj: Room) -> str:
        return obj.name


class TestRoomViews(RoomCases, ModelViewTests):
    pass


class TestRoomAPI(RoomCases, ModelAPITests):
    pass


# --- policy data: read by every role everywhere, written by the city bureau ---------------------


class PolicyViewOverrides(ModelViewTests):
    """Policy data has no region (scope_path None): every role reads every record, so the
    out-of-scope cases of the base class become "visible to all"."""

    @pytest.mark.parametrize("role", ROLES)
    def test_list_by_role(self, role: str, users: dict[str, Any]) -> None:
        first, second = self.make_object(self.in_scope_code, 1), self.make_object("", 2)
        response = self.client_for(users[role]).get(
            self.url("_list"), {"per_page": 250, **self.list_params}
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert self.object_label(first) in body and self.object_label(second) in body

    @pytest.mark.parametrize("role", ROLES)
    def test_detail_in_and_out_of_scope(self, role: str, users: dict[str, Any]) -> None:
        obj = self.make_object(self.in_scope_code, 1)
        assert self.client_for(users[role]).get(obj.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_export_is_scoped(self, fmt: str, users: dict[str, Any]) -> None:
        obj = self.make_object(self.in_scope_code, 1)
        response = self.client_for(users[Role.SOCIAL_WORKER]).get(
            self.url("_list"), {"export": fmt, **self.list_params}
        )
        assert response.status_code == 200
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "csv":
            cells = {
                cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for cell in row
            }
        else:
            sheet = load_workbook(io.BytesIO(raw), read_only=True).active
            cells = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row}
        assert self.object_label(obj) in cells

    def test_edit_out_of_scope_is_404(self, users: dict[str, Any]) -> None:
        """No region, hence no "out of scope": only the city bureau may edit."""
        obj = self.make_object(self.in_scope_code, 1)
        response = self.client_for(users[Role.DISTRICT_OFFICER]).post(
            self.url("_edit", obj.pk), self.edit_data(obj)
        )
        assert response.status_code == 403


class PolicyAPIOverrides(ModelAPITests):
    @pytest.mark.parametrize("role", ROLES)
    def test_list_by_role(self, role: str, users: dict[str, Any]) -> None:
        first, second = self.make_object(self.in_scope_code, 1), self.make_object("", 2)
        response = self.api_client_for(users[role]).get(
            self.api_url(), {"page_size": 1000, **self.list_params}
        )
        assert response.status_code == 200
        ids = {row["id"] for row in response.json()["results"]}
        assert {first.pk, second.pk} <= ids

    def test_retrieve_out_of_scope_is_404(self, users: dict[str, Any]) -> None:
        obj = self.make_object(self.in_scope_code, 2)
        client = self.api_client_for(users[Role.AUDITOR])
        assert client.get(self.api_url(obj.pk)).status_code == 200
        assert client.get(self.api_url(obj.pk + 10_000)).status_code == 404


class ConstructionStandardCases:
    model = ConstructionStandard
    list_params = {"q": "测试标准"}

    def make_object(self, code: str, n: int = 0) -> ConstructionStandard:
        return make_standard(
            name=f"测试标准{n:03d}", valid_from=date(2020, 1, 1) + timedelta(days=n)
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试标准新",
            "valid_from": "2024-01-01",
            "station_kinds": ["township", "special"],
            "required_rooms": ["office", "group_room"],
            "requires_sign": "on",
            "min_fulltime_staff": 3,
            "requires_portfolio": "on",
        }

    def edit_data(self, obj: ConstructionStandard) -> dict[str, Any]:
        return {
            "name": f"{obj.name}改",
            "valid_from": obj.valid_from.isoformat(),
            "station_kinds": obj.station_kinds,
            "required_rooms": obj.required_rooms,
            "min_fulltime_staff": obj.min_fulltime_staff + 1,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试标准接口",
            "valid_from": "2024-01-01",
            "station_kinds": ["township"],
            "required_rooms": ["office"],
            "min_fulltime_staff": 3,
        }

    def api_patch(self, obj: ConstructionStandard) -> dict[str, Any]:
        return {"min_fulltime_staff": 4}

    def object_label(self, obj: ConstructionStandard) -> str:
        return obj.name


class TestConstructionStandardViews(ConstructionStandardCases, PolicyViewOverrides):
    def test_form_stores_checkboxes_as_json_lists(self, users: dict[str, Any]) -> None:
        client = self.client_for(users[Role.CITY_ADMIN])
        response = client.post(self.url("_add"), self.form_data(""))
        assert response.status_code == 302
        standard = ConstructionStandard.objects.get(name="测试标准新")
        assert standard.station_kinds == ["township", "special"]
        assert standard.required_rooms == ["office", "group_room"]
        page = client.get(self.url("_edit", standard.pk)).content.decode()
        assert re.search(r'value="group_room"\s+id="[^"]+"\s+checked', page)
        assert not re.search(r'value="casework_room"\s+id="[^"]+"\s+checked', page)

    def test_form_refuses_an_unknown_room(self, users: dict[str, Any]) -> None:
        data = {**self.form_data(""), "required_rooms": ["ballroom"]}
        response = self.client_for(users[Role.CITY_ADMIN]).post(self.url("_add"), data)
        assert response.status_code == 200
        assert response.context["form"].errors["required_rooms"]
        assert not ConstructionStandard.objects.filter(name="测试标准新").exists()


class TestConstructionStandardAPI(ConstructionStandardCases, PolicyAPIOverrides):
    def test_unknown_station_kind_is_refused(self, users: dict[str, Any]) -> None:
        data = {**self.api_data(""), "station_kinds": ["castle"]}
        response = self.api_client_for(users[Role.CITY_ADMIN]).post(
            self.api_url(), data, format="json"
        )
        assert response.status_code == 400
        assert "station_kinds" in response.json()


class SubsidyPolicyCases:
    model = SubsidyPolicy
    list_params = {"q": "测试补助政策"}

    def make_object(self, code: str, n: int = 0) -> SubsidyPolicy:
        return make_policy(name=f"测试补助政策{n:03d}", amount=Decimal(50000 + n))

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试补助政策新",
            "source": "city",
            "amount": "50000",
            "station_kinds": ["township"],
            "one_time": "on",
            "valid_from": "2020-01-01",
        }

    def edit_data(self, obj: SubsidyPolicy) -> dict[str, Any]:
        return {
            "name": obj.name,
            "source": obj.source,
            "amount": str(obj.amount + 1),
            "station_kinds": obj.station_kinds,
            "valid_from": obj.valid_from.isoformat(),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "测试补助政策接口",
            "source": "county",
            "amount": "20000.00",
            "station_kinds": ["township", "special"],
            "valid_from": "2021-01-01",
        }

    def api_patch(self, obj: SubsidyPolicy) -> dict[str, Any]:
        return {"amount": "60000.00"}

    def object_label(self, obj: SubsidyPolicy) -> str:
        return obj.name


class TestSubsidyPolicyViews(SubsidyPolicyCases, PolicyViewOverrides):
    pass


class TestSubsidyPolicyAPI(SubsidyPolicyCases, PolicyAPIOverrides):
    pass
