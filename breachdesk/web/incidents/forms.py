from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms import TextAreaField
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from breachdesk.models import IncidentStatus
from breachdesk.web.fields import LocalDateTimeField
from breachdesk.web.fields import as_choices


class AwarenessForm(FlaskForm):
    aware_at = LocalDateTimeField(
        "Became aware at", validators=[InputRequired("Give the new moment of awareness.")]
    )
    reason = TextAreaField(
        "Why is it changing?",
        validators=[
            InputRequired("Say why the moment of awareness is changing."),
            Length(max=2000),
        ],
    )


class StatusForm(FlaskForm):
    status = SelectField(
        "Move to",
        choices=as_choices(
            [
                (IncidentStatus.TRIAGE.value, "Triage"),
                (IncidentStatus.REPORTED.value, "Reported (back from triage)"),
            ]
        ),
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])


class ReadAlertsForm(FlaskForm):
    """Only the CSRF token: marks every alert of the signed-in user as read."""
