"""The DPO's form for a breach noticed more than a year ago, entered in the register late."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from breachdesk.domain.profile import Profile
from breachdesk.domain.vocabulary import DATA_CATEGORY_LABELS
from breachdesk.services.past_breaches import REASON_LIMIT
from breachdesk.services.past_breaches import PastBreach
from breachdesk.services.reporting import DESCRIPTION_LIMIT
from breachdesk.web.fields import CheckboxListField
from breachdesk.web.fields import CountField
from breachdesk.web.fields import LocalDateTimeField
from breachdesk.web.fields import as_choices
from breachdesk.web.fields import strip_text


class PastBreachForm(FlaskForm):
    reason = TextAreaField(
        "Why is it recorded only now?",
        filters=[strip_text],
        description="For example: found in an old file during an audit. Kept in its history.",
        validators=[
            DataRequired("Say why it is recorded only now."),
            Length(max=REASON_LIMIT, message=f"Keep the reason under {REASON_LIMIT:,} characters."),
        ],
    )
    description = TextAreaField(
        "What happened?",
        filters=[strip_text],
        validators=[
            DataRequired("Say what happened, in a few words."),
            Length(
                max=DESCRIPTION_LIMIT, message=f"Keep this under {DESCRIPTION_LIMIT:,} characters."
            ),
        ],
    )
    noticed_at = LocalDateTimeField(
        "When was it noticed?",
        description="More than a year ago; the date as best it is known.",
        validators=[InputRequired("Give the date it was noticed, as best it is known.")],
    )
    occurred_at = LocalDateTimeField(
        "When did it happen? (leave blank if not known)", validators=[Optional()]
    )
    assets = CheckboxListField("Where was the data?", validate_choice=False)
    data_categories = CheckboxListField(
        "What data was involved?",
        choices=as_choices((c.value, label) for c, label in DATA_CATEGORY_LABELS.items()),
    )
    people_count = CountField(
        "Roughly how many people's data? (leave blank if not known)",
        validators=[
            Optional(),
            NumberRange(min=0, max=100_000_000, message="Enter a number of people, like 40."),
        ],
    )

    def __init__(self, profile: Profile, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.assets.choices = as_choices(profile.asset_choices())

    def past_breach(self) -> PastBreach:
        return PastBreach(
            description=self.description.data or "",
            noticed_at=self.noticed_at.data,
            occurred_at=self.occurred_at.data,
            asset_ids=tuple(dict.fromkeys(self.assets.data or [])),
            data_categories=tuple(self.data_categories.data or []),
            people_count=self.people_count.data,
            reason=self.reason.data or "",
        )
