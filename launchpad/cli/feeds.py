"""`launchpad feeds create | list | revoke | rotate`: calendar feed subscription URLs."""

from __future__ import annotations

from typing import Any

import click

from launchpad.cli.context import friendly_errors, now, session_for, settings
from launchpad.cli.output import emit_json, table
from launchpad.models.tasks import PHASE_NAMES
from launchpad.services.feed_links import issued_links, subscriptions
from launchpad.services.feed_scopes import parse_scope
from launchpad.services.feed_tokens import (
    create_feed_token,
    list_feed_tokens,
    revoke_feed_token,
    rotate_feed_token,
)
from launchpad.services.people import user_by_email


@click.group("feeds")
def feeds_group() -> None:
    """Calendar feeds (iCalendar subscription URLs for Google, Outlook and Apple)."""


@feeds_group.command("create")
@click.option("--email", required=True, help="Whose subscription it is.")
@click.option("--scope", required=True, help="person, team:KEY or launch:ID")
@click.option("--phase", type=click.Choice(PHASE_NAMES), help="Only this phase's tasks.")
@click.option("--label", default="", help="Where it is used, e.g. 'work laptop'.")
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def create(email: str, scope: str, phase: str | None, label: str, as_json: bool) -> None:
    """Create a feed URL and print it once: it cannot be shown again."""
    current = settings()
    with session_for(current) as session:
        owner = user_by_email(session, email)
        feed_scope = parse_scope(session, scope, owner, phase)
        issued = create_feed_token(session, owner, feed_scope, label=label, now=now())
        result = issued_links(session, issued, current.base_url)
    _print_issued(result, as_json)


@feeds_group.command("list")
@click.option("--email", help="Only this person's feeds (default: everyone's).")
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def list_command(email: str | None, as_json: bool) -> None:
    """Feed tokens with their last use (never the secrets)."""
    with session_for(settings()) as session:
        tokens = list_feed_tokens(session, user_by_email(session, email) if email else None)
        owners = {token.id: token.owner.email for token in tokens}
        rows = [{"owner": owners[s.id], **vars_of(s)} for s in subscriptions(session, tokens)]
    if as_json:
        emit_json(rows)
        return
    headers = ["id", "owner", "label", "feed", "last used", "client", "revoked"]
    keys = ["id", "owner", "label", "title", "last_used_at", "last_client", "revoked_at"]
    table(headers, [[row[key] for key in keys] for row in rows])


@feeds_group.command("revoke")
@click.argument("token_id", type=int)
@friendly_errors
def revoke(token_id: int) -> None:
    """Stop a feed URL at once (calendars subscribed to it get 404)."""
    with session_for(settings()) as session:
        revoke_feed_token(session, token_id, actor=None, now=now())
    click.echo(f"revoked feed token {token_id}")


@feeds_group.command("rotate")
@click.argument("token_id", type=int)
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def rotate(token_id: int, as_json: bool) -> None:
    """Replace a feed URL: the old one stops, events keep their UIDs."""
    current = settings()
    with session_for(current) as session:
        issued = rotate_feed_token(session, token_id, actor=None, now=now())
        result = issued_links(session, issued, current.base_url)
    _print_issued(result, as_json)


def vars_of(subscription: object) -> dict[str, Any]:
    slots = getattr(type(subscription), "__slots__", ())
    return {name: getattr(subscription, name) for name in slots}


def _print_issued(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    click.echo(result["url"])
    click.echo(f"webcal: {result['webcal']}\nGoogle: {result['google']}", err=True)
    click.echo("store it now: it is not shown again", err=True)
