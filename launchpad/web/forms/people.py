"""Admin forms: a new person, a new team, someone joining a team."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from launchpad.models.people import USER_ROLES
from launchpad.services.accounts import MAX_PASSWORD_LENGTH
from launchpad.services.people import MIN_PASSWORD_LENGTH
from launchpad.web.forms import no_nul, options


class PersonForm(FlaskForm):
    email = EmailField("Email", [InputRequired(), Length(max=254)], filters=[no_nul])
    name = StringField("Name", [InputRequired(), Length(max=200)], filters=[no_nul])
    role = SelectField("Role", choices=options((r, r) for r in USER_ROLES), default="member")
    password = PasswordField(
        "Password (optional)", [Optional(), Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)]
    )


class TeamForm(FlaskForm):
    key = StringField(
        "Key",
        [
            InputRequired(),
            Length(max=64),
            Regexp(r"^[a-z0-9][a-z0-9_-]*$", message="use a-z, 0-9, - and _"),
        ],
        filters=[no_nul],
    )
    name = StringField("Name", [InputRequired(), Length(max=200)], filters=[no_nul])


class MemberForm(FlaskForm):
    person = SelectField("Person", validate_choice=True)
    team = SelectField("Team", validate_choice=True)
    lead = BooleanField("Lead of this team (signs it off, gets its unmapped roles)")
