"""Every community model with pages of its own through the shared page and API cases
(tests/base.py): roles allowed and refused, scope, history, exports, flat query counts,
Chinese errors."""

from typing import Any

from swstation.community.models import (
    ActivityParticipant,
    ActivityVolunteer,
    CommunityActivity,
    Group,
    GroupMember,
    GroupSession,
)
from tests.base import ModelAPITests, ModelViewTests
from tests.community import helpers as h


class GroupCases:
    model = Group
    list_params = {"q": "测试小组"}

    def make_object(self, code: str, n: int = 0) -> Group:
        return h.group(code, name=f"测试小组{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "station": h.station(code).pk,
            "name": "新小组",
            "kind": "support",
            "purpose": "互助",
            "target_members": "独居老人",
            "planned_sessions": 6,
            "starts_on": "2024-04-01",
            "facilitators": [h.worker(code).pk],
        }

    def edit_data(self, obj: Group) -> dict[str, Any]:
        return {
            "station": obj.station_id,
            "name": obj.name + "（改）",
            "kind": obj.kind,
            "purpose": obj.purpose,
            "target_members": obj.target_members,
            "planned_sessions": 8,
            "starts_on": obj.starts_on.isoformat(),
            "facilitators": [w.pk for w in obj.facilitators.all()],
        }

    def api_data(self, code: str) -> dict[str, Any]:
        data = self.form_data(code)
        return {**data, "name": "接口小组"}

    def api_patch(self, obj: Group) -> dict[str, Any]:
        return {"planned_sessions": 10}

    def object_label(self, obj: Group) -> str:
        return obj.name


class TestGroupViews(GroupCases, ModelViewTests):
    pass


class TestGroupAPI(GroupCases, ModelAPITests):
    pass


class GroupMemberCases:
    model = GroupMember
    list_params = {"q": "成员"}

    def make_object(self, code: str, n: int = 0) -> GroupMember:
        return h.member(h.group(code), name=f"成员{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {"group": h.group(code).pk, "name": "新成员", "joined_on": "2024-03-05"}

    def edit_data(self, obj: GroupMember) -> dict[str, Any]:
        return {
            "group": obj.group_id,
            "name": obj.name,
            "joined_on": obj.joined_on.isoformat(),
            "left_on": "2024-05-01",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"group": h.group(code).pk, "name": "接口成员", "joined_on": "2024-03-05"}

    def api_patch(self, obj: GroupMember) -> dict[str, Any]:
        return {"left_on": "2024-05-01"}

    def object_label(self, obj: GroupMember) -> str:
        return obj.name


class TestGroupMemberViews(GroupMemberCases, ModelViewTests):
    pass


class TestGroupMemberAPI(GroupMemberCases, ModelAPITests):
    pass


class GroupSessionCases:
    model = GroupSession
    list_params = {"q": "节次内容"}

    def make_object(self, code: str, n: int = 0) -> GroupSession:
        return h.session(h.group(code), number=1, content=f"节次内容{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {"group": h.group(code).pk, "held_on": "2024-03-10", "content": "节次内容新"}

    def edit_data(self, obj: GroupSession) -> dict[str, Any]:
        return {
            "group": obj.group_id,
            "number": obj.number,
            "held_on": obj.held_on.isoformat(),
            "content": obj.content,
            "facilitator_notes": "组员投入",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"group": h.group(code).pk, "held_on": "2024-03-10", "content": "接口节次"}

    def api_patch(self, obj: GroupSession) -> dict[str, Any]:
        return {"facilitator_notes": "改"}

    def object_label(self, obj: GroupSession) -> str:
        return str(obj)


class TestGroupSessionViews(GroupSessionCases, ModelViewTests):
    pass


class TestGroupSessionAPI(GroupSessionCases, ModelAPITests):
    pass


class CommunityActivityCases:
    model = CommunityActivity
    list_params = {"q": "测试活动"}

    def make_object(self, code: str, n: int = 0) -> CommunityActivity:
        return h.activity(code, name=f"测试活动{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "station": h.station(code).pk,
            "name": "暑期儿童收纳整理课堂",
            "kind": "class",
            "region": h.region(h.VILLAGE_OF[code]).pk,
            "held_on": "2024-07-20",
            "organisers": "社工站",
            "elders_count": 0,
            "children_count": 25,
            "others_count": 3,
        }

    def edit_data(self, obj: CommunityActivity) -> dict[str, Any]:
        return {
            "station": obj.station_id,
            "name": obj.name,
            "kind": obj.kind,
            "region": obj.region_id,
            "held_on": obj.held_on.isoformat(),
            "organisers": obj.organisers,
            "elders_count": 30,
            "children_count": obj.children_count,
            "others_count": obj.others_count,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        data = self.form_data(code)
        data.pop("region")
        return {**data, "name": "接口活动", "region_code": h.VILLAGE_OF[code]}

    def api_patch(self, obj: CommunityActivity) -> dict[str, Any]:
        return {"elders_count": 40}

    def object_label(self, obj: CommunityActivity) -> str:
        return obj.name


class TestCommunityActivityViews(CommunityActivityCases, ModelViewTests):
    pass


class TestCommunityActivityAPI(CommunityActivityCases, ModelAPITests):
    pass


class ActivityParticipantCases:
    model = ActivityParticipant
    list_params = {"q": "参与者"}

    def make_object(self, code: str, n: int = 0) -> ActivityParticipant:
        return h.participant(h.activity(code), name=f"参与者{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {"activity": h.activity(code).pk, "name": "参与者新", "group": "child"}

    def edit_data(self, obj: ActivityParticipant) -> dict[str, Any]:
        return {"activity": obj.activity_id, "name": obj.name, "group": "other"}

    def api_data(self, code: str) -> dict[str, Any]:
        return {"activity": h.activity(code).pk, "name": "接口参与者", "group": "elder"}

    def api_patch(self, obj: ActivityParticipant) -> dict[str, Any]:
        return {"group": "other"}

    def object_label(self, obj: ActivityParticipant) -> str:
        return obj.name


class TestActivityParticipantViews(ActivityParticipantCases, ModelViewTests):
    pass


class TestActivityParticipantAPI(ActivityParticipantCases, ModelAPITests):
    pass


class ActivityVolunteerCases:
    model = ActivityVolunteer
    list_params = {"q": "时长志愿者"}

    def make_object(self, code: str, n: int = 0) -> ActivityVolunteer:
        from tests.volunteers import helpers as v

        who = v.volunteer(code, name=f"时长志愿者{n:03d}-{code[-6:]}")
        return h.hours(h.activity(code), volunteer=who)

    def _volunteer(self, code: str) -> int:
        from tests.volunteers import helpers as v

        return v.volunteer(code).pk

    def form_data(self, code: str) -> dict[str, Any]:
        return {"activity": h.activity(code).pk, "volunteer": self._volunteer(code), "hours": "3"}

    def edit_data(self, obj: ActivityVolunteer) -> dict[str, Any]:
        return {"activity": obj.activity_id, "volunteer": obj.volunteer_id, "hours": "4.5"}

    def api_data(self, code: str) -> dict[str, Any]:
        return {"activity": h.activity(code).pk, "volunteer": self._volunteer(code), "hours": "2.5"}

    def api_patch(self, obj: ActivityVolunteer) -> dict[str, Any]:
        return {"hours": "1.5"}

    def object_label(self, obj: ActivityVolunteer) -> str:
        return obj.volunteer.name


class TestActivityVolunteerViews(ActivityVolunteerCases, ModelViewTests):
    pass


class TestActivityVolunteerAPI(ActivityVolunteerCases, ModelAPITests):
    pass
