"""Views of the drafts blueprint."""

from breachdesk.web.drafts import bp  # noqa: F401
