"""The duplicate review queue (recipients.DuplicateReview): opened by the services when a
number is entered that is recorded outside its author's jurisdiction, read and settled only by
the officer whose jurisdiction covers both records — merged (through recipient_merge), linked
as one person kept in two records, or dismissed as two people after checking — by page and
API, each decision recorded with who and when."""

from datetime import date
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from swstation.cases.models import ServiceRecord
from swstation.core.roles import Role
from swstation.recipients.models import DuplicateReview, Recipient, RecipientStatus
from swstation.recipients.services import recipient_create
from tests.base import ROLES, ModelTestBase
from tests.clients import api_for, client_for
from tests.conftest import CICHENG, HAISHU, YUEHU
from tests.recipients.helpers import CONSENT_DAY, id_number, make_recipient, region
from tests.workforce.helpers import person, station

pytestmark = pytest.mark.django_db

# Two townships of each district: a review between them is the district officer's.
PAIRS = {
    CICHENG: ("330205103201", "330205001001"),  # 慈城镇 and 外滩街道, 江北区
    YUEHU: ("330203004001", "330203001001"),  # 月湖街道 and another street of 海曙区
}


def make_review(code: str = CICHENG, n: int = 0, make_user: Any = None) -> DuplicateReview:
    """A record entered in the township of ``code`` by its social worker, with the number of a
    record of another township of the same district."""
    mine, other = PAIRS[code]
    number = id_number(date(1945, 1, 1 + n % 28), serial=601 + 2 * n)
    kept = make_recipient(other, name=f"先登记{n:03d}", number=number)
    author = make_user(Role.SOCIAL_WORKER, code)
    entered = recipient_create(
        actor=author,
        name=f"后登记{n:03d}",
        region=region(mine),
        document_number=number,
        consent_given=True,
        consent_on=CONSENT_DAY,
    )
    review = DuplicateReview.objects.get(recipient=entered)
    assert review.match == kept and entered.id_number_shared
    return review


class TestDuplicateReviewPagesAndAPI(ModelTestBase):
    model = DuplicateReview

    @pytest.mark.parametrize("role", ROLES)
    def test_list_detail_history_and_api_by_role(
        self, role: str, users: dict[str, Any], make_user: Any
    ) -> None:
        inside = make_review(CICHENG, 1, make_user)
        outside = make_review(YUEHU, 2, make_user)
        client = self.client_for(users[role])
        page = client.get(self.url("_list"), {"per_page": 250})
        api = self.api_client_for(users[role]).get(self.api_url(), {"page_size": 1000})
        if not self.allowed(role, "view"):
            assert page.status_code == api.status_code == 403
            assert client.get(inside.get_absolute_url()).status_code == 403
            return
        assert role in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER)
        body = page.content.decode()
        assert inside.get_absolute_url() in body and inside.recipient.name in body
        assert (outside.get_absolute_url() in body) == (role == Role.CITY_ADMIN)
        ids = {row["id"] for row in api.json()["results"]}
        assert inside.pk in ids
        assert (outside.pk in ids) == (role == Role.CITY_ADMIN)
        detail = client.get(inside.get_absolute_url())
        assert detail.status_code == 200
        assert 'id="review-actions"' in detail.content.decode()
        expected = 200 if role == Role.CITY_ADMIN else 404
        assert client.get(outside.get_absolute_url()).status_code == expected
        assert client.get(self.url("_history", inside.pk)).status_code == 200

    @pytest.mark.parametrize("role", ROLES)
    def test_nobody_writes_reviews_directly(
        self, role: str, users: dict[str, Any], make_user: Any
    ) -> None:
        review = make_review(CICHENG, 1, make_user)
        api = self.api_client_for(users[role])
        row = {"recipient": review.recipient_id, "match": review.match_id, "status": "linked"}
        assert api.post(self.api_url(), row, format="json").status_code in (403, 405)
        assert api.put(self.api_url(review.pk), row, format="json").status_code in (403, 405)
        assert api.patch(self.api_url(review.pk), row, format="json").status_code in (403, 405)
        assert api.delete(self.api_url(review.pk)).status_code in (403, 405)
        for suffix in ("_add", "_edit", "_delete"):
            with pytest.raises(NoReverseMatch):
                reverse(f"recipients:duplicatereview{suffix}", args=[review.pk])
        review.refresh_from_db()
        assert review.status == "open"

    def test_the_list_filters_by_status_and_name(
        self, users: dict[str, Any], make_user: Any
    ) -> None:
        first = make_review(CICHENG, 1, make_user)
        second = make_review(CICHENG, 2, make_user)
        api = api_for(users[Role.DISTRICT_OFFICER])
        api.post(f"/api/v1/duplicate-reviews/{second.pk}/link/", {}, format="json")

        def ids(**params: Any) -> list[int]:
            return [r["id"] for r in api.get(self.api_url(), params).json()["results"]]

        assert ids(status="open") == [first.pk]
        assert ids(status="linked") == [second.pk]
        assert ids(q="后登记002") == [second.pk]
        page = client_for(users[Role.DISTRICT_OFFICER]).get(self.url("_list"), {"status": "open"})
        assert first.get_absolute_url() in page.content.decode()
        assert second.get_absolute_url() not in page.content.decode()


