"""The micro-governance models through the shared page and API cases (tests/base.py): roles
allowed and refused (the station's staff write, the bureaus and auditors read), scope,
history, exports, flat query counts, Chinese errors."""

from typing import Any

from swstation.community.models import GovernanceMeeting, Pledge, Proposal
from tests.base import ModelAPITests, ModelViewTests
from tests.community import governance_helpers as g
from tests.community import helpers as h


class ProposalCases:
    model = Proposal
    list_params = {"q": "测试微治"}

    def make_object(self, code: str, n: int = 0) -> Proposal:
        return g.proposal(code, name=f"测试微治{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "station": h.station(code).pk,
            "name": "百老弄花卉种植",
            "region": h.region(h.VILLAGE_OF[code]).pk,
            "place": "百老弄",
            "problem": "弄堂里垃圾乱堆",
            "solution": "居民认领花箱，种植花卉",
            "raised_on": "2024-04-01",
            "lead_worker": h.worker(code).pk,
        }

    def edit_data(self, obj: Proposal) -> dict[str, Any]:
        return {
            "station": obj.station_id,
            "name": obj.name + "（改）",
            "region": obj.region_id,
            "place": obj.place,
            "problem": obj.problem,
            "solution": obj.solution,
            "raised_on": obj.raised_on.isoformat(),
            "lead_worker": obj.lead_worker_id,
            "budget": "3000",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        data = self.form_data(code)
        data.pop("region")
        code_of = h.region(h.VILLAGE_OF[code]).code
        return {**data, "region_code": code_of, "name": "接口微治项目"}

    def api_patch(self, obj: Proposal) -> dict[str, Any]:
        return {"budget": "8000.00"}

    def object_label(self, obj: Proposal) -> str:
        return obj.name


class TestProposalViews(ProposalCases, ModelViewTests):
    pass


class TestProposalAPI(ProposalCases, ModelAPITests):
    pass


class PledgeCases:
    model = Pledge
    list_params = {"q": "认筹人"}

    def make_object(self, code: str, n: int = 0) -> Pledge:
        return g.pledge(g.proposal(code), resident_name=f"认筹人{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "proposal": g.proposal(code).pk,
            "kind": "funds",
            "source": "resident",
            "resident_name": "王阿姨",
            "amount_pledged": "300",
            "amount_received": "100",
            "pledged_on": "2024-03-05",
        }

    def edit_data(self, obj: Pledge) -> dict[str, Any]:
        return {
            "proposal": obj.proposal_id,
            "kind": obj.kind,
            "source": obj.source,
            "resident_name": obj.resident_name,
            "amount_pledged": str(obj.amount_pledged),
            "amount_received": str(obj.amount_pledged),
            "pledged_on": obj.pledged_on.isoformat(),
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return self.form_data(code)

    def api_patch(self, obj: Pledge) -> dict[str, Any]:
        # (Money received would keep the pledge from being deleted: the next step of the case.)
        return {"resident_name": obj.resident_name + "（改）"}

    def object_label(self, obj: Pledge) -> str:
        return obj.resident_name


class TestPledgeViews(PledgeCases, ModelViewTests):
    pass


class TestPledgeAPI(PledgeCases, ModelAPITests):
    pass


class MeetingCases:
    model = GovernanceMeeting
    list_params = {"q": "议题"}

    def make_object(self, code: str, n: int = 0) -> GovernanceMeeting:
        return g.meeting(g.proposal(code), topics=f"议题{n:03d}-{code[-6:]}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "proposal": g.proposal(code).pk,
            "held_on": "2024-03-15",
            "place": "村委会议室",
            "attendee_count": 15,
            "attendee_names": "张三、李四",
            "topics": "花箱摆放位置",
            "decisions": "沿弄堂两侧摆放",
        }

    def edit_data(self, obj: GovernanceMeeting) -> dict[str, Any]:
        return {
            "proposal": obj.proposal_id,
            "held_on": obj.held_on.isoformat(),
            "place": obj.place,
            "attendee_count": obj.attendee_count + 1,
            "topics": obj.topics,
            "decisions": "改期再议",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return self.form_data(code)

    def api_patch(self, obj: GovernanceMeeting) -> dict[str, Any]:
        return {"attendee_count": 30}

    def object_label(self, obj: GovernanceMeeting) -> str:
        return obj.topics


class TestGovernanceMeetingViews(MeetingCases, ModelViewTests):
    pass


class TestGovernanceMeetingAPI(MeetingCases, ModelAPITests):
    pass
