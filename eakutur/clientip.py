"""The client address that rate limits and the login lockout key on."""

import ipaddress

from django.http import HttpRequest

NO_ADDRESS = "0.0.0.0"  # noqa: S104 (not a bind: the key of a request without one)


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR only: a header such as X-Forwarded-For is the client's to forge.
    Behind the reverse proxy, gunicorn sets REMOTE_ADDR from X-Forwarded-For, and only
    on connections from a trusted proxy (deploy/gunicorn.conf.py). Anything that is not
    an address (a Unix socket's empty peer) counts as one shared key, never as an error
    when it is stored."""
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return NO_ADDRESS
