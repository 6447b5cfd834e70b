"""The new-launch wizard: pick a launch template, fill in the details, preview, create.

Stateless: the preview page carries every value in hidden fields, so the back button, a
second tab or a server restart never lose or mix up a half-made launch.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from launchpad.extensions import get_state
from launchpad.models import User
from launchpad.planning.spec import TemplateSpec
from launchpad.services.errors import InvalidInput
from launchpad.services.launch_planning import NewLaunch, create_launch, preview_plan
from launchpad.services.task_view import assignable_people
from launchpad.services.template_library import list_library
from launchpad.web.forms.wizard import WizardForm
from launchpad.web.support import allowed, library_template, now, show_problems, today
from launchpad.web.wizard_input import ExtraInput, defaults, read_extra

bp = Blueprint("wizard", __name__, url_prefix="/launches/new")
Page = str | Response | tuple[str, int]


@bp.get("")
def pick() -> str:
    allowed("launch.create")
    return render_template("wizard/pick.html", entries=list_library(_directory()))


@bp.route("/<key>", methods=["GET", "POST"])
def details(key: str) -> Page:
    """GET: the form; POST: `action` is `edit` (back), `preview` or `create`."""
    user, session = allowed("launch.create")
    spec = library_template(key)
    people = {str(p.id): p for p in assignable_people(session)}
    if request.method == "GET":
        form = WizardForm(
            formdata=None,
            launch_date=today() + timedelta(days=42),
            timezone=user.timezone,
            holidays=spec.calendar.holidays or "",
        )
        return _details(spec, form, defaults(spec), people)
    form, extra = WizardForm(), read_extra(spec, request.form, people)
    action = request.form.get("action", "preview")
    if action == "edit":
        return _details(spec, form, extra, people)
    if not form.validate_on_submit() or extra.problems:
        return _details(spec, form, extra, people, 400)
    wanted = _new_launch(spec, form, extra, people)
    try:
        if action == "create":
            launch = create_launch(session, _directory(), wanted, actor=user, now=now())
            session.commit()
            flash(f"{launch.name} is planned for {launch.launch_date}.", "success")
            return redirect(url_for("web.launch_pages.show", launch_id=launch.id))
        plan = preview_plan(spec, wanted.settings())
    except InvalidInput as error:
        _split_problems(form, extra, error)
        return _details(spec, form, extra, people, 400)
    return render_template(
        "wizard/preview.html", spec=spec, form=form, plan=plan, extra=extra, people=people
    )


def _new_launch(
    spec: TemplateSpec, form: WizardForm, extra: ExtraInput, people: dict[str, User]
) -> NewLaunch:
    return NewLaunch(
        template_key=spec.key,
        name=form.name.data,
        launch_date=form.launch_date.data,
        timezone=form.timezone.data,
        launch_time=form.launch_time.data,
        holidays=(form.holidays.data or "").strip().upper() or None,
        parameters=extra.parameters,
        assignments=extra.assignments(people),
    )


def _split_problems(form: WizardForm, extra: ExtraInput, error: InvalidInput) -> None:
    """Parameter and role problems go next to those inputs; the rest to form fields."""
    rest = {}
    for key, message in error.problems.items():
        if key == "parameters":
            extra.problems["parameters"] = message
        elif key.startswith("assign."):
            extra.problems["role." + key.removeprefix("assign.")] = message
        else:
            rest[key] = message
    if rest:
        show_problems(form, InvalidInput(rest))


def _details(
    spec: TemplateSpec,
    form: WizardForm,
    extra: ExtraInput,
    people: dict[str, User],
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "wizard/details.html", spec=spec, form=form, extra=extra, people=people.values()
    )
    return page, status


def _directory() -> Path:
    return get_state().settings.templates_dir
