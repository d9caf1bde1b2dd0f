"""Pages and API of projects and enrolments: the role × scope matrix of tests/base.py.

Projects are shared downward (a district hub's projects are read by the stations below it), so
the matrix also proves that a project of the level above is read and never changed from below,
and that the life-cycle actions refuse records outside the caller's write scope."""

from typing import Any

from swstation.projects.models import Project, ProjectEnrolment, ProjectStatus
from tests.base import ModelAPITests, ModelViewTests
from tests.projects import helpers as build


class ProjectCases:
    model = Project
    list_params = {"q": "测试项目"}

    def make_object(self, code: str, n: int = 0) -> Project:
        return build.project(code, n)

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "station": build.station(code).pk,
            "name": "测试项目新",
            "category": "regional_feature",
            "field": "elderly",
            "funding_level": "station",
            "starts_on": "2024-03-01",
            "ends_on": "2025-02-28",
            "lead": build.lead_of(code).pk,
            "villages": [build.region(build.VILLAGE_OF.get(code, code)).pk],
            "description": "为独居老人提供上门探访",
        }

    def edit_data(self, obj: Project) -> dict[str, Any]:
        return {
            "station": obj.station_id,
            "name": obj.name + "（修订）",
            "category": obj.category,
            "field": obj.field,
            "funding_level": obj.funding_level,
            "starts_on": obj.starts_on.isoformat(),
            "ends_on": obj.ends_on.isoformat(),
            "lead": obj.lead_id,
            "description": "修订后的项目说明",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "station": build.station(code).pk,
            "name": "测试项目接口",
            "category": "talent_support",
            "field": "talent",
            "starts_on": "2024-03-01",
            "ends_on": "2025-02-28",
            "lead": build.lead_of(code).pk,
        }

    def api_patch(self, obj: Project) -> dict[str, Any]:
        return {"description": "接口修改的说明"}

    def object_label(self, obj: Project) -> str:
        return obj.name


class TestProjectViews(ProjectCases, ModelViewTests):
    pass


class TestProjectAPI(ProjectCases, ModelAPITests):
    pass


class ProjectEnrolmentCases:
    model = ProjectEnrolment

    def make_object(self, code: str, n: int = 0) -> ProjectEnrolment:
        target = build.project(code, n, status=ProjectStatus.RUNNING)
        return build.enrolment(target, build.recipient(code, name=f"项目对象{n:03d}号"))

    def _running(self, code: str) -> Project:
        found = Project.objects.filter(
            station=build.station(code), status=ProjectStatus.RUNNING
        ).first()
        return found or build.project(code, status=ProjectStatus.RUNNING)

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "project": self._running(code).pk,
            "recipient": build.recipient(code).pk,
            "enrolled_on": "2024-04-01",
            "note": "入户评估后纳入",
        }

    def edit_data(self, obj: ProjectEnrolment) -> dict[str, Any]:
        return {
            "enrolled_on": obj.enrolled_on.isoformat(),
            "exited_on": "2024-06-30",
            "exit_reason": "迁出本镇",
            "note": obj.note,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "project": self._running(code).pk,
            "recipient": build.recipient(code).pk,
            "enrolled_on": "2024-04-02",
        }

    def api_patch(self, obj: ProjectEnrolment) -> dict[str, Any]:
        return {"note": "接口备注"}

    def object_label(self, obj: ProjectEnrolment) -> str:
        return obj.recipient.name


class TestProjectEnrolmentViews(ProjectEnrolmentCases, ModelViewTests):
    pass


class TestProjectEnrolmentAPI(ProjectEnrolmentCases, ModelAPITests):
    pass
