"""The hub's HTTP server: standard library only, one thread per connection, keep-alive.

Run in production behind TLS (``--cert``/``--key``, or a reverse proxy), since HTTP
Basic sends the password with every request. The same server runs inside the
teacher's app as the class hub on the school LAN, started and stopped from a thread.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from classroom_app.hub.lrs import MAX_BODY, Lrs, Request, Response

log = logging.getLogger(__name__)
# A connection silent this long (between two bytes of a request, or idle between
# requests) is closed.
READ_TIMEOUT = 30.0
# Connections served at once (fewer if the open-file limit is low: each takes a file,
# and the database and the log need some); beyond it, one left waiting (for a request or
# for the rest of one) longer than STALLED is closed to make room, or else the newcomer
# gets a 503.
MAX_CONNECTIONS = 512
FILES_KEPT_FREE = 64
STALLED = 1.0
# What a client going away looks like; not worth a traceback in the log.
QUIET_ERRORS = (ConnectionError, TimeoutError, ssl.SSLError)

def _connection_cap() -> int:
    try:
        import resource
    except ImportError:  # Windows: no per-process file limit of this kind
        return MAX_CONNECTIONS
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft - FILES_KEPT_FREE))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm and
    # the client's delayed ACK hold every answer back by up to 40 ms.
    disable_nagle_algorithm = True
    timeout = READ_TIMEOUT
    server: HubHttpServer

    def handle_one_request(self) -> None:
        self.server.waiting(self.connection)
        super().handle_one_request()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        lengths = self.headers.get_all("Content-Length") or []
        if self.command in ("POST", "PUT") and not lengths:
            self._send(Response(411, b'{"error":"Content-Length is needed"}'))
            return
        # Plain ASCII digits only: int() also takes "-1", "+2", " 2", "1_0" and other
        # scripts' digits, and a negative length would read without limit.
        if any(not (v.isascii() and v.isdigit()) for v in lengths) or len(set(lengths)) > 1:
            self._send(Response(400, b'{"error":"the Content-Length header must be one '
                                     b'number of plain digits"}'), close=True)
            return
        size = int(lengths[0]) if lengths else 0
        if size > MAX_BODY:
            self._send(Response(413, b'{"error":"the request is too large"}'), close=True)
            return
        body = self.rfile.read(size) if size else b""
        if len(body) < size:  # the client went away, or the hub closed a stalled one
            self.close_connection = True
            return
        self.server.busy(self.connection)
        request = Request(self.command, url.path, dict(parse_qsl(url.query)),
                          dict(self.headers.items()), body)
        self._send(self.server.lrs.handle(request))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

    def _send(self, response: Response, close: bool = False) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.verbose:
            super().log_message(format, *args)


class HubHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many student PCs may connect at once after a lesson.
    request_queue_size = 64
    # On Windows SO_REUSEADDR lets a second hub bind a port already in use.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, lrs: Lrs, host: str = "127.0.0.1", port: int = 0,
                 verbose: bool = False) -> None:
        super().__init__((host, port), _Handler)
        self.lrs = lrs
        self.verbose = verbose
        self.max_connections = _connection_cap()
        self._thread: threading.Thread | None = None
        # Each open connection: since when it waits for the client, or None while the
        # hub works on its request.
        self._connections: dict[Any, float | None] = {}
        self._connections_lock = threading.Lock()

    def waiting(self, connection: Any) -> None:
        with self._connections_lock:
            if connection in self._connections:
                self._connections[connection] = time.monotonic()

    def busy(self, connection: Any) -> None:
        with self._connections_lock:
            if connection in self._connections:
                self._connections[connection] = None

    def process_request(self, request: Any, client_address: Any) -> None:
        """Cap the connections served at once: past the cap, the one stalled longest
        makes room (idle and slow-loris connections must not lock real clients out),
        and when none is stalled the newcomer is told to come back later."""
        now = time.monotonic()
        with self._connections_lock:
            if len(self._connections) >= self.max_connections:
                stalled = [(since, c) for c, since in self._connections.items()
                           if since is not None and now - since > STALLED]
                if not stalled:
                    self._refuse(request)
                    return
                victim = min(stalled, key=lambda item: item[0])[1]
                del self._connections[victim]
                with contextlib.suppress(OSError):  # its thread sees the end and stops
                    victim.shutdown(socket.SHUT_RDWR)
            self._connections[request] = now
        super().process_request(request, client_address)

    def _refuse(self, request: Any) -> None:
        body = b'{"error":"the hub is busy: try again in a moment"}'
        with contextlib.suppress(OSError):
            request.settimeout(0.5)
            request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                            b"Content-Type: application/json\r\nConnection: close\r\n"
                            b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.shutdown_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """One thread per connection; its database connection goes with it (a class
        hub runs for days: connections must not pile up)."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.pop(request, None)
            self.lrs.storage.release_thread()

    def get_request(self) -> tuple[Any, Any]:
        try:
            return super().get_request()
        except OSError as error:
            if error.errno in (errno.EMFILE, errno.ENFILE):
                time.sleep(0.05)  # out of files: let connections end instead of spinning
            raise

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that resets or stalls is logged in one line, not a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, QUIET_ERRORS):
            log.debug("connection from %s ended: %s", client_address, error)
            return
        super().handle_error(request, client_address)

    def use_tls(self, cert: Path, key: Path) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self.tls = True

    @property
    def url(self) -> str:
        host, port = self.socket.getsockname()[:2]
        scheme = "https" if getattr(self, "tls", False) else "http"
        return f"{scheme}://{host}:{port}/xapi/"

    def start(self) -> HubHttpServer:
        """Serve from a background thread (tests, the class hub in the teacher's app)."""
        self._thread = threading.Thread(target=self.serve_forever, name="classroom-hub",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.lrs.storage.close()
