"""A real browser against a real server: Debian's Chromium driven by Playwright.

The app runs on werkzeug in a thread on 127.0.0.1 with the demo organisation seeded.
Without /usr/bin/chromium these tests FAIL (CI installs it with apt-get); they never skip.
Screenshots go to $LAUNCHPAD_E2E_ARTIFACTS (default /tmp/launchpad-e2e).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from launchpad import create_app
from launchpad.config import Settings
from launchpad.extensions import get_state
from launchpad.services.demo import DEMO_PASSWORD, DemoResult, seed_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class LiveApp:
    url: str
    demo: DemoResult


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` "
            "(.ci/run does); browser tests never skip"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live(settings: Settings, database_url: str, session: Session) -> Iterator[LiveApp]:
    """The demo organisation served on a free port for one test."""
    demo = seed_demo(session, settings.templates_dir, datetime.now(UTC))
    session.commit()
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False  # server_close() then waits for requests still running
    thread = threading.Thread(target=server.serve_forever, name="e2e-web", daemon=True)
    thread.start()
    try:
        yield LiveApp(f"http://127.0.0.1:{server.port}", demo)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        get_state(app).engine.dispose()


@pytest.fixture
def page(browser: Browser, live: LiveApp) -> Iterator[Page]:
    context = browser.new_context(base_url=live.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda msg: errors.append(msg.text) if _unexpected(msg.type, msg.text) else None
    )
    yield page
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


def _unexpected(kind: str, text: str) -> bool:
    """Console errors fail the test, except the 403 a forbidden page is meant to answer."""
    return kind == "error" and "status of 403" not in text


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def shot(page: Page, name: str) -> Path:
    """A full-page screenshot for a person to look at."""
    folder = Path(os.environ.get("LAUNCHPAD_E2E_ARTIFACTS", "/tmp/launchpad-e2e"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
