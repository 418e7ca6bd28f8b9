"""Keeps tests on this PC: any connect or send to an address outside 127.0.0.0/8, ::1
(or a Unix socket) is refused and reported.

Installed in the test process by ``tests/conftest.py`` and in every Python process a
test starts (the ``classroom`` command, drivers) through ``sitecustomize``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable


def is_loopback(address: object) -> bool:
    """Whether a socket address stays on this PC (loopback, or a Unix socket)."""
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths and abstract names
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


# Where each guarded call takes its address: connect(address), sendto(data, address)
# or sendto(data, flags, address), sendmsg(buffers, ancdata, flags, address).
ADDRESS_OF: dict[str, Callable[[tuple], object]] = {
    "connect": lambda args: args[0],
    "connect_ex": lambda args: args[0],
    "sendto": lambda args: args[-1],
    "sendmsg": lambda args: args[3] if len(args) > 3 else None,
}


def install(report: Callable[[str], None]) -> None:
    """Guard every socket of this process; ``report`` hears each refused call."""
    for name, address_of in ADDRESS_OF.items():
        original = getattr(socket.socket, name)
        setattr(socket.socket, name, _guarded(name, original, address_of, report))


def _guarded(name: str, original: Callable, address_of: Callable[[tuple], object],
             report: Callable[[str], None]) -> Callable:
    def checked(self: socket.socket, *args: object) -> object:
        address = address_of(args)
        if address is not None and not is_loopback(address):
            report(f"{name} to {address!r}")
            raise PermissionError(f"tests stay on this PC: {name} to {address!r} refused")
        return original(self, *args)

    return checked
