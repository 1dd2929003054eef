"""Views of the findings blueprint."""

from breachdesk.web.findings import bp  # noqa: F401
