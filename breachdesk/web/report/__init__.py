from flask import Blueprint

bp = Blueprint("report", __name__, url_prefix="/report")

from breachdesk.web.report import views  # noqa: E402, F401
