"""Behind a reverse proxy: which client sent a request, and whether it came over https.

Every request reaches the app from the proxy's address, so without this the sign-in throttle
would count all staff as one client. ``PROXY_HOPS`` says how many proxies in front of
breachdesk append to X-Forwarded-For and set X-Forwarded-Proto; that many are trusted, and no
more. With none (the default) the headers are ignored: a client cannot choose the address the
throttle counts it under by sending them itself.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


class ProxyHopsError(ValueError):
    """PROXY_HOPS is not a whole number from 0 up."""


def proxy_hops(value: object) -> int:
    """The configured number of trusted proxies; ``ProxyHopsError`` for anything else."""
    if value in (None, ""):
        return 0
    try:
        hops = int(str(value).strip())
    except ValueError:
        hops = -1
    if hops < 0:
        raise ProxyHopsError(
            f"PROXY_HOPS is {value!r}: set it to the number of proxies in front of breachdesk "
            "(0 when there is none)."
        )
    return hops


def trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme from the trusted proxies' headers, if any."""
    hops = proxy_hops(app.config.get("PROXY_HOPS"))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
