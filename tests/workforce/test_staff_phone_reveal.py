"""A social worker's mobile phone is personal data read like a recipient's (issue 10,
"Auditing"; architecture.md, "Masking of personal data"): masked on every page, list, export
and API answer, shown in full on request on the person's page (or the API's reveal-phone) to
the roles that read personal data, each view a line of the access log the auditors read;
auditors get the masked number and no button. Sent back masked, the number is kept."""

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from swstation.core.roles import ALL_ROLES, MASKED_ROLES, Role
from swstation.recipients.models import IdentityView
from swstation.workforce.models import SocialWorker, SupervisionSession
from tests.accounts.test_user_pages_and_api import UserCases
from tests.clients import api_for, client_for
from tests.workforce import helpers
from tests.workforce.test_pages_and_api import SocialWorkerCases, SupervisorCases

pytestmark = pytest.mark.django_db

ROLES = sorted(ALL_ROLES)
PHONE, MASKED = "13812345678", "138****5678"


@pytest.fixture
def worker() -> SocialWorker:
    station = helpers.station(helpers.CICHENG)
    return helpers.person(helpers.CICHENG, name="郑伟", phone=PHONE, station=station)


@pytest.mark.parametrize("role", ROLES)
def test_masked_everywhere_and_shown_on_request_logged(
    role: str, users: dict[str, Any], worker: SocialWorker
) -> None:
    client = client_for(users[role])
    page = client.get(worker.get_absolute_url()).content.decode()
    assert PHONE not in page and MASKED in page
    may = role not in MASKED_ROLES
    assert ("/reveal-phone/" in page) == may
    listing = client.get("/workforce/social-workers/", {"q": "郑伟"}).content.decode()
    assert PHONE not in listing and MASKED in listing
    export = client.get("/workforce/social-workers/", {"q": "郑伟", "export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert PHONE not in cells and MASKED in cells
    assert api_for(users[role]).get(f"/api/v1/social-workers/{worker.pk}/").json()["phone"] == (
        MASKED
    )

    response = client.post(
        f"/workforce/social-workers/{worker.pk}/reveal-phone/",
        {"purpose": "通知培训"},
        HTTP_HX_REQUEST="true",
    )
    if not may:
        assert response.status_code == 403
        assert not IdentityView.objects.exists()
        return
    assert response.status_code == 200
    assert PHONE in response.content.decode()
    line = IdentityView.objects.get()
    assert (line.user, line.field, line.kind, line.subject, line.purpose, line.region) == (
        users[role],
        "staff_phone",
        "view",
        "郑伟",
        "通知培训",
        worker.region,
    )
    assert line.recipient is None
    # Without htmx: the person's page with the number in place.
    full = client.post(f"/workforce/social-workers/{worker.pk}/reveal-phone/", {"purpose": ""})
    assert PHONE in full.content.decode()


def test_the_auditor_reads_the_line_in_the_access_log(
    users: dict[str, Any], worker: SocialWorker
) -> None:
    api_for(users[Role.STATION_MANAGER]).post(
        f"/api/v1/social-workers/{worker.pk}/reveal-phone/", {"purpose": "核对排班"}
    )
    log = client_for(users[Role.AUDITOR]).get("/recipients/access-log/").content.decode()
    assert "郑伟" in log and "社工手机号" in log and "核对排班" in log
    assert PHONE not in log


def test_the_api_reveals_to_the_readers_only(users: dict[str, Any], worker: SocialWorker) -> None:
    url = f"/api/v1/social-workers/{worker.pk}/reveal-phone/"
    answer = api_for(users[Role.DISTRICT_OFFICER]).post(url, {"purpose": "联系"}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"id": worker.pk, "phone": PHONE}
    assert api_for(users[Role.AUDITOR]).post(url, {}, format="json").status_code == 403
    far = helpers.person(helpers.YUEHU, name="远方社工", phone="13900002222")
    officer = api_for(users[Role.DISTRICT_OFFICER])
    assert officer.post(f"/api/v1/social-workers/{far.pk}/reveal-phone/", {}).status_code == 404
    assert IdentityView.objects.count() == 1


def test_a_put_of_the_record_as_read_keeps_the_number(
    users: dict[str, Any], worker: SocialWorker
) -> None:
    api = api_for(users[Role.STATION_MANAGER])
    url = f"/api/v1/social-workers/{worker.pk}/"
    row = api.get(url).json()
    assert row["phone"] == MASKED
    row["note"] = "改了备注"
    response = api.put(url, row, format="json")
    assert response.status_code == 200, response.content
    worker.refresh_from_db()
    assert worker.phone == PHONE and worker.note == "改了备注"
    assert api.patch(url, {"phone": "13900003333"}, format="json").status_code == 200
    worker.refresh_from_db()
    assert worker.phone == "13900003333"


def test_a_supervision_session_shows_its_participants_phones_masked(
    users: dict[str, Any], worker: SocialWorker
) -> None:
    session = SupervisionSession.objects.create(
        supervisor=helpers.supervisor(helpers.JIANGBEI, name="冯督导"),
        station=worker.station,
        held_on=date(2025, 3, 3),
        topic="个案督导",
        hours=2,
    )
    session.participants.add(worker)
    body = client_for(users[Role.CITY_ADMIN]).get(session.get_absolute_url()).content.decode()
    assert PHONE not in body and MASKED in body


# --- the edit forms (social workers, supervisors, accounts) never show a stored number ---------


def _edit(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("kind", ["socialworker", "supervisor", "user"])
def test_an_edit_form_shows_the_number_masked_keeps_replaces_or_removes_it(
    kind: str, users: dict[str, Any], worker: SocialWorker
) -> None:
    if kind == "socialworker":
        record: Any = worker
        data = SocialWorkerCases().edit_data(worker)
        url = reverse("workforce:socialworker_edit", args=[worker.pk])
        client = client_for(users[Role.STATION_MANAGER])
    elif kind == "supervisor":
        record = helpers.supervisor(helpers.CICHENG, name="陈督导", phone=PHONE)
        data = SupervisorCases().edit_data(record)
        url = reverse("workforce:supervisor_edit", args=[record.pk])
        client = client_for(users[Role.CITY_ADMIN])
    else:
        record = UserCases().make_object(helpers.CICHENG)
        data = UserCases().edit_data(record)
        url = reverse("accounts:user_edit", args=[record.pk])
        client = client_for(users[Role.CITY_ADMIN])
    data.pop("phone", None)
    page = client.get(url).content.decode()
    assert PHONE not in page and MASKED in page
    _edit(client, url, data)
    record.refresh_from_db()
    assert record.phone == PHONE  # the empty box kept it
    _edit(client, url, data | {"phone": "13900002222"})
    record.refresh_from_db()
    assert record.phone == "13900002222"
    _edit(client, url, data | {"clear_phone": "on"})
    record.refresh_from_db()
    assert record.phone == ""
    assert "clear_phone" not in client.get(url).content.decode()
