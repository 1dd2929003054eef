from flask import Blueprint

bp = Blueprint("drafts", __name__, url_prefix="/incidents")

from breachdesk.web.drafts import views  # noqa: E402, F401
