from flask import Blueprint

bp = Blueprint("profile", __name__, url_prefix="/profile")

from breachdesk.web.profile import views  # noqa: E402, F401
