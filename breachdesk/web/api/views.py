"""The JSON API for the IT contractor's own tools: bearer tokens, findings, OpenAPI.

Requests carry no cookies that matter here: each call is authenticated by its bearer token
alone, so these views are exempt from the CSRF check (the token page is not).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response
from flask import current_app
from flask import g
from flask import jsonify
from flask import render_template
from flask import request
from flask import url_for

from breachdesk.desk import get_profile
from breachdesk.extensions import csrf
from breachdesk.models import Incident
from breachdesk.models import User
from breachdesk.services import api_tokens
from breachdesk.services import findings as finding_service
from breachdesk.services import incident_lists
from breachdesk.services import incidents as incident_service
from breachdesk.services.list_pages import BadCursor
from breachdesk.web.api import bp
from breachdesk.web.api import openapi
from breachdesk.web.api.payload import PayloadError
from breachdesk.web.api.payload import finding_from_json
from breachdesk.web.api.payload import finding_json
from breachdesk.web.api.payload import incident_json
from breachdesk.web.api.payload import page_limit
from breachdesk.web.api.payload import parse_body

DEFAULT_MAX_BODY_BYTES = 256 * 1024
NO_TOKEN = "Send your API token in the Authorization header, as: Bearer <token>."  # noqa: S105
BAD_CURSOR = "after must come from the next link of a page of this API: start again without it."
BAD_TOKEN = "That API token is not valid or has been revoked: create a new one at /api/tokens."  # noqa: S105


@bp.before_request
def limit_body_size() -> None:
    """Findings are text: a small cap refuses a flood before it is read (413)."""
    limit = current_app.config.get("API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)
    request.max_content_length = limit


def error(message: str, status: int, **headers: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    response.headers.update(headers)
    return response


def _unauthorised(message: str, code: str | None) -> Response:
    # RFC 6750 section 3: a bearer challenge, with an error code once a token was offered.
    challenge = 'Bearer realm="breachdesk"' + (f', error="{code}"' if code else "")
    return error(message, 401, **{"WWW-Authenticate": challenge})


def token_required(view: Callable) -> Callable:
    """Run ``view`` only for a live token whose owner is IT or the DPO (g.api_user)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        scheme, _, secret = request.headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            code = "invalid_request" if scheme else None
            return _unauthorised(NO_TOKEN, code)
        user = api_tokens.authenticate(secret.strip())
        if user is None:
            return _unauthorised(BAD_TOKEN, "invalid_token")
        if not user.has_role(*api_tokens.TOKEN_ROLES):
            return error("Only IT and the DPO may use the API.", 403)
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped


def _workable_incident(user: User, reference: str) -> Incident | Response:
    """The incident if ``user`` may add findings to it; the same 404 whether or not it exists."""
    incident = incident_service.find_visible(user, reference)
    if incident is None or not finding_service.may_work(user, incident):
        return error(f"There is no incident {reference} assigned to you.", 404)
    return incident


@bp.get("/incidents")
@csrf.exempt
@token_required
def list_incidents():
    """The open incidents the caller may add findings to (IT: its assigned ones), a page at a
    time, most urgent first; ``next`` (and a Link header) leads to the following page."""
    try:
        limit = page_limit(request.args.get("limit"))
        page = incident_lists.workable_page(g.api_user, request.args.get("after"), limit)
    except PayloadError as exc:
        return error(str(exc), 400)
    except BadCursor:
        return error(BAD_CURSOR, 400)
    following = None
    if page.next_cursor:
        following = url_for("api.list_incidents", limit=limit, after=page.next_cursor)
    response = jsonify(incidents=[incident_json(i) for i in page.incidents], next=following)
    if following:
        response.headers["Link"] = f'<{following}>; rel="next"'
    return response


@bp.get("/incidents/<reference>/findings")
@csrf.exempt
@token_required
def list_findings(reference: str):
    incident = _workable_incident(g.api_user, reference)
    if isinstance(incident, Response):
        return incident
    found = finding_service.findings_for(incident)
    return jsonify(findings=[finding_json(f) for f in found])


@bp.post("/incidents/<reference>/findings")
@csrf.exempt
@token_required
def add_finding(reference: str):
    incident = _workable_incident(g.api_user, reference)
    if isinstance(incident, Response):
        return incident
    try:
        finding, proposals = finding_from_json(parse_body(request.get_data(cache=False)))
        row = finding_service.add_finding(
            incident, g.api_user, finding, get_profile(), proposals=proposals, source="api"
        )
    except PayloadError as exc:
        return error(str(exc), 400)
    except finding_service.FindingError as exc:
        return error(f"{exc.field}: {exc.message}", 400)
    response = jsonify(finding_json(row))
    response.status_code = 201
    response.headers["Location"] = url_for("api.list_findings", reference=reference)
    return response


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this API; public, like any API reference."""
    return jsonify(openapi.document())


@bp.get("/docs")
def docs():
    """A short human-readable page generated from the same document."""
    return render_template("api/docs.html", doc=openapi.document())
