"""Pages of a project's indicators, closing report and files: the ``make_object`` of each model
(which the walks of tests/core read: every page in Chinese, every export safe), and each
record's page read in scope and refused outside it."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from swstation.projects.models import (
    ProjectAttachment,
    ProjectIndicator,
    ProjectReport,
    ProjectStatus,
)
from tests.projects import helpers as build

pytestmark = pytest.mark.django_db


class ProjectIndicatorCases:
    model = ProjectIndicator

    def make_object(self, code: str, n: int = 0) -> ProjectIndicator:
        target = build.project(code, n, status=ProjectStatus.RUNNING)
        return ProjectIndicator.objects.create(
            project=target,
            objective=f"服务独居老人{n:03d}",
            name=f"上门服务人次{n:03d}",
            measure="services",
            target=Decimal("120"),
        )


class ProjectReportCases:
    model = ProjectReport

    def make_object(self, code: str, n: int = 0) -> ProjectReport:
        target = build.project(code, n, status=ProjectStatus.CLOSING)
        return ProjectReport.objects.create(
            project=target,
            outcomes=f"服务老人{n}名，满意度95%。",
            stories="王奶奶的故事。",
            lessons="明年扩大志愿者队伍。",
            written_on=date(2024, 12, 20),
        )


class ProjectAttachmentCases:
    model = ProjectAttachment

    def make_object(self, code: str, n: int = 0) -> ProjectAttachment:
        target = build.project(code, n, status=ProjectStatus.RUNNING)
        # A stored name only: no file is written (the pages list it, they do not open it).
        return ProjectAttachment.objects.create(
            project=target,
            title=f"入户服务照片{n:03d}",
            file=f"projects/{target.pk}/photo{n:03d}.png",
            taken_on=date(2024, 5, 6),
        )


@pytest.mark.parametrize(
    "cases", [ProjectIndicatorCases, ProjectReportCases, ProjectAttachmentCases]
)
def test_each_record_page_reads_in_scope_and_is_refused_outside(cases: Any, make_user: Any) -> None:
    obj = cases().make_object(build.CICHENG, 7)
    client = build.page(make_user("station_manager", build.CICHENG))
    own = client.get(obj.get_absolute_url())
    assert own.status_code == 200
    assert obj.project.name in own.content.decode()
    listed = client.get(reverse(f"projects:{obj._meta.model_name}_list"))
    assert listed.status_code == 200 and obj.project.name in listed.content.decode()
    stranger = build.page(make_user("station_manager", build.KONGPU))
    assert stranger.get(obj.get_absolute_url()).status_code == 404


def test_a_files_edit_form_names_it_and_links_the_guarded_page(make_user: Any) -> None:
    """The current file is named by its title and sent by the project's page, not by the
    storage's path (a uuid) and URL."""
    attachment = ProjectAttachmentCases().make_object(build.CICHENG, 3)
    client = build.page(make_user("station_manager", build.CICHENG))
    body = client.get(reverse("projects:projectattachment_edit", args=[attachment.pk])).content
    text = body.decode()
    assert attachment.title in text
    assert f'href="/projects/files/{attachment.pk}/file/"' in text
    assert attachment.file.name not in text
