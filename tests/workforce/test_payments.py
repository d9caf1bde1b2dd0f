"""Exam rewards and job allowances (domain.md §2): who is due what, batches, approval, payment,
never twice, roles and jurisdiction, the generate preview, the review page and the export."""

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from swstation.accounts.models import User
from swstation.core.dates import month_end
from swstation.core.roles import Role
from swstation.regions.models import Region
from swstation.stations.models import Station
from swstation.workforce.models import (
    BatchStatus,
    Certificate,
    Payment,
    PaymentBatch,
    PaymentKind,
    RewardPolicy,
    SocialWorker,
)
from swstation.workforce.selectors.payments import (
    allowances_due,
    months_in_period,
    rewards_due,
    totals_by_level,
)
from swstation.workforce.services.payments import (
    payment_batch_approve,
    payment_batch_create,
    payment_batch_delete_draft,
    payment_batch_mark_paid,
)
from tests.clients import client_for
from tests.conftest import CICHENG, CITY, HAISHU, JIANGBEI, YUEHU

pytestmark = pytest.mark.django_db

REWARD = PaymentKind.EXAM_REWARD
ALLOWANCE = PaymentKind.JOB_ALLOWANCE
YEAR_2023 = (date(2023, 1, 1), date(2023, 12, 31))
_numbers = itertools.count(1)


# --- test data ---------------------------------------------------------------------------


def make_person(code: str = CICHENG, **fields: Any) -> SocialWorker:
    fields.setdefault("name", f"社工{next(_numbers):03d}")
    return SocialWorker.objects.create(region=Region.objects.get(code=code), **fields)


def make_certificate(
    person: SocialWorker, level: str, obtained_on: date, **fields: Any
) -> Certificate:
    return Certificate.objects.create(
        social_worker=person,
        level=level,
        number=f"ZS{next(_numbers):08d}",
        obtained_on=obtained_on,
        **fields,
    )


def make_policy(kind: str, level: str, amount: int, **fields: Any) -> RewardPolicy:
    fields.setdefault("valid_from", date(2022, 1, 1))
    if kind == ALLOWANCE:
        # Allowances are for certified community workers wherever they sat the exam.
        fields.setdefault("excludes_civil_servants", False)
        fields.setdefault("requires_exam_in_city", False)
        fields.setdefault("requires_registration_in_city", False)
        fields.setdefault("requires_community_worker", True)
    return RewardPolicy.objects.create(kind=kind, level=level, amount=Decimal(amount), **fields)


@pytest.fixture
def policies(db: Any) -> dict[tuple[str, str], RewardPolicy]:
    """The city's notices from 2022: rewards 1,500/3,000/5,000; allowances 200/400/600 a month."""
    rules = {}
    for level, reward, allowance in (
        ("assistant", 1500, 200),
        ("intermediate", 3000, 400),
        ("senior", 5000, 600),
    ):
        rules[REWARD, level] = make_policy(REWARD, level, reward)
        rules[ALLOWANCE, level] = make_policy(ALLOWANCE, level, allowance)
    return rules


def jiangbei() -> Region:
    return Region.objects.get(code=JIANGBEI)


def city() -> Region:
    return Region.objects.get(code=CITY)


def due_rewards(actor: User, region: Region | None = None, period: tuple[date, date] = YEAR_2023):
    return rewards_due(
        actor=actor, region=region or jiangbei(), period_start=period[0], period_end=period[1]
    )


def due_allowances(actor: User, month: date, region: Region | None = None):
    return allowances_due(actor=actor, region=region or jiangbei(), month=month)


def create_batch(
    actor: User,
    kind: str = REWARD,
    region: Region | None = None,
    period: tuple[date, date] = YEAR_2023,
) -> PaymentBatch:
    return payment_batch_create(
        actor=actor,
        kind=kind,
        region=region or jiangbei(),
        period_start=period[0],
        period_end=period[1],
    )


def english_messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- exam rewards: eligibility rules one by one ----------------------------------------------


