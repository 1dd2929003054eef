from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from breachdesk.web.api import tokens  # noqa: E402, F401
from breachdesk.web.api import views  # noqa: E402, F401
