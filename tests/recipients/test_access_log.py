"""The personal-data access log (issue 10, "Auditing"): every full view of a number and every
other access to protected personal data is a line — who, whose, when, what, why — that the
auditors read city-wide (a district's auditor their district), filtered by day, user, role,
person, station, region, data and kind, and exported; the bureaus and station managers read
their jurisdiction's; nobody else reads it and nobody writes it but the services."""

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from swstation.accounts.models import User
from swstation.core.audit import record_personal_data_access
from swstation.core.roles import ALL_ROLES, Role
from swstation.recipients.models import IdentityView, Recipient
from swstation.recipients.services import personal_data_access_log, recipient_reveal_identity
from tests.base import ModelTestBase
from tests.clients import api_for, client_for
from tests.conftest import CICHENG, CITY, HAISHU
from tests.recipients.helpers import YUEHU_COMMUNITY, id_number, make_recipient, region

pytestmark = pytest.mark.django_db

LIST = "/recipients/access-log/"


@pytest.fixture
def list_url() -> str:
    from django.urls import reverse

    return reverse("recipients:identityview_list")


@pytest.fixture
def person() -> Recipient:
    return make_recipient(name="周奶奶", number=id_number(date(1938, 8, 8)), phone="13955556666")


@pytest.fixture
def yuehu_person() -> Recipient:
    return make_recipient(
        YUEHU_COMMUNITY, name="海曙王伯", number=id_number(area="330203"), phone="13800001111"
    )


@pytest.fixture
def lines(users: dict[str, Any], make_user: Any, person: Recipient, yuehu_person: Recipient) -> Any:
    """A reveal in 江北区 by its social worker, one in 海曙区 by a 海曙 manager, and a payment
    roster exported in 海曙区 (a line about several people, through the core port)."""
    haishu_manager = make_user(Role.STATION_MANAGER, "330203004000")
    recipient_reveal_identity(
        actor=users[Role.SOCIAL_WORKER], recipient=person, field="id_number", purpose="低保申请表"
    )
    recipient_reveal_identity(
        actor=haishu_manager, recipient=yuehu_person, field="phone", purpose="电话回访"
    )
    record_personal_data_access(
        actor=make_user(Role.DISTRICT_OFFICER, HAISHU),
        field="payment_details",
        region=region(HAISHU),
        subject="2026年11月岗位津贴发放名单",
        count=35,
        purpose="报送银行",
    )
    return haishu_manager


class IdentityViewCases(ModelTestBase):
    """A line of the log in a region (the export walk of tests/core/test_safe_exports.py)."""

    model = IdentityView

    def make_object(self, code: str, n: int = 0) -> IdentityView:
        person = make_recipient(
            code if len(code) == 12 and not code.endswith("000") else "330205103201",
            name=f"记录对象{n:03d}",
            birth=date(1950, 1, 1 + n % 28),
            phone=f"139{n:08d}",
        )
        user = User.objects.create(
            username=f"log_writer_{n}", role=Role.SOCIAL_WORKER, jurisdiction=region(CICHENG)
        )
        return personal_data_access_log(
            actor=user, field="phone", recipient=person, purpose=f"回访{n}"
        )


def test_every_reveal_is_a_line_with_its_region(
    users: dict[str, Any], person: Recipient, lines: Any
) -> None:
    line = IdentityView.objects.get(recipient=person)
    assert (line.user, line.field, line.kind, line.purpose) == (
        users[Role.SOCIAL_WORKER],
        "id_number",
        "view",
        "低保申请表",
    )
    assert line.region == person.region
    roster = IdentityView.objects.get(field="payment_details")
    assert (roster.recipient, roster.count, roster.kind, roster.region.code) == (
        None,
        35,
        "export",
        HAISHU,
    )


def test_the_city_auditor_reads_the_whole_city(make_user: Any, lines: Any, list_url: str) -> None:
    auditor = make_user(Role.AUDITOR, CITY)
    response = client_for(auditor).get(list_url)
    assert response.status_code == 200
    page = response.content.decode()
    roster = "2026年11月岗位津贴发放名单（35人）"
    for text in ("周奶奶", "海曙王伯", roster, "低保申请表", "报送银行"):
        assert text in page
    # labels, never the codes
    assert "证件号码" in page and ">id_number<" not in page and "view<" not in page
    api = api_for(auditor).get("/api/v1/access-log/")
    assert api.status_code == 200
    assert api.json()["count"] == 3


def test_a_district_reads_its_own_district(
    users: dict[str, Any], lines: Any, list_url: str
) -> None:
    for role in (Role.AUDITOR, Role.DISTRICT_OFFICER):
        page = client_for(users[role]).get(list_url).content.decode()
        assert "周奶奶" in page and "海曙王伯" not in page and "岗位津贴" not in page
        rows = api_for(users[role]).get("/api/v1/access-log/").json()["results"]
        assert [row["recipient_name"] for row in rows] == ["周奶奶"]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SUPERVISOR])
