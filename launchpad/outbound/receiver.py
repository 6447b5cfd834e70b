"""A tiny local webhook receiver for demos: verifies Standard Webhooks signatures, prints.

`launchpad dev-receiver` runs it; a delivery whose signature matches one of the known
secrets is printed and answered 204, anything else is answered 401 so the sender's
delivery log shows the failure.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from launchpad.outbound.signing import verify

MAX_BODY = 1024 * 1024


def make_receiver(
    host: str, port: int, secrets: Sequence[str], echo: Callable[[str], None]
) -> ThreadingHTTPServer:
    """A server (not yet serving) that checks each POST against `secrets`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
            body = self.rfile.read(length)
            headers = {key: value for key, value in self.headers.items()}
            ok = any(verify(secret, headers, body, int(time.time())) for secret in secrets)
            echo(describe(self.path, headers, body, ok))
            self.send_response(204 if ok else 401)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return  # one line per delivery from `describe` is enough

    return ThreadingHTTPServer((host, port), Handler)


def describe(path: str, headers: dict[str, str], body: bytes, ok: bool) -> str:
    """One readable block per delivery."""
    lowered = {key.lower(): value for key, value in headers.items()}
    mark = "verified" if ok else "NOT VERIFIED (unknown secret or stale timestamp)"
    try:
        shown = json.dumps(json.loads(body), indent=2, sort_keys=True)
    except ValueError:
        shown = body.decode("utf-8", errors="replace")
    return f"POST {path}  webhook-id={lowered.get('webhook-id', '-')}  {mark}\n{shown}\n"
