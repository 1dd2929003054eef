"""Views of the register blueprint."""

from breachdesk.web.register import bp  # noqa: F401
