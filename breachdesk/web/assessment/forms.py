"""The DPO's assessment form: every fact of the spec in plain words, and the final decision."""

from __future__ import annotations

import math
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import Field
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import TextAreaField
from wtforms import widgets
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from breachdesk.domain.vocabulary import DATA_CATEGORY_LABELS
from breachdesk.services.assessments import Choice
from breachdesk.web.fields import CheckboxListField
from breachdesk.web.fields import CountField
from breachdesk.web.fields import as_choices

TEXT_LIMIT = 5_000
MAX_PEOPLE = 100_000_000
PICK_ONE = "Choose one of the answers."
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known yet")]
YES_NO = [("yes", "Yes"), ("no", "No")]
_TRI = {"yes": True, "no": False, "unknown": None}
_AVAILABILITY_ANSWERS = ("backup_available", "permanent_loss", "people_affected")


class HoursField(Field):
    """A number of hours, possibly with a fraction; blank when not known."""

    widget = widgets.TextInput()

    def _value(self) -> str:
        return "" if self.data is None else f"{self.data:g}"

    def process_formdata(self, valuelist) -> None:
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            self.data = None
            return
        try:
            self.data = float(text)
        except ValueError:
            self.data = None
            raise ValueError("Enter a number of hours, like 4 or 36.") from None
        if not math.isfinite(self.data) or self.data < 0:
            self.data = None
            raise ValueError("Enter a number of hours, 0 or more.")


def radio(label: str, pairs, description: str = "", default: str | None = None) -> RadioField:
    return RadioField(
        label,
        choices=as_choices(pairs),
        description=description,
        default=default,
        invalid_choice_message=PICK_ONE,
    )