def test_merge_through_the_api_keeps_the_chosen_record(
    users: dict[str, Any], make_user: Any
) -> None:
    review = make_review(CICHENG, 3, make_user)
    entered, kept = review.recipient, review.match
    the_station = station(CICHENG)
    worker = person(CICHENG, station=the_station)
    service = ServiceRecord.objects.create(
        recipient=entered,
        station=the_station,
        worker=worker,
        served_on=date(2026, 1, 12),
        service_type="home_visit",
        duration_minutes=30,
    )
    api = api_for(users[Role.DISTRICT_OFFICER])
    response = api.post(
        f"/api/v1/duplicate-reviews/{review.pk}/merge/",
        {"keep": "match", "note": "同一人，户籍在外滩"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "merged" and data["kept"] == kept.pk
    assert data["decided_by"] == users[Role.DISTRICT_OFFICER].username
    entered.refresh_from_db()
    assert entered.status == RecipientStatus.MERGED and entered.merged_into == kept
    service.refresh_from_db()
    assert service.recipient == kept
    review.refresh_from_db()
    assert (review.recipient, review.match) == (entered, kept)  # the review names the pair
    assert review.decided_at is not None and review.note == "同一人，户籍在外滩"
    # Settled once: a second decision is refused.
    again = api.post(f"/api/v1/duplicate-reviews/{review.pk}/link/", {}, format="json")
    assert again.status_code in (400, 409)


def test_keeping_the_record_entered_makes_it_the_numbers_record(
    users: dict[str, Any], make_user: Any
) -> None:
    review = make_review(CICHENG, 4, make_user)
    response = api_for(users[Role.CITY_ADMIN]).post(
        f"/api/v1/duplicate-reviews/{review.pk}/merge/", {"keep": "recipient"}, format="json"
    )
    assert response.status_code == 200, response.json()
    entered = Recipient.objects.get(pk=review.recipient_id)
    assert not entered.id_number_shared and entered.status == RecipientStatus.ACTIVE
    assert Recipient.objects.get(pk=review.match_id).merged_into == entered


def test_link_and_dismiss_through_the_pages(users: dict[str, Any], make_user: Any) -> None:
    linked = make_review(CICHENG, 5, make_user)
    dismissed = make_review(CICHENG, 6, make_user)
    officer = client_for(users[Role.DISTRICT_OFFICER])
    response = officer.post(
        reverse("recipients:duplicatereview_link", args=[linked.pk]), {"link-note": "两地服务"}
    )
    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.status == "linked" and linked.note == "两地服务"
    assert linked.decided_by == users[Role.DISTRICT_OFFICER]
    assert (
        Recipient.objects.filter(pk__in=[linked.recipient_id, linked.match_id])
        .filter(status=RecipientStatus.ACTIVE)
        .count()
        == 2
    )
    # Dismissing needs a word on what was checked.
    url = reverse("recipients:duplicatereview_dismiss", args=[dismissed.pk])
    response = officer.post(url, {"dismiss-note": ""})
    assert response.status_code == 400
    assert "请说明" in response.content.decode()
    response = officer.post(url, {"dismiss-note": "核对户籍：号码录错"})
    assert response.status_code == 302
    dismissed.refresh_from_db()
    assert dismissed.status == "dismissed"
    assert dismissed.history.count() == 2  # opened, then settled
    assert dismissed.history.first().history_user == users[Role.DISTRICT_OFFICER]


def test_merge_through_the_page(users: dict[str, Any], make_user: Any) -> None:
    review = make_review(CICHENG, 7, make_user)
    officer = client_for(users[Role.CITY_ADMIN])
    url = reverse("recipients:duplicatereview_merge", args=[review.pk])
    assert officer.post(url, {}).status_code == 400  # choose the record to keep
    response = officer.post(url, {"keep": "match"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "merged" and review.kept_id == review.match_id


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.STATION_MANAGER, Role.AUDITOR])
def test_the_front_line_cannot_settle_reviews(
    role: str, users: dict[str, Any], make_user: Any
) -> None:
    review = make_review(CICHENG, 8, make_user)
    api = api_for(users[role])
    for action in ("merge", "link", "dismiss"):
        response = api.post(
            f"/api/v1/duplicate-reviews/{review.pk}/{action}/",
            {"keep": "match", "note": "x"},
            format="json",
        )
        assert response.status_code == 403
        page = client_for(users[role]).post(
            reverse(f"recipients:duplicatereview_{action}", args=[review.pk]),
            {"keep": "match", "link-note": "x", "dismiss-note": "x"},
        )
        assert page.status_code == 403
    review.refresh_from_db()
    assert review.status == "open"


def test_another_districts_officer_cannot_reach_the_review(
    users: dict[str, Any], make_user: Any
) -> None:
    review = make_review(CICHENG, 9, make_user)
    haishu = make_user(Role.DISTRICT_OFFICER, HAISHU)
    response = api_for(haishu).post(
        f"/api/v1/duplicate-reviews/{review.pk}/link/", {}, format="json"
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == "open"


def test_the_officer_sees_the_open_review_on_each_record(
    users: dict[str, Any], make_user: Any
) -> None:
    review = make_review(CICHENG, 10, make_user)
    for user in (users[Role.DISTRICT_OFFICER], users[Role.CITY_ADMIN]):
        body = client_for(user).get(review.recipient.get_absolute_url()).content.decode()
        assert 'id="open-reviews"' in body and review.get_absolute_url() in body
    for role in (Role.SOCIAL_WORKER, Role.STATION_MANAGER):
        body = client_for(users[role]).get(review.recipient.get_absolute_url()).content.decode()
        assert 'id="open-reviews"' not in body


def test_a_second_entry_of_the_same_pair_opens_no_second_review(
    users: dict[str, Any], make_user: Any
) -> None:
    review = make_review(CICHENG, 11, make_user)
    entered = review.recipient
    api = api_for(make_user(Role.SOCIAL_WORKER, CICHENG))
    response = api.patch(f"/api/v1/recipients/{entered.pk}/", {"note": "改备注"}, format="json")
    assert response.status_code == 200, response.json()
    assert DuplicateReview.objects.count() == 1
