"""Pages as their users read them (found by looking at screenshots, scripts/screenshots.py):
nothing in English, and nothing that says more than is true."""

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from swstation.core.roles import Role
from swstation.regions.models import Region
from tests.conftest import CICHENG
from tests.recipients.helpers import make_recipient

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_empty_choice_of_a_select_is_chinese(users: dict[str, Any]) -> None:
    body = client_for(users[Role.SOCIAL_WORKER]).get("/recipients/add/").content.decode()
    assert "Select an option" not in body
    assert '<option value="" selected>- 请选择 -</option>' in body


def test_breadcrumbs_are_named_in_chinese(users: dict[str, Any]) -> None:
    region = Region.objects.get(code=CICHENG)
    body = client_for(users[Role.CITY_ADMIN]).get(region.get_absolute_url()).content.decode()
    assert 'aria-label="导航路径"' in body
    assert 'aria-label="breadcrumb"' not in body


def test_after_a_reset_the_current_password_is_asked_for_as_the_temporary_one(
    users: dict[str, Any], make_user: Any
) -> None:
    label = re.compile(r'<label[^>]*for="id_old_password"[^>]*>(.*?)</label>')
    reset = make_user(Role.SOCIAL_WORKER, must_change_password=True)
    found = label.search(client_for(reset).get("/accounts/password/").content.decode())
    assert found is not None and found[1] == "临时密码"
    found = label.search(
        client_for(users[Role.SOCIAL_WORKER]).get("/accounts/password/").content.decode()
    )
    assert found is not None and found[1] == "旧密码"


def test_a_date_of_birth_shown_as_an_age_band_is_labelled_as_an_age(
    users: dict[str, Any],
) -> None:
    person = make_recipient(name="钱阿婆", birth=date(1941, 5, 17))
    auditor = client_for(users[Role.AUDITOR])
    body = auditor.get(person.get_absolute_url()).content.decode()
    label = re.search(
        r'<dt class="col-sm-4">([^<]*)</dt><dd class="col-sm-8" id="birth-date">', body
    )
    assert label is not None and label[1] == "年龄"
    listing = auditor.get("/recipients/").content.decode()
    headers = re.findall(r"<th[^>]*>\s*(?:<a[^>]*>)?([^<]+)", listing)
    assert "年龄" in [header.strip() for header in headers]
    assert "出生日期" not in [header.strip() for header in headers]

    worker = client_for(users[Role.SOCIAL_WORKER])
    body = worker.get(person.get_absolute_url()).content.decode()
    label = re.search(
        r'<dt class="col-sm-4">([^<]*)</dt><dd class="col-sm-8" id="birth-date">', body
    )
    assert label is not None and label[1] == "出生日期"