class AssessmentForm(FlaskForm):
    """The facts (spec/assessment.md) and, to record it, the decision."""

    breach_types = CheckboxListField(
        "What was lost?",
        choices=as_choices(
            [
                ("confidentiality", "Secrecy: someone who should not could see or take the data"),
                ("integrity", "Correctness: the data was changed without authority"),
                ("availability", "Access: the data was destroyed, encrypted, lost or down"),
            ]
        ),
        description="Tick every kind of loss; a ransomware attack is often more than one.",
        validators=[InputRequired("Tick at least one kind of loss.")],
    )
    cause = radio(
        "Did someone set out to cause it?",
        [("malicious", "Yes: an attack, a theft or deliberate misuse"),
         ("accidental", "No: a mistake or an accident"),
         ("unknown", "Not known yet")],
        default="unknown",
    )  # fmt: skip
    data_categories = CheckboxListField(
        "What kinds of personal data were involved?",
        choices=as_choices((c.value, label) for c, label in DATA_CATEGORY_LABELS.items()),
        description="Untick them all only if no personal data was involved: then it is not "
        "a personal data breach.",
    )
    subjects_count = CountField(
        "About how many people's data?",
        description="An estimate is fine. Pre-filled from the report or the profile.",
        validators=[
            InputRequired("Give a rough number of people, like 40 (0 if none)."),
            NumberRange(min=0, max=MAX_PEOPLE, message="Enter a number of people, like 40."),
        ],
    )
    records_count = CountField(
        "About how many records? (optional)",
        validators=[Optional(), NumberRange(min=0, message="Enter a number of records.")],
    )
    vulnerable_subjects = BooleanField(
        "The people include children, patients, elderly or otherwise vulnerable people"
    )
    identifiability = radio(
        "How easily could someone tell who the people are?",
        [("direct", "Directly: names, photos, contact details"),
         ("indirect", "With a little more information (a reference number, a date of birth)"),
         ("pseudonymised", "Only with a key we keep separately (pseudonymised)"),
         ("none", "Not at all")],
        default="direct",
    )  # fmt: skip
    protection = SelectField(
        "Was the data protected?",
        choices=as_choices(
            [
                ("none", "Not protected, or not known"),
                ("encrypted", "Encrypted with strong encryption, and the key is safe"),
                ("hashed", "Passwords stored only as salted, strong hashes"),
                ("encrypted_key_compromised", "Encrypted, but the key may be compromised too"),
            ]
        ),
        invalid_choice_message=PICK_ONE,
    )
    exfiltration = radio(
        "Was data copied out?",
        [("confirmed", "Yes, confirmed"), ("suspected", "Suspected"),
         ("ruled_out", "Ruled out (for example, logs show no transfer)"),
         ("unknown", "Not known yet")],
        default="unknown",
    )  # fmt: skip
    recipient = SelectField(
        "Who could now see the data?",
        choices=as_choices(
            [
                ("unknown", "Not known"),
                ("public", "Anyone: it was published or openly reachable"),
                ("malicious", "Someone with bad intent: an attacker or a thief"),
                (
                    "known_untrusted",
                    "A known person with no duty of confidence "
                    "(another customer, a former employee)",
                ),
                (
                    "trusted",
                    "A trusted recipient with a duty of confidence (a practice, a "
                    "professional) who has confirmed deletion or return",
                ),
                ("none", "Nobody: the data was not seen"),
            ]
        ),  # fmt: skip
        invalid_choice_message=PICK_ONE,
    )
    misuse_observed = BooleanField(
        "Misuse has already been seen: fraud, impersonation, an account taken over, the data "
        "offered for sale"
    )
    data_recovered = BooleanField(
        "The data was recovered, or its deletion confirmed, before anyone could misuse it"
    )
    backup_available = radio(
        "Can the data be restored from a backup?", YES_NO_UNKNOWN, default="unknown"
    )
    outage_hours = HoursField(
        "How long will the data be unavailable, in hours? (actual or expected)",
        description="For a loss of access only. Leave blank if not known.",
    )
    permanent_loss = radio("Is any of it lost for good?", YES_NO_UNKNOWN, default="unknown")
    people_affected = radio(
        "Do the people themselves feel it? (treatment, care or an order delayed or cancelled)",
        YES_NO_UNKNOWN,
        default="unknown",
    )
    mitigated = BooleanField(
        "Steps taken since mean a high risk to the people is no longer likely "
        "(UK GDPR Art. 34(3)(b))"
    )
    disproportionate_effort = BooleanField(
        "Telling each person directly would take disproportionate effort (Art. 34(3)(c))"
    )
    acting_as = radio(
        "Whose data is it?",
        [("controller", "Our own: we decide why and how it is used (we are the controller)"),
         ("processor", "Someone else's: we hold it for them (we are their processor)")],
        default="controller",
    )  # fmt: skip

    notify_ico = radio("Tell the ICO?", YES_NO)
    notify_people = radio(
        "Tell the people?",
        [("yes", "Yes, each person directly"),
         ("public", "By a public notice (Art. 34(3)(c))"), ("no", "No")],
    )  # fmt: skip
    notify_controller = radio("Tell the controllers?", YES_NO, default="no")
    override_reason = TextAreaField(
        "If your decision differs from the recommendation, why?",
        description="Required when it differs; kept with the decision in the register.",
        validators=[Optional(), Length(max=TEXT_LIMIT)],
    )
    notes = TextAreaField(
        "Notes for the register",
        description="Anything else the record of this decision should show.",
        validators=[Optional(), Length(max=TEXT_LIMIT)],
    )
    # What the decision buttons were filled with when the page was drawn, so a new
    # recommendation can move buttons the DPO left alone, and never ones they chose.
    prefilled_decision = HiddenField()

    FACT_FIELDS = (
        "breach_types", "cause", "data_categories", "subjects_count", "records_count",
        "vulnerable_subjects", "identifiability", "protection", "exfiltration", "recipient",
        "misuse_observed", "data_recovered", "mitigated", "disproportionate_effort",
        "acting_as",
    )  # fmt: skip
    DECISION_FIELDS = ("notify_ico", "notify_people", "notify_controller")

    @classmethod
    def prefilled(cls, facts: dict[str, Any], choice: Choice) -> AssessmentForm:
        """The form showing ``facts`` and the recommended (or recorded) decision."""
        data = {name: facts.get(name) for name in cls.FACT_FIELDS}
        availability = facts.get("availability") or {}
        for name in _AVAILABILITY_ANSWERS:
            data[name] = {True: "yes", False: "no"}.get(availability.get(name), "unknown")
        data["outage_hours"] = availability.get("outage_hours")
        data.update(_decision_values(choice))
        data["prefilled_decision"] = _decision_token(choice)
        return cls(formdata=None, data=data)

    def decision_untouched(self) -> bool:
        """True when the decision buttons still say what they were filled with."""
        return self.prefilled_decision.data == _decision_token(self.choice())

    def follow(self, answers: Choice) -> None:
        """Set the decision buttons to a new recommendation, and remember they were set."""
        for name, value in _decision_values(answers).items():
            self[name].data = value
        self.prefilled_decision.data = _decision_token(answers)

    def validate_facts(self) -> bool:
        """Check the fact fields only (a preview needs no decision)."""
        ok = True
        for name in ("csrf_token", *self.FACT_FIELDS, *_AVAILABILITY_ANSWERS, "outage_hours"):
            ok = self[name].validate(self) and ok
        return ok

    def facts(self) -> dict[str, Any]:
        """The facts as the spec's JSON object."""
        facts = {name: self[name].data for name in self.FACT_FIELDS}
        availability = {name: _TRI.get(self[name].data) for name in _AVAILABILITY_ANSWERS}
        availability["outage_hours"] = self.outage_hours.data
        answered = {k: v for k, v in availability.items() if v is not None}
        facts["availability"] = answered or None
        return facts

    def choice(self) -> Choice:
        """The DPO's decision as submitted."""
        return Choice(
            notify_ico=self.notify_ico.data == "yes",
            notify_people=self.notify_people.data or "",
            notify_controller=self.notify_controller.data == "yes",
            override_reason=self.override_reason.data or "",
            notes=self.notes.data or "",
        )


def _decision_values(choice: Choice) -> dict[str, str]:
    """A decision as the values of its three radio buttons."""
    return {
        "notify_ico": "yes" if choice.notify_ico else "no",
        "notify_people": choice.notify_people,
        "notify_controller": "yes" if choice.notify_controller else "no",
    }


def _decision_token(choice: Choice) -> str:
    values = _decision_values(choice)
    return "|".join(values[name] or "" for name in AssessmentForm.DECISION_FIELDS)
