"""Let WebRTC use the loopback address when the peers are on one machine.

aioice never offers 127.0.0.1 as a candidate, so two peers on a PC with no network
card up (a teacher trying a session alone, every test) could not connect. Peers that
talk over loopback signaling set :data:`use_loopback`; the candidate list then also
holds 127.0.0.1. A context variable keeps this to the peer connections of that task.
"""

from __future__ import annotations

import contextvars
import ipaddress

from aioice import ice

use_loopback: contextvars.ContextVar[bool] = contextvars.ContextVar("use_loopback",
                                                                    default=False)
_original = ice.get_host_addresses


def _host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    addresses = _original(use_ipv4, use_ipv6)
    if use_loopback.get() and use_ipv4 and "127.0.0.1" not in addresses:
        addresses.append("127.0.0.1")
    return addresses


def install() -> None:
    ice.get_host_addresses = _host_addresses


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
