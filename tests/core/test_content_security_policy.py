"""A Content-Security-Policy on every answer: scripts only from the site itself (no inline
script without the request's nonce, no inline event handler, no eval), and the templates
keep to it."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from swstation.core.navigation import menu_for
from swstation.core.roles import Role
from swstation.regions.models import Region
from tests.conftest import YUEHU

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "swstation"
HEADER = "Content-Security-Policy"


def policy(response: Any) -> dict[str, list[str]]:
    assert HEADER in response, f"no {HEADER} on {response.status_code} {response}"
    directives: dict[str, list[str]] = {}
    for part in response[HEADER].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response: Any) -> dict[str, list[str]]:
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    script = directives["script-src"]
    assert "'self'" in script
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert all(value in ("'self'",) or value.startswith("'nonce-") for value in script)
    for name in ("style-src", "img-src", "font-src", "connect-src"):
        assert "'self'" in directives[name], name
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    return directives


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\bnonce=)([^>]*)>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def inline_scripts(html: str) -> list[str]:
    """Inline scripts that would run: data blocks (json_script) are not scripts."""
    return [
        match.group(0)
        for match in INLINE_SCRIPT.finditer(html)
        if "application/json" not in match.group(1)
    ]


def test_every_page_of_the_menu_has_the_policy(users: dict[str, Any]) -> None:
    admin = users[Role.CITY_ADMIN]
    client = Client()
    client.force_login(admin)
    urls = ["/", "/accounts/profile/", "/accounts/password/", "/api/docs/"]
    urls += [item["url"] for group in menu_for(admin) for item in group["items"]]
    assert len(urls) > 10
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        body = response.content.decode()
        assert inline_scripts(body) == [], url
        assert not EVENT_HANDLER.search(body), url


def test_login_errors_and_the_api_have_the_policy(users: dict[str, Any]) -> None:
    assert_strict(Client().get("/accounts/login/"))
    officer = Client()
    officer.force_login(users[Role.DISTRICT_OFFICER])
    not_found = officer.get(Region.objects.get(code=YUEHU).get_absolute_url())
    assert not_found.status_code == 404
    assert_strict(not_found)
    worker = Client()
    worker.force_login(users[Role.SOCIAL_WORKER])
    refused = worker.get("/accounts/users/")
    assert refused.status_code == 403
    assert_strict(refused)
    api = APIClient()
    api.force_authenticate(users[Role.CITY_ADMIN])
    assert_strict(api.get("/api/v1/regions/"))
    browsable = api.get("/api/v1/regions/", HTTP_ACCEPT="text/html")
    assert_strict(browsable)
    assert inline_scripts(browsable.content.decode()) == []


def test_the_swagger_page_runs_its_start_up_script_with_the_nonce(
    users: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(users[Role.AUDITOR])
    response = client.get("/api/docs/")
    assert response.status_code == 200
    nonces = [v for v in assert_strict(response)["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    body = response.content.decode()
    assert f'<script nonce="{nonce}">' in body
    assert "SwaggerUIBundle" in body
    # A fresh nonce for each answer.
    again = policy(client.get("/api/docs/"))["script-src"]
    assert nonces[0] not in again


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    """Inline code must move to a static file, or carry ``nonce="{{ csp_nonce }}"``."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(PACKAGE))
        offenders += [f"{name}: {tag}" for tag in inline_scripts(text)]
        offenders += [f"{name}: {m.group(0)}" for m in EVENT_HANDLER.finditer(text)]
        offenders += [f"{name}: javascript: URL" for _ in re.finditer("javascript:", text)]
    assert offenders == []
