"""Ordinary refusals (403) and misses (404) are logged as one line, without a traceback; a
server error (500) still logs its traceback."""

import logging
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from swstation import views
from swstation.core.roles import Role
from swstation.regions.models import Region
from tests.conftest import YUEHU

pytestmark = pytest.mark.django_db


def request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


def test_403_and_404_are_logged_without_a_traceback(
    users: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    worker, officer = Client(), Client()
    worker.force_login(users[Role.SOCIAL_WORKER])
    officer.force_login(users[Role.DISTRICT_OFFICER])
    api = APIClient()
    api.force_authenticate(users[Role.DISTRICT_OFFICER])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert worker.get("/accounts/users/").status_code == 403  # PermissionDenied raised
        outside = Region.objects.get(code=YUEHU)
        assert officer.get(outside.get_absolute_url()).status_code == 404  # Http404 raised
        assert officer.get("/no-such-page/").status_code == 404
        assert api.get(f"/api/v1/regions/{outside.pk}/").status_code == 404
        assert api.delete(f"/api/v1/regions/{outside.pk}/").status_code in (403, 404)
    records = request_records(caplog)
    assert {record.status_code for record in records} >= {403, 404}  # type: ignore[attr-defined]
    assert all(record.levelno == logging.WARNING for record in records)
    assert [record for record in records if record.exc_info] == []
    assert "Traceback" not in caplog.text


def test_a_500_still_logs_its_traceback(
    users: dict[str, Any], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the home page is broken")

    monkeypatch.setattr(views.HomeView, "get", broken)
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.CITY_ADMIN])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/").status_code == 500
    errors = [record for record in request_records(caplog) if record.status_code == 500]  # type: ignore[attr-defined]
    assert errors and errors[0].levelno == logging.ERROR
    assert errors[0].exc_info is not None
    assert "Traceback" in caplog.text and "the home page is broken" in caplog.text
