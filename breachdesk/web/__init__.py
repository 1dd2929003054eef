"""Blueprints by audience, and what every request passes through."""

from __future__ import annotations

from itertools import chain
from pathlib import Path
from urllib.parse import quote

from flask import Flask
from flask import Response
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError

from breachdesk.web import errors
from breachdesk.web import filters
from breachdesk.web import lists
from breachdesk.web import widgets
from breachdesk.web.admin import bp as admin_bp
from breachdesk.web.api import bp as api_bp
from breachdesk.web.assessment import bp as assessment_bp
from breachdesk.web.audit import bp as audit_bp
from breachdesk.web.auth import bp as auth_bp
from breachdesk.web.checklists import bp as checklists_bp
from breachdesk.web.clocks import bp as clocks_bp
from breachdesk.web.drafts import bp as drafts_bp
from breachdesk.web.exports import bp as exports_bp
from breachdesk.web.findings import bp as findings_bp
from breachdesk.web.incidents import bp as incidents_bp
from breachdesk.web.profile import bp as profile_bp
from breachdesk.web.record import bp as record_bp
from breachdesk.web.register import bp as register_bp
from breachdesk.web.report import bp as report_bp
from breachdesk.web.security import PUBLIC_ENDPOINTS
from breachdesk.web.stats import bp as stats_bp

#: The only endpoints a user who must change their password may reach first.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.logout", "static"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in a URL: an id the database cannot hold matches no page (404, not 500)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(url_map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(DATABASE_INT_MAX)):  # also spares int() a 5,000-digit string
            raise ValidationError()
        return super().to_python(value)


DATABASE_INT_MAX = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider
NUL_MESSAGE = (
    "The text sent contains a NUL character, which cannot be saved. "
    "Remove it (it often comes from copying out of a binary file) and send again."
)


def register(app: Flask) -> None:
    """Attach the blueprints, the access gate, error pages, headers and template filters."""
    app.url_map.converters["int"] = DatabaseIdConverter  # before any rule is added
    widgets.install()
    blueprints = (
        auth_bp,
        report_bp,
        incidents_bp,
        checklists_bp,
        findings_bp,
        assessment_bp,
        clocks_bp,
        drafts_bp,
        register_bp,
        profile_bp,
        audit_bp,
        exports_bp,
        record_bp,
        stats_bp,
        admin_bp,
        api_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.add_url_rule("/health", "health", lambda: {"status": "ok"})
    app.add_url_rule("/", "index", index)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    app.jinja_env.globals["favicon_href"] = favicon_href(app)
    app.before_request(require_sign_in)
    app.before_request(refuse_nul_characters)
    app.after_request(set_security_headers)
    errors.register(app)
    filters.register(app)
    lists.register(app)


def index():
    """Send each user to where their work is."""
    from breachdesk.domain.vocabulary import Role

    if current_user.has_role(Role.DPO):
        return redirect(url_for("incidents.dashboard"))
    if current_user.has_role(Role.IT):
        return redirect(url_for("incidents.assigned"))
    return redirect(url_for("report.mine"))


def favicon_href(app: Flask) -> str:
    """The icon written into each page, so that no page costs a second request for it."""
    svg = (Path(app.static_folder) / "favicon.svg").read_text(encoding="utf-8").strip()
    return "data:image/svg+xml," + quote(svg)


def favicon():
    """Browsers ask for /favicon.ico whatever the page says: answer, rather than log a 404."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


def require_sign_in():
    """Deny by default: every endpoint not listed as public needs a signed-in user."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            return None  # the API authenticates with its own tokens
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("auth.change_password"))
    return None


def refuse_nul_characters():
    """PostgreSQL cannot store a NUL character: refuse it in any form field or query, with a
    message, before anything is changed (the API checks its JSON itself)."""
    if request.path.startswith("/api/"):
        return None
    values = chain(request.args.listvalues(), request.form.listvalues())
    if any("\x00" in value for group in values for value in group):
        return render_template("errors/error.html", code=400, message=NUL_MESSAGE), 400
    return None


def set_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # The server's name without its version: nothing to look up a known flaw by.
    response.headers["Server"] = "breachdesk"
    hsts = current_app.config.get("HSTS_SECONDS") or 0
    if hsts:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={int(hsts)}")
    if current_user.is_authenticated:
        # Incident pages hold personal data: never keep them in shared caches.
        response.headers.setdefault("Cache-Control", "no-store")
    return response
