"""Forms that change one task; each carries the task version it was made from."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from launchpad.models.tasks import TASK_STATUSES
from launchpad.services.task_details import MAX_NOTES
from launchpad.services.task_edits import MAX_TITLE
from launchpad.web.forms import no_nul, options
from launchpad.web.forms.dates import sensible_date
from launchpad.web.forms.launch import version_field

STATUS_CHOICES = options((s, s.replace("_", " ")) for s in TASK_STATUSES)


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=True)
    version = version_field()


class AssigneeForm(FlaskForm):
    person = SelectField("Assignee", validate_choice=True)
    version = version_field()


class DueDateForm(FlaskForm):
    due_date = DateField("Due date", [InputRequired("pick a date"), sensible_date])
    version = version_field()


class NotesForm(FlaskForm):
    notes = TextAreaField("Notes", [Length(max=MAX_NOTES)], filters=[no_nul])
    version = version_field()


class TitleForm(FlaskForm):
    title = StringField(
        "Title", [InputRequired("give the task a title"), Length(max=MAX_TITLE)], filters=[no_nul]
    )
    version = version_field()
