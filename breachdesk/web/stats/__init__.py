from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/stats")

from breachdesk.web.stats import views  # noqa: E402, F401
