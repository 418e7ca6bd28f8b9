"""The hub's HTTP server: standard library only, one thread per connection, keep-alive.

Run in production behind TLS (``--cert``/``--key``, or a reverse proxy), since HTTP
Basic sends the password with every request. The same server runs inside the
teacher's app as the class hub on the school LAN, started and stopped from a thread.
"""

from __future__ import annotations

import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from classroom_app.hub.lrs import MAX_BODY, Lrs, Request, Response


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm and
    # the client's delayed ACK hold every answer back by up to 40 ms.
    disable_nagle_algorithm = True
    server: HubHttpServer

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
        self._thread: threading.Thread | None = None

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """One thread per connection; its database connection goes with it (a class
        hub runs for days: connections must not pile up)."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.lrs.storage.release_thread()

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
