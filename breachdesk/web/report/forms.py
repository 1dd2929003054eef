"""The two-minute report form: plain questions, plain answers."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import DATA_CATEGORY_LABELS
from breachdesk.domain.vocabulary import SITUATION_LABELS
from breachdesk.domain.vocabulary import Situation
from breachdesk.models import Ongoing
from breachdesk.services.reporting import DESCRIPTION_LIMIT
from breachdesk.web.fields import CheckboxListField
from breachdesk.web.fields import CountField
from breachdesk.web.fields import LocalDateTimeField
from breachdesk.web.fields import as_choices
from breachdesk.web.fields import strip_text

NOTES_LIMIT = 5_000


class ReportForm(FlaskForm):
    description = TextAreaField(
        "What happened?",
        filters=[strip_text],
        description="In your own words: what you saw, what was lost or sent, to whom.",
        validators=[
            DataRequired("Tell us what happened, even in a few words."),
            Length(
                max=DESCRIPTION_LIMIT,
                message=f"Keep this under {DESCRIPTION_LIMIT:,} characters; "
                "attach long logs later with the DPO.",
            ),
        ],
    )
    occurred_at = LocalDateTimeField(
        "When did it happen? (leave blank if you don't know)",
        validators=[Optional()],
    )
    noticed_at = LocalDateTimeField(
        "When did you notice it?",
        validators=[InputRequired("Give the date and time you noticed it, as best you can.")],
    )
    situation = RadioField(
        "What kind of problem is it?",
        choices=as_choices((s.value, label) for s, label in SITUATION_LABELS.items()),
        default=Situation.NOT_SURE.value,
        validate_choice=False,  # an unknown answer is read as "not sure", never refused
    )
    assets = CheckboxListField(
        "Where was the data?",
        validate_choice=False,  # checked against the profile, with a plain message
    )
    data_categories = CheckboxListField(
        "What data might be involved? (tick all that may apply)",
        choices=as_choices((c.value, label) for c, label in DATA_CATEGORY_LABELS.items()),
    )
    data_notes = TextAreaField(
        "Anything else about the data?",
        validators=[Optional(), Length(max=NOTES_LIMIT)],
    )
    people_count = CountField(
        "Roughly how many people's data? (leave blank if you don't know)",
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000_000, message="Enter a number of people, like 40."),
        ],
    )
    ongoing = RadioField(
        "Is it still happening?",
        choices=as_choices([("yes", "Yes"), ("no", "No"), ("unknown", "Not sure")]),
        default="unknown",
    )
    others_aware = TextAreaField(
        "Who else knows about it?",
        validators=[Optional(), Length(max=NOTES_LIMIT)],
    )

    def __init__(self, profile: Profile, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.assets.choices = as_choices(profile.asset_choices())

    def situation_value(self) -> Situation:
        values = {s.value for s in Situation}
        return (
            Situation(self.situation.data) if self.situation.data in values else Situation.NOT_SURE
        )

    def ongoing_value(self) -> Ongoing:
        return Ongoing(self.ongoing.data) if self.ongoing.data in {"yes", "no"} else Ongoing.UNKNOWN
