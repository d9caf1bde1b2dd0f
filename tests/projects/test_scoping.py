"""Who sees and changes which projects and enrolments (domain.md §4), beyond the matrix of
tests/base.py: a district hub's projects are read by the stations of its district and changed
only at the district; enrolments are not shared; auditors do not see minors' enrolments; the
forms and the API offer only what the user may choose."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from swstation.core.navigation import menu_for
from swstation.core.roles import Role
from swstation.projects import selectors
from swstation.projects.models import Project, ProjectStatus
from tests.conftest import CICHENG, JIANGBEI, YUEHU
from tests.projects import helpers as build
from tests.projects.helpers import api, page

pytestmark = pytest.mark.django_db


def listed(user: Any, **params: Any) -> set[int]:
    response = api(user).get(reverse("api:project-list"), {"page_size": 1000, **params})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_a_station_sees_its_own_and_its_district_hub_s_projects(users: dict[str, Any]) -> None:
    own = build.project(CICHENG)
    hub = build.project(JIANGBEI, status=ProjectStatus.RUNNING)
    neighbour = build.project(build.KONGPU)
    elsewhere = build.project(YUEHU)
    assert listed(users[Role.STATION_MANAGER]) == {own.pk, hub.pk}
    assert listed(users[Role.SOCIAL_WORKER]) == {own.pk, hub.pk}
    assert listed(users[Role.DISTRICT_OFFICER]) == {own.pk, hub.pk, neighbour.pk}
    assert listed(users[Role.CITY_ADMIN]) >= {own.pk, hub.pk, neighbour.pk, elsewhere.pk}


def test_a_hub_project_is_read_not_changed_from_a_township(users: dict[str, Any]) -> None:
    project = build.project(JIANGBEI, status=ProjectStatus.RUNNING)
    client = page(users[Role.STATION_MANAGER])
    detail = client.get(project.get_absolute_url())
    assert detail.status_code == 200
    assert detail.context["can_change"] is False
    assert detail.context["advance_form"] is None and detail.context["can_enrol"] is False
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 403
    advance = reverse("projects:project_advance", args=[project.pk])
    assert client.post(advance, {"to_status": "midterm"}).status_code == 403
    terminate = reverse("projects:project_terminate", args=[project.pk])
    assert client.post(terminate, {"reason": "x"}).status_code == 403
    manager = api(users[Role.STATION_MANAGER])
    action = reverse("api:project-advance", args=[project.pk])
    assert manager.post(action, {"to_status": "midterm"}, format="json").status_code == 404
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.RUNNING
    # The district changes it.
    officer = api(users[Role.DISTRICT_OFFICER])
    assert officer.post(action, {"to_status": "midterm"}, format="json").status_code == 200


def test_enrolments_of_a_hub_project_stay_at_the_district(users: dict[str, Any]) -> None:
    hub_project = build.project(JIANGBEI, status=ProjectStatus.RUNNING)
    enrolment = build.enrolment(hub_project, build.recipient(CICHENG))
    url = reverse("api:projectenrolment-detail", args=[enrolment.pk])
    assert api(users[Role.STATION_MANAGER]).get(url).status_code == 404
    assert api(users[Role.DISTRICT_OFFICER]).get(url).status_code == 200
    # A township may not enrol anyone in the hub's project either.
    response = api(users[Role.SOCIAL_WORKER]).post(
        reverse("api:projectenrolment-list"),
        {
            "project": hub_project.pk,
            "recipient": build.recipient(CICHENG).pk,
            "enrolled_on": "2024-05-01",
        },
        format="json",
    )
    assert response.status_code == 400 and "project" in response.json()


def test_auditors_do_not_see_minors_enrolments(users: dict[str, Any]) -> None:
    project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    child = build.enrolment(project, build.recipient(CICHENG, birth_date=date(2015, 6, 1)))
    adult = build.enrolment(project, build.recipient(CICHENG, birth_date=date(1950, 6, 1)))
    auditor = users[Role.AUDITOR]
    seen = {
        row["id"]
        for row in api(auditor).get(reverse("api:projectenrolment-list")).json()["results"]
    }
    assert seen == {adult.pk}
    assert page(auditor).get(child.get_absolute_url()).status_code == 404
    detail = page(auditor).get(project.get_absolute_url())
    assert child.recipient.name not in detail.content.decode()
    assert adult.recipient.name in detail.content.decode()
    supervisor = users[Role.SUPERVISOR]
    assert {e.pk for e in selectors.project_enrolments(actor=supervisor, project=project)} == {
        child.pk,
        adult.pk,
    }


def test_the_forms_offer_only_what_the_user_may_choose(users: dict[str, Any]) -> None:
    build.station(CICHENG)
    build.station(JIANGBEI)
    build.station(YUEHU)
    manager = users[Role.STATION_MANAGER]
    form = page(manager).get(reverse("projects:project_add")).context["form"]
    stations = set(form.fields["station"].queryset.values_list("region__code", flat=True))
    assert stations == {CICHENG}  # not the hub (read only), not another district
    villages = form.fields["villages"].queryset
    assert villages.exists() and not villages.exclude(code__startswith=CICHENG[:9]).exists()
    officer_form = page(users[Role.DISTRICT_OFFICER]).get(reverse("projects:project_add"))
    officer_stations = officer_form.context["form"].fields["station"].queryset
    assert set(officer_stations.values_list("region__code", flat=True)) >= {CICHENG, JIANGBEI}
    assert not officer_stations.filter(region__code=YUEHU).exists()

    open_project = build.project(CICHENG, status=ProjectStatus.RUNNING)
    build.project(CICHENG, status=ProjectStatus.CLOSING)
    build.project(JIANGBEI, status=ProjectStatus.RUNNING)
    enrol_form = page(users[Role.SOCIAL_WORKER]).get(
        reverse("projects:projectenrolment_add"), {"project": open_project.pk}
    )
    choices = enrol_form.context["form"].fields["project"].queryset
    assert list(choices) == [open_project]
    assert enrol_form.context["form"].initial["project"] == str(open_project.pk)


def test_the_api_refuses_people_and_places_outside_the_caller_s_jurisdiction(
    users: dict[str, Any],
) -> None:
    client = api(users[Role.STATION_MANAGER])
    body = {
        "station": build.station(CICHENG).pk,
        "name": "越界项目",
        "category": "regional_feature",
        "field": "youth",
        "starts_on": "2024-03-01",
        "ends_on": "2025-02-28",
        "lead": build.lead_of(CICHENG).pk,
        "team": [build.worker(YUEHU).pk],
    }
    response = client.post(reverse("api:project-list"), body, format="json")
    assert response.status_code == 400 and "team" in response.json()
    body["team"] = []
    body["villages"] = [build.YUEHU_COMMUNITY]
    response = client.post(reverse("api:project-list"), body, format="json")
    assert response.status_code == 400 and "villages" in response.json()
    assert not Project.objects.filter(name="越界项目").exists()


def test_the_menu_offers_projects_to_whose_work_they_are(users: dict[str, Any]) -> None:
    expected = {
        Role.CITY_ADMIN: {"projects", "beneficiaries"},
        Role.DISTRICT_OFFICER: {"projects", "beneficiaries"},
        Role.STATION_MANAGER: {"projects", "beneficiaries"},
        Role.SOCIAL_WORKER: {"projects", "beneficiaries"},
        Role.AUDITOR: {"projects"},
        Role.SUPERVISOR: set(),
    }
    urls = {
        reverse("projects:project_list"): "projects",
        reverse("projects:projectenrolment_list"): "beneficiaries",
    }
    for role, entries in expected.items():
        offered = {
            urls[item["url"]]
            for group in menu_for(users[role])
            for item in group["items"]
            if item["url"] in urls
        }
        assert offered == entries, role
        # Not on the menu is not forbidden: a supervisor opens a project from a link.
        assert page(users[role]).get(reverse("projects:project_list")).status_code == 200
