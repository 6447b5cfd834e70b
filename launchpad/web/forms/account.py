"""Signing in, one's own settings (password, time zone) and accepting an invitation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField
from wtforms.validators import EqualTo, InputRequired, Length

from launchpad.services.accounts import MAX_PASSWORD_LENGTH
from launchpad.services.people import MIN_PASSWORD_LENGTH
from launchpad.web.forms import no_nul
from launchpad.web.forms.wizard import zone_choices

_NEW = [InputRequired(), Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)]


class SignInForm(FlaskForm):
    email = EmailField("Email", [InputRequired(), Length(max=254)], filters=[no_nul])
    password = PasswordField("Password", [InputRequired(), Length(max=MAX_PASSWORD_LENGTH)])


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", [InputRequired()])
    new_password = PasswordField("New password", _NEW)
    confirm = PasswordField(
        "New password again", [InputRequired(), EqualTo("new_password", "the two do not match")]
    )


class InvitationForm(FlaskForm):
    password = PasswordField("Choose a password", _NEW)
    confirm = PasswordField(
        "The same password again", [InputRequired(), EqualTo("password", "the two do not match")]
    )


class TimeZoneForm(FlaskForm):
    timezone = SelectField("Your time zone", validate_choice=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
