"""Pages of a session's attendance rows and of an activity's photos: the ``make_object`` of
each model (which the walks of tests/core read: every page in Chinese, every export safe), and
each record's page read in scope and refused outside it."""

from typing import Any

import pytest
from django.urls import reverse

from swstation.community.models import ActivityPhoto, SessionAttendance
from tests.community import helpers as h
from tests.projects.helpers import page

pytestmark = pytest.mark.django_db

OTHER_TOWN = "330205003000"  # 孔浦街道, another township of 江北区


class SessionAttendanceCases:
    model = SessionAttendance

    def make_object(self, code: str, n: int = 0) -> SessionAttendance:
        group = h.group(code, name=f"出席小组{n:03d}-{code[-6:]}")
        member = h.member(group, name=f"到场组员{n:03d}")
        return SessionAttendance.objects.create(session=h.session(group), member=member)


class ActivityPhotoCases:
    model = ActivityPhoto

    def make_object(self, code: str, n: int = 0) -> ActivityPhoto:
        activity = h.activity(code, name=f"照片活动{n:03d}-{code[-6:]}")
        # A stored name only: no file is written (the pages list it, they do not open it).
        return ActivityPhoto.objects.create(
            activity=activity,
            title=f"活动合影{n:03d}",
            file=f"community/activities/{activity.pk}/photo{n:03d}.png",
        )


@pytest.mark.parametrize("cases", [SessionAttendanceCases, ActivityPhotoCases])
def test_each_record_page_reads_in_scope_and_is_refused_outside(cases: Any, make_user: Any) -> None:
    obj = cases().make_object(h.CICHENG, 7)
    client = page(make_user("station_manager", h.CICHENG))
    own = client.get(obj.get_absolute_url())
    assert own.status_code == 200
    assert str(obj) in own.content.decode()
    listed = client.get(reverse(f"community:{obj._meta.model_name}_list"))
    assert listed.status_code == 200 and str(obj) in listed.content.decode()
    stranger = page(make_user("station_manager", OTHER_TOWN))
    assert stranger.get(obj.get_absolute_url()).status_code == 404
