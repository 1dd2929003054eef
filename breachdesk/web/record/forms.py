"""The DPO's forms for the record: correct the report, close, reopen, mark a duplicate."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from breachdesk.services.closing import TEXT_LIMIT
from breachdesk.web.report.forms import ReportForm

REASON_LIMIT = 2000


class CorrectionForm(ReportForm):
    """The report's own questions, filled with the report as it stands, and a reason."""

    ongoing = None
    others_aware = None
    situation = None
    reason = TextAreaField(
        "Why is this being corrected?",
        validators=[
            InputRequired("Say why the report is being corrected."),
            Length(max=REASON_LIMIT),
        ],
    )


class CloseForm(FlaskForm):
    summary = TextAreaField(
        "Closing summary",
        description="How it ended: what was found, what was done, who was told.",
        validators=[
            InputRequired("Sum up how the incident ended before closing it."),
            Length(max=TEXT_LIMIT),
        ],
    )
    lessons = TextAreaField("Lessons learnt", validators=[Optional(), Length(max=TEXT_LIMIT)])


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        "Why reopen it?",
        id="reopen-reason",
        validators=[
            InputRequired("Say why the incident is being reopened."),
            Length(max=REASON_LIMIT),
        ],
    )


class DuplicateForm(FlaskForm):
    of_reference = StringField(
        "Duplicate of (reference)",
        validators=[
            InputRequired("Give the reference of the incident that stands."),
            Length(max=20),
        ],
    )
    # Its own id: the incident page also holds the awareness form's "reason".
    reason = TextAreaField(
        "Why are they the same breach?",
        id="duplicate-reason",
        validators=[InputRequired("Say why these are the same breach."), Length(max=REASON_LIMIT)],
    )
