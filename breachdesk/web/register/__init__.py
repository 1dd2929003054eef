from flask import Blueprint

bp = Blueprint("register", __name__, url_prefix="/register")

from breachdesk.web.register import views  # noqa: E402, F401
