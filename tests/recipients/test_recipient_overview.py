"""The person at the centre (issue 10): a recipient's page shows everything about them — cases
with their stage and next step, visit plans with the next visit due, recent services,
assessments under both elderly standards, child needs assessments, project enrolments,
categories with their validity, registration and exit — and a timeline of all of it, with the
actions a worker takes from there, preset with the person, the worker and the case.

Each role sees what its lists show it (a social worker their own cases, an auditor masked data
and no minors, no child needs assessment); a role outside the jurisdiction gets a 404; each
section holds this person's records and no one else's; the action links carry their presets
and the forms open with them; the page's queries do not grow with the person's records."""

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from swstation.cases.models import (
    CaseStage,
    CaseStageChange,
    ChildNeedsAssessment,
    ElderlyAssessment,
    ServiceRecord,
)
from swstation.core.roles import Role
from swstation.projects.models import ProjectStatus
from swstation.recipients.models import CategoryPeriod, Recipient
from swstation.recipients.overview import Overview
from tests.cases import case_builders as cb
from tests.cases import test_records_fixtures as rb
from tests.clients import client_for
from tests.projects import helpers as ph
from tests.recipients.helpers import (
    CICHENG,
    YUEHU,
    category,
    id_number,
    make_household,
    make_recipient,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def elderly(person: Recipient, by: Any, on: date, standard: str, level: int, **extra: Any) -> Any:
    return ElderlyAssessment.objects.create(
        recipient=person,
        assessed_on=on,
        standard=standard,
        reason="initial",
        assessor=by,
        second_assessor=by,
        base_level=level,
        level=level,
        next_due=extra.pop("next_due", on + timedelta(days=180)),
        **extra,
    )


def service(person: Recipient, by: Any, on: date, **extra: Any) -> ServiceRecord:
    return ServiceRecord.objects.create(
        recipient=person,
        worker=by,
        station=by.station,
        served_on=on,
        service_type=extra.pop("service_type", "home_visit"),
        duration_minutes=extra.pop("duration_minutes", 30),
        **extra,
    )


def opened(case: Any, on: date) -> None:
    """The stage log of a case made through the ORM: its opening and a step to its stage."""
    CaseStageChange.objects.create(case=case, to_stage="intake", changed_on=on)
    if case.stage != "intake":
        CaseStageChange.objects.create(
            case=case, from_stage="intake", to_stage=case.stage, changed_on=on + timedelta(days=3)
        )


@pytest.fixture
def world(users: dict[str, Any]) -> SimpleNamespace:
    """张阿婆 of 慈城镇 with a household, two categories (one ended), her own case with the
    fixture social worker, a colleague's case, a closed case, services, a visit plan overdue,
    assessments under both standards and a project enrolment; 李阿公 beside her with records
    of his own that must never show on her page."""
    me = cb.worker_of(users[Role.SOCIAL_WORKER])
    colleague = cb.worker(CICHENG, name="同事社工")
    supervisor = cb.supervisor_of(users[Role.SUPERVISOR])
    station = me.station
    household = make_household(head_name="张大伯")
    person = make_recipient(
        name="张阿婆",
        birth=date(1940, 5, 17),
        number=id_number(date(1940, 5, 17)),
        phone="13805741234",
        address="慈城镇民生路88号",
        health_notes="高血压，每日服药",
        household=household,
        station=station,
        categories=("elderly_living_alone", "subsistence_allowance"),
        registered_on=date(2023, 2, 1),
        categories_since=date(2023, 2, 1),
    )
    # 低保 ended: a closed period (the open one is closed by hand, as the services would).
    CategoryPeriod.objects.filter(
        recipient=person, category=category("subsistence_allowance")
    ).update(valid_to=date(2024, 6, 30))
    person.categories.remove(category("subsistence_allowance"))
    other = make_recipient(name="李阿公", birth=date(1938, 1, 2), station=station)

    mine = cb.make_case(
        recipient=person,
        case_worker=me,
        case_supervisor=supervisor,
        stage=CaseStage.INTERVENTION,
        opened_on=date(2024, 3, 1),
    )
    opened(mine, date(2024, 3, 1))
    cb.goal(mine, "每周两次送餐", target_date=days_ago(5))
    theirs = cb.make_case(
        recipient=person,
        case_worker=colleague,
        case_supervisor=supervisor,
        stage=CaseStage.ASSESSMENT,
        opened_on=date(2024, 5, 1),
    )
    closed = cb.make_case(
        recipient=person,
        case_worker=me,
        case_supervisor=supervisor,
        stage=CaseStage.CLOSED,
        opened_on=date(2023, 3, 1),
        closed_on=date(2023, 9, 1),
    )
    others_case = cb.make_case(
        recipient=other, case_worker=me, case_supervisor=supervisor, opened_on=date(2024, 4, 1)
    )

    services = [
        service(person, me, days_ago(20), service_type="health_visit", notes="量血压正常"),
        service(person, colleague, days_ago(40), notes="陪同就医"),
        service(person, me, days_ago(60), case=mine, notes="送米送油"),
    ]
    others_service = service(other, me, days_ago(2), notes="李阿公的服务记录")

    plan = rb.schedule(person, me, days_ago(90), times_per_month=2)  # last visit 20 days ago
    ended_plan = rb.schedule(
        person, colleague, date(2023, 1, 1), service_type="phone", ends_on=date(2023, 12, 31)
    )
    others_plan = rb.schedule(other, me, days_ago(30), service_type="phone")

    old = elderly(person, me, date(2024, 1, 10), "MZ/T 039-2013", 1)
    new = elderly(person, me, days_ago(200), "GB/T 42195-2022", 2, next_due=days_ago(20))
    others_assessment = elderly(other, me, days_ago(30), "GB/T 42195-2022", 3)

    project = ph.project(CICHENG, status=ProjectStatus.RUNNING, name="幸福来敲门")
    enrolment = ph.enrolment(project, person, enrolled_on=date(2024, 3, 1))
    other_project = ph.project(CICHENG, status=ProjectStatus.RUNNING, name="邻里守望")
    others_enrolment = ph.enrolment(other_project, other, enrolled_on=date(2024, 3, 1))
    return SimpleNamespace(**locals())


def overview_of(client: Client, person: Recipient) -> tuple[Overview, str]:
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    return response.context["overview"], response.content.decode()


def section(overview: Overview, key: str) -> Any:
    found = [s for s in overview.sections if s.key == key]
    assert len(found) == 1, key
    return found[0]


def case_pks(overview: Overview) -> set[int]:
    return {row.case.pk for row in section(overview, "cases").data["rows"]}


# --- each section: this person's records, and no one else's -------------------------------


def test_each_section_shows_the_persons_records_and_not_anothers(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    overview, body = overview_of(client_for(users[Role.STATION_MANAGER]), world.person)

    assert case_pks(overview) == {world.mine.pk, world.theirs.pk, world.closed.pk}
    rows = section(overview, "cases").data["rows"]
    # Open cases first, each with its next step; the closed one last.
    assert [row.case.pk for row in rows][-1] == world.closed.pk
    by_case = {row.case.pk: row for row in rows}
    assert by_case[world.mine.pk].step == "完成介入，进入评估"
    assert by_case[world.mine.pk].goals_overdue == 1
    assert by_case[world.theirs.pk].step == "制定服务计划"
    assert by_case[world.closed.pk].step == "" and not by_case[world.closed.pk].open
    assert world.others_case.number not in body

    services = section(overview, "services")
    assert {r.pk for r in services.data["rows"]} == {s.pk for s in world.services}
    assert services.count == 3
    assert "量血压正常" in body and "李阿公的服务记录" not in body
    assert f'data-service="{world.others_service.pk}"' not in body
    # "All" opens the service list of this person only.
    listing = client_for(users[Role.STATION_MANAGER]).get(services.more_url).content.decode()
    for record in world.services:
        assert f'href="{record.get_absolute_url()}"' in listing
    assert f'href="{world.others_service.get_absolute_url()}"' not in listing

    plans = {row.schedule.pk: row for row in section(overview, "visits").data["rows"]}
    assert set(plans) == {world.plan.pk, world.ended_plan.pk}
    # Twice a month: due 15 days after the last health visit, 20 days ago: 5 days overdue.
    assert plans[world.plan.pk].next_due_on == days_ago(5)
    assert plans[world.plan.pk].overdue and plans[world.plan.pk].overdue_days == 5
    assert not plans[world.ended_plan.pk].running
    assert f'data-schedule="{world.others_plan.pk}"' not in body

    assessments = section(overview, "assessments").data
    assert [row.assessment.pk for row in assessments["elderly"]] == [world.new.pk, world.old.pk]
    assert f'data-assessment="{world.others_assessment.pk}"' not in body

    projects = section(overview, "projects").data["rows"]
    assert [e.pk for e in projects] == [world.enrolment.pk]
    assert "幸福来敲门" in body and "邻里守望" not in body

    periods = section(overview, "categories").data
    assert {(p.category.code, p.valid_to) for p in periods} == {
        ("elderly_living_alone", None),
        ("subsistence_allowance", date(2024, 6, 30)),
    }
    assert "2024-06-30" in body
    assert 'id="household-members"' in body and "张大伯" in body


def test_each_assessment_shows_its_standard_and_level(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    overview, body = overview_of(client_for(users[Role.SOCIAL_WORKER]), world.person)
    rows = section(overview, "assessments").data["elderly"]
    assert rows[0].result.startswith("GB/T 42195-2022 · 2 ")
    assert rows[1].result.startswith("MZ/T 039-2013 · 1 ")
    # Each level named by its own standard, never a bare number.
    assert rows[0].result != "GB/T 42195-2022 · 2" and rows[1].result != "MZ/T 039-2013 · 1"
    assert rows[0].result in body and rows[1].result in body
    # The latest one's reassessment is overdue (due 20 days ago): the summary says so.
    facts = {fact.key: fact for fact in overview.facts}
    assert facts["capability"].value == rows[0].result
    assert facts["capability"].tone == "danger"
    assert rows[0].overdue and not rows[1].overdue


def test_the_summary_says_who_is_responsible_and_what_is_overdue(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    overview, body = overview_of(client_for(users[Role.STATION_MANAGER]), world.person)
    facts = {fact.key: fact for fact in overview.facts}
    assert facts["categories"].value == "独居老人"  # 低保 ended
    assert set(facts["responsible"].value.split("、")) == {world.me.name, "同事社工"}
    assert facts["visits_overdue"].value == "1"
    assert facts["last_service"].value.startswith(days_ago(20).isoformat())
    assert facts["projects"].value == "幸福来敲门"
    assert facts["registered"].value == "2023-02-01"
    assert facts["station"].value == world.station.name
    for key in ("categories", "capability", "responsible", "visits_overdue", "projects"):
        assert f'id="fact-{key}"' in body


def test_the_timeline_holds_everything_newest_first(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    overview, body = overview_of(client_for(users[Role.STATION_MANAGER]), world.person)
    events = overview.events
    assert [e.day for e in events] == sorted((e.day for e in events), reverse=True)
    kinds = {e.kind for e in events}
    assert kinds >= {
        "registration",
        "category",
        "case",
        "service",
        "assessment",
        "visit_plan",
        "project",
    }
    titles = [e.title for e in events]
    assert "登记为服务对象" in titles
    assert "列入类别 低保" in titles and "退出类别 低保" in titles
    assert any(t.startswith("开案（") for t in titles)  # from the stage log
    assert any(world.mine.number in e.detail for e in events if e.kind == "case")
    assert sum(e.kind == "service" for e in events) == 3
    assert "李阿公" not in " ".join(titles + [e.detail for e in events])
    assert 'id="overview-timeline"' in body


# --- each role --------------------------------------------------------------------------------


def test_a_social_worker_sees_their_own_cases_and_every_service(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    overview, body = overview_of(client_for(users[Role.SOCIAL_WORKER]), world.person)
    # Their own cases only, as on the case list; the colleague's services and plans are the
    # station's and show.
    assert case_pks(overview) == {world.mine.pk, world.closed.pk}
    assert world.theirs.number not in body
    assert {r.pk for r in section(overview, "services").data["rows"]} == {
        s.pk for s in world.services
    }
    assert {row.schedule.pk for row in section(overview, "visits").data["rows"]} == {
        world.plan.pk,
        world.ended_plan.pk,
    }
    # Health notes for those who serve, shown on request (logged: test_reveal.py).
    assert "高血压，每日服药" not in body and 'value="health_notes"' in body
    assert {a.key for a in overview.actions} == {
        "record_service",
        "assess_elderly",
        "plan_visits",
        "enrol",
        "refer",
    }  # no new case while one is open


@pytest.mark.parametrize(
    "role", [Role.STATION_MANAGER, Role.DISTRICT_OFFICER, Role.CITY_ADMIN, Role.SUPERVISOR]
)
def test_the_page_per_role(users: dict[str, Any], world: SimpleNamespace, role: str) -> None:
    overview, body = overview_of(client_for(users[role]), world.person)
    expected_cases = {world.mine.pk, world.theirs.pk, world.closed.pk}
    assert case_pks(overview) == expected_cases  # the supervisor supervises all three
    assert world.person.name in body and 'value="health_notes"' in body
    actions = {a.key for a in overview.actions}
    if role == Role.SUPERVISOR:
        assert actions == set()  # supervisors read cases, they record nothing here
    else:
        assert {"record_service", "assess_elderly", "plan_visits"} <= actions


def test_an_auditor_reads_the_page_masked_and_does_nothing(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    overview, body = overview_of(client_for(users[Role.AUDITOR]), world.person)
    assert overview.actions == [] and 'id="recipient-actions"' not in body
    assert case_pks(overview) == {world.mine.pk, world.theirs.pk, world.closed.pk}
    # Date of birth as its age band, no exact age, no address, no health notes, no number.
    assert "1940-05-17" not in body and "85–89岁" in body and "86岁" not in body
    assert "慈城镇民生路88号" not in body
    assert "高血压" not in body
    assert "13805741234" not in body and world.person.phone_masked in body
    # Their work is readable: cases, services, assessments under their standard.
    assert "量血压正常" in body and "GB/T 42195-2022 · 2" in body


def test_an_auditor_never_opens_a_minor_and_a_worker_sees_the_childs_needs(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    child = make_recipient(name="王小妹", birth=TODAY.replace(year=TODAY.year - 9, day=1))
    assessment = ChildNeedsAssessment.objects.create(
        recipient=child,
        assessed_on=days_ago(30),
        assessor=world.me,
        risk_level=2,
        help_plan="一人一案：每周探访",
        next_due=days_ago(-60),
    )
    assert client_for(users[Role.AUDITOR]).get(child.get_absolute_url()).status_code == 404
    overview, body = overview_of(client_for(users[Role.SOCIAL_WORKER]), child)
    rows = section(overview, "assessments").data["child"]
    assert [row.assessment.pk for row in rows] == [assessment.pk]
    assert rows[0].result == "中风险"
    assert "swstation-child-needs" not in body
    facts = {fact.key: fact for fact in overview.facts}
    assert facts["child_risk"].value == "中风险"
    # A child: the child needs assessment is offered, not the elderly one.
    actions = {a.key for a in overview.actions}
    assert "assess_child" in actions and "assess_elderly" not in actions


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.SOCIAL_WORKER, YUEHU), (Role.STATION_MANAGER, YUEHU), (Role.DISTRICT_OFFICER, None)],
)
def test_a_role_outside_the_jurisdiction_is_refused_404(
    make_user: Any, world: SimpleNamespace, role: str, code: str | None
) -> None:
    user = make_user(role, code or "330203000000")  # 月湖街道 / 海曙区
    response = client_for(user).get(world.person.get_absolute_url())
    assert response.status_code == 404
    assert world.person.name not in response.content.decode()


# --- actions and their presets ------------------------------------------------------------


def params(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_the_action_links_carry_the_person_the_worker_and_the_case(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    overview, body = overview_of(client_for(users[Role.SOCIAL_WORKER]), world.person)
    actions = {a.key: a for a in overview.actions}
    person, me, station = str(world.person.pk), str(world.me.pk), str(world.station.pk)
    record = actions["record_service"]
    assert record.primary and record.url.startswith(reverse("cases:servicerecord_add"))
    # The worker sees one open case of hers: it is preset.
    assert params(record.url) == {
        "recipient": person,
        "case": str(world.mine.pk),
        "worker": me,
        "station": station,
    }
    assess = actions["assess_elderly"]
    assert params(assess.url) == {
        "recipient": person,
        "case": str(world.mine.pk),
        "assessor": me,
        "reason": "routine",  # she was assessed before
    }
    assert params(actions["plan_visits"].url) == {"recipient": person, "worker": me}
    assert params(actions["enrol"].url) == {"recipient": person, "enrolled_on": TODAY.isoformat()}
    for action in overview.actions:
        assert f'id="action-{action.key}"' in body
        assert action.url.replace("&", "&amp;") in body
    # The overdue plan's row records a visit of its own kind.
    plan = next(r for r in section(overview, "visits").data["rows"] if r.schedule == world.plan)
    assert params(plan.record_url)["service_type"] == "health_visit"
    # Each open case of the worker's records a service within it.
    row = next(r for r in section(overview, "cases").data["rows"] if r.case == world.mine)
    assert params(row.record_url)["case"] == str(world.mine.pk)


def test_a_manager_without_a_worker_record_gets_no_worker_and_no_doubtful_case(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    overview, _ = overview_of(client_for(users[Role.STATION_MANAGER]), world.person)
    record = next(a for a in overview.actions if a.key == "record_service")
    # Two open cases: which one is not for the page to guess; no worker record of her own.
    assert params(record.url) == {
        "recipient": str(world.person.pk),
        "station": str(world.station.pk),
    }


def test_the_forms_open_with_the_presets(users: dict[str, Any], world: SimpleNamespace) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    overview, _ = overview_of(client, world.person)
    actions = {a.key: a for a in overview.actions}

    form = client.get(actions["record_service"].url).context["form"]
    assert str(form["recipient"].value()) == str(world.person.pk)
    assert str(form["case"].value()) == str(world.mine.pk)
    assert str(form["worker"].value()) == str(world.me.pk)
    assert str(form["station"].value()) == str(world.station.pk)
    # Every preset is a choice the form offers.
    for name, value in (("case", world.mine), ("worker", world.me), ("station", world.station)):
        assert form.fields[name].queryset.filter(pk=value.pk).exists(), name
    assert form.fields["recipient"].queryset.filter(pk=world.person.pk).exists()
    page = client.get(actions["record_service"].url).content.decode()
    assert f'value="{world.person.pk}" checked' in page  # the person is chosen in the picker

    form = client.get(actions["assess_elderly"].url).context["form"]
    assert str(form["recipient"].value()) == str(world.person.pk)
    assert str(form["assessor"].value()) == str(world.me.pk)
    assert str(form["case"].value()) == str(world.mine.pk)
    assert form["reason"].value() == "routine"

    form = client.get(actions["plan_visits"].url).context["form"]
    assert str(form["recipient"].value()) == str(world.person.pk)
    assert str(form["worker"].value()) == str(world.me.pk)

    form = client.get(actions["enrol"].url).context["form"]
    assert str(form["recipient"].value()) == str(world.person.pk)
    assert str(form["enrolled_on"].value()) == TODAY.isoformat()

    # With no open case, a new one is offered, preset with the person, the station, the worker.
    ServiceRecord.objects.filter(case=world.mine).update(case=None)
    world.mine.stage = CaseStage.CLOSED
    world.mine.save()
    overview, _ = overview_of(client, world.person)
    case_action = next(a for a in overview.actions if a.key == "open_case")
    form = client.get(case_action.url).context["form"]
    assert str(form["recipient"].value()) == str(world.person.pk)
    assert str(form["station"].value()) == str(world.station.pk)
    assert str(form["worker"].value()) == str(world.me.pk)


def test_a_service_recorded_from_the_preset_form_is_the_persons(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    overview, _ = overview_of(client, world.person)
    url = next(a for a in overview.actions if a.key == "record_service").url
    data = {
        **params(url),
        "served_on": TODAY.isoformat(),
        "service_type": "home_visit",
        "duration_minutes": "45",
        "notes": "从对象页面登记",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ServiceRecord.objects.get(notes="从对象页面登记")
    assert (record.recipient, record.case, record.worker, record.station) == (
        world.person,
        world.mine,
        world.me,
        world.station,
    )
    _, body = overview_of(client, world.person)
    assert "从对象页面登记" in body


def test_no_action_for_a_person_no_longer_served_nor_for_a_merged_record(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    Recipient.objects.filter(pk=world.person.pk).update(
        status="deceased", exited_on=days_ago(1), exit_reason="deceased"
    )
    overview, body = overview_of(client, world.person)
    assert overview.actions == [] and 'id="recipient-actions"' not in body
    facts = {fact.key: fact for fact in overview.facts}
    assert facts["exited"].value.startswith(days_ago(1).isoformat())
    assert any(e.title.startswith("退出服务") for e in overview.events)
    # No reassessment or visit is due for her any more.
    assert not any(row.overdue for row in section(overview, "assessments").data["elderly"])

    # A merged record is history: its page offers nothing (a manager, who may do the most).
    Recipient.objects.filter(pk=world.other.pk).update(status="merged", merged_into=world.person)
    overview, body = overview_of(client_for(users[Role.STATION_MANAGER]), world.other)
    assert overview.actions == [] and 'id="merged-banner"' in body
    assert 'id="recipient-actions"' not in body


def test_a_new_case_is_offered_only_with_consent(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    client = client_for(users[Role.SOCIAL_WORKER])
    fresh = make_recipient(name="赵阿姨", birth=date(1950, 3, 3))
    overview, _ = overview_of(client, fresh)
    assert "open_case" in {a.key for a in overview.actions}
    Recipient.objects.filter(pk=fresh.pk).update(consent_given=False, consent_on=None)
    overview, _ = overview_of(client, fresh)
    assert "open_case" not in {a.key for a in overview.actions}


# --- queries --------------------------------------------------------------------------------


def page_queries(client: Client, person: Recipient) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    return len(captured.captured_queries)


def grow(world: SimpleNamespace, n: int) -> None:
    """Many more records of every kind for 张阿婆."""
    for i in range(n):
        case = cb.make_case(
            recipient=world.person,
            case_worker=world.me if i % 2 else world.colleague,
            case_supervisor=world.supervisor,
            stage=CaseStage.CLOSED,
            opened_on=date(2023, 1, 1) + timedelta(days=i),
        )
        opened(case, case.opened_on)
        service(world.person, world.me, days_ago(100 + i), case=world.mine)
        service(world.person, world.colleague, days_ago(200 + i))
        rb.schedule(world.person, world.me, days_ago(50 + i), service_type="phone")
        elderly(world.person, world.me, date(2023, 6, 1) + timedelta(days=i), "MZ/T 039-2013", 2)
        ph.enrolment(
            ph.project(CICHENG, status=ProjectStatus.RUNNING),
            world.person,
            enrolled_on=date(2024, 4, 1),
        )
        CategoryPeriod.objects.create(
            recipient=world.person,
            category=category("other"),
            valid_from=date(2020, 1, 1) + timedelta(days=10 * i),
            valid_to=date(2020, 1, 1) + timedelta(days=10 * i + 5),
        )


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.STATION_MANAGER, Role.AUDITOR])
def test_the_queries_do_not_grow_with_the_records(
    users: dict[str, Any], world: SimpleNamespace, role: str
) -> None:
    client = client_for(users[role])
    client.get(world.person.get_absolute_url())  # warm caches (session, content types)
    before = page_queries(client, world.person)
    grow(world, 12)
    after = page_queries(client, world.person)
    assert after == before
    assert 10 <= before <= 30, before  # 20-24 today: the person, each section, the actions


def test_the_other_village_is_not_another_persons_page(
    users: dict[str, Any], world: SimpleNamespace
) -> None:
    """李阿公's page shows his records, not 张阿婆's (the mirror of the first test)."""
    overview, body = overview_of(client_for(users[Role.STATION_MANAGER]), world.other)
    assert case_pks(overview) == {world.others_case.pk}
    assert {r.pk for r in section(overview, "services").data["rows"]} == {world.others_service.pk}
    assert "量血压正常" not in body and "幸福来敲门" not in body
    assert world.person.get_absolute_url() not in body
