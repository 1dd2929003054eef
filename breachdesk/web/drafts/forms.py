"""Forms of the drafts blueprint: make, edit, approve, mark sent, merge."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import FieldList
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import AnyOf
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from breachdesk.services.drafts.editing import GROUPS
from breachdesk.web.fields import LocalDateTimeField


class MakeForm(FlaskForm):
    group = HiddenField(validators=[InputRequired(), AnyOf(GROUPS, message="Unknown kind.")])
    reason = TextAreaField(
        "Why draft it in our own name?",
        description="Needed only where all the data is held for others (we are their processor).",
        validators=[Optional(), Length(max=2000)],
    )


class PeopleSummaryForm(FlaskForm):
    people_summary = TextAreaField(
        "What happened, in plain words for the people",
        description=(
            "The notices to the people say this. It starts as the report's own words: "
            "put it as you would to a patient or a customer."
        ),
        validators=[InputRequired("Say what happened, in a sentence or two."), Length(max=3000)],
    )


class ApproveForm(FlaskForm):
    phased = BooleanField(
        'Report in phases: send it with the details that say "To follow", and the rest as '
        "soon as it is known (UK GDPR Art. 33(4))"
    )


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token: approve, rebuild, start a follow-up."""


class EditForm(FlaskForm):
    subject = StringField(
        "Subject or heading",
        validators=[InputRequired("Give the message a subject or heading."), Length(max=300)],
    )
    body = TextAreaField(
        "Message (Markdown)",
        description="Headings start with ##. Saving makes a new version; earlier ones are kept.",
        validators=[InputRequired("The message cannot be empty."), Length(max=100_000)],
    )
    note = StringField("What changed (optional)", validators=[Optional(), Length(max=500)])


class SectionsForm(FlaskForm):
    """The draft's words, one plain text box per section; the headings stay as they are."""

    subject = StringField(
        "Subject or heading",
        validators=[InputRequired("Give the message a subject or heading."), Length(max=300)],
    )
    sections = FieldList(
        TextAreaField(
            validators=[Length(max=50_000, message="Keep a section under 50,000 characters.")]
        )
    )
    note = StringField("What changed (optional)", validators=[Optional(), Length(max=500)])
    # The version the boxes were filled from: an edit made on an older one is not saved over it.
    based_on = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class SentForm(FlaskForm):
    sent_at = LocalDateTimeField(
        "When it was sent (UK time)", validators=[InputRequired("Give the date and time it went.")]
    )
    channel = StringField(
        "How it was sent",
        description="For example: ICO online form, email, first-class post, by hand.",
        validators=[InputRequired("Say how it was sent."), Length(max=100)],
    )
    sent_to = StringField(
        "Sent to",
        validators=[InputRequired("Say who it was sent to."), Length(max=2000)],
    )
    ico_reference = StringField(
        "ICO case reference",
        description="The reference the ICO gave when the report was made.",
        validators=[Optional(), Length(max=100)],
    )
    delay_reasons = TextAreaField(
        "Reasons for the delay",
        description="Needed when the report to the ICO is later than 72 hours (Art. 33(1)).",
        validators=[Optional(), Length(max=5000)],
    )


class ControllerForm(FlaskForm):
    name = StringField(
        "Controller's name",
        description="For example, the dental practice whose patients are involved.",
        validators=[InputRequired("Give the controller's name."), Length(max=200)],
    )


class MergeForm(FlaskForm):
    recipients = FileField(
        "Recipients (CSV file)",
        description="Columns name,email,address: one person per line, an email or an address "
        "or both. Save from a spreadsheet as CSV UTF-8.",
        validators=[FileRequired("Choose the CSV file of recipients.")],
    )
