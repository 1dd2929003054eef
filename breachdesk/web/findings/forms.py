"""The findings form, the optional fact proposals, and the DPO's decision on a proposal."""

from __future__ import annotations

import math
from typing import Any

from flask_wtf import FlaskForm
from wtforms import MultipleFileField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from breachdesk.domain.vocabulary import BreachType
from breachdesk.domain.vocabulary import Cause
from breachdesk.domain.vocabulary import Exfiltration
from breachdesk.domain.vocabulary import Recipient
from breachdesk.services.evidence import allowed_extensions
from breachdesk.services.findings import FindingInput
from breachdesk.web.fact_words import fact_label
from breachdesk.web.fact_words import fact_value
from breachdesk.web.fields import CheckboxListField
from breachdesk.web.fields import CountField
from breachdesk.web.fields import LocalDateTimeField
from breachdesk.web.fields import as_choices

YES_NO_UNKNOWN = as_choices([("unknown", "Not known"), ("yes", "Yes"), ("no", "No")])
NO_CHANGE = ("", "No change")
EXFILTRATION_CHOICES = as_choices(
    [
        (Exfiltration.CONFIRMED.value, "Confirmed: data was copied out"),
        (Exfiltration.SUSPECTED.value, "Suspected"),
        (Exfiltration.RULED_OUT.value, "Ruled out"),
        (Exfiltration.UNKNOWN.value, "Not known yet"),
    ]
)
#: Where each proposed fact's error is shown: the form field that produced it.
FIELD_FOR_PROPOSAL = {
    "exfiltration": "exfiltration",
    "protection": "encrypted",
    "cause": "propose_cause",
    "recipient": "propose_recipient",
    "breach_types": "propose_breach_types",
    "subjects_count": "propose_subjects_count",
    "records_count": "propose_records_count",
    "availability.backup_available": "propose_backup_available",
    "availability.outage_hours": "propose_outage_hours",
}


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class FindingForm(FlaskForm):
    summary = TextAreaField("What did you find?", description="Markdown is allowed.")
    systems_affected = TextAreaField(
        "Systems affected", description="For example: the lab server (Transactor and Sage)."
    )
    exfiltration = RadioField(
        "Was data copied out?", choices=EXFILTRATION_CHOICES, default="unknown"
    )
    # Ransomware "encrypts" data too: these ask about our protection, never the attacker's.
    encrypted = RadioField(
        "Before the incident, was the data protected by our own encryption?",
        description="Our protection, such as BitLocker or an encrypted database. Files an "
        "attacker has locked (ransomware) are not this: that is a loss of access.",
        choices=YES_NO_UNKNOWN,
        default="unknown",
    )
    key_safe = RadioField(
        "If it was, is our key to it safe, out of the attacker's reach?",
        choices=YES_NO_UNKNOWN,
        default="unknown",
    )
    backups_state = TextAreaField(
        "State of the backups", description="Last good backup, whether it is intact and offline."
    )
    window_start = LocalDateTimeField("Time range: from (UK time)", validators=[Optional()])
    window_end = LocalDateTimeField("Time range: until (UK time)", validators=[Optional()])
    indicators = TextAreaField(
        "Indicators", description="IP addresses, file hashes, file names: one a line."
    )
    evidence = MultipleFileField(
        "Evidence files",
        description=f"Several files may be chosen. Accepted: {allowed_extensions()}.",
    )

    propose_cause = SelectField(
        fact_label("cause"),
        choices=as_choices([NO_CHANGE, *((c.value, fact_value("cause", c.value)) for c in Cause)]),
        default="",
    )
    propose_recipient = SelectField(
        fact_label("recipient"),
        choices=as_choices(
            [NO_CHANGE, *((r.value, fact_value("recipient", r)) for r in Recipient)]
        ),
        default="",
    )
    propose_breach_types = CheckboxListField(
        "Kind of breach (leave all unticked for no change)",
        choices=as_choices((b.value, fact_value("breach_types", b.value)) for b in BreachType),
    )
    propose_subjects_count = CountField(
        fact_label("subjects_count"),
        validators=[Optional(), NumberRange(min=0, message="0 or more.")],
    )
    propose_records_count = CountField(
        fact_label("records_count"),
        validators=[Optional(), NumberRange(min=0, message="0 or more.")],
    )
    propose_backup_available = SelectField(
        fact_label("availability.backup_available"),
        choices=as_choices([NO_CHANGE, ("yes", "Yes"), ("no", "No")]),
        default="",
    )
    propose_outage_hours = StringField(
        f"{fact_label('availability.outage_hours')} (actual or expected)"
    )

    def validate_propose_outage_hours(self, field: StringField) -> None:
        if field.data and field.data.strip():
            try:
                hours = float(field.data.strip())
            except ValueError:
                hours = math.nan
            if not math.isfinite(hours) or hours < 0:
                raise ValidationError("Enter a number of hours, like 6 or 1.5.")

    def finding_input(self) -> FindingInput:
        """The finding as typed, for the service to check."""
        return FindingInput(
            summary=(self.summary.data or "").strip(),
            systems_affected=self.systems_affected.data or "",
            exfiltration=Exfiltration(self.exfiltration.data),
            encrypted=_yes_no(self.encrypted.data),
            key_safe=_yes_no(self.key_safe.data),
            backups_state=self.backups_state.data or "",
            window_start=self.window_start.data,
            window_end=self.window_end.data,
            indicators=self.indicators.data or "",
        )

    def explicit_proposals(self) -> dict[str, Any]:
        """The fact changes asked for by hand; blank means no change."""
        proposals: dict[str, Any] = {}
        if self.propose_cause.data:
            proposals["cause"] = self.propose_cause.data
        if self.propose_recipient.data:
            proposals["recipient"] = self.propose_recipient.data
        if self.propose_breach_types.data:
            proposals["breach_types"] = list(self.propose_breach_types.data)
        if self.propose_subjects_count.data is not None:
            proposals["subjects_count"] = self.propose_subjects_count.data
        if self.propose_records_count.data is not None:
            proposals["records_count"] = self.propose_records_count.data
        if self.propose_backup_available.data:
            proposals["availability.backup_available"] = self.propose_backup_available.data == "yes"
        if self.propose_outage_hours.data and self.propose_outage_hours.data.strip():
            proposals["availability.outage_hours"] = float(self.propose_outage_hours.data)
        return proposals

    def uploads(self) -> list:
        """The chosen files; an empty file input sends one nameless part, which is skipped."""
        return [f for f in (self.evidence.data or []) if getattr(f, "filename", None)]

    def show_error(self, field: str, message: str) -> None:
        """Put a service error beside the form field it came from."""
        if field.startswith("proposals."):
            name = FIELD_FOR_PROPOSAL.get(field.partition(".")[2], "summary")
            message = f"Proposed {fact_label(field.partition('.')[2]).lower()}: {message}"
        else:
            name = field if field in self._fields else "summary"
        self[name].errors = [*self[name].errors, message]


class DecisionForm(FlaskForm):
    note = TextAreaField("Note (optional)")
    accept = SubmitField("Accept")
    reject = SubmitField("Reject")
