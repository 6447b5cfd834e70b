"""Believing X-Forwarded-* only from the reverse proxies an operator says are there.

With ``LAUNCHPAD_TRUSTED_PROXIES=N`` the N nearest proxies' forwarded client address,
scheme, host, port and prefix replace the socket's; with 0 (the default) the headers are
ignored, since anyone could send them. The client address feeds the login throttle, the
API rate limit and the /metrics loopback rule, so a wrong N is a security problem both
ways: too low and every client looks like the proxy, too high and clients pick their own.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask, hops: int) -> None:
    """Wrap the WSGI app in ProxyFix for ``hops`` proxies (nothing for 0)."""
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
