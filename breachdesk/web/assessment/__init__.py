from flask import Blueprint

bp = Blueprint("assessment", __name__, url_prefix="/incidents")

from breachdesk.web.assessment import questions  # noqa: E402, F401
from breachdesk.web.assessment import views  # noqa: E402, F401
