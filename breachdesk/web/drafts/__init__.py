from flask import Blueprint

bp = Blueprint("drafts", __name__, url_prefix="/incidents")

from breachdesk.web.drafts import section_views  # noqa: E402, F401
from breachdesk.web.drafts import views  # noqa: E402, F401
