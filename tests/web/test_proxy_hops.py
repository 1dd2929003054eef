"""Behind a reverse proxy: the sign-in throttle counts each member of staff as their own
client when PROXY_HOPS says a proxy is there, and a forged header counts for nothing when not.
"""

from __future__ import annotations

import pytest
from flask import request

from breachdesk import create_app
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.services import accounts
from breachdesk.services.sign_in_throttle import CLIENT_FREE_ATTEMPTS
from tests.conftest import Browser
from tests.conftest import _sqlite_url
from tests.conftest import base_config

PROXY = "10.0.0.2"  # every request reaches the desk from the proxy's address
GUESSER = "203.0.113.66"
SAM = "198.51.100.7"


@pytest.fixture
def desk(tmp_path, sqlite_schema):
    """Make the app on SQLite, with ``PROXY_HOPS`` set as given or left at its default."""
    apps = []

    def make(**settings):
        app = create_app(base_config(tmp_path, _sqlite_url(tmp_path, sqlite_schema)) | settings)
        app.add_url_rule("/scheme-seen", "scheme_seen", lambda: request.scheme)
        with app.app_context():
            accounts.create_user("sam", "sam-password-1", [Role.STAFF])
            db.session.commit()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def through_the_proxy(app, forwarded_for: str | None = None) -> Browser:
    """A browser whose requests arrive from the proxy, saying they were sent for a client."""
    browser = Browser(app)
    browser.client.environ_base["REMOTE_ADDR"] = PROXY
    if forwarded_for is not None:
        browser.client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
        browser.client.environ_base["HTTP_X_FORWARDED_PROTO"] = "https"
        # Over https a form is accepted only from a page of the same site, as a browser says.
        browser.client.environ_base["HTTP_REFERER"] = "https://localhost/auth/login"
    return browser


def sign_in(browser: Browser, username: str, password: str):
    return browser.post("/auth/login", {"username": username, "password": password})


def guess_across_usernames(browser_for_each_guess) -> None:
    """As many wrong guesses across usernames as one client gets before it is slowed down."""
    for n in range(CLIENT_FREE_ATTEMPTS):
        sign_in(browser_for_each_guess(n), f"name{n}", "guess-after-guess")


def locked_out(response) -> bool:
    return response.status_code == 401 and "Too many failed attempts" in response.get_data(
        as_text=True
    )


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_without_proxy_hops_a_forged_forwarded_for_does_not_dodge_the_client_limit(desk):
    desk = desk()
    guess_across_usernames(lambda n: through_the_proxy(desk, f"192.0.2.{n + 1}"))

    again = sign_in(through_the_proxy(desk, "192.0.2.250"), "sam", "sam-password-1")

    assert locked_out(again)  # every rotated address was counted as the one real client


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_with_one_proxy_hop_two_staff_behind_it_are_throttled_separately(desk):
    desk = desk(PROXY_HOPS=1)
    guess_across_usernames(lambda n: through_the_proxy(desk, GUESSER))
    assert locked_out(sign_in(through_the_proxy(desk, GUESSER), "sam", "sam-password-1"))

    sam = through_the_proxy(desk, SAM)
    signed_in = sign_in(sam, "sam", "sam-password-1")

    assert signed_in.status_code == 302
    assert sam.get("/").status_code == 302  # signed in: sent on to their reports


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_with_one_proxy_hop_only_the_proxys_own_entry_is_trusted(desk):
    desk = desk(PROXY_HOPS=1)
    # A client writes its own X-Forwarded-For; the proxy appends the address it saw.
    guess_across_usernames(lambda n: through_the_proxy(desk, f"192.0.2.{n + 1}, {GUESSER}"))

    again = sign_in(through_the_proxy(desk, f"192.0.2.250, {GUESSER}"), "sam", "sam-password-1")

    assert locked_out(again)


@pytest.mark.parametrize(("hops", "scheme"), [(0, "http"), (1, "https")])
def test_the_scheme_the_proxy_saw_counts_only_with_proxy_hops(desk, hops, scheme):
    sam = through_the_proxy(desk(PROXY_HOPS=hops), SAM)  # the proxy took https from Sam
    sign_in(sam, "sam", "sam-password-1")

    assert sam.get("/scheme-seen").get_data(as_text=True) == scheme


@pytest.mark.parametrize("hops", ["-1", "two", "1.5"])
def test_a_proxy_hops_that_is_not_a_count_stops_the_start_in_one_line(tmp_path, capsys, hops):
    with pytest.raises(SystemExit) as stopped:
        create_app(base_config(tmp_path, "sqlite://") | {"PROXY_HOPS": hops})

    assert stopped.value.code == 1
    assert capsys.readouterr().err == (
        f"breachdesk cannot start: PROXY_HOPS is {hops!r}: set it to the number of proxies "
        "in front of breachdesk (0 when there is none).\n"
    )
