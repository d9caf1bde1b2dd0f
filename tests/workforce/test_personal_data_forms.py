"""Staff phones are protected personal data for every role (issue 10, "Auditing"): a social
worker's and a supervisor's phone are masked on every page, list, export, API answer and
history, and shown in full only through the logged reveal (an account's phone, masked outright:
tests/accounts/test_personal_data_forms.py). The edit forms keep a stored number when the box is
left empty and replace it when a number is typed."""

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from swstation.core.history import record_author
from swstation.core.roles import ALL_ROLES, MASKED_ROLES, Role
from swstation.recipients.models import IdentityView
from swstation.workforce.importers import RosterImporter
from swstation.workforce.models import SocialWorker, Supervisor
from tests.clients import api_for, client_for
from tests.workforce import helpers
from tests.workforce.test_pages_and_api import SocialWorkerCases, SupervisorCases

pytestmark = pytest.mark.django_db

ROLES = sorted(ALL_ROLES)
PHONE, MASKED = "13812345678", "138****5678"
NEW_PHONE, NEW_MASKED = "13900002222", "139****2222"


@pytest.fixture
def supervisor() -> Supervisor:
    return helpers.supervisor(helpers.CICHENG, name="陈督导", phone=PHONE)


def _change_phone(record: Any, actor: Any) -> None:
    """A second line in the record's history: the number changed from PHONE to NEW_PHONE."""
    record.phone = NEW_PHONE
    record_author(record, actor)
    record.save()


