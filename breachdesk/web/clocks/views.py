"""Views of the clocks blueprint."""

from breachdesk.web.clocks import bp  # noqa: F401
