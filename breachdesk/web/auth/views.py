"""Signing in and out, and choosing a new password."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user

from breachdesk.extensions import login_manager
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.web.auth import bp
from breachdesk.web.auth.forms import ChangePasswordForm
from breachdesk.web.auth.forms import LoginForm
from breachdesk.web.filters import local_time
from breachdesk.web.security import safe_next_url


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Find the session's user; a reset password or a disabled account ends the session."""
    try:
        id_part, version_part = user_id.split(":")
        number = int(id_part)
    except ValueError:
        return None
    return accounts.session_user(number, version_part)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = accounts.sign_in(
            form.username.data, form.password.data, client=_client(), **_brake()
        )
        if result.user is not None:
            # A fresh session: nothing from before sign-in, a new CSRF token included,
            # carries over into the signed-in one.
            session.clear()
            login_user(result.user, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next")) or url_for("index"))
        status = 401
        if result.locked_until is not None:
            form.password.errors.append(
                "Too many failed attempts from this device. Try again after "
                f"{local_time(result.locked_until)}, or ask the DPO to reset the password."
            )
        else:
            form.password.errors.append("That username and password do not match.")
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        accounts.sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        checked = accounts.check_current_password(
            current_user, form.current_password.data, client=_client(), **_brake()
        )
        if checked.user is None:
            message = "That is not your current password."
            if checked.locked_until is not None:
                message = (
                    "Too many wrong passwords. Try again after "
                    f"{local_time(checked.locked_until)}, or ask the DPO to reset it."
                )
            form.current_password.errors.append(message)
            status = 400
        else:
            try:
                accounts.reset_password(
                    current_user,
                    form.new_password.data,
                    current_app.config["PASSWORD_MIN_LENGTH"],
                    by_admin=False,
                    actor=current_user,
                )
            except accounts.AccountError as exc:
                form.new_password.errors.append(str(exc))
                status = 400
            else:
                login_user(current_user._get_current_object())
                flash("Your password has been changed.")
                return redirect(url_for("index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/change_password.html", form=form), status


def _brake() -> dict:
    return {
        "free_attempts": current_app.config["LOGIN_FREE_ATTEMPTS"],
        "max_lock": timedelta(minutes=current_app.config["LOGIN_MAX_LOCK_MINUTES"]),
    }


def _client() -> str:
    """Who is signing in, as far as the throttle is concerned: the client's address (behind
    a proxy, the one it forwarded when PROXY_HOPS says so: see web/proxy.py)."""
    return request.remote_addr or "unknown"