# --- social workers: the history ------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CITY_ADMIN, Role.STATION_MANAGER, Role.AUDITOR])
def test_a_social_workers_history_shows_the_phone_masked(role: str, users: dict[str, Any]) -> None:
    station = helpers.station(helpers.CICHENG)
    worker = helpers.person(helpers.CICHENG, name="郑伟", phone=PHONE, station=station)
    _change_phone(worker, users[Role.CITY_ADMIN])
    response = client_for(users[role]).get(
        reverse("workforce:socialworker_history", args=[worker.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert PHONE not in body and NEW_PHONE not in body
    assert MASKED in body and NEW_MASKED in body


def test_a_social_workers_edit_page_keeps_or_replaces_the_phone(users: dict[str, Any]) -> None:
    station = helpers.station(helpers.CICHENG)
    worker = helpers.person(helpers.CICHENG, name="郑伟", phone=PHONE, station=station)
    client = client_for(users[Role.STATION_MANAGER])
    url = reverse("workforce:socialworker_edit", args=[worker.pk])
    page = client.get(url).content.decode()
    assert PHONE not in page and MASKED in page
    data = SocialWorkerCases().edit_data(worker)
    data.pop("phone", None)
    assert client.post(url, data | {"note": "只改备注"}).status_code == 302
    worker.refresh_from_db()
    assert (worker.phone, worker.note) == (PHONE, "只改备注")
    assert client.post(url, data | {"phone": NEW_PHONE}).status_code == 302
    worker.refresh_from_db()
    assert worker.phone == NEW_PHONE
    # A wrong number is refused, in Chinese, and the stored one stays.
    refused = client.post(url, data | {"phone": "12345"})
    assert refused.status_code == 200
    assert "手机号" in refused.content.decode()
    worker.refresh_from_db()
    assert worker.phone == NEW_PHONE


# --- supervisors: masked for every role, revealed and logged for the readers ----------------


@pytest.mark.parametrize("role", ROLES)
def test_a_supervisors_phone_is_masked_everywhere_and_shown_on_request_logged(
    role: str, users: dict[str, Any], supervisor: Supervisor
) -> None:
    client = client_for(users[role])
    page = client.get(supervisor.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert PHONE not in body and MASKED in body
    may = role not in MASKED_ROLES
    assert ("/reveal-phone/" in body) == may
    listing = client.get("/workforce/supervisors/").content.decode()
    assert PHONE not in listing and MASKED in listing
    export = client.get("/workforce/supervisors/", {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert PHONE not in cells and MASKED in cells
    api = api_for(users[role])
    assert api.get(f"/api/v1/supervisors/{supervisor.pk}/").json()["phone"] == MASKED
    assert PHONE not in api.get("/api/v1/supervisors/").content.decode()

    url = reverse("workforce:supervisor_reveal_phone", args=[supervisor.pk])
    response = client.post(url, {"purpose": "约督导时间"}, HTTP_HX_REQUEST="true")
    if not may:
        assert response.status_code == 403
        assert not IdentityView.objects.exists()
        return
    assert response.status_code == 200
    assert PHONE in response.content.decode()
    line = IdentityView.objects.get()
    assert (line.user, line.field, line.kind, line.subject, line.purpose) == (
        users[role],
        "supervisor_phone",
        "view",
        "陈督导",
        "约督导时间",
    )
    assert line.get_field_display() == "督导手机号"
    # Without htmx: the supervisor's page with the number in place.
    assert PHONE in client.post(url, {"purpose": ""}).content.decode()
    assert IdentityView.objects.count() == 2


def test_the_api_reveals_a_supervisors_phone_to_the_readers_only(
    users: dict[str, Any], supervisor: Supervisor
) -> None:
    url = f"/api/v1/supervisors/{supervisor.pk}/reveal-phone/"
    answer = api_for(users[Role.STATION_MANAGER]).post(url, {"purpose": "联系"}, format="json")
    assert answer.status_code == 200
    assert answer.json() == {"id": supervisor.pk, "phone": PHONE}
    assert api_for(users[Role.AUDITOR]).post(url, {}, format="json").status_code == 403
    line = IdentityView.objects.get()
    assert (line.field, line.user) == ("supervisor_phone", users[Role.STATION_MANAGER])


def test_a_put_of_a_supervisor_as_read_keeps_the_number(
    users: dict[str, Any], supervisor: Supervisor
) -> None:
    api = api_for(users[Role.CITY_ADMIN])
    url = f"/api/v1/supervisors/{supervisor.pk}/"
    row = api.get(url).json()
    assert row["phone"] == MASKED
    row["organisation"] = "宁波大学"
    response = api.put(url, row, format="json")
    assert response.status_code == 200, response.content
    supervisor.refresh_from_db()
    assert (supervisor.phone, supervisor.organisation) == (PHONE, "宁波大学")
    assert api.patch(url, {"phone": NEW_PHONE}, format="json").status_code == 200
    supervisor.refresh_from_db()
    assert supervisor.phone == NEW_PHONE


@pytest.mark.parametrize("role", [Role.CITY_ADMIN, Role.STATION_MANAGER])
def test_a_supervisors_history_shows_the_phone_masked(
    role: str, users: dict[str, Any], supervisor: Supervisor
) -> None:
    _change_phone(supervisor, users[Role.CITY_ADMIN])
    response = client_for(users[role]).get(
        reverse("workforce:supervisor_history", args=[supervisor.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert PHONE not in body and NEW_PHONE not in body
    assert MASKED in body and NEW_MASKED in body


def test_a_supervisors_edit_page_keeps_or_replaces_the_phone(
    users: dict[str, Any], supervisor: Supervisor
) -> None:
    client = client_for(users[Role.CITY_ADMIN])
    url = reverse("workforce:supervisor_edit", args=[supervisor.pk])
    assert PHONE not in client.get(url).content.decode()
    data = SupervisorCases().edit_data(supervisor)
    data.pop("phone", None)
    assert client.post(url, data | {"organisation": "宁波大学"}).status_code == 302
    supervisor.refresh_from_db()
    assert (supervisor.phone, supervisor.organisation) == (PHONE, "宁波大学")
    assert client.post(url, data | {"phone": NEW_PHONE}).status_code == 302
    supervisor.refresh_from_db()
    assert supervisor.phone == NEW_PHONE


def test_an_import_preview_shows_a_stored_staff_phone_masked(users: dict[str, Any]) -> None:
    worker = helpers.person(helpers.CICHENG, name="郑伟", phone=PHONE)
    changed = SocialWorker.objects.get(pk=worker.pk)
    changed.phone = NEW_PHONE
    importer = RosterImporter(users[Role.STATION_MANAGER])
    lines = {c.label: (c.old, c.new) for c in importer.field_changes(worker, changed)}
    assert lines == {"手机号": (MASKED, NEW_MASKED)}
