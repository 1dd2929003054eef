from flask import Blueprint

bp = Blueprint("findings", __name__, url_prefix="/incidents")

from breachdesk.web.findings import views  # noqa: E402, F401
