"""`launchpad dev-receiver [--port P]`: watch signed webhooks arrive on this machine."""

from __future__ import annotations

import click

from launchpad.cli.context import session_for, settings
from launchpad.outbound.receiver import make_receiver
from launchpad.services.destinations import secrets_for_receiver

DEFAULT_PORT = 8765


@click.command("dev-receiver")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--secret", "secrets", multiple=True, help="a whsec_ secret (default: looked up)")
def dev_receiver(port: int, host: str, secrets: tuple[str, ...]) -> None:
    """Print verified deliveries; secrets default to those of destinations pointing here."""
    known = list(secrets)
    if not known:
        current = settings()
        with session_for(current) as session:
            known = secrets_for_receiver(session, port, current.secret_key)
    server = make_receiver(host, port, known, lambda text: click.echo(text, nl=False))
    click.echo(
        f"receiving on http://{host}:{server.server_port}/ with {len(known)} secret(s); "
        "Ctrl-C stops",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
