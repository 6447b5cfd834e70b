"""The KPI panel's forms: a typed-in value, a CSV upload, a mute and the alert policy."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import DateTimeLocalField, FloatField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional

from launchpad.services.kpi_targets import POLICY_LIMITS

UPLOAD_LIMIT = 2 * 1024 * 1024  # bytes of CSV per upload
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


class ValueForm(FlaskForm):
    metric = SelectField("Metric", validate_choice=False)
    value = FloatField("Value", [InputRequired(message="Give a number.")])
    # The label names the person's zone once the page knows it (see `_page`).
    observed_at = DateTimeLocalField("Observed at (optional)", [Optional()], format=LOCAL_FORMAT)


class UploadForm(FlaskForm):
    file = FileField(
        "CSV file",
        render_kw={"accept": ".csv,text/csv"},
        validators=[
            FileRequired(message="Choose a CSV file."),
            FileSize(UPLOAD_LIMIT, message="The file is larger than 2 MiB: split it up."),
        ],
    )


class MuteForm(FlaskForm):
    until = DateTimeLocalField("Mute until", [Optional()], format=LOCAL_FORMAT)
    mute = SubmitField("Mute")
    unmute = SubmitField("Unmute")


def _bounds(name: str, per: int, unit: str) -> NumberRange:
    """The policy's bounds (POLICY_LIMITS, in seconds) in the unit the form asks for."""
    low, high = POLICY_LIMITS[name]
    days = f" ({high // 86400} days)" if per > 1 or unit == "seconds" else ""
    return NumberRange(
        low // per, high // per, message=f"Use {low // per} to {high // per} {unit}{days}."
    )


class PolicyForm(FlaskForm):
    pending_evals = IntegerField(
        "Misses before it fires",
        [InputRequired(), _bounds("pending_evals", 1, "evaluations")],
        default=1,
    )
    keep_firing_evals = IntegerField(
        "Passes before it recovers",
        [InputRequired(), _bounds("keep_firing_evals", 1, "evaluations")],
        default=1,
    )
    repeat_minutes = IntegerField(
        "Remind every (minutes, empty: never)",
        [Optional(), _bounds("repeat_interval_seconds", 60, "minutes")],
    )
    grace_seconds = IntegerField(
        "Grace for late values (seconds, empty: none)",
        [Optional(), _bounds("grace_seconds", 1, "seconds")],
        default=300,
    )
    max_age_minutes = IntegerField(
        "Oldest value that counts (minutes, empty: any age)",
        [Optional(), _bounds("max_age_seconds", 60, "minutes")],
    )
