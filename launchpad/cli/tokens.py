"""`launchpad tokens create | list | revoke`: personal access tokens for the REST API."""

from __future__ import annotations

import click

from launchpad.cli.context import friendly_errors, now, session_for, settings
from launchpad.cli.output import emit_json, table
from launchpad.services.api_tokens import create_token, list_tokens, revoke_token
from launchpad.services.people import user_by_email


@click.group("tokens")
def tokens_group() -> None:
    """API tokens (Authorization: Bearer ...)."""


@tokens_group.command("create")
@click.option("--email", required=True, help="Whose token it is.")
@click.option("--label", default="API token", show_default=True)
@click.option("--read-only", is_flag=True, help="May only read, never change.")
@click.option("--expires", "expires_days", type=int, help="Days until it stops working.")
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def create(
    email: str, label: str, read_only: bool, expires_days: int | None, as_json: bool
) -> None:
    """Create a token and print it once: it cannot be shown again."""
    with session_for(settings()) as session:
        user = user_by_email(session, email)
        issued = create_token(
            session, user, label=label, read_only=read_only, expires_days=expires_days, now=now()
        )
        result = {
            "id": issued.token.id,
            "token": issued.secret,
            "read_only": read_only,
            "expires_at": issued.token.expires_at,
        }
    if as_json:
        emit_json(result)
    else:
        click.echo(issued.secret)
        click.echo("store it now: it is not shown again", err=True)


@tokens_group.command("list")
@click.option("--email", required=True)
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def list_command(email: str, as_json: bool) -> None:
    """A person's tokens (never the secrets)."""
    with session_for(settings()) as session:
        rows = [
            {
                "id": t.id,
                "label": t.label,
                "prefix": t.prefix,
                "read_only": t.read_only,
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "last_used_at": t.last_used_at,
                "revoked": t.revoked_at is not None,
            }
            for t in list_tokens(session, user_by_email(session, email))
        ]
    if as_json:
        emit_json(rows)
    else:
        table(
            ["id", "label", "prefix", "read only", "last used", "revoked"],
            [
                [
                    r["id"],
                    r["label"],
                    f"{r['prefix']}…",
                    r["read_only"],
                    r["last_used_at"],
                    r["revoked"],
                ]
                for r in rows
            ],
        )


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@click.option("--email", required=True, help="The token owner (or an admin).")
@friendly_errors
def revoke(token_id: int, email: str) -> None:
    """Revoke a token at once."""
    with session_for(settings()) as session:
        actor = user_by_email(session, email)
        revoke_token(session, token_id, actor=actor, now=now())
    click.echo(f"revoked token {token_id}")
