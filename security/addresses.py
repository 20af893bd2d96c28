"""The address a request comes from, for lockouts and audit records alike.

Behind a reverse proxy every request arrives from the proxy's address, so one person's five
wrong passwords would lock out everybody. With ``PROXY_COUNT`` = N (the trusted proxies in
front of the site, each appending to ``X-Forwarded-For``), the client is the N-th address from
the right of that header: entries further left were written by the client and can be forged.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
