"""Fixtures for the browser journeys: a live server, a headless Chromium and the region tree.

pytest-django's ``live_server`` needs a transactional database, which is flushed after every
test. The division tree loaded once per session (tests/conftest.py) therefore has to be
reloaded for each browser test, and put back once the browser tests are done. (pytest-django
runs the ``db`` tests before the transactional ones, so only tests ordered after these, such as
other transactional tests, would miss it.)
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

from tests.concurrency import load_reference_data

# Playwright's sync API runs an asyncio loop in the test thread, and Django's ORM refuses to
# run inside one unless told otherwise (checked on each call, so setting it here is enough).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's default timeout is 30 s; a journey step that takes more than this is a failure.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="package", autouse=True)
def _restore_regions_afterwards(django_db_blocker: Any) -> Iterator[None]:
    """After the last browser test's flush, put the division tree and the seeds back."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def regions(transactional_db: Any) -> None:
    """The division tree and the migrations' seeds, reloaded after an earlier flush."""
    load_reference_data()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium "
            "(apt-get install chromium); they never download a browser.",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


# Chromium reports each blocked script, style, image... to the console with these words.
CSP_VIOLATION = "Content Security Policy"


@pytest.fixture(autouse=True)
def console_problems(browser: Browser, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every browser context a test opens (the ``page`` fixture's or its own) is watched: a
    Content-Security-Policy violation in the console, or a script error nobody caught, fails
    the test at its end."""
    problems: list[str] = []
    new_context = browser.new_context

    def watched_context(*args: Any, **kwargs: Any) -> BrowserContext:
        context = new_context(*args, **kwargs)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and CSP_VIOLATION in message.text:
                problems.append(f"{message.location.get('url', '')}: {message.text}")

        context.on("console", on_console)
        context.on("weberror", lambda error: problems.append(f"uncaught: {error.error}"))
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield problems
    assert problems == [], "the browser console reported:\n" + "\n".join(problems)


@pytest.fixture
def browser_context_args() -> dict[str, Any]:
    """Options of each test's browser context; a test may override this fixture."""
    # A Chinese browser, as the stations' staff use: Chromium otherwise asks for en-US.
    return {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def page(
    browser: Browser, browser_context_args: dict[str, Any], live_server: Any, regions: None
) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
