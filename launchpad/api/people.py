"""`/api/v1/teams` and `/api/v1/people`: read for everyone, write for admins."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from launchpad.api.authentication import current_user
from launchpad.api.core import api_blueprint, document_errors
from launchpad.api.pagination import PageArgs, page_schema, paginate
from launchpad.api.schemas.people import (
    MembershipSchema,
    PersonCreateSchema,
    PersonSchema,
    TeamCreateSchema,
    TeamSchema,
)
from launchpad.auth.permissions import require
from launchpad.extensions import get_session
from launchpad.models import Team, User
from launchpad.services.directory import members_of, team_by_key, teams_of
from launchpad.services.errors import InvalidInput, NotFound
from launchpad.services.people import add_to_team, create_user, ensure_team, user_by_email

teams_bp = api_blueprint("teams", "/teams", "Teams and their members.")
people_bp = api_blueprint("people", "/people", "People who use Launchpad.")
TeamPage = page_schema(TeamSchema, "TeamPage")
PersonPage = page_schema(PersonSchema, "PersonPage")


def _team_body(team: Team, members: dict[int, list[Any]]) -> dict[str, Any]:
    return {"key": team.key, "name": team.name, "members": members.get(team.id, [])}


def _person_body(person: User, teams: dict[int, list[str]]) -> dict[str, Any]:
    return {
        "id": person.id,
        "email": person.email,
        "name": person.name,
        "role": person.role,
        "active": person.active,
        "timezone": person.timezone,
        "teams": teams.get(person.id, []),
    }


@teams_bp.route("")
class Teams(MethodView):
    @teams_bp.arguments(PageArgs, location="query")
    @teams_bp.response(200, TeamPage)
    @document_errors(teams_bp)
    def get(self, args: dict[str, int]) -> Any:
        """Teams with their members (leads first)."""
        require("directory.view", current_user())
        session = get_session()
        page = paginate(session, select(Team).order_by(Team.key), args)
        members = members_of(session, page.items)
        body = page.body()
        body["items"] = [_team_body(team, members) for team in page.items]
        return body, 200, {"Link": page.link_header()}

    @teams_bp.arguments(TeamCreateSchema)
    @teams_bp.response(201, TeamSchema)
    @document_errors(teams_bp, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a team (admins)."""
        require("directory.manage", current_user())
        session = get_session()
        if team_by_key(session, data["key"]) is not None:
            raise InvalidInput({"key": f"team {data['key']} already exists"})
        team = ensure_team(session, data["key"], datetime.now(UTC), data.get("name"))
        session.commit()
        return _team_body(team, {}), 201, {"Location": f"/api/v1/teams/{team.key}"}


@teams_bp.route("/<key>")
class TeamDetail(MethodView):
    @teams_bp.response(200, TeamSchema)
    @document_errors(teams_bp)
    def get(self, key: str) -> Any:
        """One team."""
        require("directory.view", current_user())
        session = get_session()
        team = team_by_key(session, key)
        if team is None:
            raise NotFound("team", key)
        return _team_body(team, members_of(session, [team]))


@teams_bp.route("/<key>/members")
class TeamMembers(MethodView):
    @teams_bp.arguments(MembershipSchema)
    @teams_bp.response(200, TeamSchema)
    @document_errors(teams_bp, 422)
    def post(self, data: dict[str, Any], key: str) -> Any:
        """Put a person in the team, optionally as its lead (admins)."""
        require("directory.manage", current_user())
        session = get_session()
        team = team_by_key(session, key)
        if team is None:
            raise NotFound("team", key)
        add_to_team(session, user_by_email(session, data["email"]), team, lead=data["lead"])
        session.commit()
        return _team_body(team, members_of(session, [team]))


@people_bp.route("")
class People(MethodView):
    @people_bp.arguments(PageArgs, location="query")
    @people_bp.response(200, PersonPage)
    @document_errors(people_bp)
    def get(self, args: dict[str, int]) -> Any:
        """People with their teams."""
        require("directory.view", current_user())
        session = get_session()
        page = paginate(session, select(User).order_by(User.email), args)
        teams = teams_of(session, page.items)
        body = page.body()
        body["items"] = [_person_body(person, teams) for person in page.items]
        return body, 200, {"Link": page.link_header()}

    @people_bp.arguments(PersonCreateSchema)
    @people_bp.response(201, PersonSchema)
    @document_errors(people_bp, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a person (admins); without a password they cannot sign in yet."""
        require("directory.manage", current_user())
        session = get_session()
        person = create_user(
            session,
            email=data["email"],
            password=data.get("password"),
            role=data["role"],
            now=datetime.now(UTC),
            name=data.get("name"),
            timezone=data["timezone"],
        )
        session.commit()
        return _person_body(person, {}), 201, {"Location": f"/api/v1/people/{person.id}"}


@people_bp.route("/<id:person_id>")
class PersonDetail(MethodView):
    @people_bp.response(200, PersonSchema)
    @document_errors(people_bp)
    def get(self, person_id: int) -> Any:
        """One person."""
        require("directory.view", current_user())
        session = get_session()
        person = session.get(User, person_id)
        if person is None:
            raise NotFound("person", person_id)
        return _person_body(person, teams_of(session, [person]))
