"""Error pages in plain English; JSON for the API."""

from __future__ import annotations

from flask import Flask
from flask import jsonify
from flask import render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from breachdesk.extensions import db
from breachdesk.storage import database_problem
from breachdesk.web.security import wants_json

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have access to this page.",
    404: "There is nothing here, or you do not have access to it.",
    405: "That action is not allowed here.",
    413: "That is too large to accept. Shorten the text or choose a smaller file.",
    500: "Something went wrong on our side and nothing was saved. Go back and try again; "
    "if it happens again, tell the DPO.",
}


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, server_error)
    app.register_error_handler(OperationalError, database_unavailable)


def csrf_error(error: CSRFError):
    message = (
        "This form had expired or was not sent from breachdesk, so nothing was saved. "
        "Go back, reload the page and send it again."
    )
    if wants_json():
        return jsonify(error=message), 400
    return render_template("errors/error.html", code=400, message=message), 400


def http_error(error: HTTPException):
    code = error.code or 500
    message = MESSAGES.get(code, error.description or "Something went wrong.")
    if wants_json():
        return jsonify(error=error.description if code not in MESSAGES else message), code
    return render_template("errors/error.html", code=code, message=message), code


def database_unavailable(error: OperationalError):
    """A full or read-only database: the transaction is undone, and the person is told so."""
    problem = database_problem(error)
    if problem is None:
        raise error
    return _after_failure(503, f"{problem} Tell whoever runs breachdesk, then try again later.")


def server_error(error: InternalServerError):
    """An unexpected failure: undo the failed transaction first, or this page fails too."""
    return _after_failure(500, MESSAGES[500])


def _after_failure(code: int, message: str):
    db.session.rollback()
    if wants_json():
        return jsonify(error=message), code
    try:
        return render_template("errors/error.html", code=code, message=message), code
    except Exception:  # the page itself needs the database, which may be what failed
        return message, code, {"Content-Type": "text/plain; charset=utf-8"}
