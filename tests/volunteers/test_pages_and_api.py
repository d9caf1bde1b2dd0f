"""Every volunteers model through the shared page and API cases (tests/base.py): roles allowed
and refused, scope, history, exports, flat query counts, Chinese errors."""

from datetime import date
from typing import Any

from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
from tests.base import ModelAPITests, ModelViewTests
from tests.recipients.helpers import id_number
from tests.volunteers import helpers as h


class VolunteerCases:
    model = Volunteer
    list_params = {"q": "测试志愿者"}

    def make_object(self, code: str, n: int = 0) -> Volunteer:
        return h.volunteer(code, name=f"测试志愿者{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新志愿者",
            "document_number": id_number(date(1990, 5, 1), serial=901),
            "phone": "13900001111",
            "region": h.village(code).pk,
            "station": h.station(code).pk,
            "skills": "理发",
            "registered_on": "2025-01-02",
        }

    def edit_data(self, obj: Volunteer) -> dict[str, Any]:
        return {
            "name": obj.name + "（改）",
            "region": obj.region_id,
            "station": obj.station_id,
            "skills": "陪伴聊天",
            "registered_on": obj.registered_on.isoformat(),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "接口志愿者",
            "id_number": id_number(date(1991, 6, 1), serial=903),
            "region_code": h.village(code).code,
            "station": h.station(code).pk,
        }

    def api_patch(self, obj: Volunteer) -> dict[str, Any]:
        return {"skills": "健康咨询"}

    def object_label(self, obj: Volunteer) -> str:
        return obj.name


class TestVolunteerViews(VolunteerCases, ModelViewTests):
    pass


class TestVolunteerAPI(VolunteerCases, ModelAPITests):
    pass


class TeamCases:
    model = VolunteerTeam
    list_params = {"q": "测试服务队"}

    def make_object(self, code: str, n: int = 0) -> VolunteerTeam:
        return h.team(code, name=f"测试服务队{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "益相伴志愿服务队",
            "region": h.region(code).pk,
            "station": h.station(code).pk,
        }

    def edit_data(self, obj: VolunteerTeam) -> dict[str, Any]:
        return {"name": obj.name + "（改）", "region": obj.region_id, "station": obj.station_id}

    def api_data(self, code: str) -> dict[str, Any]:
        return {"name": "馨心助老服务队", "region_code": code, "station": h.station(code).pk}

    def api_patch(self, obj: VolunteerTeam) -> dict[str, Any]:
        return {"note": "每周三活动"}

    def object_label(self, obj: VolunteerTeam) -> str:
        return obj.name


class TestTeamViews(TeamCases, ModelViewTests):
    pass


class TestTeamAPI(TeamCases, ModelAPITests):
    pass


class PairingCases:
    model = Pairing
    list_params = {"q": "结对对象"}

    def make_object(self, code: str, n: int = 0) -> Pairing:
        return h.pairing(code, person=h.recipient(code, name=f"结对对象{n:03d}-{code[-6:]}"))

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "volunteer": h.volunteer(code).pk,
            "recipient": h.recipient(code).pk,
            "worker": h.worker(code).pk,
            "service_type": "home_visit",
            "times_per_month": 2,
            "starts_on": "2025-03-01",
            "active": "on",
        }

    def edit_data(self, obj: Pairing) -> dict[str, Any]:
        return {
            "volunteer": obj.volunteer_id,
            "recipient": obj.recipient_id,
            "worker": obj.worker_id,
            "service_type": obj.service_type,
            "times_per_month": 4,
            "starts_on": obj.starts_on.isoformat(),
            "active": "on",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "volunteer": h.volunteer(code).pk,
            "recipient": h.recipient(code).pk,
            "worker": h.worker(code).pk,
            "times_per_month": 1,
            "starts_on": "2025-04-01",
        }

    def api_patch(self, obj: Pairing) -> dict[str, Any]:
        return {"times_per_month": 3}

    def object_label(self, obj: Pairing) -> str:
        return obj.recipient.name


class TestPairingViews(PairingCases, ModelViewTests):
    pass


class TestPairingAPI(PairingCases, ModelAPITests):
    pass


class ServiceVolunteerCases:
    model = ServiceVolunteer
    list_params = {"q": "时长对象"}

    def _record(self, code: str, n: int = 0) -> Any:
        person = h.recipient(code, name=f"时长对象{n:03d}-{code[-6:]}")
        return h.record(person, h.worker(code), date(2025, 5, 1 + n % 28), minutes=90)

    def make_object(self, code: str, n: int = 0) -> ServiceVolunteer:
        return h.named(self._record(code, n), h.volunteer(code), "1.50")

    def form_data(self, code: str) -> dict[str, Any]:
        return {"record": self._record(code).pk, "volunteer": h.volunteer(code).pk, "hours": "1.25"}

    def edit_data(self, obj: ServiceVolunteer) -> dict[str, Any]:
        return {"record": obj.record_id, "volunteer": obj.volunteer_id, "hours": "0.75"}

    def api_data(self, code: str) -> dict[str, Any]:
        return {"record": self._record(code).pk, "volunteer": h.volunteer(code).pk, "hours": "1.00"}

    def api_patch(self, obj: ServiceVolunteer) -> dict[str, Any]:
        return {"hours": "0.50"}

    def object_label(self, obj: ServiceVolunteer) -> str:
        return obj.volunteer.name


class TestServiceVolunteerViews(ServiceVolunteerCases, ModelViewTests):
    pass


class TestServiceVolunteerAPI(ServiceVolunteerCases, ModelAPITests):
    pass
