"""Views of the checklists blueprint."""

from breachdesk.web.checklists import bp  # noqa: F401
