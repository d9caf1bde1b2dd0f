"""A demo instance runs as production does (DEBUG off), said explicitly by SWSTATION_DEMO."""

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from swstation.accounts.models import User

pytestmark = pytest.mark.django_db

BANNER = "演示环境：此处所有人员和数据均为虚构"


def test_the_demo_is_refused_with_debug_off_on_an_instance_that_is_not_a_demo(
    settings: Any,
) -> None:
    settings.DEBUG = False
    settings.SWSTATION_DEMO = False
    with pytest.raises(CommandError, match="SWSTATION_DEMO"):
        call_command("demo")


def test_every_page_of_a_demo_instance_says_its_data_is_made_up(
    settings: Any, users: dict[str, User]
) -> None:
    settings.DEBUG = False
    settings.SWSTATION_DEMO = True
    client = Client()
    client.force_login(users["city_admin"])
    assert BANNER in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert BANNER in Client().get("/accounts/login/").content.decode()


def test_an_instance_that_is_not_a_demo_shows_no_banner(
    settings: Any, users: dict[str, User]
) -> None:
    settings.SWSTATION_DEMO = False
    client = Client()
    client.force_login(users["city_admin"])
    assert BANNER not in client.get("/").content.decode()


def test_the_favicon_is_linked_from_every_page_and_answered_at_its_usual_address(
    client: Client,
) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("swstation/favicon.svg")
