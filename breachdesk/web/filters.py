"""Template filters and values every page needs."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from markupsafe import escape

from breachdesk.desk import get_profile
from breachdesk.domain import clock
from breachdesk.domain.assessment import answer_words
from breachdesk.domain.assessment import outcome_words
from breachdesk.domain.assessment import severity_note
from breachdesk.domain.people_count import people
from breachdesk.domain.vocabulary import DATA_CATEGORY_LABELS
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.domain.vocabulary import Role
from breachdesk.models import IncidentStatus
from breachdesk.rendering import render_markdown
from breachdesk.services import incidents as incident_service
from breachdesk.web.error_summary import error_links
from breachdesk.web.fact_words import fact_label
from breachdesk.web.fact_words import fact_value


def local_time(value: datetime | None) -> str:
    """An instant as Europe/London wall-clock time with its zone name (GMT or BST)."""
    return "not known" if value is None else clock.format_local(value)


def within_words(value) -> str:
    """A step's "how soon" in words: "15 minutes", "1 hour"."""
    return clock.describe_span(value)


# The two badges below appear on every row of the lists: written in Python rather than as
# template macros, which cost several times as much per call.
def countdown(state: clock.ClockState) -> Markup:
    """A clock's time left, which the page's script keeps counting down."""
    return Markup(  # noqa: S704 - every value is escaped
        f'<span class="countdown urgency-{escape(state.urgency.value)}" '
        f'data-due="{escape(state.due_at.isoformat())}" '
        f'data-stopped="{"yes" if state.stopped else "no"}">{escape(state.words)}</span>'
    )


def status_badge(status: IncidentStatus) -> Markup:
    return Markup(  # noqa: S704 - every value is escaped
        f'<span class="status status-{escape(status.value)}">{escape(status.label)}</span>'
    )


def csrf_input() -> Markup:
    """The session's CSRF token as a hidden input, for pages of many small forms (one per
    step, per message, per panel): FlaskForm's own field repeats an id on such a page and
    costs a WTForms render each. A page with one form uses its ``hidden_tag()``."""
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % generate_csrf()


def category_label(value: str) -> str:
    try:
        return DATA_CATEGORY_LABELS[DataCategory(value)]
    except ValueError:
        return value


def register(app: Flask) -> None:
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(render_markdown, "md")
    app.add_template_filter(category_label, "category_label")
    app.add_template_filter(within_words, "within_words")
    app.add_template_filter(people, "people")
    app.add_template_global(countdown, "countdown")
    app.add_template_global(status_badge, "status_badge")
    app.add_template_global(csrf_input, "csrf_input")
    app.add_template_global(answer_words, "answer_words")
    app.add_template_filter(outcome_words, "outcome_words")
    app.add_template_global(severity_note, "severity_note")
    app.add_template_global(error_links, "error_links")
    app.add_template_global(fact_label, "fact_label")
    app.add_template_global(fact_value, "fact_value")

    @app.context_processor
    def page_context() -> dict:
        profile = get_profile()
        unread = 0
        if current_user.is_authenticated:
            unread = incident_service.unread_count(current_user)
        return {"profile": profile, "Role": Role, "unread_count": unread}
