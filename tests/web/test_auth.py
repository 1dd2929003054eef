"""Signing in: passwords, the growing lock-out, disabled users and safe cookies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import User
from tests.conftest import Browser


def attempt(app, username: str, password: str):
    b = Browser(app)
    return b, b.post("/auth/login", {"username": username, "password": password})


def test_a_user_signs_in_and_out(app, make_user):
    make_user("sam", Role.STAFF)
    b, response = attempt(app, "sam", "sam-password-1")
    assert response.status_code == 302
    assert b.get("/report/mine").status_code == 200
    b.post("/auth/logout", form_url="/report/mine")
    assert b.get("/report/mine").status_code == 302


def test_a_wrong_password_is_refused_with_a_plain_message(app, make_user):
    make_user("sam", Role.STAFF)
    _, response = attempt(app, "sam", "not-the-password")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)


def test_passwords_are_stored_as_argon2id_hashes(app, make_user):
    make_user("sam", Role.STAFF)
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$")
    assert "sam-password-1" not in stored


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_repeated_failures_lock_the_name_for_growing_periods(app, make_user, freezer):
    make_user("sam", Role.STAFF)
    for _ in range(5):
        attempt(app, "sam", "wrong-password-x")
    _, locked = attempt(app, "sam", "sam-password-1")
    assert locked.status_code == 401
    assert "Too many failed attempts" in locked.get_data(as_text=True)

    freezer.tick(61)  # the first lock lasts one minute
    _, wrong = attempt(app, "sam", "wrong-password-x")  # sixth failure: two minutes
    assert "Too many failed attempts" in wrong.get_data(as_text=True)
    freezer.tick(61)
    _, still = attempt(app, "sam", "sam-password-1")
    assert still.status_code == 401
    freezer.tick(60)
    _, ok = attempt(app, "sam", "sam-password-1")
    assert ok.status_code == 302


@pytest.mark.freeze_time("2026-11-20 12:00:00")
def test_unknown_usernames_lock_the_same_way_so_nothing_is_revealed(app):
    for _ in range(6):
        _, response = attempt(app, "nobody", "whatever-password")
    assert "Too many failed attempts" in response.get_data(as_text=True)


def test_a_disabled_user_cannot_sign_in_and_their_session_ends(app, make_user, login_as):
    sam = login_as("sam", Role.STAFF)
    dpo = login_as("dana", Role.DPO)
    with app.app_context():
        sam_id = db.session.scalar(select(User.id).where(User.username == "sam"))
    response = dpo.post(f"/admin/users/{sam_id}/enabled", form_url=f"/admin/users/{sam_id}")
    assert response.status_code == 302
    assert sam.get("/report/mine").status_code == 302  # signed out
    _, again = attempt(app, "sam", "sam-password-1")
    assert again.status_code == 401


def test_after_a_reset_the_user_must_choose_a_new_password(app, make_user, login_as):
    make_user("sam", Role.STAFF)
    dpo = login_as("dana", Role.DPO)
    with app.app_context():
        sam_id = db.session.scalar(select(User.id).where(User.username == "sam"))
    dpo.post(
        f"/admin/users/{sam_id}/password",
        {"password": "temporary-pass-123"},
        form_url=f"/admin/users/{sam_id}",
    )

    b, response = attempt(app, "sam", "temporary-pass-123")
    assert response.status_code == 302
    assert b.get("/report/mine").headers["Location"] == "/auth/password"
    short = b.post(
        "/auth/password",
        {"current_password": "temporary-pass-123", "new_password": "short", "confirm": "short"},
    )
    assert short.status_code == 400
    assert "at least 12 characters" in short.get_data(as_text=True)
    done = b.post(
        "/auth/password",
        {
            "current_password": "temporary-pass-123",
            "new_password": "my own long password",
            "confirm": "my own long password",
        },
    )
    assert done.status_code == 302
    assert b.get("/report/mine").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_in_never_redirects_off_site(app, make_user, target):
    make_user("sam", Role.STAFF)
    b = Browser(app)
    response = b.post(
        f"/auth/login?next={target}",
        {"username": "sam", "password": "sam-password-1"},
        form_url="/auth/login",
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_sign_in_returns_to_the_page_asked_for(app, make_user):
    make_user("sam", Role.STAFF)
    b = Browser(app)
    response = b.post(
        "/auth/login?next=/report/new",
        {"username": "sam", "password": "sam-password-1"},
        form_url="/auth/login",
    )
    assert response.headers["Location"] == "/report/new"


def test_session_cookie_is_http_only_and_same_site(app, make_user):
    make_user("sam", Role.STAFF)
    _, response = attempt(app, "sam", "sam-password-1")
    cookie = next(
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("breachdesk_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_carry_security_headers(app, login_as):
    sam = login_as("sam", Role.STAFF)
    headers = sam.get("/report/new").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"


def test_login_without_csrf_token_is_refused(app, make_user):
    make_user("sam", Role.STAFF)
    response = Browser(app).client.post(
        "/auth/login", data={"username": "sam", "password": "sam-password-1"}
    )
    assert response.status_code == 400
