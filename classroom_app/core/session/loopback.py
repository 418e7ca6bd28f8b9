"""Let WebRTC use the loopback address when the peers are on one machine.

aioice never offers 127.0.0.1 as a candidate, so two peers on a PC with no network
card up (a teacher trying a session alone, every test) could not connect. Peers that
talk over loopback signaling set :data:`use_loopback`; their only candidate is then
127.0.0.1: both are on this PC, so nothing need leave it (and a test sends nothing
beyond loopback). A context variable keeps this to the peer connections of that task.
"""

from __future__ import annotations

import contextvars
import ipaddress

from aioice import ice

use_loopback: contextvars.ContextVar[bool] = contextvars.ContextVar("use_loopback",
                                                                    default=False)
_original = ice.get_host_addresses


def _host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    if use_loopback.get():
        return ["127.0.0.1"]
    return _original(use_ipv4, use_ipv6)


def install() -> None:
    ice.get_host_addresses = _host_addresses


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
