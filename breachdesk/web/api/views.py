"""Views of the api blueprint."""

from breachdesk.web.api import bp  # noqa: F401
