"""A masked date of birth gives nothing of the date away (issue 16): for the roles that read
personal data masked (auditors), a date of birth is shown as its five-year age band alone
("80–84岁"), never as a date fragment ("******0-30") beside the exact age — on pages, lists,
exports, history and the API, for recipients and social workers alike. The roles that see
personal data keep the date and the exact age.
"""

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from swstation.core.masking import age_band, mask_value
from swstation.core.roles import Role
from swstation.recipients.services import recipient_update
from tests.clients import api_for, client_for
from tests.recipients.helpers import make_recipient
from tests.workforce.helpers import CICHENG, person

pytestmark = pytest.mark.django_db


def birth_of(age: int) -> date:
    """A date of birth ``age`` years ago and a few weeks (never today's month and day)."""
    today = timezone.localdate()
    return today.replace(year=today.year - age, day=1) - timedelta(days=45)


BIRTH = birth_of(82)


def fragments(day: date) -> list[str]:
    """Every piece of a date a masked form might leak."""
    return [day.isoformat(), str(day.year), f"{day:%m-%d}", day.isoformat()[-4:]]


def export_rows(client: Client, url: str, fmt: str) -> list[list[Any]]:
    response = client.get(url, {"export": fmt})
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text)))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_age_band() -> None:
    today = date(2026, 6, 15)
    assert age_band(date(1944, 6, 16), today=today) == "80–84岁"  # 81
    assert age_band(date(1941, 6, 15), today=today) == "85–89岁"  # 85 today
    assert age_band(date(2020, 1, 1), today=today) == "5–9岁"
    assert age_band(date(2026, 1, 1), today=today) == "0–4岁"
    assert age_band(date(1920, 1, 1), today=today) == "100岁及以上"
    assert mask_value(BIRTH) == age_band(BIRTH)
    assert mask_value(BIRTH.isoformat()) == age_band(BIRTH)  # as the API serialises it
    assert mask_value("13812345678") == "138****5678"  # other values as before


@pytest.fixture
def elder() -> Any:
    return make_recipient(
        name="钱奶奶",
        number="",
        document_type="none",
        no_document_reason="证件遗失",
        birth_date=BIRTH,
        sex="female",
    )


@pytest.fixture
def worker() -> Any:
    return person(CICHENG, name="赵社工", birth_date=BIRTH, phone="13812345678")


def age_of(day: date) -> int:
    today = timezone.localdate()
    return today.year - day.year - ((today.month, today.day) < (day.month, day.day))


def test_an_auditor_sees_the_age_band_alone_on_the_recipient_page(
    users: dict[str, Any], elder: Any
) -> None:
    band = age_band(BIRTH)
    assert band == "80–84岁" and age_of(BIRTH) == 82
    body = client_for(users[Role.AUDITOR]).get(elder.get_absolute_url()).content.decode()
    cell = re.search(r'id="birth-date">(.*?)</dd>', body, re.S)
    assert cell is not None
    assert band in cell[1]
    for piece in [*fragments(BIRTH), "82", "*"]:
        assert piece not in cell[1], piece
    assert BIRTH.isoformat() not in body

    body = client_for(users[Role.SOCIAL_WORKER]).get(elder.get_absolute_url()).content.decode()
    cell = re.search(r'id="birth-date">(.*?)</dd>', body, re.S)
    assert cell is not None and BIRTH.isoformat() in cell[1] and "82岁" in cell[1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_lists_and_exports_show_the_band_and_no_exact_age_to_auditors(
    users: dict[str, Any], elder: Any, worker: Any, fmt: str
) -> None:
    band = age_band(BIRTH)
    auditor = client_for(users[Role.AUDITOR])
    for url, name in (("/recipients/", "钱奶奶"), ("/workforce/social-workers/", "赵社工")):
        rows = export_rows(auditor, url, fmt)
        header, row = rows[0], next(r for r in rows if r and r[0] == name)
        cells = ["" if value is None else str(value) for value in row]
        assert band in cells, (url, header, cells)
        for piece in fragments(BIRTH):
            assert not any(piece in value for value in cells), (url, piece, cells)
        assert "82" not in cells, (url, header, cells)  # no exact age column either
        page = auditor.get(url).content.decode()
        assert band in page and BIRTH.isoformat() not in page

    manager = client_for(users[Role.STATION_MANAGER])
    rows = export_rows(manager, "/recipients/", fmt)
    row = next(r for r in rows if r and r[0] == "钱奶奶")
    assert BIRTH.isoformat() in [str(value) for value in row]


def test_the_api_gives_auditors_the_band_instead_of_the_date_and_age(
    users: dict[str, Any], elder: Any, worker: Any
) -> None:
    band = "80-84"
    data = api_for(users[Role.AUDITOR]).get(f"/api/v1/recipients/{elder.pk}/").json()
    assert data["birth_date"] is None and data["age"] is None
    assert data["age_band"] == band
    data = api_for(users[Role.SOCIAL_WORKER]).get(f"/api/v1/recipients/{elder.pk}/").json()
    assert data["birth_date"] == BIRTH.isoformat() and data["age"] == 82
    assert data["age_band"] == band

    data = api_for(users[Role.AUDITOR]).get(f"/api/v1/social-workers/{worker.pk}/").json()
    assert data["birth_date"] is None and data["age_band"] == band
    data = api_for(users[Role.CITY_ADMIN]).get(f"/api/v1/social-workers/{worker.pk}/").json()
    assert data["birth_date"] == BIRTH.isoformat() and data["age_band"] == band


def test_the_social_worker_page_and_the_history_show_the_band_to_auditors(
    users: dict[str, Any], elder: Any, worker: Any
) -> None:
    band = age_band(BIRTH)
    auditor = client_for(users[Role.AUDITOR])
    body = auditor.get(worker.get_absolute_url()).content.decode()
    assert band in body
    for piece in fragments(BIRTH):
        assert piece not in body, piece

    older = birth_of(87)
    recipient_update(
        actor=users[Role.SOCIAL_WORKER],
        recipient=elder,
        birth_date=older,
    )
    history = auditor.get(f"/recipients/{elder.pk}/history/").content.decode()
    assert band in history and age_band(older) in history
    for day in (BIRTH, older):
        for piece in fragments(day):
            assert piece not in history, piece


def test_an_auditor_cannot_narrow_ages_below_a_band(users: dict[str, Any], elder: Any) -> None:
    """An age filter of a single year would give the exact age away: for auditors the bounds
    widen to whole bands."""
    api = api_for(users[Role.AUDITOR])

    def ids(**params: Any) -> set[int]:
        return {r["id"] for r in api.get("/api/v1/recipients/", params).json()["results"]}

    assert ids(age_min=83, age_max=83) == {elder.pk}  # 80–84 as a whole
    assert ids(age_min=85) == set()
    worker_api = api_for(users[Role.SOCIAL_WORKER])
    found = worker_api.get("/api/v1/recipients/", {"age_min": 83, "age_max": 83}).json()
    assert found["count"] == 0
