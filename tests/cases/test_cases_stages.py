"""The casework stage machine (services/cases.py, MZ/T 094-2017): opening, each stage's
requirement, no skipping, closure requested then approved by the supervisor only, reopening
and transfers keeping the history, the goals of the plan."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from swstation.cases.models import (
    STAGE_ORDER,
    Case,
    CaseGoal,
    CaseStage,
    CaseTransfer,
    ClosingReason,
)
from swstation.cases.services import cases as services
from swstation.core.roles import Role
from swstation.recipients.models import RecipientStatus
from tests.cases import case_builders as build
from tests.conftest import CICHENG, JIANGBEI, YUEHU

pytestmark = pytest.mark.django_db


def error_fields(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(excinfo.value.message_dict)


@pytest.fixture
def people(users: dict[str, Any]) -> dict[str, Any]:
    """The fixture social worker's record at 慈城镇 and the fixture supervisor's profile."""
    return {
        "worker": build.worker_of(users[Role.SOCIAL_WORKER]),
        "supervisor": build.supervisor_of(users[Role.SUPERVISOR]),
    }


def open_case(users: dict[str, Any], people: dict[str, Any], **extra: Any) -> Case:
    arguments: dict[str, Any] = {
        "actor": users[Role.SOCIAL_WORKER],
        "recipient": build.recipient(CICHENG),
        "station": people["worker"].station,
        "worker": people["worker"],
        "supervisor": people["supervisor"],
        "opened_on": date(2024, 3, 1),
        "presenting_problem": "独居老人，需要生活照料",
    }
    arguments.update(extra)
    return services.case_open(**arguments)


def walk_to(case: Case, stage: str, actor: Any) -> Case:
    """Move a case through the stages with what each needs, up to ``stage``."""
    steps = [
        (CaseStage.ASSESSMENT, {}),
        (CaseStage.PLANNING, {"assessment_summary": "生活自理能力下降"}),
        (CaseStage.INTERVENTION, {}),
        (CaseStage.EVALUATION, {"intervention_summary": "每周探访两次"}),
    ]
    for target, texts in steps:
        if STAGE_ORDER.index(case.stage) >= STAGE_ORDER.index(stage):
            break
        if STAGE_ORDER.index(target) <= STAGE_ORDER.index(case.stage):
            continue
        if target == CaseStage.INTERVENTION and not case.goals.exists():
            services.case_goal_create(actor=actor, case=case, description="每周探访")
        case = services.case_advance(actor=actor, case=case, to_stage=target, **texts)
    assert case.stage == stage
    return case


def request_closure(case: Case, actor: Any) -> Case:
    return services.case_request_closure(
        actor=actor,
        case=case,
        closing_summary="目标达成",
        closing_reason=ClosingReason.GOALS_MET,
    )


# --- opening -------------------------------------------------------------------------------


class TestOpen:
    def test_number_is_township_year_sequence(self, users: dict[str, Any], people: Any) -> None:
        first = open_case(users, people)
        second = open_case(users, people)
        third = open_case(users, people, opened_on=date(2025, 1, 2))
        assert first.number == "330205103-2024-0001"
        assert second.number == "330205103-2024-0002"
        assert third.number == "330205103-2025-0001"
        assert first.stage == CaseStage.INTAKE
        assert first.history.get().history_user == users[Role.SOCIAL_WORKER]

    def test_sequence_skips_numbers_taken(self, users: dict[str, Any], people: Any) -> None:
        build.make_case(CICHENG, 2)  # 330205103-2024-0002 exists, 0001 does not
        assert open_case(users, people).number == "330205103-2024-0003"

    def test_worker_must_work_at_the_station(self, users: dict[str, Any], people: Any) -> None:
        elsewhere = build.worker(build.KONGPU)
        with pytest.raises(ValidationError) as excinfo:
            open_case(users, people, actor=users[Role.STATION_MANAGER], worker=elsewhere)
        assert error_fields(excinfo) == {"worker"}
        assert elsewhere.name in str(excinfo.value)

    def test_worker_who_left_cannot_take_a_case(self, users: dict[str, Any], people: Any) -> None:
        gone = build.worker(CICHENG, left_on=timezone.localdate() - timedelta(days=3))
        with pytest.raises(ValidationError) as excinfo:
            open_case(users, people, actor=users[Role.STATION_MANAGER], worker=gone)
        assert error_fields(excinfo) == {"worker"}

    def test_social_worker_opens_cases_for_themself(
        self, users: dict[str, Any], people: Any
    ) -> None:
        colleague = build.worker(CICHENG)
        with pytest.raises(ValidationError) as excinfo:
            open_case(users, people, worker=colleague)
        assert error_fields(excinfo) == {"worker"}
        # the station manager may give the case to anyone on the staff
        case = open_case(users, people, actor=users[Role.STATION_MANAGER], worker=colleague)
        assert case.worker == colleague

    def test_recipient_must_be_visible(self, users: dict[str, Any], people: Any) -> None:
        stranger = build.recipient(YUEHU)
        with pytest.raises(ValidationError) as excinfo:
            open_case(users, people, recipient=stranger)
        assert error_fields(excinfo) == {"recipient"}
        assert not Case.objects.exists()

    def test_recipient_must_have_consented(self, users: dict[str, Any], people: Any) -> None:
        with pytest.raises(ValidationError) as excinfo:
            open_case(users, people, recipient=build.recipient(CICHENG, consent_given=False))
        assert error_fields(excinfo) == {"recipient"}

    def test_no_case_for_a_deceased_recipient(self, users: dict[str, Any], people: Any) -> None:
        late = build.recipient(CICHENG, status=RecipientStatus.DECEASED)
        with pytest.raises(ValidationError) as excinfo:
            open_case(users, people, recipient=late)
        assert error_fields(excinfo) == {"recipient"}

    def test_one_open_case_per_recipient_and_station(
        self, users: dict[str, Any], people: Any
    ) -> None:
        person = build.recipient(CICHENG)
        first = open_case(users, people, recipient=person)
        with pytest.raises(ValidationError) as excinfo:
            open_case(users, people, recipient=person)
        assert first.number in str(excinfo.value)
        Case.objects.filter(pk=first.pk).update(stage=CaseStage.CLOSED)
        assert open_case(users, people, recipient=person).recipient == person

    def test_supervisor_must_serve_the_station(self, users: dict[str, Any], people: Any) -> None:
        far = build.supervisor(YUEHU[:6] + "000000")  # 海曙区
        with pytest.raises(ValidationError) as excinfo:
            open_case(users, people, actor=users[Role.CITY_ADMIN], supervisor=far)
        assert error_fields(excinfo) == {"supervisor"}

    def test_required_texts_and_dates(self, users: dict[str, Any], people: Any) -> None:
        with pytest.raises(ValidationError) as excinfo:
            open_case(
                users,
                people,
                presenting_problem="  ",
                opened_on=timezone.localdate() + timedelta(days=1),
            )
        assert error_fields(excinfo) == {"presenting_problem", "opened_on"}

    @pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR])
    def test_reading_roles_cannot_open(self, role: str, users: dict[str, Any], people: Any) -> None:
        with pytest.raises(PermissionDenied):
            open_case(users, people, actor=users[role])


# --- the stages ----------------------------------------------------------------------------


class TestAdvance:
    def test_full_walk_records_each_stage(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.EVALUATION, actor)
        stages = list(case.history.order_by("history_date").values_list("stage", flat=True))
        assert [s for i, s in enumerate(stages) if i == 0 or s != stages[i - 1]] == [
            CaseStage.INTAKE,
            CaseStage.ASSESSMENT,
            CaseStage.PLANNING,
            CaseStage.INTERVENTION,
            CaseStage.EVALUATION,
        ]
        assert case.history.filter(history_user=actor).count() == case.history.count()

    def test_intake_needs_the_presenting_problem(self, users: dict[str, Any], people: Any) -> None:
        case = open_case(users, people)
        Case.objects.filter(pk=case.pk).update(presenting_problem="")
        case.refresh_from_db()
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(
                actor=users[Role.SOCIAL_WORKER], case=case, to_stage=CaseStage.ASSESSMENT
            )
        assert error_fields(excinfo) == {"presenting_problem"}
        case = services.case_advance(
            actor=users[Role.SOCIAL_WORKER],
            case=case,
            to_stage=CaseStage.ASSESSMENT,
            presenting_problem="补写的问题",
        )
        assert case.stage == CaseStage.ASSESSMENT

    def test_assessment_needs_a_summary_or_a_linked_assessment(
        self, users: dict[str, Any], people: Any
    ) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.ASSESSMENT, actor)
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(actor=actor, case=case, to_stage=CaseStage.PLANNING)
        assert error_fields(excinfo) == {"assessment_summary"}
        assert Case.objects.get(pk=case.pk).stage == CaseStage.ASSESSMENT
        build.elderly_assessment(case)
        case = services.case_advance(actor=actor, case=case, to_stage=CaseStage.PLANNING)
        assert case.stage == CaseStage.PLANNING
        assert case.assessment_summary == ""

    def test_a_child_needs_assessment_counts_too(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.ASSESSMENT, actor)
        build.child_assessment(case)
        case = services.case_advance(actor=actor, case=case, to_stage=CaseStage.PLANNING)
        assert case.stage == CaseStage.PLANNING

    def test_planning_needs_a_goal(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.PLANNING, actor)
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(actor=actor, case=case, to_stage=CaseStage.INTERVENTION)
        assert error_fields(excinfo) == {"goals"}
        services.case_goal_create(actor=actor, case=case, description="改善居家安全")
        case = services.case_advance(actor=actor, case=case, to_stage=CaseStage.INTERVENTION)
        assert case.stage == CaseStage.INTERVENTION

    def test_intervention_needs_its_summary(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.INTERVENTION, actor)
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(
                actor=actor, case=case, to_stage=CaseStage.EVALUATION, intervention_summary=" "
            )
        assert error_fields(excinfo) == {"intervention_summary"}

    @pytest.mark.parametrize(
        "target", [CaseStage.PLANNING, CaseStage.INTERVENTION, CaseStage.EVALUATION]
    )
    def test_stages_are_never_skipped(
        self, target: str, users: dict[str, Any], people: Any
    ) -> None:
        case = open_case(users, people)
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(actor=users[Role.SOCIAL_WORKER], case=case, to_stage=target)
        assert error_fields(excinfo) == {"to_stage"}
        assert Case.objects.get(pk=case.pk).stage == CaseStage.INTAKE

    def test_no_walking_back(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.PLANNING, actor)
        for target in (CaseStage.INTAKE, CaseStage.ASSESSMENT, CaseStage.PLANNING):
            with pytest.raises(ValidationError):
                services.case_advance(actor=actor, case=case, to_stage=target)

    def test_evaluation_is_not_closed_by_advancing(
        self, users: dict[str, Any], people: Any
    ) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.EVALUATION, actor)
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(actor=actor, case=case, to_stage=CaseStage.CLOSED)
        assert error_fields(excinfo) == {"to_stage"}
        assert Case.objects.get(pk=case.pk).stage == CaseStage.EVALUATION

    def test_unknown_stage_and_unknown_text(self, users: dict[str, Any], people: Any) -> None:
        case = open_case(users, people)
        actor = users[Role.SOCIAL_WORKER]
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(actor=actor, case=case, to_stage="archived")
        assert error_fields(excinfo) == {"to_stage"}
        with pytest.raises(ValidationError) as excinfo:
            services.case_advance(
                actor=actor, case=case, to_stage=CaseStage.ASSESSMENT, closing_summary="x"
            )
        assert error_fields(excinfo) == {"closing_summary"}

    @pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AUDITOR])
    def test_reading_roles_cannot_advance(
        self, role: str, users: dict[str, Any], people: Any
    ) -> None:
        case = open_case(users, people)
        with pytest.raises(PermissionDenied):
            services.case_advance(actor=users[role], case=case, to_stage=CaseStage.ASSESSMENT)

    def test_a_colleague_cannot_move_my_case(
        self, users: dict[str, Any], people: Any, make_user: Any
    ) -> None:
        case = open_case(users, people)
        colleague = make_user(Role.SOCIAL_WORKER, CICHENG)
        build.worker_of(colleague)
        with pytest.raises(PermissionDenied):
            services.case_advance(actor=colleague, case=case, to_stage=CaseStage.ASSESSMENT)
        manager_moved = services.case_advance(
            actor=users[Role.STATION_MANAGER], case=case, to_stage=CaseStage.ASSESSMENT
        )
        assert manager_moved.stage == CaseStage.ASSESSMENT


# --- closure -------------------------------------------------------------------------------


class TestClosure:
    def test_request_only_at_evaluation(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.INTERVENTION, actor)
        with pytest.raises(ValidationError):
            request_closure(case, actor)
        assert Case.objects.get(pk=case.pk).closure_requested_at is None

    def test_request_needs_summary_and_reason(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.EVALUATION, actor)
        with pytest.raises(ValidationError) as excinfo:
            services.case_request_closure(
                actor=actor, case=case, closing_summary=" ", closing_reason=""
            )
        assert error_fields(excinfo) == {"closing_summary", "closing_reason"}
        with pytest.raises(ValidationError) as excinfo:
            services.case_request_closure(
                actor=actor, case=case, closing_summary="好", closing_reason="bored"
            )
        assert error_fields(excinfo) == {"closing_reason"}

    def test_request_keeps_the_case_open_until_approved(
        self, users: dict[str, Any], people: Any
    ) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = request_closure(
            walk_to(open_case(users, people), CaseStage.EVALUATION, actor), actor
        )
        assert case.stage == CaseStage.EVALUATION
        assert case.closure_requested_at is not None
        assert case.closing_reason == ClosingReason.GOALS_MET

    def test_the_supervisor_approves(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = request_closure(
            walk_to(open_case(users, people), CaseStage.EVALUATION, actor), actor
        )
        case = services.case_approve_closure(actor=users[Role.SUPERVISOR], case=case)
        assert case.stage == CaseStage.CLOSED
        assert case.closed_on == timezone.localdate()
        assert case.closure_approved_by == users[Role.SUPERVISOR]
        assert case.history.first().history_user == users[Role.SUPERVISOR]

    @pytest.mark.parametrize(
        "role", [Role.SOCIAL_WORKER, Role.STATION_MANAGER, Role.DISTRICT_OFFICER, Role.AUDITOR]
    )
    def test_nobody_else_approves(self, role: str, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = request_closure(
            walk_to(open_case(users, people), CaseStage.EVALUATION, actor), actor
        )
        with pytest.raises(PermissionDenied):
            services.case_approve_closure(actor=users[role], case=case)
        assert Case.objects.get(pk=case.pk).stage == CaseStage.EVALUATION

    def test_another_supervisor_does_not_approve(
        self, users: dict[str, Any], people: Any, make_user: Any
    ) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = request_closure(
            walk_to(open_case(users, people), CaseStage.EVALUATION, actor), actor
        )
        other = make_user(Role.SUPERVISOR, JIANGBEI)
        build.supervisor_of(other)
        with pytest.raises(PermissionDenied):
            services.case_approve_closure(actor=other, case=case)
        assert Case.objects.get(pk=case.pk).stage == CaseStage.EVALUATION

    def test_the_city_bureau_may_stand_in(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = request_closure(
            walk_to(open_case(users, people), CaseStage.EVALUATION, actor), actor
        )
        case = services.case_approve_closure(actor=users[Role.CITY_ADMIN], case=case)
        assert case.stage == CaseStage.CLOSED

    def test_nothing_to_approve_without_a_request(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.EVALUATION, actor)
        with pytest.raises(ValidationError):
            services.case_approve_closure(actor=users[Role.SUPERVISOR], case=case)

    def test_a_case_without_supervisor_needs_one(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people, supervisor=None), CaseStage.EVALUATION, actor)
        case = request_closure(case, actor)
        with pytest.raises(ValidationError) as excinfo:
            services.case_approve_closure(actor=users[Role.STATION_MANAGER], case=case)
        assert error_fields(excinfo) == {"supervisor"}

    def test_the_supervisor_may_return_the_request(
        self, users: dict[str, Any], people: Any
    ) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = request_closure(
            walk_to(open_case(users, people), CaseStage.EVALUATION, actor), actor
        )
        with pytest.raises(ValidationError) as excinfo:
            services.case_return_closure(actor=users[Role.SUPERVISOR], case=case, reason="")
        assert error_fields(excinfo) == {"reason"}
        case = services.case_return_closure(
            actor=users[Role.SUPERVISOR], case=case, reason="评估不充分"
        )
        assert case.stage == CaseStage.EVALUATION
        assert case.closure_requested_at is None
        assert case.history.first().history_change_reason == "评估不充分"


# --- reopening and transfers ---------------------------------------------------------------


def closed_case(users: dict[str, Any], people: dict[str, Any]) -> Case:
    actor = users[Role.SOCIAL_WORKER]
    case = request_closure(walk_to(open_case(users, people), CaseStage.EVALUATION, actor), actor)
    return services.case_approve_closure(actor=users[Role.SUPERVISOR], case=case)


class TestReopen:
    def test_reopen_goes_back_to_intervention_and_keeps_history(
        self, users: dict[str, Any], people: Any
    ) -> None:
        case = closed_case(users, people)
        before = case.history.count()
        case = services.case_reopen(actor=users[Role.SOCIAL_WORKER], case=case, reason="病情反复")
        assert case.stage == CaseStage.INTERVENTION
        assert case.reopened_count == 1
        assert case.closed_on is None and case.closure_approved_by is None
        assert case.history.count() == before + 1
        assert case.history.filter(stage=CaseStage.CLOSED).exists()
        assert case.history.first().history_change_reason == "病情反复"
        # and it can be closed again, then reopened again
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(case, CaseStage.EVALUATION, actor)
        case = request_closure(case, actor)
        case = services.case_approve_closure(actor=users[Role.SUPERVISOR], case=case)
        case = services.case_reopen(actor=actor, case=case, reason="再次求助")
        assert case.reopened_count == 2

    def test_only_closed_cases_reopen(self, users: dict[str, Any], people: Any) -> None:
        case = open_case(users, people)
        with pytest.raises(ValidationError):
            services.case_reopen(actor=users[Role.SOCIAL_WORKER], case=case, reason="x")

    def test_reopen_needs_a_reason(self, users: dict[str, Any], people: Any) -> None:
        case = closed_case(users, people)
        with pytest.raises(ValidationError) as excinfo:
            services.case_reopen(actor=users[Role.SOCIAL_WORKER], case=case, reason=" ")
        assert error_fields(excinfo) == {"reason"}

    def test_closed_case_is_read_only(self, users: dict[str, Any], people: Any) -> None:
        case = closed_case(users, people)
        actor = users[Role.SOCIAL_WORKER]
        with pytest.raises(ValidationError):
            services.case_update(actor=actor, case=case, presenting_problem="改")
        with pytest.raises(ValidationError):
            services.case_advance(actor=actor, case=case, to_stage=CaseStage.INTAKE)
        with pytest.raises(ValidationError) as excinfo:
            services.case_goal_create(actor=actor, case=case, description="新目标")
        assert error_fields(excinfo) == {"case"}


class TestTransfer:
    def test_transfer_records_and_keeps_history(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.STATION_MANAGER]
        case = walk_to(open_case(users, people), CaseStage.PLANNING, users[Role.SOCIAL_WORKER])
        build.goal(case, "每周探访")
        old_worker = case.worker
        new_worker = build.worker(CICHENG, name="接手社工")
        transfer = services.case_transfer(
            actor=actor, case=case, to_worker=new_worker, to_station=None, reason="原社工调岗"
        )
        case.refresh_from_db()
        assert case.worker == new_worker
        assert case.stage == CaseStage.PLANNING
        assert (transfer.from_worker, transfer.to_worker) == (old_worker, new_worker)
        assert transfer.transferred_on == timezone.localdate()
        assert case.history.filter(worker=old_worker).exists()
        assert case.history.first().history_change_reason == "原社工调岗"
        assert case.goals.count() == 1  # the plan moves with the case

    def test_transfer_to_another_station(self, users: dict[str, Any], people: Any) -> None:
        case = open_case(users, people)
        other = build.worker(build.KONGPU, name="孔浦社工")
        services.case_transfer(
            actor=users[Role.DISTRICT_OFFICER],
            case=case,
            to_worker=other,
            to_station=other.station,
            reason="服务对象搬迁",
        )
        case.refresh_from_db()
        assert case.station == other.station
        assert case.number.startswith("330205103-")  # the number stays
        second = build.worker(CICHENG, name="回迁社工")
        services.case_transfer(
            actor=users[Role.DISTRICT_OFFICER], case=case, to_worker=second, reason="回迁"
        )
        transfers = list(CaseTransfer.objects.filter(case=case).order_by("pk"))
        assert [t.to_worker for t in transfers] == [other, second]
        assert transfers[1].from_station == other.station

    def test_transfer_refusals(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.STATION_MANAGER]
        case = open_case(users, people)
        mismatch = build.worker(build.KONGPU)
        with pytest.raises(ValidationError) as excinfo:
            services.case_transfer(
                actor=actor, case=case, to_worker=mismatch, to_station=case.station, reason="x"
            )
        assert error_fields(excinfo) == {"to_worker"}
        with pytest.raises(ValidationError) as excinfo:
            services.case_transfer(actor=actor, case=case, to_worker=case.worker, reason="x")
        assert error_fields(excinfo) == {"to_worker"}
        with pytest.raises(ValidationError) as excinfo:
            services.case_transfer(
                actor=actor, case=case, to_worker=build.worker(CICHENG), reason=""
            )
        assert error_fields(excinfo) == {"reason"}
        far = build.worker(YUEHU)
        with pytest.raises(ValidationError) as excinfo:
            services.case_transfer(actor=actor, case=case, to_worker=far, reason="x")
        assert error_fields(excinfo) == {"to_station"}
        assert not CaseTransfer.objects.exists()

    def test_closed_case_is_not_transferred(self, users: dict[str, Any], people: Any) -> None:
        case = closed_case(users, people)
        with pytest.raises(ValidationError):
            services.case_transfer(
                actor=users[Role.STATION_MANAGER],
                case=case,
                to_worker=build.worker(CICHENG),
                reason="x",
            )

    def test_supervisor_who_does_not_serve_the_new_station_is_dropped(
        self, users: dict[str, Any], people: Any
    ) -> None:
        local = build.supervisor(CICHENG, name="慈城督导")
        case = open_case(users, people, actor=users[Role.STATION_MANAGER], supervisor=local)
        other = build.worker(build.KONGPU)
        services.case_transfer(
            actor=users[Role.DISTRICT_OFFICER], case=case, to_worker=other, reason="搬迁"
        )
        case.refresh_from_db()
        assert case.supervisor is None
        assert case.history.filter(supervisor=local).exists()


# --- goals ---------------------------------------------------------------------------------


class TestGoals:
    def test_the_last_goal_stays_once_in_intervention(
        self, users: dict[str, Any], people: Any
    ) -> None:
        actor = users[Role.SOCIAL_WORKER]
        case = walk_to(open_case(users, people), CaseStage.INTERVENTION, actor)
        only = case.goals.get()
        with pytest.raises(ValidationError):
            services.case_goal_delete(actor=actor, goal=only)
        extra = services.case_goal_create(actor=actor, case=case, description="第二个目标")
        services.case_goal_delete(actor=actor, goal=extra)
        assert list(case.goals.all()) == [only]

    def test_goal_target_date_not_before_opening(self, users: dict[str, Any], people: Any) -> None:
        case = open_case(users, people)
        with pytest.raises(ValidationError) as excinfo:
            services.case_goal_create(
                actor=users[Role.SOCIAL_WORKER],
                case=case,
                description="x",
                target_date=date(2020, 1, 1),
            )
        assert error_fields(excinfo) == {"target_date"}

    def test_goal_stays_with_its_case(self, users: dict[str, Any], people: Any) -> None:
        actor = users[Role.SOCIAL_WORKER]
        first, second = open_case(users, people), open_case(users, people)
        goal = services.case_goal_create(actor=actor, case=first, description="x")
        with pytest.raises(ValidationError) as excinfo:
            services.case_goal_update(actor=actor, goal=goal, case=second, description="y")
        assert error_fields(excinfo) == {"case"}
        goal = services.case_goal_update(actor=actor, goal=goal, achieved=True)
        assert CaseGoal.objects.get(pk=goal.pk).achieved

    def test_a_colleague_cannot_plan_my_case(
        self, users: dict[str, Any], people: Any, make_user: Any
    ) -> None:
        case = open_case(users, people)
        colleague = make_user(Role.SOCIAL_WORKER, CICHENG)
        with pytest.raises(ValidationError) as excinfo:
            services.case_goal_create(actor=colleague, case=case, description="x")
        assert error_fields(excinfo) == {"case"}
