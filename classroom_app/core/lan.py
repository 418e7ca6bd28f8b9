"""This PC's network addresses (ifaddr): the one place the app lists them."""

from __future__ import annotations

import ifaddr


def interfaces() -> list[tuple[str, int]]:
    """Every IPv4 address of this PC's network cards with its prefix length."""
    return [(ip.ip, ip.network_prefix) for adapter in ifaddr.get_adapters()
            for ip in adapter.ips if isinstance(ip.ip, str)]


def lan_addresses() -> list[str]:
    """This PC's IPv4 addresses that other PCs can reach (no loopback, no link-local)."""
    return sorted({address for address, _ in interfaces()
                   if not address.startswith(("127.", "169.254."))})
