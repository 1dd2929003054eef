"""The token page: signed-in IT and DPO users create, see and revoke their own API tokens."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user
from flask_login import login_required

from breachdesk.domain.vocabulary import Role
from breachdesk.services import api_tokens
from breachdesk.web.api import bp
from breachdesk.web.api.forms import RevokeForm
from breachdesk.web.api.forms import TokenForm
from breachdesk.web.security import role_required


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
@role_required(*api_tokens.TOKEN_ROLES)
def tokens():
    form = TokenForm()
    if not form.is_submitted():
        return _render(form)
    if form.validate_on_submit():
        try:
            created = api_tokens.create_token(current_user, form.name.data or "")
        except api_tokens.TokenError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            # Shown in this response only: never flashed (the session cookie is only signed).
            return _render(TokenForm(formdata=None), secret=created.secret), 201
    return _render(form), 400


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
@role_required(*api_tokens.TOKEN_ROLES)
def revoke(token_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    token = api_tokens.revoke_token(current_user, token_id)
    if token is None:
        abort(404)
    flash(f"Token {token.name} ({token.prefix}…) is revoked; tools using it are now refused.")
    return redirect(url_for("api.tokens"))


def _render(form: TokenForm, secret: str | None = None) -> str:
    return render_template(
        "api/tokens.html",
        form=form,
        revoke_form=RevokeForm(),
        tokens=api_tokens.tokens_of(current_user),
        others=api_tokens.everyones_tokens(current_user)
        if current_user.has_role(Role.DPO)
        else None,
        secret=secret,
    )


def _is_dpo() -> bool:
    return current_user.has_role(Role.DPO)