def test_the_log_is_not_for_workers_and_supervisors(
    role: str, users: dict[str, Any], lines: Any, list_url: str
) -> None:
    assert client_for(users[role]).get(list_url).status_code == 403
    assert api_for(users[role]).get("/api/v1/access-log/").status_code == 403


def test_nobody_writes_through_the_api(make_user: Any, lines: Any) -> None:
    city = make_user(Role.CITY_ADMIN, CITY)
    line = IdentityView.objects.first()
    assert line is not None
    api = api_for(city)
    created = api.post("/api/v1/access-log/", {"field": "phone"}, format="json")
    assert created.status_code in (403, 405)
    assert api.delete(f"/api/v1/access-log/{line.pk}/").status_code in (403, 405)
    assert IdentityView.objects.count() == 3


def test_filters(make_user: Any, users: dict[str, Any], lines: Any, person: Recipient) -> None:
    auditor = make_user(Role.AUDITOR, CITY)
    api = api_for(auditor)

    def names(**query: Any) -> list[Any]:
        rows = api.get("/api/v1/access-log/", query).json()["results"]
        return sorted(row["recipient_name"] or row["subject"] for row in rows)

    assert names(user=users[Role.SOCIAL_WORKER].pk) == ["周奶奶"]
    assert names(user=lines.pk) == ["海曙王伯"]
    assert names(role=Role.DISTRICT_OFFICER) == ["2026年11月岗位津贴发放名单"]
    assert names(region_code=HAISHU[:6]) == ["2026年11月岗位津贴发放名单", "海曙王伯"]
    assert names(recipient=person.pk) == ["周奶奶"]
    assert names(field="phone") == ["海曙王伯"]
    assert names(kind="export") == ["2026年11月岗位津贴发放名单"]
    assert names(q="电话") == ["海曙王伯"]
    today = timezone.localdate()
    assert len(names(viewed_after=today.isoformat(), viewed_before=today.isoformat())) == 3
    assert names(viewed_after=(today + timedelta(days=1)).isoformat()) == []
    # an old line falls out of a range that ends before it
    IdentityView.objects.filter(recipient=person).update(
        viewed_at=timezone.now() - timedelta(days=40)
    )
    assert names(viewed_before=(today - timedelta(days=30)).isoformat()) == ["周奶奶"]
    # the page takes the same filters and shows them applied
    page = client_for(auditor).get(LIST, {"field": "phone"}).content.decode()
    assert "海曙王伯" in page and "周奶奶" not in page


def test_the_page_exports_the_filtered_log(make_user: Any, lines: Any, list_url: str) -> None:
    auditor = make_user(Role.AUDITOR, CITY)
    response = client_for(auditor).get(list_url, {"export": "xlsx", "kind": "view"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content), read_only=True).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    text = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert "周奶奶" in text and "海曙王伯" in text and "岗位津贴" not in text
    assert "低保申请表" in text and "证件号码" in text
    assert len(rows) == 3  # the header and the two reveals


def test_a_minor_is_not_named_to_an_auditor(
    make_user: Any, users: dict[str, Any], list_url: str
) -> None:
    child = make_recipient(name="小明同学", birth=date(2015, 6, 1))
    recipient_reveal_identity(
        actor=users[Role.SOCIAL_WORKER], recipient=child, field="id_number", purpose="入学"
    )
    auditor = make_user(Role.AUDITOR, CITY)
    page = client_for(auditor).get(list_url).content.decode()
    assert "小明同学" not in page and "入学" in page
    row = api_for(auditor).get("/api/v1/access-log/").json()["results"][0]
    assert (row["recipient"], row["recipient_name"], row["recipient_is_minor"]) == (
        None,
        None,
        True,
    )
    line = IdentityView.objects.get()
    detail = client_for(auditor).get(line.get_absolute_url())
    assert detail.status_code == 200 and "小明同学" not in detail.content.decode()
    # the district officer, who may see minors, reads the name
    manager_page = client_for(users[Role.DISTRICT_OFFICER]).get(list_url).content.decode()
    assert "小明同学" in manager_page


def test_the_service_refuses_a_line_it_cannot_place(users: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        personal_data_access_log(actor=users[Role.SOCIAL_WORKER], field="phone")
    with pytest.raises(ValueError):
        personal_data_access_log(
            actor=users[Role.SOCIAL_WORKER], field="shoe_size", region=region(CITY)
        )
    assert not IdentityView.objects.exists()


def test_the_menu_offers_the_log_to_auditors_and_bureaus(users: dict[str, Any]) -> None:
    for role in sorted(ALL_ROLES):
        page = client_for(users[role]).get("/").content.decode()
        offered = "个人信息访问记录" in page
        assert offered == (role in (Role.AUDITOR, Role.CITY_ADMIN, Role.DISTRICT_OFFICER)), role
