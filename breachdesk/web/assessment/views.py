"""Views of the assessment blueprint."""

from breachdesk.web.assessment import bp  # noqa: F401
