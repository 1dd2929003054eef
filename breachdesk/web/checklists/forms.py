"""Forms for working steps and assigning IT users; each carries its CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms import TextAreaField
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from breachdesk.services.checklists.steps import MAX_NOTE
from breachdesk.services.checklists.steps import MAX_REASON
from breachdesk.web.fields import as_choices
from breachdesk.web.fields import strip_text


class StepActionForm(FlaskForm):
    """Reopen: nothing to fill in but the token."""


class DoneForm(FlaskForm):
    """Done, and record what was done, in one action."""

    text = TextAreaField(
        "What was done (optional)",
        filters=[strip_text],
        validators=[
            Optional(),
            Length(max=MAX_NOTE, message=f"Keep a note under {MAX_NOTE} characters."),
        ],
    )


class SkipForm(FlaskForm):
    reason = TextAreaField(
        "Why skip it?",
        filters=[strip_text],
        validators=[
            InputRequired("Say why this step is being skipped."),
            Length(max=MAX_REASON, message=f"Keep the reason under {MAX_REASON} characters."),
        ],
    )


class NoteForm(FlaskForm):
    text = TextAreaField(
        "Add a note",
        filters=[strip_text],
        validators=[
            InputRequired("Write the note before adding it."),
            Length(max=MAX_NOTE, message=f"Keep a note under {MAX_NOTE} characters."),
        ],
    )


class AssignForm(FlaskForm):
    user = SelectField("IT user", validate_choice=False)

    def offer(self, users) -> AssignForm:
        """Fill the list with the IT users who can be assigned."""
        self.user.choices = as_choices(
            [("", "Choose an IT user")] + [(str(u.id), u.display_name) for u in users]
        )
        return self

    def user_id(self) -> int | None:
        """The chosen user's id, or None (with a message) when nothing valid was chosen."""
        try:
            return int(self.user.data)
        except (TypeError, ValueError):
            self.user.errors = [*self.user.errors, "Choose an IT user from the list."]
            return None


class UnassignForm(FlaskForm):
    """Take one IT user off the incident."""
