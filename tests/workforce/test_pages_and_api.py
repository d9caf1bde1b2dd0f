"""Pages and API of every workforce model with writers: the role × scope matrix of
tests/base.py. Payments (read-only) are in test_payments_readonly.py."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from swstation.core.roles import Role
from swstation.workforce.models import (
    Attendance,
    Certificate,
    Course,
    PaymentBatch,
    RewardPolicy,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)
from tests.base import ROLES, ModelAPITests, ModelViewTests
from tests.workforce import helpers


class SocialWorkerCases:
    model = SocialWorker
    list_params = {"q": "测试社工"}

    def make_object(self, code: str, n: int = 0) -> SocialWorker:
        return helpers.person(code, name=f"测试社工{n:03d}", phone="13812345678")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新社工",
            "station": helpers.station(code).pk,
            "post": "social_worker",
            "is_fulltime": "on",
            "phone": "13900001111",
        }

    def edit_data(self, obj: SocialWorker) -> dict[str, Any]:
        return {
            "name": obj.name,
            "region": obj.region_id,
            "post": "assistant",
            "phone": obj.phone,
            "is_fulltime": "on",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"name": "接口社工", "region_code": code, "post": "social_worker"}

    def api_patch(self, obj: SocialWorker) -> dict[str, Any]:
        return {"note": "接口修改"}

    def object_label(self, obj: SocialWorker) -> str:
        return obj.name


class TestSocialWorkerViews(SocialWorkerCases, ModelViewTests):
    pass


class TestSocialWorkerAPI(SocialWorkerCases, ModelAPITests):
    pass


class CertificateCases:
    model = Certificate
    list_params = {"q": "ZS"}

    def make_object(self, code: str, n: int = 0) -> Certificate:
        worker = helpers.person(code, name=f"持证人{n:03d}")
        return helpers.certificate(worker, "assistant", date(2020, 6, 1), number=f"ZS{n:06d}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "social_worker": helpers.person(code, name="新持证人").pk,
            "level": "intermediate",
            "number": "ZSNEW001",
            "obtained_on": "2023-06-01",
            "method": "exam",
            "exam_in_city": "on",
            "registered_in_city": "on",
        }

    def edit_data(self, obj: Certificate) -> dict[str, Any]:
        return {
            "social_worker": obj.social_worker_id,
            "level": obj.level,
            "number": obj.number,
            "obtained_on": obj.obtained_on.isoformat(),
            "method": "review",
            "registered_in_city": "on",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "social_worker": helpers.person(code, name="接口持证人").pk,
            "level": "senior",
            "number": "ZSAPI001",
            "obtained_on": "2022-05-01",
        }

    def api_patch(self, obj: Certificate) -> dict[str, Any]:
        return {"method": "review"}

    def object_label(self, obj: Certificate) -> str:
        return obj.number


class TestCertificateViews(CertificateCases, ModelViewTests):
    pass


class TestCertificateAPI(CertificateCases, ModelAPITests):
    pass


class RewardPolicyCases:
    """City-wide policy data: every role reads every rule; only the city bureau writes."""

    model = RewardPolicy
    list_params = {"q": "测试规则"}

    def make_object(self, code: str, n: int = 0) -> RewardPolicy:
        return RewardPolicy.objects.create(
            kind="exam_reward",
            level="assistant",
            amount=Decimal(1500 + n),
            valid_from=date(2022, 1, 1),
            note=f"测试规则{n:03d}",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "kind": "exam_reward",
            "level": "senior",
            "amount": "5000",
            "valid_from": "2022-01-01",
            "excludes_civil_servants": "on",
            "requires_exam_in_city": "on",
            "requires_registration_in_city": "on",
            "note": "新规则",
        }

    def edit_data(self, obj: RewardPolicy) -> dict[str, Any]:
        return {
            "kind": obj.kind,
            "level": obj.level,
            "amount": "1600",
            "valid_from": obj.valid_from.isoformat(),
            "valid_to": "2025-12-31",
            "note": obj.note,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "kind": "job_allowance",
            "level": "intermediate",
            "amount": "400.00",
            "valid_from": "2023-01-01",
        }

    def api_patch(self, obj: RewardPolicy) -> dict[str, Any]:
        return {"amount": "1700.00"}

    def object_label(self, obj: RewardPolicy) -> str:
        return obj.note


class TestRewardPolicyViews(RewardPolicyCases, ModelViewTests):
    # Policy data has no region: the scope tests of the base class become "everyone reads it".
    @pytest.mark.parametrize("role", ROLES)
    def test_list_by_role(self, role: str, users: dict[str, Any]) -> None:
        first, second = self.make_object("", 1), self.make_object("", 2)
        response = self.client_for(users[role]).get(self.url("_list"), self.list_params)
        assert response.status_code == 200
        body = response.content.decode()
        assert first.note in body and second.note in body

    @pytest.mark.parametrize("role", ROLES)
    def test_detail_in_and_out_of_scope(self, role: str, users: dict[str, Any]) -> None:
        policy = self.make_object("", 1)
        assert self.client_for(users[role]).get(policy.get_absolute_url()).status_code == 200

    def test_add_out_of_scope_is_refused_and_nothing_saved(self, users: dict[str, Any]) -> None:
        for role in ROLES:
            if role == Role.CITY_ADMIN:
                continue
            response = self.client_for(users[role]).post(self.url("_add"), self.form_data(""))
            assert response.status_code == 403
        assert not RewardPolicy.objects.exists()

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_export_is_scoped(self, fmt: str, users: dict[str, Any]) -> None:
        self.make_object("", 1)
        response = self.client_for(users[Role.STATION_MANAGER]).get(
            self.url("_list"), {"export": fmt, **self.list_params}
        )
        assert response.status_code == 200

    def test_validity_period_is_checked(self, users: dict[str, Any]) -> None:
        data = {**self.form_data(""), "valid_from": "2024-01-01", "valid_to": "2023-01-01"}
        response = self.client_for(users[Role.CITY_ADMIN]).post(self.url("_add"), data)
        assert response.status_code == 200
        assert "valid_to" in response.context["form"].errors
        assert not RewardPolicy.objects.exists()


class TestRewardPolicyAPI(RewardPolicyCases, ModelAPITests):
    @pytest.mark.parametrize("role", ROLES)
    def test_list_by_role(self, role: str, users: dict[str, Any]) -> None:
        first, second = self.make_object("", 1), self.make_object("", 2)
        response = self.api_client_for(users[role]).get(self.api_url(), {"page_size": 1000})
        assert response.status_code == 200
        assert {first.pk, second.pk} <= {row["id"] for row in response.json()["results"]}

    def test_retrieve_out_of_scope_is_404(self, users: dict[str, Any]) -> None:
        policy = self.make_object("", 1)
        client = self.api_client_for(users[Role.DISTRICT_OFFICER])
        assert client.get(self.api_url(policy.pk)).status_code == 200
        assert client.get(self.api_url(policy.pk + 1000)).status_code == 404


class PaymentBatchCases:
    model = PaymentBatch
    list_params = {"q": "测试批次"}

    def make_object(self, code: str, n: int = 0) -> PaymentBatch:
        year = 2000 + n
        return PaymentBatch.objects.create(
            kind="exam_reward",
            region=helpers.region(code),
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            note=f"测试批次{n:03d}",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "kind": "exam_reward",
            "region": helpers.region(code).pk,
            "period_start": "2023-01-01",
            "period_end": "2023-12-31",
            "note": "新批次",
        }

    def edit_data(self, obj: PaymentBatch) -> dict[str, Any]:
        return {
            "kind": obj.kind,
            "region": obj.region_id,
            "period_start": obj.period_start.isoformat(),
            "period_end": obj.period_end.isoformat(),
            "note": obj.note + "改",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "kind": "job_allowance",
            "region_code": code,
            "period_start": "2023-01-01",
            "period_end": "2023-01-31",
        }

    def api_patch(self, obj: PaymentBatch) -> dict[str, Any]:
        return {"note": "接口修改"}

    def object_label(self, obj: PaymentBatch) -> str:
        return obj.note


class TestPaymentBatchViews(PaymentBatchCases, ModelViewTests):
    """Batches are created by the generate workflow (tests/workforce/test_payments.py): the
    plain add page leads there, and only the note is edited here."""

    @pytest.mark.parametrize("role", ROLES)
    def test_add(self, role: str, users: dict[str, Any]) -> None:
        before = PaymentBatch.objects.count()
        response = self.client_for(users[role]).post(
            self.url("_add"), self.form_data(helpers.CICHENG)
        )
        if not self.allowed(role, "add"):
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert response["Location"] == reverse("workforce:paymentbatch_generate")
        assert PaymentBatch.objects.count() == before

    def test_add_out_of_scope_is_refused_and_nothing_saved(self, users: dict[str, Any]) -> None:
        before = PaymentBatch.objects.count()
        self.client_for(users[Role.DISTRICT_OFFICER]).post(
            self.url("_add"), self.form_data(self.out_of_scope_code)
        )
        assert PaymentBatch.objects.count() == before

    def test_add_form_shows_errors_in_chinese(self, users: dict[str, Any]) -> None:
        batch = self.make_object(helpers.CICHENG, 1)
        response = self.client_for(users[Role.CITY_ADMIN]).post(
            self.url("_edit", batch.pk), {"note": "x" * 300}
        )
        assert response.status_code == 200
        assert "200" in response.content.decode()  # the length limit, said in the message

    def test_only_the_note_is_edited(self, users: dict[str, Any]) -> None:
        batch = self.make_object(helpers.CICHENG, 1)
        data = {**self.edit_data(batch), "period_end": "2099-12-31", "kind": "job_allowance"}
        self.client_for(users[Role.CITY_ADMIN]).post(self.url("_edit", batch.pk), data)
        batch.refresh_from_db()
        assert batch.note.endswith("改") and batch.kind == "exam_reward"
        assert batch.period_end == date(2001, 12, 31)

    def test_a_paid_batch_cannot_be_deleted(self, users: dict[str, Any]) -> None:
        batch = self.make_object(helpers.CICHENG, 1)
        PaymentBatch.objects.filter(pk=batch.pk).update(status="paid", paid_on=date(2024, 1, 5))
        self.client_for(users[Role.CITY_ADMIN]).post(self.url("_delete", batch.pk))
        assert PaymentBatch.objects.filter(pk=batch.pk).exists()

    def test_status_is_not_typed_in(self, users: dict[str, Any]) -> None:
        """Approval and payment are workflow actions: the plain form cannot set them."""
        batch = self.make_object(helpers.CICHENG, 1)
        data = {**self.edit_data(batch), "status": "paid", "paid_on": "2024-01-01"}
        response = self.client_for(users[Role.CITY_ADMIN]).post(self.url("_edit", batch.pk), data)
        assert response.status_code == 302
        batch.refresh_from_db()
        assert batch.status == "draft" and batch.paid_on is None

    def test_an_approved_batch_is_not_edited(self, users: dict[str, Any]) -> None:
        batch = self.make_object(helpers.CICHENG, 1)
        PaymentBatch.objects.filter(pk=batch.pk).update(status="approved")
        batch.refresh_from_db()
        response = self.client_for(users[Role.CITY_ADMIN]).post(
            self.url("_edit", batch.pk), self.edit_data(batch)
        )
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        batch.refresh_from_db()
        assert batch.note == "测试批次001"


class TestPaymentBatchAPI(PaymentBatchCases, ModelAPITests):
    @pytest.mark.parametrize("role", ROLES)
    def test_create(self, role: str, users: dict[str, Any]) -> None:
        """No batch is typed in through the API: the generate workflow computes its lines."""
        response = self.api_client_for(users[role]).post(
            self.api_url(), self.api_data(helpers.CICHENG), format="json"
        )
        assert response.status_code in (403, 405)
        assert not PaymentBatch.objects.exists()

    def test_create_out_of_scope_is_refused(self, users: dict[str, Any]) -> None:
        response = self.api_client_for(users[Role.DISTRICT_OFFICER]).post(
            self.api_url(), self.api_data(self.out_of_scope_code), format="json"
        )
        assert response.status_code == 405

    def test_malformed_request_names_the_field(self, users: dict[str, Any]) -> None:
        batch = self.make_object(helpers.CICHENG, 1)
        client = self.api_client_for(users[Role.CITY_ADMIN])
        response = client.patch(self.api_url(batch.pk), "{oops", content_type="application/json")
        assert response.status_code == 400 and "detail" in response.json()
        response = client.patch(self.api_url(batch.pk), {"note": "x" * 300}, format="json")
        assert response.status_code == 400 and "note" in response.json()

    def test_an_approved_batch_is_not_edited(self, users: dict[str, Any]) -> None:
        batch = self.make_object(helpers.CICHENG, 1)
        PaymentBatch.objects.filter(pk=batch.pk).update(status="paid", paid_on=date(2024, 1, 5))
        client = self.api_client_for(users[Role.CITY_ADMIN])
        response = client.patch(self.api_url(batch.pk), {"note": "改"}, format="json")
        assert response.status_code == 400
        assert "non_field_errors" in response.json()
        batch.refresh_from_db()
        assert batch.note == "测试批次001"

    def test_status_is_read_only(self, users: dict[str, Any]) -> None:
        batch = self.make_object(helpers.CICHENG, 1)
        client = self.api_client_for(users[Role.CITY_ADMIN])
        response = client.patch(self.api_url(batch.pk), {"status": "paid"}, format="json")
        assert response.status_code == 200
        batch.refresh_from_db()
        assert batch.status == "draft"


class TrainingClassCases:
    model = TrainingClass
    list_params = {"q": "测试班"}

    def make_object(self, code: str, n: int = 0) -> TrainingClass:
        return helpers.training_class(code, name=f"测试班{n:03d}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新班",
            "tier": "jinding",
            "region": helpers.region(code).pk,
            "starts_on": "2024-03-01",
        }

    def edit_data(self, obj: TrainingClass) -> dict[str, Any]:
        return {
            "name": obj.name,
            "tier": "yinding",
            "region": obj.region_id,
            "starts_on": obj.starts_on.isoformat(),
            "ends_on": "2024-12-31",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"name": "接口班", "tier": "yinding", "region_code": code, "starts_on": "2024-04-01"}

    def api_patch(self, obj: TrainingClass) -> dict[str, Any]:
        return {"organiser": "市社会工作协会"}

    def object_label(self, obj: TrainingClass) -> str:
        return obj.name


class TestTrainingClassViews(TrainingClassCases, ModelViewTests):
    pass


class TestTrainingClassAPI(TrainingClassCases, ModelAPITests):
    pass


class CourseCases:
    model = Course
    list_params = {"q": "测试课"}

    def make_object(self, code: str, n: int = 0) -> Course:
        return helpers.course(code, title=f"测试课{n:03d}")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "title": "新课",
            "region": helpers.region(code).pk,
            "mode": "online",
            "held_on": "2024-05-01",
            "hours": "2.5",
        }

    def edit_data(self, obj: Course) -> dict[str, Any]:
        return {
            "title": obj.title,
            "region": obj.region_id,
            "mode": "online",
            "held_on": obj.held_on.isoformat(),
            "hours": "4",
            "teacher": "王老师",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "title": "接口课",
            "region_code": code,
            "mode": "offline",
            "held_on": "2024-05-02",
            "hours": "1.5",
        }

    def api_patch(self, obj: Course) -> dict[str, Any]:
        return {"teacher": "李老师"}

    def object_label(self, obj: Course) -> str:
        return obj.title


class TestCourseViews(CourseCases, ModelViewTests):
    pass


class TestCourseAPI(CourseCases, ModelAPITests):
    pass


class AttendanceCases:
    model = Attendance
    list_params = {"q": "测试学员"}

    def make_object(self, code: str, n: int = 0) -> Attendance:
        return Attendance.objects.create(
            course=helpers.course(code, title=f"课程{n:03d}"),
            social_worker=helpers.person(code, name=f"测试学员{n:03d}"),
            hours=Decimal("2"),
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "course": helpers.course(code, title="新课程").pk,
            "social_worker": helpers.person(code, name="新学员").pk,
            "hours": "1.5",
        }

    def edit_data(self, obj: Attendance) -> dict[str, Any]:
        return {"course": obj.course_id, "social_worker": obj.social_worker_id, "hours": "3"}

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "course": helpers.course(code, title="接口课程").pk,
            "social_worker": helpers.person(code, name="接口学员").pk,
            "hours": "2",
        }

    def api_patch(self, obj: Attendance) -> dict[str, Any]:
        return {"hours": "2.5"}

    def object_label(self, obj: Attendance) -> str:
        return obj.social_worker.name


class TestAttendanceViews(AttendanceCases, ModelViewTests):
    pass


class TestAttendanceAPI(AttendanceCases, ModelAPITests):
    pass


class SupervisorCases:
    model = Supervisor
    list_params = {"q": "测试督导"}

    def make_object(self, code: str, n: int = 0) -> Supervisor:
        return helpers.supervisor(code, name=f"测试督导{n:03d}", phone="13712345678")

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "name": "新督导",
            "level": "provincial",
            "region": helpers.region(code).pk,
            "phone": "13700001111",
        }

    def edit_data(self, obj: Supervisor) -> dict[str, Any]:
        return {
            "name": obj.name,
            "level": "domain_expert",
            "region": obj.region_id,
            "field": "老年社会工作",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {"name": "接口督导", "level": "city", "region_code": code}

    def api_patch(self, obj: Supervisor) -> dict[str, Any]:
        return {"organisation": "宁波大学"}

    def object_label(self, obj: Supervisor) -> str:
        return obj.name


class TestSupervisorViews(SupervisorCases, ModelViewTests):
    pass


class TestSupervisorAPI(SupervisorCases, ModelAPITests):
    pass


class SupervisionSessionCases:
    model = SupervisionSession
    list_params = {"q": "测试督导主题"}

    def make_object(self, code: str, n: int = 0) -> SupervisionSession:
        session = SupervisionSession.objects.create(
            supervisor=helpers.supervisor(code, name=f"督导{n:03d}"),
            station=helpers.station(code),
            held_on=date(2024, 3, 1),
            hours=Decimal("2"),
            topic=f"测试督导主题{n:03d}",
        )
        session.participants.add(helpers.person(code, name=f"参与者{n:03d}"))
        return session

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "supervisor": helpers.supervisor(code, name="新督导").pk,
            "station": helpers.station(code).pk,
            "held_on": "2024-06-01",
            "hours": "2",
            "topic": "新主题",
            "participants": [helpers.person(code, name="新参与者").pk],
        }

    def edit_data(self, obj: SupervisionSession) -> dict[str, Any]:
        return {
            "supervisor": obj.supervisor_id,
            "station": obj.station_id,
            "held_on": obj.held_on.isoformat(),
            "hours": "3",
            "topic": obj.topic,
            "participants": [p.pk for p in obj.participants.all()],
            "follow_ups": "整理个案记录",
            "follow_up_due": "2024-07-01",
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "supervisor": helpers.supervisor(code, name="接口督导").pk,
            "station": helpers.station(code).pk,
            "held_on": "2024-06-02",
            "hours": "1.5",
            "topic": "接口主题",
            "participants": [helpers.person(code, name="接口参与者").pk],
        }

    def api_patch(self, obj: SupervisionSession) -> dict[str, Any]:
        return {"follow_up_done": True}

    def object_label(self, obj: SupervisionSession) -> str:
        return obj.topic


class TestSupervisionSessionViews(SupervisionSessionCases, ModelViewTests):
    pass


class TestSupervisionSessionAPI(SupervisionSessionCases, ModelAPITests):
    def test_participants_outside_the_jurisdiction_are_refused(self, users: dict[str, Any]) -> None:
        data = self.api_data(helpers.CICHENG)
        data["participants"] = [helpers.person(helpers.YUEHU, name="外区社工").pk]
        response = self.api_client_for(users[Role.DISTRICT_OFFICER]).post(
            self.api_url(), data, format="json"
        )
        assert response.status_code == 400
        assert "participants" in response.json()
        assert not SupervisionSession.objects.exists()


class TalentEntryCases:
    model = TalentEntry
    list_params = {"q": "测试人才"}

    def make_object(self, code: str, n: int = 0) -> TalentEntry:
        return TalentEntry.objects.create(
            social_worker=helpers.person(code, name=f"人才{n:03d}"),
            catalogue="leading",
            listed_on=date(2023, 1, 1),
            note=f"测试人才{n:03d}",
        )

    def form_data(self, code: str) -> dict[str, Any]:
        return {
            "social_worker": helpers.person(code, name="新人才").pk,
            "catalogue": "high_level",
            "listed_on": "2024-01-01",
            "note": "新列入",
        }

    def edit_data(self, obj: TalentEntry) -> dict[str, Any]:
        return {
            "social_worker": obj.social_worker_id,
            "catalogue": "top_notch",
            "listed_on": obj.listed_on.isoformat(),
            "valid_until": "2026-12-31",
            "note": obj.note,
        }

    def api_data(self, code: str) -> dict[str, Any]:
        return {
            "social_worker": helpers.person(code, name="接口人才").pk,
            "catalogue": "leading",
            "listed_on": "2024-02-01",
        }

    def api_patch(self, obj: TalentEntry) -> dict[str, Any]:
        return {"note": "接口修改"}

    def object_label(self, obj: TalentEntry) -> str:
        return obj.note


class TestTalentEntryViews(TalentEntryCases, ModelViewTests):
    pass


class TestTalentEntryAPI(TalentEntryCases, ModelAPITests):
    pass


@pytest.mark.django_db
def test_every_list_page_answers(users: dict[str, Any]) -> None:
    """Smoke: the menu's pages open for the city bureau."""
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    for name in (
        "socialworker",
        "certificate",
        "rewardpolicy",
        "paymentbatch",
        "payment",
        "trainingclass",
        "course",
        "attendance",
        "supervisor",
        "supervisionsession",
        "talententry",
    ):
        assert client.get(f"/workforce/{_prefix(name)}").status_code == 200, name
    assert client.get("/workforce/statistics/").status_code == 200


def _prefix(name: str) -> str:
    return {
        "socialworker": "social-workers/",
        "certificate": "certificates/",
        "rewardpolicy": "reward-policies/",
        "paymentbatch": "payment-batches/",
        "payment": "payments/",
        "trainingclass": "training-classes/",
        "course": "courses/",
        "attendance": "attendance/",
        "supervisor": "supervisors/",
        "supervisionsession": "supervision-sessions/",
        "talententry": "talent/",
    }[name]
