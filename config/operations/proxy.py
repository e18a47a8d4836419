"""The client's address behind nginx or a load balancer.

Behind a proxy every request reaches gunicorn from the proxy's address, so the audit log, login
throttling (django-axes) and /metrics' loopback rule would all see the proxy. When REMOTE_ADDR is
one of UPPSIKT_TRUSTED_PROXIES, the client is the right-most address in X-Forwarded-For that is not
itself a trusted proxy (addresses further left were written by the client and prove nothing).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _networks(values) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip()]


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = _networks(settings.UPPSIKT_TRUSTED_PROXIES)

    def __call__(self, request):
        if self.networks and _trusted(request.META.get("REMOTE_ADDR", ""), self.networks):
            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            for hop in reversed(hops):
                if not _trusted(hop, self.networks):
                    try:
                        ipaddress.ip_address(hop)
                    except ValueError:
                        break  # garbage: keep the proxy's address rather than trust it
                    request.META["REMOTE_ADDR"] = hop
                    break
        return self.get_response(request)
