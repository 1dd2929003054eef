"""Sign-in and sessions: a stranger cannot lock the owner out, sign-out ends the session on
the server, account changes revoke API tokens, the last DPO holds under concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func
from sqlalchemy import select

from breachdesk import create_app
from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import ApiToken
from breachdesk.models import LoginThrottle
from breachdesk.models import User
from tests.conftest import Browser
from tests.conftest import base_config
from tests.web.test_api import call
from tests.web.test_api import token_for

# Both databases: the last-DPO rule and the throttle rows rest on each one's locking.
BACKENDS = ("sqlite", "postgres")

STRANGER = "203.0.113.66"
OWNER = "198.51.100.7"


def from_client(app, address: str) -> Browser:
    browser = Browser(app)
    browser.client.environ_base["REMOTE_ADDR"] = address
    return browser


def sign_in(browser: Browser, username: str, password: str):
    return browser.post("/auth/login", {"username": username, "password": password})


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_a_strangers_failures_never_stop_the_owner_signing_in(app, make_user):
    make_user("dana", Role.DPO)
    stranger = from_client(app, STRANGER)
    for _ in range(12):
        refused = sign_in(stranger, "dana", "guess-after-guess")
    assert "Too many failed attempts" in refused.get_data(as_text=True)
    assert sign_in(stranger, "dana", "dana-password-1").status_code == 401  # still locked there

    owner = from_client(app, OWNER)
    assert sign_in(owner, "dana", "dana-password-1").status_code == 302


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_one_client_failing_across_many_usernames_is_slowed_down(app, make_user):
    make_user("sam", Role.STAFF)
    stranger = from_client(app, STRANGER)
    for n in range(20):
        sign_in(stranger, f"name{n}", "guess-after-guess")
    locked = sign_in(stranger, "sam", "sam-password-1")
    assert locked.status_code == 401
    assert "Too many failed attempts" in locked.get_data(as_text=True)
    assert sign_in(from_client(app, OWNER), "sam", "sam-password-1").status_code == 302


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_stale_throttle_rows_expire(app, make_user, freezer):
    make_user("sam", Role.STAFF)
    sign_in(from_client(app, STRANGER), "nobody", "guess-after-guess")
    freezer.tick(2 * 24 * 3600)
    sign_in(from_client(app, OWNER), "sam", "sam-password-1")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginThrottle)) == 0


def test_sign_out_ends_the_session_and_the_keep_me_signed_in_cookie(app, make_user):
    make_user("sam", Role.STAFF)
    sam = Browser(app)
    sam.post("/auth/login", {"username": "sam", "password": "sam-password-1", "remember": "y"})
    session_cookie = sam.client.get_cookie("breachdesk_session").value
    remember_cookie = sam.client.get_cookie("remember_token").value
    sam.post("/auth/logout", form_url="/report/mine")

    replay = Browser(app)
    replay.client.set_cookie("breachdesk_session", session_cookie)
    assert replay.get("/report/mine").status_code == 302
    remembered = Browser(app)
    remembered.client.set_cookie("remember_token", remember_cookie)
    assert remembered.get("/report/mine").status_code == 302


def test_the_csrf_token_changes_at_sign_in(app, make_user):
    make_user("sam", Role.STAFF)
    sam = Browser(app)
    sam.token("/auth/login")
    with sam.client.session_transaction() as session:
        before = session["csrf_token"]
    sam.login("sam")
    sam.token("/report/new")
    with sam.client.session_transaction() as session:
        after = session["csrf_token"]
    assert before != after


@pytest.fixture
def tokens(app, login_as, make_user):
    dpo = login_as("dana", Role.DPO)
    make_user("ian", Role.IT, Role.STAFF)
    ian_id = user_id(app, "ian")
    return dpo, ian_id, token_for(app, "ian")


def user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def live_tokens(app) -> int:
    with app.app_context():
        query = select(func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None))
        return db.session.scalar(query)


def test_disabling_revokes_tokens_and_re_enabling_brings_none_back(app, tokens):
    dpo, ian_id, secret = tokens
    page = f"/admin/users/{ian_id}"
    assert dpo.post(f"{page}/enabled", form_url=page).status_code == 302
    assert live_tokens(app) == 0
    assert dpo.post(f"{page}/enabled", form_url=page).status_code == 302
    assert call(app, "GET", "/api/incidents", secret).status_code == 401


def test_an_admin_password_reset_revokes_tokens(app, tokens):
    dpo, ian_id, secret = tokens
    page = f"/admin/users/{ian_id}"
    reset = dpo.post(f"{page}/password", {"password": "brand new temporary words"}, form_url=page)
    assert reset.status_code == 302
    assert call(app, "GET", "/api/incidents", secret).status_code == 401


def test_removing_a_role_revokes_tokens(app, tokens):
    dpo, ian_id, secret = tokens
    page = f"/admin/users/{ian_id}"
    assert dpo.post(f"{page}/roles", {"roles": ["it"]}, form_url=page).status_code == 302
    assert call(app, "GET", "/api/incidents", secret).status_code == 401


def test_the_dpo_sees_and_revokes_every_users_tokens(app, tokens):
    dpo, _, secret = tokens
    page = dpo.get("/api/tokens").get_data(as_text=True)
    assert "Everyone else's tokens" in page
    assert "SIEM" in page  # ian's token, by name
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert dpo.post(f"/api/tokens/{token_id}/revoke", form_url="/api/tokens").status_code == 302
    assert call(app, "GET", "/api/incidents", secret).status_code == 401


def test_it_cannot_revoke_someone_elses_token(app, tokens, login_as):
    other = login_as("ivy", Role.IT)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    assert other.post(f"/api/tokens/{token_id}/revoke", form_url="/api/tokens").status_code == 404
    assert live_tokens(app) == 1


def test_two_dpos_disabling_each_other_at_once_leave_one_dpo(app, login_as):
    dana, dev = login_as("dana", Role.DPO), login_as("dev", Role.DPO)
    ids = {"dana": user_id(app, "dana"), "dev": user_id(app, "dev")}
    moves = [(dana, ids["dev"]), (dev, ids["dana"])]
    tokens = [b.token(f"/admin/users/{target}") for b, target in moves]
    start = threading.Barrier(2)

    def disable(n: int) -> int:
        browser, target = moves[n]
        start.wait()
        url = f"/admin/users/{target}/enabled"
        return browser.client.post(url, data={"csrf_token": tokens[n]}).status_code

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(disable, range(2)))

    with app.app_context():
        enabled = db.session.scalars(select(User.username).where(User.enabled.is_(True))).all()
    assert len(enabled) == 1
    assert answers[0] == 302
    assert answers[1] in (400, 302)  # refused, or its session ended by the first


def test_common_passwords_and_ones_built_from_the_username_are_refused(app, login_as):
    dpo = login_as("dana", Role.DPO)
    for password, message in [
        ("Password123!", "first that anyone guessing would try"),
        ("qwertyqwerty", "first that anyone guessing would try"),
        ("123456789012", "not only digits"),
        ("jo.smith2026!", "from the username"),
    ]:
        fields = {"username": "jo.smith", "display_name": "Jo", "roles": ["staff"]}
        response = dpo.post("/admin/users", {**fields, "password": password})
        assert response.status_code == 400, password
        assert message in response.get_data(as_text=True), password
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "jo.smith")) is None


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_the_current_password_check_is_throttled(app, login_as):
    sam = login_as("sam", Role.STAFF)
    fields = {"new_password": "three unrelated words", "confirm": "three unrelated words"}
    for _ in range(6):
        response = sam.post("/auth/password", {**fields, "current_password": "a wrong guess"})
    assert "Too many wrong passwords" in response.get_data(as_text=True)
    right = sam.post("/auth/password", {**fields, "current_password": "sam-password-1"})
    assert right.status_code == 400  # still locked, even with the right one


def test_cookies_and_headers_follow_the_deployment(tmp_path):
    config = {
        **base_config(tmp_path, f"sqlite:///{tmp_path / 'h.sqlite'}"),
        "SESSION_COOKIE_SECURE": True,
        "HSTS_SECONDS": 31536000,
    }
    secure = create_app(config)
    assert secure.config["REMEMBER_COOKIE_SECURE"] is True
    response = secure.test_client().get("/health")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert response.headers["Server"] == "breachdesk"
    with secure.app_context():
        db.engine.dispose()
