"""The demo's employment step on a small world of its own: 慈城镇's 24 enterprises post 449
places, 2,100 seekers (women above all), 131 women placed, every record passing the models'
rules and the figures counted from records; a second run changes nothing."""

from collections import Counter
from datetime import date

import pytest

from swstation.core.roles import Role
from swstation.demo.employment import build_employment
from swstation.demo.history import history
from swstation.demo.linkage import CICHENG, build_linkage
from swstation.employment import selectors
from swstation.employment.models import (
    FILLING_PLACEMENT,
    JobPost,
    JobSeeker,
    Placement,
    SeekerStatus,
)
from tests.employment import helpers as h

pytestmark = pytest.mark.django_db

END = date(2025, 6, 30)


def test_the_demo_places_131_women_in_449_places_of_24_enterprises(users: dict) -> None:
    h.station(CICHENG)
    logged: list[str] = []
    with history(end=END):
        build_linkage(logged.append)
        build_employment(logged.append)
    posts = selectors.job_post_list(actor=users[Role.STATION_MANAGER])
    assert posts.values("employer").distinct().count() == 24
    assert sum(p.places for p in posts) == 449
    assert JobSeeker.objects.count() == 2100
    sexes = Counter(JobSeeker.objects.values_list("sex", flat=True))
    assert sexes["female"] > 2 * sexes["male"]
    placed = Placement.objects.filter(status__in=FILLING_PLACEMENT)
    assert placed.filter(seeker__sex="female").count() == 131
    assert sum(p.places_filled for p in posts) == placed.count()  # type: ignore[attr-defined]
    assert all(p.places_filled <= p.places for p in posts)  # type: ignore[attr-defined]
    states = set(Placement.objects.values_list("status", flat=True))
    assert {"hired", "working", "left", "rejected"} & states >= {"left", "rejected"}
    # The seeker's status follows the placements.
    holding = set(
        Placement.objects.filter(status__in=("hired", "working")).values_list("seeker", flat=True)
    )
    assert (
        set(JobSeeker.objects.filter(status=SeekerStatus.PLACED).values_list("pk", flat=True))
        == holding
    )
    # Each step of a placement left its history row.
    left = Placement.objects.filter(status="left").first()
    assert left is not None
    assert [r.history_change_reason for r in left.history.order_by("history_date", "history_id")][
        :2
    ] == ["推荐至用工企业", "录用"]
    for model in (JobPost, JobSeeker, Placement):
        for record in model.objects.all()[:300]:  # type: ignore[attr-defined]
            record.full_clean()
    before = {m.__name__: m.objects.count() for m in (JobPost, JobSeeker, Placement)}
    with history(end=END):
        build_employment(logged.append)
    assert {m.__name__: m.objects.count() for m in (JobPost, JobSeeker, Placement)} == before
    assert "already built" in logged[-1]
