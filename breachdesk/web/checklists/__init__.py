from flask import Blueprint

bp = Blueprint("checklists", __name__, url_prefix="/incidents")

from breachdesk.web.checklists import views  # noqa: E402, F401
