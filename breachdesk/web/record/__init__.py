from flask import Blueprint

bp = Blueprint("record", __name__, url_prefix="/incidents")

from breachdesk.web.record import file_views  # noqa: E402, F401
from breachdesk.web.record import panels  # noqa: E402, F401
from breachdesk.web.record import views  # noqa: E402, F401
