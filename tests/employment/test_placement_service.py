"""A recipient's start of work counts as a service (issue 14): ``placement_start`` writes their
就业帮扶 service record through the cases' service (its fields, its history, the cockpit's
figures), once, by the writer's own workforce record or else the worker of the person's open
case at the post's station, never by a worker made up; the person's timeline shows the start
of work once."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from swstation.cases.models import ServiceRecord, ServiceType
from swstation.cases.services.records import service_record_create
from swstation.core.roles import Role
from swstation.core.transitions import StateConflict
from swstation.dashboard.services import tally_rebuild
from swstation.employment import services
from swstation.employment.models import JobSeeker, Placement
from swstation.recipients.overview import recipient_overview
from swstation.recipients.selectors import recipient_list
from swstation.workforce.models import SocialWorker
from tests.cases import case_builders as cases
from tests.clients import client_for as page_client
from tests.employment import helpers as h

pytestmark = pytest.mark.django_db


def recipient_seeker(actor: Any, name: str = "吴服务对象") -> JobSeeker:
    person = h.recipient(name=name, sex="female")
    return services.job_seeker_create(
        actor=actor, recipient=person, category="women_in_difficulty", station=h.station()
    )


def hired(actor: Any, seeker: JobSeeker, **post: Any) -> Placement:
    placement = h.placement(to=h.post(**post) if post else None, who=seeker)
    day = timezone.localdate() - timedelta(days=5)
    services.placement_hire(actor=actor, placement=placement, answered_on=day, starts_on=day)
    return placement


# --- what is written ----------------------------------------------------------------------------


def test_the_start_of_work_writes_the_recipient_s_service_record(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    me = cases.worker_of(actor)
    seeker = recipient_seeker(actor)
    placement = hired(actor, seeker, title="年糕包装工")
    start = timezone.localdate() - timedelta(days=1)
    services.placement_start(actor=actor, placement=placement, starts_on=start)

    placement.refresh_from_db()
    record = placement.service_record
    assert record is not None
    assert record.recipient_id == seeker.recipient_id
    assert record.service_type == ServiceType.EMPLOYMENT == "employment"
    assert record.get_service_type_display() == "就业帮扶"
    assert (record.served_on, record.station_id, record.worker_id) == (
        start,
        placement.post.station_id,
        me.pk,
    )
    assert record.duration_minutes == services.PLACEMENT_SERVICE_MINUTES
    assert record.place == placement.post.region.name
    assert record.notes.startswith("就业帮扶：")
    assert "年糕包装工" in record.notes and placement.post.employer.name in record.notes
    assert record.region_code == seeker.recipient.region.code  # type: ignore[union-attr]
    assert record.case is None
    # Written by the cases' service: its history names the author.
    [row] = record.history.all()  # type: ignore[attr-defined]
    assert row.history_user_id == actor.pk
    # One history row for the start of work, carrying the link.
    last = placement.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert (last.history_change_reason, last.service_record_id) == ("在岗", record.pk)


def test_no_service_for_a_seeker_who_is_no_recipient(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    cases.worker_of(actor)
    placement = hired(actor, h.seeker())
    services.placement_start(actor=actor, placement=placement)
    placement.refresh_from_db()
    assert placement.status == "working" and placement.service_record is None
    assert not ServiceRecord.objects.exists()


def test_never_two_records_for_one_placement(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    cases.worker_of(actor)
    placement = hired(actor, recipient_seeker(actor))
    services.placement_start(actor=actor, placement=placement)
    with pytest.raises(StateConflict):
        services.placement_start(actor=actor, placement=placement)
    services.placement_leave(actor=actor, placement=placement, reason="季节结束")
    assert ServiceRecord.objects.count() == 1
    # The writer of the record keeps the one there is.
    placement.refresh_from_db()
    again = services._record_start_of_work(actor, placement)
    assert again == placement.service_record and ServiceRecord.objects.count() == 1


def test_a_deleted_record_only_unlinks_the_placement(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    cases.worker_of(actor)
    placement = hired(actor, recipient_seeker(actor))
    services.placement_start(actor=actor, placement=placement)
    ServiceRecord.objects.all().delete()
    placement.refresh_from_db()
    assert placement.status == "working" and placement.service_record is None


# --- who records it -----------------------------------------------------------------------------


def test_a_manager_without_a_workforce_record_records_it_by_the_case_worker(
    users: dict[str, Any],
) -> None:
    manager = users[Role.STATION_MANAGER]
    seeker = recipient_seeker(manager)
    case_worker = cases.worker(h.CICHENG, name="个案社工甲")
    case = cases.make_case(
        h.CICHENG,
        recipient=seeker.recipient,
        case_worker=case_worker,
        opened_on=timezone.localdate() - timedelta(days=100),
    )
    placement = hired(manager, seeker)
    services.placement_start(actor=manager, placement=placement)
    placement.refresh_from_db()
    record = placement.service_record
    assert record is not None
    assert (record.worker, record.case) == (case_worker, case)
    assert record.history.get().history_user_id == manager.pk  # type: ignore[attr-defined]


def test_without_a_worker_the_placement_moves_and_no_record_is_made_up(
    users: dict[str, Any],
) -> None:
    manager = users[Role.STATION_MANAGER]
    # Workers of the station exist, but none is the manager's nor the person's case worker.
    cases.worker(h.CICHENG)
    placement = hired(manager, recipient_seeker(manager))
    services.placement_start(actor=manager, placement=placement)
    placement.refresh_from_db()
    assert placement.status == "working" and placement.service_record is None
    assert not ServiceRecord.objects.exists()


def test_the_writer_s_record_counts_only_at_the_post_s_station_while_in_post(
    users: dict[str, Any],
) -> None:
    actor = users[Role.SOCIAL_WORKER]
    me = cases.worker_of(actor)
    today = timezone.localdate()
    SocialWorker.objects.filter(pk=me.pk).update(left_on=today - timedelta(days=6))
    seeker = recipient_seeker(actor)
    case_worker = cases.worker(h.CICHENG, name="个案社工乙")
    cases.make_case(
        h.CICHENG,
        recipient=seeker.recipient,
        case_worker=case_worker,
        opened_on=today - timedelta(days=30),
        stage="closed",
        closed_on=today - timedelta(days=2),
    )
    placement = hired(actor, seeker)
    services.placement_start(actor=actor, placement=placement)
    placement.refresh_from_db()
    # The writer left before the start day, the person's only case is closed: nobody records it.
    assert placement.service_record is None
    # In post, but at another township's station: not the post's staff.
    SocialWorker.objects.filter(pk=me.pk).update(left_on=None, station=h.station(cases.KONGPU))
    elsewhere = hired(actor, recipient_seeker(actor, "冯服务对象"))
    services.placement_start(actor=actor, placement=elsewhere)
    elsewhere.refresh_from_db()
    assert elsewhere.status == "working" and elsewhere.service_record is None
    SocialWorker.objects.filter(pk=me.pk).update(station=h.station())
    other = hired(actor, recipient_seeker(actor, "郑服务对象"))
    services.placement_start(actor=actor, placement=other)
    other.refresh_from_db()
    assert other.service_record is not None and other.service_record.worker_id == me.pk


def test_a_worker_of_another_town_cannot_start_it(users: dict[str, Any], make_user: Any) -> None:
    actor = users[Role.SOCIAL_WORKER]
    placement = hired(actor, recipient_seeker(actor))
    stranger = make_user(Role.SOCIAL_WORKER, h.YUEHU)
    cases.worker_of(stranger)
    with pytest.raises(PermissionDenied):
        services.placement_start(actor=stranger, placement=placement)
    placement.refresh_from_db()
    assert placement.status == "hired" and placement.service_record is None
    assert not ServiceRecord.objects.exists()


# --- where it shows -----------------------------------------------------------------------------


def test_the_person_s_services_and_the_cockpit_count_it(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    cases.worker_of(actor)
    seeker = recipient_seeker(actor)
    person = seeker.recipient
    assert person is not None
    tally_rebuild()
    officer = page_client(users[Role.DISTRICT_OFFICER])
    year = timezone.localdate().year

    def services_by_type() -> dict[str, int]:
        data = officer.get("/api/v1/stats/breakdown/", {"year": year}).json()
        return {row["key"]: row["count"] for row in data["services_by_type"]}

    before = officer.get("/api/v1/stats/overview/", {"year": year}).json()["services"]
    assert "employment" not in services_by_type()
    placement = hired(actor, seeker)
    services.placement_start(actor=actor, placement=placement)

    assert ServiceRecord.objects.filter(recipient=person).count() == 1
    after = officer.get("/api/v1/stats/overview/", {"year": year}).json()["services"]
    assert after == before + 1
    assert services_by_type()["employment"] == 1
    listing = page_client(actor).get(reverse("cases:servicerecord_list"), {"recipient": person.pk})
    assert "就业帮扶" in listing.content.decode()


def test_the_timeline_shows_the_start_of_work_once(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    me = cases.worker_of(actor)
    seeker = recipient_seeker(actor)
    person = seeker.recipient
    assert person is not None
    placement = hired(actor, seeker)
    start = timezone.localdate()
    services.placement_start(actor=actor, placement=placement, starts_on=start)
    placement.refresh_from_db()
    assert placement.service_record is not None
    # A 就业帮扶 service recorded by hand stays on the timeline.
    by_hand = service_record_create(
        actor=actor,
        recipient=person,
        worker=me,
        served_on=start - timedelta(days=3),
        service_type=ServiceType.EMPLOYMENT,
        duration_minutes=20,
        notes="就业政策咨询",
    )

    shown = recipient_list(actor=actor).get(pk=person.pk)
    events = recipient_overview(actor=actor, recipient=shown, on=start).events
    urls = [event.url for event in events]
    assert placement.service_record.get_absolute_url() not in urls
    assert by_hand.get_absolute_url() in urls
    on_the_day = [e for e in events if e.day == start and e.url == placement.get_absolute_url()]
    at_work = [e for e in on_the_day if e.title == "在岗"]
    assert len(at_work) == 1 and "计入服务记录" in at_work[0].detail
    assert [e for e in events if e.day == start and e.kind == "service"] == []

    body = page_client(actor).get(person.get_absolute_url()).content.decode()
    start_tag = body.index('id="overview-timeline"')
    timeline = body[start_tag : body.index("</ol>", start_tag)]
    assert placement.service_record.get_absolute_url() not in timeline
    assert timeline.count(placement.get_absolute_url()) == 3  # referred, hired, at work
    assert "计入服务记录" in timeline and by_hand.get_absolute_url() in timeline


def test_the_placement_page_and_api_link_the_record(users: dict[str, Any]) -> None:
    actor = users[Role.SOCIAL_WORKER]
    cases.worker_of(actor)
    placement = hired(actor, recipient_seeker(actor))
    services.placement_start(actor=actor, placement=placement)
    placement.refresh_from_db()
    record = placement.service_record
    assert record is not None
    body = page_client(actor).get(placement.get_absolute_url()).content.decode()
    assert record.get_absolute_url() in body
    client = APIClient()
    client.force_authenticate(actor)
    data = client.get(reverse("api:placement-detail", args=[placement.pk])).json()
    assert data["service_record"] == record.pk
    # Read-only: a PATCH does not move the link.
    client.patch(
        reverse("api:placement-detail", args=[placement.pk]),
        {"service_record": None, "note": "跟进"},
        format="json",
    )
    placement.refresh_from_db()
    assert placement.service_record_id == record.pk and placement.note == "跟进"


def test_the_start_day_before_the_station_opened_is_refused_by_name(
    users: dict[str, Any],
) -> None:
    actor = users[Role.SOCIAL_WORKER]
    cases.worker_of(actor)
    placement = hired(actor, recipient_seeker(actor))
    station = placement.post.station
    station.opened_on = timezone.localdate()
    station.save()
    Placement.objects.filter(pk=placement.pk).update(answered_on=date(2024, 1, 2))
    placement.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.placement_start(
            actor=actor, placement=placement, starts_on=timezone.localdate() - timedelta(days=3)
        )
    assert "starts_on" in caught.value.message_dict
    placement.refresh_from_db()
    assert placement.status == "hired" and not ServiceRecord.objects.exists()
