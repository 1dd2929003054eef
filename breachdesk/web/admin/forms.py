from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import Regexp

from breachdesk.domain.vocabulary import Role
from breachdesk.web.fields import CheckboxListField
from breachdesk.web.fields import as_choices

ROLE_CHOICES = as_choices(
    [
        (Role.STAFF.value, "Staff: reports breaches"),
        (Role.DPO.value, "DPO: runs the response and manages users"),
        (Role.IT.value, "IT: works assigned incidents and adds findings"),
    ]
)


class UserForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    display_name = StringField("Full name", validators=[InputRequired(), Length(max=120)])
    email = EmailField(
        "Email",
        validators=[
            Optional(),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address like jo@example.com."
            ),
            Length(max=254),
        ],
    )
    roles = CheckboxListField("Roles", choices=ROLE_CHOICES)
    password = PasswordField(
        "Temporary password (they choose their own at first sign-in)",
        validators=[InputRequired(), Length(max=1024)],
    )


class RolesForm(FlaskForm):
    roles = CheckboxListField("Roles", choices=ROLE_CHOICES)


class ResetPasswordForm(FlaskForm):
    password = PasswordField("Temporary password", validators=[InputRequired(), Length(max=1024)])


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for one-button actions."""
