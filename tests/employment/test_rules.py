"""The employment aid's rules: personal data kept as volunteers' (masked for every role in pages
and the API, a full view only for the station's staff and logged), employers are enterprise
partners, places filled counted from placements, the placement's steps (referred → hired / not
hired → at work → left) with their history, the seeker's status following them, and who may do
what where."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from swstation.core.roles import ALL_ROLES, Role
from swstation.core.transitions import StateConflict
from swstation.employment import selectors, services
from swstation.employment.models import JobPost, JobSeeker, Placement
from swstation.recipients.models import IdentityView
from tests.clients import api_for as api_client
from tests.clients import client_for as page_client
from tests.employment import helpers as h

pytestmark = pytest.mark.django_db


# --- personal data ------------------------------------------------------------------------------


def test_numbers_are_stored_encrypted_and_read_masked_by_every_role(users: dict[str, Any]) -> None:
    seeker = h.seeker(name="王求职", phone="13912345678")
    assert "13912345678" not in seeker.phone_encrypted
    assert seeker.phone_masked == "139****5678"
    for role in sorted(ALL_ROLES):
        data = api_client(users[role]).get(reverse("api:jobseeker-list"), {"q": "王求职"}).json()
        [row] = data["results"]
        assert row["phone"] == "139****5678"
        assert "*" in row["id_number"]
        assert row["region_code"] == seeker.region.code
        body = page_client(users[role]).get(seeker.get_absolute_url()).content.decode()
        assert "13912345678" not in body and "139****5678" in body
        listing = page_client(users[role]).get(reverse("employment:jobseeker_list"))
        assert "13912345678" not in listing.content.decode()
    # A third-party evaluator reads the evaluations assigned to them, no seeker.
    evaluator = api_client(users[Role.EVALUATOR]).get(reverse("api:jobseeker-list"))
    assert evaluator.status_code == 403


def test_found_by_exact_number_through_its_hash(users: dict[str, Any]) -> None:
    h.seeker(name="李号码", phone="13800001234")
    data = api_client(users[Role.SOCIAL_WORKER]).get(
        reverse("api:jobseeker-list"), {"q": "13800001234"}
    )
    assert [row["name"] for row in data.json()["results"]] == ["李号码"]


def test_auditor_may_not_reveal_and_nothing_is_logged(users: dict[str, Any]) -> None:
    seeker = h.seeker()
    response = page_client(users[Role.AUDITOR]).post(
        reverse("employment:jobseeker_reveal_identity", args=[seeker.pk]), {"field": "id_number"}
    )
    assert response.status_code == 403
    response = api_client(users[Role.AUDITOR]).post(
        reverse("api:jobseeker-reveal-identity", args=[seeker.pk]), {"field": "phone"}
    )
    assert response.status_code == 403
    assert not IdentityView.objects.exists()


def test_social_worker_reveals_and_the_view_is_logged(users: dict[str, Any]) -> None:
    seeker = h.seeker(name="赵揭示", phone="13700007777")
    response = page_client(users[Role.SOCIAL_WORKER]).post(
        reverse("employment:jobseeker_reveal_identity", args=[seeker.pk]),
        {"field": "phone", "purpose": "通知面试"},
    )
    assert response.status_code == 200
    assert "13700007777" in response.content.decode()
    response = api_client(users[Role.STATION_MANAGER]).post(
        reverse("api:jobseeker-reveal-identity", args=[seeker.pk]), {"field": "id_number"}
    )
    assert response.status_code == 200 and len(response.json()["value"]) == 18
    lines = list(IdentityView.objects.order_by("pk"))
    assert [(line.field, line.user.role) for line in lines] == [
        ("phone", Role.SOCIAL_WORKER),
        ("id_number", Role.STATION_MANAGER),
    ]
    assert all("赵揭示" in line.whose and line.region_id == seeker.region_id for line in lines)


def test_reveal_out_of_scope_is_404(users: dict[str, Any]) -> None:
    seeker = h.seeker(h.YUEHU)
    response = page_client(users[Role.SOCIAL_WORKER]).post(
        reverse("employment:jobseeker_reveal_identity", args=[seeker.pk]), {"field": "phone"}
    )
    assert response.status_code == 404
    assert not IdentityView.objects.exists()


def test_history_never_shows_ciphertexts_nor_hashes(users: dict[str, Any]) -> None:
    seeker = h.seeker(name="钱历史", phone="13612340000")
    services.job_seeker_update(
        actor=users[Role.STATION_MANAGER], seeker=seeker, phone="13612349999"
    )
    url = reverse("employment:jobseeker_history", args=[seeker.pk])
    body = page_client(users[Role.STATION_MANAGER]).get(url).content.decode()
    assert "136****0000" in body
    assert seeker.phone_hash not in body and "gAAAA" not in body


def test_bad_numbers_and_duplicates_are_refused_in_chinese(users: dict[str, Any]) -> None:
    first = h.seeker()
    response = api_client(users[Role.SOCIAL_WORKER]).post(
        reverse("api:jobseeker-list"),
        {
            "name": "错号",
            "id_number": "330205199001011234",
            "phone": "12",
            "sex": "female",
            "category": "farmer",
            "region_code": h.village().code,
            "station": h.station().pk,
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "document_number" in errors or "id_number" in errors
    assert "phone" in errors
    with pytest.raises(ValidationError) as caught:
        services.job_seeker_create(
            actor=users[Role.SOCIAL_WORKER],
            name="重复",
            sex="female",
            category="farmer",
            region=h.village(),
            station=h.station(),
            document_number=services.decrypt(first.id_number_encrypted),
        )
    assert "已登记" in str(caught.value) or "document_number" in caught.value.message_dict


def test_a_recipient_seeker_takes_their_name_sex_and_village(users: dict[str, Any]) -> None:
    person = h.recipient(name="孙服务对象", sex="female")
    seeker = services.job_seeker_create(
        actor=users[Role.SOCIAL_WORKER],
        recipient=person,
        name="",
        category="women_in_difficulty",
        station=h.station(),
    )
    assert (seeker.name, seeker.sex, seeker.region_id) == ("孙服务对象", "female", person.region_id)


def test_a_recipient_of_another_jurisdiction_is_refused(users: dict[str, Any]) -> None:
    person = h.recipient(h.YUEHU)
    with pytest.raises(ValidationError) as caught:
        services.job_seeker_create(
            actor=users[Role.SOCIAL_WORKER],
            recipient=person,
            sex="female",
            category="farmer",
            station=h.station(),
        )
    assert "recipient" in caught.value.message_dict
    assert not JobSeeker.objects.exists()


# --- posts --------------------------------------------------------------------------------------


def test_a_post_names_an_enterprise_partner(users: dict[str, Any]) -> None:
    school = h.employer(kind="school", name="慈城中心小学")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.job_post_create(
            actor=users[Role.SOCIAL_WORKER],
            employer=school,
            station=h.station(),
            title="保洁",
            places=2,
            season_from=today,
            season_to=today + timedelta(days=10),
            pay=Decimal("120"),
            region=h.village(),
        )
    assert "企业" in caught.value.message_dict["employer"][0]
    assert not JobPost.objects.exists()


def test_the_season_ends_after_it_starts(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.job_post_create(
            actor=users[Role.SOCIAL_WORKER],
            employer=h.employer(),
            station=h.station(),
            title="包装",
            places=2,
            season_from=today,
            season_to=today - timedelta(days=1),
            pay=Decimal("120"),
            region=h.village(),
        )
    assert "season_to" in caught.value.message_dict


def test_places_filled_are_counted_from_placements(users: dict[str, Any]) -> None:
    job = h.post(places=3)
    for status in ("referred", "hired", "working", "left", "rejected"):
        h.placement(to=job, status=status)
    [row] = selectors.job_post_list(actor=users[Role.SOCIAL_WORKER]).filter(pk=job.pk)
    assert row.places_filled == 3
    data = api_client(users[Role.DISTRICT_OFFICER]).get(
        reverse("api:jobpost-detail", args=[job.pk])
    )
    assert data.json()["places_filled"] == 3 and data.json()["region_code"] == job.region.code
    with pytest.raises(ValidationError) as caught:
        services.job_post_update(actor=users[Role.STATION_MANAGER], post=job, places=2)
    assert "places" in caught.value.message_dict


def test_district_and_city_read_but_do_not_write(users: dict[str, Any]) -> None:
    for role in (Role.DISTRICT_OFFICER, Role.CITY_ADMIN, Role.AUDITOR, Role.SUPERVISOR):
        with pytest.raises(PermissionDenied):
            services.job_seeker_create(
                actor=users[role],
                name="越权",
                sex="female",
                category="farmer",
                region=h.village(),
                station=h.station(),
            )
    assert not JobSeeker.objects.exists()


# --- placements ---------------------------------------------------------------------------------


def test_the_whole_way_with_history_and_the_seeker_status_following(
    users: dict[str, Any],
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    seeker = h.seeker()
    job = h.post()
    placement = services.placement_create(actor=worker, post=job, seeker=seeker)
    assert placement.status == "referred"
    today = timezone.localdate()
    services.placement_hire(actor=worker, placement=placement, starts_on=today)
    seeker.refresh_from_db()
    assert (placement.status, placement.pay, seeker.status) == ("hired", job.pay, "placed")
    services.placement_start(actor=worker, placement=placement)
    services.placement_leave(actor=worker, placement=placement, reason="季节结束")
    seeker.refresh_from_db()
    assert (placement.status, placement.ends_on, seeker.status) == ("left", today, "seeking")
    reasons = [
        row.history_change_reason
        for row in placement.history.order_by("history_id")  # type: ignore[attr-defined]
    ]
    assert reasons == ["推荐至用工企业", "录用", "在岗", "离岗"]
    assert all(
        row.history_user_id == worker.pk
        for row in placement.history.all()  # type: ignore[attr-defined]
    )
    seeker_reasons = [r.history_change_reason for r in seeker.history.order_by("history_id")]  # type: ignore[attr-defined]
    assert seeker_reasons[-2:] == ["录用", "离岗"]


def test_a_paused_seeker_stays_paused_after_leaving(users: dict[str, Any]) -> None:
    worker = users[Role.SOCIAL_WORKER]
    seeker = h.seeker()
    placement = h.placement(who=seeker)
    services.placement_hire(actor=worker, placement=placement)
    services.job_seeker_update(actor=worker, seeker=seeker, paused=True)
    seeker.refresh_from_db()
    assert seeker.status == "placed"
    services.placement_leave(actor=worker, placement=placement)
    seeker.refresh_from_db()
    assert seeker.status == "paused"


@pytest.mark.parametrize(
    ("status", "step", "conflict"),
    [
        ("referred", "start", False),
        ("referred", "leave", False),
        ("hired", "hire", True),
        ("hired", "reject", False),
        ("working", "hire", False),
        ("rejected", "hire", True),
        ("left", "start", True),
    ],
)
def test_steps_that_do_not_follow_are_refused(
    users: dict[str, Any], status: str, step: str, conflict: bool
) -> None:
    placement = h.placement(status=status, answered_on=timezone.localdate() - timedelta(days=5))
    call = {
        "hire": lambda: services.placement_hire(
            actor=users[Role.SOCIAL_WORKER], placement=placement
        ),
        "reject": lambda: services.placement_reject(
            actor=users[Role.SOCIAL_WORKER], placement=placement, reason="不合适"
        ),
        "start": lambda: services.placement_start(
            actor=users[Role.SOCIAL_WORKER], placement=placement
        ),
        "leave": lambda: services.placement_leave(
            actor=users[Role.SOCIAL_WORKER], placement=placement
        ),
    }[step]
    with pytest.raises(ValidationError) as caught:
        call()
    assert isinstance(caught.value, StateConflict) is conflict
    placement.refresh_from_db()
    assert placement.status == status


def test_hiring_refused_when_the_post_is_full_or_the_seeker_holds_a_job(
    users: dict[str, Any],
) -> None:
    worker = users[Role.SOCIAL_WORKER]
    full = h.post(places=1)
    h.placement(to=full, status="working")
    waiting = h.placement(to=full)
    with pytest.raises(ValidationError) as caught:
        services.placement_hire(actor=worker, placement=waiting)
    assert "post" in caught.value.message_dict
    busy = h.seeker()
    h.placement(who=busy, status="working")
    other = h.placement(who=busy)
    with pytest.raises(ValidationError) as caught:
        services.placement_hire(actor=worker, placement=other)
    assert "seeker" in caught.value.message_dict


def test_a_rejection_needs_its_reason(users: dict[str, Any]) -> None:
    placement = h.placement()
    with pytest.raises(ValidationError) as caught:
        services.placement_reject(actor=users[Role.SOCIAL_WORKER], placement=placement, reason=" ")
    assert "reason" in caught.value.message_dict


def test_only_seekers_seeking_work_are_referred(users: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        services.placement_create(
            actor=users[Role.SOCIAL_WORKER], post=h.post(), seeker=h.seeker(paused=True)
        )
    assert "seeker" in caught.value.message_dict


def test_steps_through_the_api_409_and_400(users: dict[str, Any]) -> None:
    placement = h.placement()
    client = api_client(users[Role.SOCIAL_WORKER])
    url = reverse("api:placement-hire", args=[placement.pk])
    response = client.post(url, {"pay": "180.00"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "hired" and response.json()["pay"] == "180.00"
    assert client.post(url, {}, format="json").status_code == 409
    reject = client.post(
        reverse("api:placement-reject", args=[placement.pk]), {"reason": "x"}, format="json"
    )
    assert reject.status_code == 400 and "status" in reject.json()
    refused = api_client(users[Role.AUDITOR]).post(
        reverse("api:placement-start", args=[placement.pk]), {}, format="json"
    )
    assert refused.status_code == 403
    outside = h.placement(h.YUEHU)
    response = client.post(reverse("api:placement-hire", args=[outside.pk]), {}, format="json")
    assert response.status_code == 404


def test_steps_on_the_page_answer_with_a_message(users: dict[str, Any]) -> None:
    placement = h.placement()
    client = page_client(users[Role.STATION_MANAGER])
    response = client.post(
        reverse("employment:placement_reject", args=[placement.pk]),
        {"reason": "岗位要求不符"},
        follow=True,
    )
    assert "已记录企业未录用" in response.content.decode()
    placement.refresh_from_db()
    assert placement.status == "rejected"
    again = client.post(reverse("employment:placement_hire", args=[placement.pk]), {}, follow=True)
    assert "不再变化" in again.content.decode()
    page = page_client(users[Role.AUDITOR]).post(
        reverse("employment:placement_hire", args=[placement.pk]), {}
    )
    assert page.status_code == 403


def test_match_pages_per_role_and_jurisdiction(users: dict[str, Any]) -> None:
    job = h.post(skills="包装")
    h.seeker(name="甲匹配", skills="包装")
    url = reverse("employment:jobpost_matches", args=[job.pk])
    for role in sorted(ALL_ROLES):
        response = page_client(users[role]).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "甲匹配" in body
        refer = f"{reverse('employment:placement_add')}?post={job.pk}"
        assert (refer in body) is (role in (Role.SOCIAL_WORKER, Role.STATION_MANAGER))
    outside = h.post(h.YUEHU)
    response = page_client(users[Role.SOCIAL_WORKER]).get(
        reverse("employment:jobpost_matches", args=[outside.pk])
    )
    assert response.status_code == 404
    api = api_client(users[Role.AUDITOR]).get(reverse("api:jobpost-matches", args=[job.pk]))
    assert api.status_code == 200
    [row] = api.json()
    assert row["seeker_name"] == "甲匹配" and row["score"] > 0 and row["reasons"]
    assert "phone" not in row and "id_number" not in row


def test_placements_api_names_region_and_status(users: dict[str, Any]) -> None:
    placement = h.placement(status="working")
    h.placement(h.YUEHU)
    data = api_client(users[Role.DISTRICT_OFFICER]).get(reverse("api:placement-list")).json()
    assert [(r["id"], r["region_code"], r["status"]) for r in data["results"]] == [
        (placement.pk, placement.post.region.code, "working")
    ]
    assert Placement.objects.count() == 2


def test_the_month_filter_lists_the_same_seekers_on_the_page_and_the_api(
    users: dict[str, Any],
) -> None:
    from swstation.employment.models import month_mask

    h.seeker(name="冬闲甲", available_months=month_mask([1, 2]))
    h.seeker(name="夏闲乙", available_months=month_mask([7]))
    user = users[Role.SOCIAL_WORKER]
    data = api_client(user).get(reverse("api:jobseeker-list"), {"month": "7"}).json()
    assert [row["name"] for row in data["results"]] == ["夏闲乙"]
    body = page_client(user).get(reverse("employment:jobseeker_list"), {"month": "7"})
    text = body.content.decode()
    assert "夏闲乙" in text and "冬闲甲" not in text


def test_a_recipient_s_placement_is_on_their_page(users: dict[str, Any]) -> None:
    person = h.recipient(name="周服务对象", sex="female")
    seeker = services.job_seeker_create(
        actor=users[Role.SOCIAL_WORKER],
        recipient=person,
        category="women_in_difficulty",
        station=h.station(),
    )
    placement = h.placement(who=seeker)
    services.placement_hire(actor=users[Role.SOCIAL_WORKER], placement=placement)
    body = page_client(users[Role.SOCIAL_WORKER]).get(person.get_absolute_url()).content.decode()
    assert seeker.get_absolute_url() in body and "已就业" in body
    assert placement.get_absolute_url() in body and "录用" in body


def test_the_match_page_shows_the_best_twenty_and_all_on_request(users: dict[str, Any]) -> None:
    job = h.post(skills="包装")
    for n in range(23):
        h.seeker(name=f"候选{n:02d}", skills="包装")
    url = reverse("employment:jobpost_matches", args=[job.pk])
    client = page_client(users[Role.SOCIAL_WORKER])
    first = client.get(url)
    assert len(first.context["matches"]) == 20
    assert "显示全部23位匹配的求职人员" in first.content.decode()
    everyone = client.get(url, {"all": "1"})
    assert len(everyone.context["matches"]) == 23
    assert 'id="more-matches"' not in everyone.content.decode()
