"""Who is asking: the one way every limiter and every access log finds a client's address."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import AnonRateThrottle


def client_address(request: HttpRequest) -> str:
    """The client's IP address, trusting exactly TRUSTED_PROXY_COUNT proxies in front of the portal.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is that many
    entries from the right; anything further left was written by the client and is ignored. With no
    trusted proxy, the address of the socket (REMOTE_ADDR). The same rule as DRF's NUM_PROXIES,
    which settings set to the same count. "" when the chosen entry is not an IP address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = forwarded.split(",")
        address = hops[-min(proxies, len(hops))].strip()
    else:
        address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


class AnonClientRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, counting clients by client_address."""

    def get_ident(self, request) -> str:
        return client_address(request) or "unknown"