def test_reward_amounts_per_level_come_from_the_policy_data(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    for level in ("assistant", "intermediate", "senior"):
        make_certificate(make_person(), level, date(2023, 5, 10))
    lines = due_rewards(officer)
    assert sorted((line.certificate.level, line.amount) for line in lines) == [
        ("assistant", Decimal(1500)),
        ("intermediate", Decimal(3000)),
        ("senior", Decimal(5000)),
    ]
    assert all(line.policy == policies[REWARD, line.certificate.level] for line in lines)
    # The amounts are data: a changed rule changes the amount due.
    RewardPolicy.objects.filter(pk=policies[REWARD, "senior"].pk).update(amount=Decimal(8000))
    assert {line.amount for line in due_rewards(officer)} == {1500, 3000, 8000}


def test_civil_servants_are_excluded_when_the_rule_says_so(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    make_certificate(make_person(is_civil_servant=True), "assistant", date(2023, 3, 1))
    assert due_rewards(officer) == []
    RewardPolicy.objects.filter(pk=policies[REWARD, "assistant"].pk).update(
        excludes_civil_servants=False
    )
    assert len(due_rewards(officer)) == 1


def test_exam_sat_elsewhere_is_excluded(users, policies) -> None:
    make_certificate(make_person(), "intermediate", date(2023, 3, 1), exam_in_city=False)
    assert due_rewards(users[Role.DISTRICT_OFFICER]) == []


def test_certificate_registered_elsewhere_is_excluded(users, policies) -> None:
    make_certificate(make_person(), "intermediate", date(2023, 3, 1), registered_in_city=False)
    assert due_rewards(users[Role.DISTRICT_OFFICER]) == []


def test_reward_rule_valid_on_the_day_obtained_applies(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    old = policies[REWARD, "assistant"]
    RewardPolicy.objects.filter(pk=old.pk).update(valid_to=date(2023, 6, 30))
    new = make_policy(REWARD, "assistant", 2000, valid_from=date(2023, 7, 1))
    before = make_certificate(make_person(), "assistant", date(2023, 6, 30))
    after = make_certificate(make_person(), "assistant", date(2023, 7, 1))
    by_certificate = {line.certificate: line for line in due_rewards(officer)}
    assert (by_certificate[before].policy, by_certificate[before].amount) == (old, 1500)
    assert (by_certificate[after].policy, by_certificate[after].amount) == (new, 2000)


def test_no_reward_before_any_rule_was_valid(users, policies) -> None:
    make_certificate(make_person(), "senior", date(2021, 11, 1))
    period = (date(2021, 1, 1), date(2021, 12, 31))
    assert due_rewards(users[Role.DISTRICT_OFFICER], period=period) == []


def test_only_certificates_obtained_within_the_period(users, policies) -> None:
    person = make_person()
    make_certificate(person, "assistant", date(2022, 12, 31))
    inside = make_certificate(person, "intermediate", date(2023, 1, 1))
    assert [line.certificate for line in due_rewards(users[Role.DISTRICT_OFFICER])] == [inside]


def test_holder_who_left_before_obtaining_is_excluded(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    gone = make_person(left_on=date(2023, 2, 28))
    make_certificate(gone, "assistant", date(2023, 3, 1))
    stayed = make_person(left_on=date(2023, 3, 1))
    make_certificate(stayed, "assistant", date(2023, 3, 1))
    assert [line.social_worker for line in due_rewards(officer)] == [stayed]


def test_each_level_is_rewarded_once_per_person(users, policies) -> None:
    """A person first obtaining a higher level is rewarded for it too (one certificate per
    level: the constraint keeps "first obtains that level" true)."""
    admin = users[Role.CITY_ADMIN]
    person = make_person()
    make_certificate(person, "assistant", date(2022, 9, 1))
    create_batch(admin, period=(date(2022, 1, 1), date(2022, 12, 31)))
    make_certificate(person, "intermediate", date(2023, 9, 1))
    assert [(line.certificate.level, line.amount) for line in due_rewards(admin)] == [
        ("intermediate", 3000)
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        make_certificate(person, "intermediate", date(2023, 10, 1))


def test_rewards_follow_region_and_jurisdiction(users, policies) -> None:
    cicheng = make_person(CICHENG)
    yuehu = make_person(YUEHU)
    for person in (cicheng, yuehu):
        make_certificate(person, "assistant", date(2023, 4, 1))
    officer, admin = users[Role.DISTRICT_OFFICER], users[Role.CITY_ADMIN]
    assert [line.social_worker for line in due_rewards(officer)] == [cicheng]
    # The officer's scope bounds any region asked for.
    assert [line.social_worker for line in due_rewards(officer, region=city())] == [cicheng]
    assert {line.social_worker for line in due_rewards(admin, region=city())} == {cicheng, yuehu}
    assert [line.social_worker for line in due_rewards(admin, region=jiangbei())] == [cicheng]
    # Roles that may not see payments are told nothing.
    for role in (Role.SOCIAL_WORKER, Role.STATION_MANAGER, Role.SUPERVISOR):
        assert due_rewards(users[role]) == []


# --- job allowances --------------------------------------------------------------------------


def community_worker(code: str = CICHENG, **fields: Any) -> SocialWorker:
    return make_person(code, is_community_worker=True, is_fulltime=True, **fields)


def test_allowance_only_for_certified_fulltime_community_workers(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    month = date(2023, 6, 1)
    eligible = community_worker()
    make_certificate(eligible, "assistant", date(2023, 1, 1))
    not_community = make_person(is_community_worker=False, is_fulltime=True)
    make_certificate(not_community, "assistant", date(2023, 1, 1))
    part_time = make_person(is_community_worker=True, is_fulltime=False)
    make_certificate(part_time, "assistant", date(2023, 1, 1))
    community_worker()  # no certificate
    late = community_worker()
    make_certificate(late, "assistant", date(2023, 7, 1))  # after the month's end
    lines = due_allowances(officer, month)
    assert [(line.social_worker, line.month, line.amount) for line in lines] == [
        (eligible, month, Decimal(200))
    ]
    # Certified on the month's last day: due for that month.
    make_certificate(late, "intermediate", date(2023, 6, 30))
    assert {line.social_worker for line in due_allowances(officer, month)} == {eligible, late}


def test_allowance_pays_the_highest_level_held_that_month(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    person = community_worker()
    make_certificate(person, "assistant", date(2022, 5, 1))
    intermediate = make_certificate(person, "intermediate", date(2023, 3, 15))
    [february] = due_allowances(officer, date(2023, 2, 1))
    [march] = due_allowances(officer, date(2023, 3, 1))
    assert (february.certificate.level, february.amount) == ("assistant", 200)
    assert (march.certificate, march.amount) == (intermediate, 400)
    make_certificate(person, "senior", date(2023, 4, 2))
    assert [line.amount for line in due_allowances(officer, date(2023, 4, 1))] == [600]


def test_allowance_needs_the_person_still_working_at_the_months_end(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    leaving = community_worker(left_on=date(2023, 6, 15))
    make_certificate(leaving, "assistant", date(2022, 1, 1))
    staying = community_worker(left_on=date(2023, 6, 30))
    make_certificate(staying, "assistant", date(2022, 1, 1))
    hired_later = community_worker(hired_on=date(2023, 7, 3))
    make_certificate(hired_later, "assistant", date(2022, 1, 1))
    assert [line.social_worker for line in due_allowances(officer, date(2023, 6, 1))] == [staying]
    may = due_allowances(officer, date(2023, 5, 1))
    assert [line.social_worker for line in may] == [leaving, staying]


def test_allowance_rule_in_force_that_month_and_its_conditions(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    person = community_worker()
    make_certificate(person, "assistant", date(2022, 1, 1))
    RewardPolicy.objects.filter(pk=policies[ALLOWANCE, "assistant"].pk).update(
        valid_from=date(2023, 7, 1)
    )
    assert due_allowances(officer, date(2023, 6, 1)) == []
    assert len(due_allowances(officer, date(2023, 7, 1))) == 1
    # A rule that asks for registration in the city refuses a certificate registered elsewhere.
    RewardPolicy.objects.filter(pk=policies[ALLOWANCE, "assistant"].pk).update(
        requires_registration_in_city=True
    )
    Certificate.objects.filter(social_worker=person).update(registered_in_city=False)
    assert due_allowances(officer, date(2023, 7, 1)) == []


def test_allowance_batch_covers_each_month_of_the_period(users, policies) -> None:
    person = community_worker()
    make_certificate(person, "intermediate", date(2022, 1, 1))
    batch = create_batch(
        users[Role.DISTRICT_OFFICER], kind=ALLOWANCE, period=(date(2023, 1, 1), date(2023, 3, 31))
    )
    payments = list(batch.payments.order_by("month"))
    assert [(p.social_worker, p.month, p.amount) for p in payments] == [
        (person, date(2023, 1, 1), 400),
        (person, date(2023, 2, 1), 400),
        (person, date(2023, 3, 1), 400),
    ]
    assert all(p.kind == ALLOWANCE for p in payments)


def test_months_in_period() -> None:
    assert months_in_period(date(2023, 11, 1), date(2024, 2, 29)) == [
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]


# --- never twice ------------------------------------------------------------------------------


def test_a_second_batch_for_the_same_period_finds_nothing_due(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    make_certificate(make_person(), "assistant", date(2023, 5, 1))
    first = create_batch(officer)
    assert first.payments.count() == 1
    assert due_rewards(officer) == []
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        create_batch(officer)
    assert refused.value.code == "nothing_due"
    assert "Nothing is due" in english_messages(refused.value)
    assert PaymentBatch.objects.count() == 1


def test_lines_of_approved_and_paid_batches_are_never_due_again(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    make_certificate(make_person(), "assistant", date(2023, 5, 1))
    worker = community_worker()
    make_certificate(worker, "senior", date(2022, 5, 1))
    rewards = create_batch(officer)
    allowances = create_batch(officer, kind=ALLOWANCE, period=(date(2023, 5, 1), date(2023, 5, 31)))
    payment_batch_approve(actor=officer, batch=rewards)
    payment_batch_approve(actor=officer, batch=allowances)
    payment_batch_mark_paid(actor=officer, batch=allowances, paid_on=timezone.localdate())
    assert due_rewards(officer) == []
    assert due_allowances(officer, date(2023, 5, 1)) == []
    assert len(due_allowances(officer, date(2023, 6, 1))) == 1  # the next month is due


def test_a_city_batch_leaves_out_what_a_district_batch_took(users, policies) -> None:
    cicheng = make_person(CICHENG)
    yuehu = make_person(YUEHU)
    for person in (cicheng, yuehu):
        make_certificate(person, "assistant", date(2023, 4, 1))
    create_batch(users[Role.DISTRICT_OFFICER])
    city_batch = create_batch(users[Role.CITY_ADMIN], region=city())
    assert [p.social_worker for p in city_batch.payments.all()] == [yuehu]


def test_deleting_a_draft_makes_its_lines_due_again(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    certificate = make_certificate(make_person(), "intermediate", date(2023, 5, 1))
    batch = create_batch(officer)
    assert due_rewards(officer) == []
    payment_batch_delete_draft(actor=officer, batch=batch)
    assert not PaymentBatch.objects.filter(pk=batch.pk).exists()
    assert not Payment.objects.exists()
    assert [line.certificate for line in due_rewards(officer)] == [certificate]
    assert create_batch(officer).payments.get().certificate == certificate


def test_database_refuses_a_second_reward_or_allowance(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    make_certificate(make_person(), "assistant", date(2023, 5, 1))
    worker = community_worker()
    make_certificate(worker, "assistant", date(2022, 5, 1))
    reward = create_batch(officer).payments.get()
    allowance = create_batch(
        officer, kind=ALLOWANCE, period=(date(2023, 5, 1), date(2023, 5, 31))
    ).payments.get()
    other = PaymentBatch.objects.create(
        kind=REWARD, region=jiangbei(), period_start=date(2024, 1, 1), period_end=date(2024, 1, 31)
    )
    for original in (reward, allowance):
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.create(
                batch=other,
                kind=original.kind,
                social_worker=original.social_worker,
                certificate=original.certificate,
                policy=original.policy,
                month=original.month,
                amount=original.amount,
            )
    assert Payment.objects.count() == 2


def test_batch_creation_is_all_or_nothing(users, policies, monkeypatch) -> None:
    """A line taken by another batch meanwhile (the constraint fires) leaves no batch behind."""
    officer = users[Role.DISTRICT_OFFICER]
    make_certificate(make_person(), "assistant", date(2023, 5, 1))
    make_certificate(make_person(), "senior", date(2023, 6, 1))
    lines = due_rewards(officer)
    create_batch(officer)
    monkeypatch.setattr(
        "swstation.workforce.services.payments.batch_due_lines", lambda **kwargs: lines
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        create_batch(officer)
    assert refused.value.code == "taken"
    assert PaymentBatch.objects.count() == 1
    assert Payment.objects.count() == 2


# --- transitions --------------------------------------------------------------------------------


@pytest.fixture
def draft(users, policies) -> PaymentBatch:
    make_certificate(make_person(), "assistant", date(2023, 5, 1))
    make_certificate(make_person(), "senior", date(2023, 6, 1))
    return create_batch(users[Role.DISTRICT_OFFICER])


def test_new_batch_is_a_draft_with_history(users, draft) -> None:
    assert draft.status == BatchStatus.DRAFT
    assert (draft.kind, draft.region, draft.period_start) == (REWARD, jiangbei(), date(2023, 1, 1))
    assert draft.history.get().history_user == users[Role.DISTRICT_OFFICER]
    assert {p.history.get().history_user for p in draft.payments.all()} == {
        users[Role.DISTRICT_OFFICER]
    }


def test_approve_then_pay(users, draft) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    before = timezone.now()
    payment_batch_approve(actor=officer, batch=draft)
    draft.refresh_from_db()
    assert draft.status == BatchStatus.APPROVED
    assert draft.approved_by == officer
    assert draft.approved_at is not None and draft.approved_at >= before
    today = timezone.localdate()
    payment_batch_mark_paid(actor=users[Role.CITY_ADMIN], batch=draft, paid_on=today)
    draft.refresh_from_db()
    assert (draft.status, draft.paid_on) == (BatchStatus.PAID, today)
    assert draft.history.first().history_user == users[Role.CITY_ADMIN]


def test_transitions_out_of_order_are_refused(users, draft) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    today = timezone.localdate()
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            payment_batch_mark_paid(actor=officer, batch=draft, paid_on=today)
        assert "Only an approved batch can be marked as paid" in english_messages(refused.value)
        assert "status" in refused.value.message_dict
        payment_batch_approve(actor=officer, batch=draft)
        with pytest.raises(ValidationError) as refused:
            payment_batch_approve(actor=officer, batch=draft)
        assert "Only a draft batch can be approved" in english_messages(refused.value)
        with pytest.raises(ValidationError) as refused:
            payment_batch_delete_draft(actor=officer, batch=draft)
        assert "Only a draft batch can be deleted" in english_messages(refused.value)
        payment_batch_mark_paid(actor=officer, batch=draft, paid_on=today)
        with pytest.raises(ValidationError):
            payment_batch_mark_paid(actor=officer, batch=draft, paid_on=today)
        with pytest.raises(ValidationError):
            payment_batch_delete_draft(actor=officer, batch=draft)
    draft.refresh_from_db()
    assert draft.status == BatchStatus.PAID
    assert draft.payments.count() == 2


def test_an_approved_batch_cannot_be_deleted_by_any_path(users, draft) -> None:
    """The model refuses too, so the plain delete page and the API cannot free paid lines."""
    payment_batch_approve(actor=users[Role.DISTRICT_OFFICER], batch=draft)
    draft.refresh_from_db()
    with pytest.raises(ProtectedError):
        draft.delete()
    assert draft.payments.count() == 2
    assert due_rewards(users[Role.DISTRICT_OFFICER]) == []


def test_payment_date_not_before_approval_nor_in_the_future(users, draft) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    payment_batch_approve(actor=officer, batch=draft)
    today = timezone.localdate()
    for paid_on in (today - timedelta(days=1), today + timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            payment_batch_mark_paid(actor=officer, batch=draft, paid_on=paid_on)
        assert "paid_on" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.status == BatchStatus.APPROVED


# --- roles and jurisdiction ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.STATION_MANAGER, Role.SUPERVISOR, Role.AUDITOR]
)
def test_other_roles_may_not_create_approve_pay_or_delete(users, draft, role) -> None:
    actor = users[role]
    with pytest.raises(PermissionDenied):
        create_batch(actor, period=(date(2023, 1, 1), date(2023, 6, 30)))
    with pytest.raises(PermissionDenied):
        payment_batch_approve(actor=actor, batch=draft)
    with pytest.raises(PermissionDenied):
        payment_batch_delete_draft(actor=actor, batch=draft)
    payment_batch_approve(actor=users[Role.DISTRICT_OFFICER], batch=draft)
    with pytest.raises(PermissionDenied):
        payment_batch_mark_paid(actor=actor, batch=draft, paid_on=timezone.localdate())
    draft.refresh_from_db()
    assert draft.status == BatchStatus.APPROVED
    assert PaymentBatch.objects.count() == 1


def test_district_officer_cannot_pay_for_another_district(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    make_certificate(make_person(YUEHU), "assistant", date(2023, 5, 1))
    for region in (Region.objects.get(code=HAISHU), city()):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            create_batch(officer, region=region)
        assert "outside your jurisdiction" in refused.value.message_dict["region"][0]
    haishu_batch = create_batch(users[Role.CITY_ADMIN], region=Region.objects.get(code=HAISHU))
    with pytest.raises(PermissionDenied):
        payment_batch_approve(actor=officer, batch=haishu_batch)
    with pytest.raises(PermissionDenied):
        payment_batch_delete_draft(actor=officer, batch=haishu_batch)
    haishu_batch.refresh_from_db()
    assert haishu_batch.status == BatchStatus.DRAFT


def test_batch_request_rules(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    community = community_worker()
    make_certificate(community, "assistant", date(2022, 1, 1))
    refusals = [
        ({"region": Region.objects.get(code=CICHENG)}, "region"),
        ({"period": (date(2023, 5, 1), date(2023, 4, 30))}, "period_end"),
        ({"kind": ALLOWANCE, "period": (date(2023, 5, 2), date(2023, 5, 31))}, "period_start"),
        ({"kind": ALLOWANCE, "period": (date(2023, 5, 1), date(2023, 5, 30))}, "period_end"),
    ]
    # Allowances for a month that has not begun.
    coming = (timezone.localdate().replace(day=28) + timedelta(days=4)).replace(day=1)
    refusals.append(({"kind": ALLOWANCE, "period": (coming, month_end(coming))}, "period_end"))
    for arguments, field in refusals:
        with pytest.raises(ValidationError) as refused:
            create_batch(officer, **arguments)
        assert field in refused.value.message_dict, arguments
    assert not PaymentBatch.objects.exists()


# --- pure helpers -------------------------------------------------------------------------------


def test_totals_by_level(users, policies) -> None:
    for level in ("senior", "assistant", "assistant"):
        make_certificate(make_person(), level, date(2023, 5, 1))
    totals, count, amount = totals_by_level(due_rewards(users[Role.CITY_ADMIN]))
    assert [(t.level, t.count, t.amount) for t in totals] == [
        ("assistant", 2, 3000),
        ("senior", 1, 5000),
    ]
    assert (count, amount) == (3, 8000)


# --- pages --------------------------------------------------------------------------------------


GENERATE = "workforce:paymentbatch_generate"


def batch_url(name: str, batch: PaymentBatch) -> str:
    return reverse(f"workforce:paymentbatch_{name}", args=[batch.pk])


def request_data(
    kind: str = REWARD, region: str = JIANGBEI, period: tuple[date, date] = YEAR_2023
) -> dict[str, Any]:
    return {
        "kind": kind,
        "region": Region.objects.get(code=region).pk,
        "period_start": period[0].isoformat(),
        "period_end": period[1].isoformat(),
    }


def test_generate_page_needs_login() -> None:
    response = Client().get(reverse(GENERATE))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CITY_ADMIN, 200),
        (Role.DISTRICT_OFFICER, 200),
        (Role.STATION_MANAGER, 403),
        (Role.SOCIAL_WORKER, 403),
        (Role.SUPERVISOR, 403),
        (Role.AUDITOR, 403),
    ],
)
def test_generate_page_by_role(users, role, status) -> None:
    client = client_for(users[role])
    assert client.get(reverse(GENERATE)).status_code == status
    assert client.post(reverse(GENERATE), request_data()).status_code == status


def test_generate_region_choices_are_the_actors_city_or_counties(users) -> None:
    response = client_for(users[Role.DISTRICT_OFFICER]).get(reverse(GENERATE))
    choices = list(response.context["form"].fields["region"].queryset)
    assert choices == [jiangbei()]
    assert response.context["form"].initial["region"] == jiangbei()
    admin_choices = client_for(users[Role.CITY_ADMIN]).get(reverse(GENERATE))
    codes = {r.code for r in admin_choices.context["form"].fields["region"].queryset}
    assert {CITY, JIANGBEI, HAISHU} <= codes
    assert CICHENG not in codes


def test_generate_preview_shows_lines_and_totals_without_creating(users, policies) -> None:
    make_certificate(make_person(name="张三"), "assistant", date(2023, 5, 1))
    make_certificate(make_person(name="李四"), "assistant", date(2023, 6, 1))
    make_certificate(make_person(name="王五"), "senior", date(2023, 7, 1))
    make_certificate(make_person(YUEHU, name="赵六"), "senior", date(2023, 7, 1))
    response = client_for(users[Role.DISTRICT_OFFICER]).get(reverse(GENERATE), request_data())
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [(t.level, t.count, t.amount) for t in preview["level_totals"]] == [
        ("assistant", 2, 3000),
        ("senior", 1, 5000),
    ]
    assert (preview["count"], preview["amount"]) == (3, 8000)
    html = response.content.decode()
    for name in ("张三", "李四", "王五"):
        assert name in html
    assert "赵六" not in html
    assert 'id="confirm-batch"' in html
    assert not PaymentBatch.objects.exists()


def test_generate_preview_with_nothing_due(users, policies) -> None:
    response = client_for(users[Role.DISTRICT_OFFICER]).get(reverse(GENERATE), request_data())
    assert response.context["preview"]["count"] == 0
    assert 'id="nothing-due"' in response.content.decode()
    assert 'id="confirm-batch"' not in response.content.decode()


def test_generate_refuses_a_region_outside_the_jurisdiction(users, policies) -> None:
    make_certificate(make_person(YUEHU), "assistant", date(2023, 5, 1))
    client = client_for(users[Role.DISTRICT_OFFICER])
    for method in (client.get, client.post):
        response = method(reverse(GENERATE), request_data(region=HAISHU))
        assert response.status_code == 200
        assert response.context["form"].errors["region"]
        assert response.context["preview"] is None
    assert not PaymentBatch.objects.exists()


def test_generate_shows_service_errors_on_the_form(users, policies) -> None:
    client = client_for(users[Role.DISTRICT_OFFICER])
    data = request_data(kind=ALLOWANCE, period=(date(2023, 5, 3), date(2023, 5, 31)))
    response = client.get(reverse(GENERATE), data)
    assert response.context["form"].errors["period_start"]
    response = client.post(reverse(GENERATE), request_data())  # nothing due
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not PaymentBatch.objects.exists()


def test_generate_confirm_creates_the_draft_and_opens_its_review(users, policies) -> None:
    make_certificate(make_person(), "intermediate", date(2023, 5, 1))
    client = client_for(users[Role.DISTRICT_OFFICER])
    response = client.post(reverse(GENERATE), request_data())
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workforce:paymentbatch_review", args=[batch.pk])
    assert batch.status == BatchStatus.DRAFT
    assert batch.payments.get().amount == 3000


def test_review_page_lines_totals_and_buttons(users, draft) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    url = reverse("workforce:paymentbatch_review", args=[draft.pk])
    response = client_for(officer).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["count"] == 2 and response.context["amount"] == 6500
    for payment in draft.payments.all():
        assert payment.certificate.number in html
    assert 'id="approve-batch"' in html and 'id="discard-batch"' in html
    assert 'id="pay-batch"' not in html
    auditor_html = client_for(users[Role.AUDITOR]).get(url).content.decode()
    assert 'id="export-batch"' in auditor_html
    assert 'id="approve-batch"' not in auditor_html and 'id="discard-batch"' not in auditor_html
    assert client_for(users[Role.SOCIAL_WORKER]).get(url).status_code == 403


def test_review_page_of_another_district_is_not_found(users, policies) -> None:
    make_certificate(make_person(YUEHU), "assistant", date(2023, 5, 1))
    batch = create_batch(users[Role.CITY_ADMIN], region=Region.objects.get(code=HAISHU))
    client = client_for(users[Role.DISTRICT_OFFICER])
    for name in ("review", "export"):
        assert client.get(batch_url(name, batch)).status_code == 404
    for name in ("approve", "pay", "discard"):
        assert client.post(batch_url(name, batch)).status_code == 404
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT


def test_approve_and_pay_through_the_pages(users, draft) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    client = client_for(officer)
    review = reverse("workforce:paymentbatch_review", args=[draft.pk])
    approve = reverse("workforce:paymentbatch_approve", args=[draft.pk])
    pay = reverse("workforce:paymentbatch_pay", args=[draft.pk])
    assert client.get(approve).status_code == 405
    assert client_for(users[Role.AUDITOR]).post(approve).status_code == 403
    response = client.post(approve)
    assert (response.status_code, response["Location"]) == (302, review)
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == (BatchStatus.APPROVED, officer)
    # A second approval is refused with a message, nothing changes.
    response = client.post(approve, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert 'id="pay-batch"' in response.content.decode()
    response = client.post(pay, {"paid_on": "not a date"}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    today = timezone.localdate()
    response = client.post(pay, {"paid_on": today.isoformat()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.paid_on) == (BatchStatus.PAID, today)
    html = client.get(review).content.decode()
    assert 'id="pay-batch"' not in html and 'id="approve-batch"' not in html


def test_discard_draft_through_the_page(users, draft) -> None:
    client = client_for(users[Role.DISTRICT_OFFICER])
    response = client.post(reverse("workforce:paymentbatch_discard", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("workforce:paymentbatch_list")
    assert not PaymentBatch.objects.exists()
    assert len(due_rewards(users[Role.DISTRICT_OFFICER])) == 2


def test_export_is_the_reviewable_payment_list(users, policies) -> None:
    officer = users[Role.DISTRICT_OFFICER]
    station = Station.objects.create(
        name="慈城镇社会工作站", kind="township", region=Region.objects.get(code=CICHENG)
    )
    person = make_person(name="张三", phone="13812345678", station=station)
    certificate = make_certificate(person, "intermediate", date(2022, 3, 5))
    RewardPolicy.objects.filter(kind=ALLOWANCE).update(requires_community_worker=False)
    SocialWorker.objects.filter(pk=person.pk).update(is_community_worker=True)
    batch = create_batch(officer, kind=ALLOWANCE, period=(date(2023, 1, 1), date(2023, 2, 28)))
    payment_batch_approve(actor=officer, batch=batch)

    response = client_for(users[Role.AUDITOR]).get(
        reverse("workforce:paymentbatch_export", args=[batch.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    # Named in Chinese (RFC 5987): 发放名单-江北区-202301-202302-<today>.xlsx
    assert (
        "filename*=UTF-8''%E5%8F%91%E6%94%BE%E5%90%8D%E5%8D%95-" in response["Content-Disposition"]
    )
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert str(batch) in rows[0][0]
    assert rows[1][1] == "江北区"
    header_index = 3  # after the title, the batch's region and status, and a blank row
    assert not any(rows[header_index - 1])
    assert len(rows) == header_index + 4  # header, two lines, the total
    lines = rows[header_index + 1 : header_index + 3]
    assert [row[:7] for row in lines] == [
        (
            n,
            "张三",
            "138****5678",
            "慈城镇社会工作站",
            "慈城镇",
            certificate.get_level_display(),
            certificate.number,
        )
        for n in (1, 2)
    ]
    assert [row[7].date() for row in lines] == [date(2022, 3, 5)] * 2
    assert [(row[8], row[9]) for row in lines] == [("2023-01", 400), ("2023-02", 400)]
    total = rows[header_index + 3]
    assert (total[8], total[9]) == (2, 800)
    assert "13812345678" not in str(rows)


def test_export_and_review_need_a_role_that_reads_batches(users, draft) -> None:
    for role in (Role.SOCIAL_WORKER, Role.STATION_MANAGER, Role.SUPERVISOR):
        client = client_for(users[role])
        for name in ("review", "export"):
            assert client.get(batch_url(name, draft)).status_code == 403
        for name in ("approve", "pay", "discard"):
            assert client.post(batch_url(name, draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == BatchStatus.DRAFT


def test_query_count_of_generate_preview_stays_flat(
    users, policies, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    client = client_for(users[Role.DISTRICT_OFFICER])
    data = request_data(kind=ALLOWANCE, period=(date(2023, 1, 1), date(2023, 3, 31)))
    for _ in range(3):
        make_certificate(community_worker(), "assistant", date(2022, 1, 1))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse(GENERATE), data)
    for _ in range(20):
        make_certificate(community_worker(), "senior", date(2022, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(GENERATE), data)
    assert response.context["preview"]["count"] == 69
