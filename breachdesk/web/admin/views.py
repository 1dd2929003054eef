"""The DPO manages who can sign in: add, change roles, disable, reset."""

from __future__ import annotations

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from breachdesk.domain.vocabulary import Role
from breachdesk.extensions import db
from breachdesk.models import User
from breachdesk.services import accounts
from breachdesk.web.admin import bp
from breachdesk.web.admin.forms import ConfirmForm
from breachdesk.web.admin.forms import ResetPasswordForm
from breachdesk.web.admin.forms import RolesForm
from breachdesk.web.admin.forms import UserForm
from breachdesk.web.security import role_required


@bp.before_request
@role_required(Role.DPO)
def only_the_dpo():
    """Every page here is the DPO's."""


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.username.data,
                form.password.data,
                [Role(r) for r in form.roles.data or []],
                display_name=form.display_name.data,
                email=form.email.data,
                min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                must_change_password=True,
                actor=current_user,
            )
        except accounts.AccountError as exc:
            form.username.errors.append(str(exc))
            status = 400
        else:
            flash(f"Added {user.username}. Give them the temporary password in person.")
            return redirect(url_for("admin.users"))
    elif form.is_submitted():
        status = 400
    return render_template("admin/users.html", users=accounts.list_users(), form=form), status


@bp.route("/users/<int:user_id>", methods=["GET"])
def user(user_id: int):
    target = _get_user(user_id)
    return _render_user(target)


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
def roles(user_id: int):
    target = _get_user(user_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            accounts.set_roles(target, [Role(r) for r in form.roles.data or []], actor=current_user)
        except accounts.AccountError as exc:
            form.roles.errors.append(str(exc))
        else:
            flash(f"Roles of {target.username} saved.")
            return redirect(url_for("admin.user", user_id=user_id))
    return _render_user(target, roles_form=form), 400


@bp.route("/users/<int:user_id>/enabled", methods=["POST"])
def toggle_enabled(user_id: int):
    target = _get_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_enabled(target, not target.enabled, actor=current_user)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return _render_user(target), 400
    flash(f"{target.username} is now {'enabled' if target.enabled else 'disabled'}.")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def reset_password(user_id: int):
    target = _get_user(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(
                target,
                form.password.data,
                current_app.config["PASSWORD_MIN_LENGTH"],
                by_admin=target.id != current_user.id,
                actor=current_user,
            )
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            flash(f"Password of {target.username} reset; they choose a new one at sign-in.")
            return redirect(url_for("admin.user", user_id=user_id))
    return _render_user(target, reset_form=form), 400


def _get_user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _render_user(target: User, roles_form=None, reset_form=None):
    return render_template(
        "admin/user.html",
        target=target,
        roles_form=roles_form or RolesForm(data={"roles": [r.value for r in target.roles]}),
        reset_form=reset_form or ResetPasswordForm(),
        confirm_form=ConfirmForm(),
    )
