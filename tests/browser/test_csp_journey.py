"""The pages that run scripts still work under the Content-Security-Policy (settings.SECURE_CSP):
the Swagger page with its nonce, the scripts moved out of the templates into static files.
The conftest fails any test whose browser console reports a CSP violation."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from swstation.accounts.models import User
from swstation.core.roles import Role
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_journeys import log_in_ok
from tests.conftest import CITY

pytestmark = pytest.mark.browser


def test_pages_with_scripts_run_under_the_policy(
    page: Page, live_server: Any, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.CITY_ADMIN, CITY)
    log_in_ok(page, live_server, admin)

    # Swagger UI starts (its inline start-up script carries the nonce) and reads the schema,
    # whose generation takes a few seconds of CPU: longer than a journey step on a busy machine.
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "SWStation API", timeout=4 * TIMEOUT_MS
    )
    expect(page.locator(".opblock-tag").first).to_be_visible()
    header = page.request.get(f"{live_server.url}/api/docs/").headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in header

    # The certification chart's script, now a static file, ran: with no certificates yet it
    # removes the empty chart area.
    page.goto("/workforce/statistics/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#certification-chart")).to_have_count(0)

    # The report's print button, without an onclick attribute.
    page.goto("/cockpit/report/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator("[data-print]").click()
    assert page.evaluate("window.printed") is True

    # The language switch, without an onchange attribute.
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_violation_would_be_caught(page: Page, console_problems: list[str]) -> None:
    """The watcher of the conftest sees what the policy blocks (then forgets it, so that this
    test passes): an image from elsewhere, and an inline script."""
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.src = "https://example.org/tracker.png";
            document.body.append(image);
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.injected") is None
    assert any("img-src" in problem for problem in console_problems), console_problems
    assert any("script-src" in problem for problem in console_problems), console_problems
    console_problems.clear()
