from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from breachdesk.web.exports import views  # noqa: E402, F401
