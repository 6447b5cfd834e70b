"""`launchpad users create`."""

from __future__ import annotations

import click

from launchpad.cli.context import friendly_errors, now, session_for, settings
from launchpad.cli.output import emit_json
from launchpad.models.people import USER_ROLES
from launchpad.services.people import add_to_team, create_user, ensure_team


@click.group("users")
def users_group() -> None:
    """Manage people."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", required=True, type=click.Choice(USER_ROLES))
@click.option("--name", help="Display name (default: the email's local part).")
@click.option("--team", "team_key", help="Put the person in this team (created if new).")
@click.option("--lead", is_flag=True, help="Make the person the team's lead.")
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def create(
    email: str,
    password: str,
    role: str,
    name: str | None,
    team_key: str | None,
    lead: bool,
    as_json: bool,
) -> None:
    """Create a person who can sign in."""
    if lead and not team_key:
        raise click.UsageError("--lead needs --team")
    with session_for(settings()) as session:
        moment = now()
        user = create_user(
            session, email=email, password=password, role=role, now=moment, name=name
        )
        if team_key:
            add_to_team(session, user, ensure_team(session, team_key, moment), lead=lead)
        result = {
            "id": user.id,
            "email": user.email,
            "role": user.role,
            "team": team_key,
            "lead": lead,
        }
    if as_json:
        emit_json(result)
    else:
        click.echo(f"created {result['email']} ({role})" + (f" in {team_key}" if team_key else ""))
