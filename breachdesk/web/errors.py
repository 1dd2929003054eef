"""Error pages in plain English; JSON for the API."""

from __future__ import annotations

from flask import Flask
from flask import jsonify
from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from breachdesk.web.security import wants_json

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have access to this page.",
    404: "There is nothing here, or you do not have access to it.",
    405: "That action is not allowed here.",
    413: "That is too large to accept. Shorten the text or choose a smaller file.",
}


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)


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
