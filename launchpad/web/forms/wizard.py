"""The new-launch wizard's fixed fields; parameters and roles depend on the template."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TimeField
from wtforms.validators import InputRequired, Length, Optional

from launchpad.web.forms import no_nul, options
from launchpad.web.forms.dates import sensible_date


@lru_cache(maxsize=1)
def zone_choices() -> list[SelectChoice]:
    zones = sorted(z for z in available_timezones() if "/" in z or z == "UTC")
    return options((z, z.replace("_", " ")) for z in zones)


class WizardForm(FlaskForm):
    name = StringField(
        "Launch name", [InputRequired("give the launch a name"), Length(max=200)], filters=[no_nul]
    )
    launch_date = DateField("Launch day", [InputRequired("pick the launch day"), sensible_date])
    launch_time = TimeField("Time of the launch (optional)", [Optional()])
    timezone = SelectField("Time zone", validate_choice=True)
    holidays = StringField("Holiday calendar", [Optional(), Length(max=20)], filters=[no_nul])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices()
