"""Forms of the token page: create a token, revoke one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField


class TokenForm(FlaskForm):
    name = StringField(
        "Name", description="What will use it, so you can tell tokens apart (e.g. Reliant SIEM)."
    )


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking needs no other input."""
