from flask import Blueprint

bp = Blueprint("clocks", __name__, url_prefix="/incidents")

from breachdesk.web.clocks import views  # noqa: E402, F401
