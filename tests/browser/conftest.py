"""A live breachdesk on loopback and a real headless chromium driving it."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from breachdesk import create_app
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.services import accounts
from tests.conftest import base_config

# The same patience for a page to show what it should as for an action: on a busy shared
# machine a request can take seconds, and a wait is not a failure.
expect.set_options(timeout=15_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_app(tmp_path):
    """The app on a file SQLite database with a DPO and a staff member."""
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'live.sqlite'}"))
    with app.app_context():
        db.create_all()
        accounts.create_user("dana", "dana-password-1", [Role.DPO], display_name="Dana Price")
        accounts.create_user("sam", "sam-password-1", [Role.STAFF], display_name="Sam Taylor")
        accounts.create_user("reliant", "reliant-password-1", [Role.IT], display_name="Reliant")
        db.session.commit()
    return app


@pytest.fixture
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium under Playwright; a missing browser fails the test, never skips it."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"chromium not found at {CHROMIUM}: run `make test` to install it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Every console error and uncaught script error of the test's page, CSP violations
    included (chromium reports each refused script, style or frame as a console error)."""
    return []


@pytest.fixture
def page(chromium, console_errors):
    context = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()
    assert console_errors == [], "the browser console reported errors"


class Desk:
    """Page actions with explicit waits, so tests read as what a person does."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto(f"{self.base_url}/auth/login")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url("**/auth/login")


@pytest.fixture
def desk(page, live_server) -> Desk:
    return Desk(page, live_server)
