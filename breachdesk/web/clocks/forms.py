"""Forms of the clocks blueprint: recording a notice, and acting on a stuck email."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from breachdesk.models import Audience
from breachdesk.web.fields import LocalDateTimeField
from breachdesk.web.fields import as_choices
from breachdesk.web.fields import strip_text

AUDIENCE_CHOICES = (
    (Audience.ICO.value, "The ICO (UK GDPR Art. 33)"),
    (Audience.PEOPLE.value, "The people affected (Art. 34)"),
    (Audience.CONTROLLER.value, "The controller we process for (Art. 33(2))"),
)


class ToldAtField(LocalDateTimeField):
    """The time of a notice, with a plain message when what was typed is not a time."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(
                "Give the date and time they were told, like 27/10/2026 09:00."
            ) from exc


class NoticeForm(FlaskForm):
    audience = SelectField(
        "Who was told",
        choices=as_choices(AUDIENCE_CHOICES),
        validators=[InputRequired("Choose who was told.")],
    )
    told_at = ToldAtField(
        "When (UK time)",
        validators=[InputRequired("Give the date and time they were told, like 27/10/2026 09:00.")],
    )
    reference = StringField(
        "ICO case reference",
        description="The reference in the ICO's reply; needed when the ICO was told.",
        filters=[strip_text],
        validators=[Optional(), Length(max=100, message="Keep it under 100 characters.")],
    )
    channel = StringField(
        "How",
        description="For example: the ICO's online form, phone, letter, email.",
        filters=[strip_text],
        validators=[Optional(), Length(max=100, message="Keep it under 100 characters.")],
    )
    recipient = TextAreaField(
        "Who exactly",
        filters=[strip_text],
        validators=[Optional(), Length(max=5000, message="Keep it under 5,000 characters.")],
    )
    delay_reasons = TextAreaField(
        "Reasons for any delay",
        description="Needed when they were told after the deadline (UK GDPR Art. 33(1)).",
        filters=[strip_text],
        validators=[Optional(), Length(max=5000, message="Keep it under 5,000 characters.")],
    )


class OutboxActionForm(FlaskForm):
    """No fields: the CSRF token is the point."""
