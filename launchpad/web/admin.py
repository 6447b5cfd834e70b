"""People and teams: everyone may look; admins add people, teams and memberships."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from launchpad.extensions import get_session, get_state
from launchpad.models import Team, User
from launchpad.services.directory import members_of, teams_of
from launchpad.services.directory_admin import add_member, create_person, create_team
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.invitations import invite
from launchpad.web.forms import options
from launchpad.web.forms.people import MemberForm, PersonForm, TeamForm
from launchpad.web.support import allowed, form_status, now, show_problems

bp = Blueprint("admin", __name__)
Page = str | Response | tuple[str, int]


@bp.get("/people")
def people() -> str:
    _user, session = allowed("directory.view")
    everyone = list(session.scalars(select(User).order_by(User.name, User.email)))
    teams = list(session.scalars(select(Team).order_by(Team.name)))
    return render_template(
        "admin/people.html",
        people=everyone,
        teams=teams,
        team_keys=teams_of(session, everyone),
        members=members_of(session, teams),
    )


@bp.route("/people/new", methods=["GET", "POST"])
def new_person() -> Page:
    user, session = allowed("directory.manage")
    form = PersonForm()
    if form.validate_on_submit():
        try:
            person = create_person(
                session,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                password=form.password.data or None,
                actor=user,
                now=now(),
            )
            link = None if form.password.data else _invitation_link(person, user)
        except InvalidInput as error:
            session.rollback()
            show_problems(form, error)
        else:
            session.commit()
            flash(f"{person.email} was added.", "success")
            return render_template("admin/person_added.html", person=person, link=link)
    return render_template("admin/person_form.html", form=form), form_status(form)


@bp.post("/people/<int:person_id>/invitation")
def reinvite(person_id: int) -> str:
    user, session = allowed("directory.manage")
    person = session.get(User, person_id)
    if person is None:
        raise NotFound("person", person_id)
    link = _invitation_link(person, user)
    session.commit()
    return render_template("admin/person_added.html", person=person, link=link)


@bp.route("/teams/new", methods=["GET", "POST"])
def new_team() -> Page:
    user, session = allowed("directory.manage")
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = create_team(session, form.key.data, form.name.data, actor=user, now=now())
        except InvalidInput as error:
            session.rollback()
            show_problems(form, error)
        else:
            session.commit()
            flash(f"Team {team.name} was created.", "success")
            return redirect(url_for("web.admin.people"))
    return render_template("admin/team_form.html", form=form), form_status(form)


@bp.route("/teams/members", methods=["GET", "POST"])
def new_member() -> Page:
    user, session = allowed("directory.manage")
    form = MemberForm()
    form.person.choices = options(
        (str(p.id), f"{p.name} <{p.email}>")
        for p in session.scalars(select(User).where(User.active).order_by(User.name))
    )
    form.team.choices = options(
        (t.key, t.name) for t in session.scalars(select(Team).order_by(Team.name))
    )
    if form.validate_on_submit():
        try:
            add_member(
                session,
                int(form.person.data),
                form.team.data,
                lead=form.lead.data,
                actor=user,
                now=now(),
            )
        except InvalidInput as error:
            session.rollback()
            show_problems(form, error)
        else:
            session.commit()
            flash("Membership saved.", "success")
            return redirect(url_for("web.admin.people"))
    return render_template("admin/member_form.html", form=form), form_status(form)


def _invitation_link(person: User, actor: User) -> str:
    issued = invite(get_session(), person, actor=actor, now=now())
    path = url_for("web.invites.accept", token=issued.token)
    return get_state().settings.base_url + path
