"""The demo's employment step on a small world of its own: 慈城镇's 24 enterprises post 449
places, 2,100 seekers (women above all), 131 women placed, every record passing the models'
rules and the figures counted from records; the town's recipients of working age among the
seekers, each start of work of one of them counted as a 就业帮扶 service record by the demo
worker; a second run changes nothing."""

from collections import Counter
from datetime import date

import pytest

from swstation.accounts.models import User
from swstation.cases.models import ServiceRecord
from swstation.core.roles import Role
from swstation.demo.daily import DEMO_WORKER
from swstation.demo.employment import RECIPIENT_SEEKERS, build_employment
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
from tests.cases import case_builders as cases
from tests.employment import helpers as h

pytestmark = pytest.mark.django_db

END = date(2025, 6, 30)


def test_the_demo_places_131_women_in_449_places_of_24_enterprises(users: dict) -> None:
    # The town's recipients (working age but two) and the demo worker of its station.
    user = users[Role.SOCIAL_WORKER]
    User.objects.filter(pk=user.pk).update(username=DEMO_WORKER)
    me = cases.worker(CICHENG, name="慈城社工", user=user, hired_on=date(2021, 6, 1))
    town = h.station(CICHENG)
    people = [
        h.recipient(
            station=town,
            name=f"慈城对象{n:02d}",
            sex="female" if n % 3 else "male",
            birth_date=date(1950 if n < 2 else 1975 + n % 20, 1 + n % 12, 1 + n % 28),
            registered_on=date(2022, 1, 1),
        )
        for n in range(RECIPIENT_SEEKERS + 5)
    ]
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
    # The recipients of working age are seekers too (their name and village), placed first.
    linked = JobSeeker.objects.exclude(recipient=None).select_related("recipient")
    assert linked.count() == RECIPIENT_SEEKERS
    assert all(
        (s.name, s.region_id, s.sex) == (s.recipient.name, s.recipient.region_id, s.recipient.sex)
        for s in linked
        if s.recipient is not None
    )
    assert not linked.filter(recipient__birth_date__year=1950).exists()
    # Each start of work of a recipient counts as a service, by the demo worker, once.
    started = Placement.objects.filter(status__in=("working", "left"))
    assert started.filter(seeker__recipient__isnull=False).count() >= 5
    assert not started.filter(seeker__recipient__isnull=False, service_record=None).exists()
    assert (
        not Placement.objects.exclude(status__in=("working", "left"))
        .exclude(service_record=None)
        .exists()
    )
    assert not started.filter(seeker__recipient=None).exclude(service_record=None).exists()
    records = ServiceRecord.objects.all()
    assert records.count() == started.exclude(service_record=None).count()
    for placement in started.exclude(service_record=None).select_related(
        "service_record", "post", "seeker"
    ):
        record = placement.service_record
        assert record is not None
        assert (record.recipient_id, record.served_on, record.station_id, record.worker_id) == (
            placement.seeker.recipient_id,
            placement.starts_on,
            placement.post.station_id,
            me.pk,
        )
        assert record.service_type == "employment" and record.notes.startswith("就业帮扶：")
        assert placement.post.title in record.notes
        record.full_clean()
        [row] = record.history.all()  # type: ignore[attr-defined]
        assert row.history_date.date() == record.served_on
        steps = list(placement.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]
        by_reason = {r.history_change_reason: r.service_record_id for r in steps}
        assert by_reason["推荐至用工企业"] is None and by_reason["录用"] is None
        assert by_reason["在岗"] == record.pk
    assert {p.pk for p in people} >= set(records.values_list("recipient_id", flat=True))
    for model in (JobPost, JobSeeker, Placement):
        for record in model.objects.all()[:300]:  # type: ignore[attr-defined]
            record.full_clean()
    counted = (JobPost, JobSeeker, Placement, ServiceRecord)
    before = {m.__name__: m.objects.count() for m in counted}
    with history(end=END):
        build_employment(logged.append)
    assert {m.__name__: m.objects.count() for m in counted} == before
    assert "already built" in logged[-1]
