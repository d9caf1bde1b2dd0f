"""Every employment model through the shared page and API cases (tests/base.py): roles allowed
and refused, scope, history, exports, flat query counts, Chinese errors."""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from swstation.employment.models import JobPost, JobSeeker, Placement
from tests.base import ModelAPITests, ModelViewTests
from tests.employment import helpers as h
from tests.recipients.helpers import id_number


class JobSeekerCases:
    model = JobSeeker
    list_params = {"q": "测试求职"}

    def make_object(self, code: str, n: int = 0) -> JobSeeker:
        return h.seeker(code, name=f"测试求职{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新求职者",
            "document_number": id_number(date(1985, 5, 1), serial=911),
            "phone": "13900002222",
            "sex": "female",
            "category": "women_in_difficulty",
            "region": h.village(code).pk,
            "station": h.station(code).pk,
            "skills": "缝纫",
            "available_months": ["1", "2", "11", "12"],
            "hours_per_day": 6,
            "travel_range": "township",
            "registered_on": "2025-01-02",
        }

    def edit_data(self, obj: JobSeeker) -> dict[str, Any]:
        return {
            "name": obj.name + "（改）",
            "sex": obj.sex,
            "category": obj.category,
            "region": obj.region_id,
            "station": obj.station_id,
            "skills": "采茶",
            "available_months": ["3", "4"],
            "hours_per_day": 8,
            "travel_range": "district",
            "registered_on": obj.registered_on.isoformat(),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "接口求职者",
            "id_number": id_number(date(1986, 6, 1), serial=913),
            "sex": "female",
            "category": "farmer",
            "region_code": h.village(code).code,
            "station": h.station(code).pk,
            "available_months": [7, 8],
        }

    def api_patch(self, obj: JobSeeker) -> dict[str, Any]:
        return {"skills": "年糕制作"}

    def object_label(self, obj: JobSeeker) -> str:
        return obj.name


class TestJobSeekerViews(JobSeekerCases, ModelViewTests):
    pass


class TestJobSeekerAPI(JobSeekerCases, ModelAPITests):
    pass


class JobPostCases:
    model = JobPost
    list_params = {"q": "测试岗位"}

    def make_object(self, code: str, n: int = 0) -> JobPost:
        return h.post(code, title=f"测试岗位{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "employer": h.employer(code).pk,
            "station": h.station(code).pk,
            "title": "年糕包装工",
            "places": 12,
            "season_from": today.isoformat(),
            "season_to": (today + timedelta(days=60)).isoformat(),
            "hours_per_day": 8,
            "skills": "包装",
            "pay": "160.00",
            "region": h.village(code).pk,
            "status": "open",
            "posted_on": today.isoformat(),
        }

    def edit_data(self, obj: JobPost) -> dict[str, Any]:
        return {
            "employer": obj.employer_id,
            "station": obj.station_id,
            "title": obj.title + "（改）",
            "places": obj.places + 1,
            "season_from": obj.season_from.isoformat(),
            "season_to": obj.season_to.isoformat(),
            "hours_per_day": obj.hours_per_day,
            "pay": str(obj.pay),
            "region": obj.region_id,
            "status": obj.status,
            "posted_on": obj.posted_on.isoformat(),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "employer": h.employer(code).pk,
            "station": h.station(code).pk,
            "title": "接口岗位",
            "places": 3,
            "season_from": today.isoformat(),
            "season_to": (today + timedelta(days=30)).isoformat(),
            "pay": "150.00",
            "region_code": h.village(code).code,
        }

    def api_patch(self, obj: JobPost) -> dict[str, Any]:
        return {"places": obj.places + 2}

    def object_label(self, obj: JobPost) -> str:
        return obj.title


class TestJobPostViews(JobPostCases, ModelViewTests):
    pass


class TestJobPostAPI(JobPostCases, ModelAPITests):
    pass


class PlacementCases:
    model = Placement
    list_params = {"q": "测试录用"}

    def make_object(self, code: str, n: int = 0) -> Placement:
        return h.placement(code, who=h.seeker(code, name=f"测试录用{n:03d}-{code[-6:]}"))

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "post": h.post(code).pk,
            "seeker": h.seeker(code).pk,
            "referred_on": timezone.localdate().isoformat(),
        }

    def edit_data(self, obj: Placement) -> dict[str, Any]:
        return {
            "post": obj.post_id,
            "seeker": obj.seeker_id,
            "referred_on": obj.referred_on.isoformat(),
            "note": "已电话通知",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"post": h.post(code).pk, "seeker": h.seeker(code).pk}

    def api_patch(self, obj: Placement) -> dict[str, Any]:
        return {"note": "面试安排在周三"}

    def object_label(self, obj: Placement) -> str:
        return obj.seeker.name


class TestPlacementViews(PlacementCases, ModelViewTests):
    pass


class TestPlacementAPI(PlacementCases, ModelAPITests):
    pass
