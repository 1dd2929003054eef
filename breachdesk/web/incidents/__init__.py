from flask import Blueprint

bp = Blueprint("incidents", __name__, url_prefix="/incidents")

from breachdesk.web.incidents import views  # noqa: E402, F401
