"""Forms that change a launch; each carries the launch version it was made from."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput

from launchpad.web.forms import no_nul
from launchpad.web.forms.dates import sensible_date


def version_field() -> IntegerField:
    """The version the page showed; a mismatch becomes a stale-edit explanation."""
    return IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)]
    )


class RescheduleForm(FlaskForm):
    new_date = DateField(
        "New launch day", [InputRequired("pick the new launch day"), sensible_date]
    )
    version = version_field()


class LaunchStatusForm(FlaskForm):
    status = SelectField("Move the launch to", validate_choice=True)
    version = version_field()


class RoleForm(FlaskForm):
    role = HiddenField(filters=[no_nul], validators=[InputRequired()])
    person = SelectField("Person", validate_choice=True)
    version = version_field()


class SignoffForm(FlaskForm):
    team = HiddenField(filters=[no_nul], validators=[InputRequired()])
