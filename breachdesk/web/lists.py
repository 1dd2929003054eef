"""The search and filter form of the dashboard and the register, read from the query string.

The form is sent by GET: it changes nothing, and its address can be bookmarked or shared.
So it carries no CSRF token, which in an address would end up in logs and browser history.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask import render_template
from flask import request
from flask import url_for
from wtforms import DateField
from wtforms import Form
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from breachdesk.desk import get_profile
from breachdesk.models import IncidentStatus
from breachdesk.services.incident_lists import Decision
from breachdesk.services.incident_lists import IncidentFilter
from breachdesk.services.list_pages import BadCursor
from breachdesk.services.list_pages import NoSuchPage
from breachdesk.services.list_pages import Position
from breachdesk.services.word_search import SHORTEST_INDEXED_WORD
from breachdesk.web.fields import as_choices

OVERDUE = "overdue"
#: The states the dashboard filters by: every open status.
OPEN_STATES = [s for s in IncidentStatus if s is not IncidentStatus.CLOSED]

DECISION_LABELS = {
    Decision.NOTIFY: "Tell the ICO",
    Decision.NOT_NOTIFIABLE: "Not notifiable",
    Decision.UNDECIDED: "Not yet decided",
}


class PageField(IntegerField):
    """A page number, with a plain message when it is not one."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("The page must be a whole number, like 2.") from exc


class ListForm(Form):
    q = StringField(
        "Search",
        description="A reference or words from what happened.",
        validators=[Optional(), Length(max=200, message="Search for at most 200 characters.")],
    )
    state = SelectField("State", default="")
    asset = SelectField("Where", default="")
    decision = SelectField("Decision", default="")
    reported_from = DateField("Reported from", validators=[Optional()])
    reported_to = DateField("Reported to", validators=[Optional()])
    page = PageField(
        "Page", validators=[Optional(), NumberRange(min=1, message="Pages start at 1.")]
    )
    # Where Next and Previous came from (see services.list_pages); never typed by hand.
    after = StringField(validators=[Optional(), Length(max=64, message=BadCursor().args[0])])
    before = StringField(validators=[Optional(), Length(max=64, message=BadCursor().args[0])])

    def validate_q(self, field) -> None:
        words = IncidentFilter.split_words(field.data or "")
        if words and all(len(word) < SHORTEST_INDEXED_WORD for word in words):
            raise ValidationError(
                f"Search for at least one word of {SHORTEST_INDEXED_WORD} or more characters."
            )

    def validate_reported_to(self, field) -> None:
        start = self.reported_from.data
        if field.data and start and field.data < start:
            raise ValidationError("The end date comes before the start date.")


def list_form(states: list[IncidentStatus], with_overdue: bool) -> ListForm:
    """The form filled from the query string, its choices set for this list."""
    form = ListForm(request.args, meta={"csrf": False})
    state_choices = [("", "All")] + [(s.value, s.label) for s in states]
    if with_overdue:
        state_choices.append((OVERDUE, "Overdue"))
    form.state.choices = as_choices(state_choices)
    form.asset.choices = as_choices([("", "Anywhere"), *get_profile().asset_choices()])
    decisions = [(d.value, label) for d, label in DECISION_LABELS.items()]
    form.decision.choices = as_choices([("", "Any"), *decisions])
    return form


def to_filter(form: ListForm) -> IncidentFilter:
    """What a validated form asks for."""
    state = form.state.data or ""
    return IncidentFilter(
        words=IncidentFilter.split_words(form.q.data or ""),
        status=IncidentStatus(state) if state and state != OVERDUE else None,
        overdue=state == OVERDUE,
        asset=form.asset.data or None,
        decision=Decision(form.decision.data) if form.decision.data else None,
        reported_from=form.reported_from.data,
        reported_to=form.reported_to.data,
    )


def page_url(endpoint: str, number: int, **changes) -> str:
    """The same list with the same filters, on page ``number`` (or with other changes).

    A cursor (``after`` or ``before``) is kept only where given: the first page needs none.
    """
    args = {k: v for k, v in request.args.items() if v and k not in ("after", "before")}
    args.update(page=number, **changes)
    if args.get("page") == 1:
        for name in ("page", "after", "before"):
            args.pop(name, None)
    return url_for(endpoint, **{k: v for k, v in args.items() if v not in ("", None)})


def render_list(template: str, form: ListForm, load: Callable[[IncidentFilter, int], dict]):
    """Render a list page: the filters' errors (400), a page past the end (404), or the page.

    ``load(filter, position)`` returns the template's values for the page.
    """
    if not form.validate():
        return render_template(template, form=form, page=None, rows=[]), 400
    position = Position(form.page.data or 1, form.after.data or None, form.before.data or None)
    try:
        values = load(to_filter(form), position)
    except BadCursor as broken:
        form.page.errors = [str(broken)]
        return render_template(template, form=form, page=None, rows=[]), 400
    except NoSuchPage as missing:
        return render_template(template, form=form, page=None, rows=[], missing=str(missing)), 404
    return render_template(template, form=form, **values)


def register(app: Flask) -> None:
    app.add_template_global(page_url, "list_url")
    app.add_template_global(OPEN_STATES, "open_states")
    app.add_template_global(list(IncidentStatus), "all_states")
