"""Template filters and values every page needs."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_login import current_user

from breachdesk.desk import get_profile
from breachdesk.domain import clock
from breachdesk.domain.assessment import answer_words
from breachdesk.domain.assessment import outcome_words
from breachdesk.domain.assessment import severity_note
from breachdesk.domain.people_count import people
from breachdesk.domain.vocabulary import DATA_CATEGORY_LABELS
from breachdesk.domain.vocabulary import DataCategory
from breachdesk.domain.vocabulary import Role
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
