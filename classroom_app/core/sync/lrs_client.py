"""A small xAPI client: POST, PUT and GET of statements over one kept-alive connection.

It speaks to any conformant LRS (our ``classroom-hub``, or a district's own). Statement
bodies are passed in as bytes and sent unchanged.
"""

from __future__ import annotations

import base64
import http.client
import ssl
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

XAPI_VERSION = "1.0.3"
# How a connection the server dropped while idle fails on its next use.
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class TransportError(Exception):
    """The request did not get an answer (no network, refused, reset, timed out)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def reason(self) -> str:
        text = self.body.decode("utf-8", "replace").strip()
        return f"HTTP {self.status}: {text[:500]}" if text else f"HTTP {self.status}"


class LrsClient:
    def __init__(self, endpoint: str, username: str, password: str,
                 timeout: float = 30.0, cafile: str | None = None) -> None:
        url = urlsplit(endpoint if endpoint.endswith("/") else endpoint + "/")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"not an http(s) address: {endpoint}")
        self.endpoint = url.geturl()
        self._url = url
        self._base = url.path
        self._timeout = timeout
        self._context = ssl.create_default_context(cafile=cafile) if url.scheme == "https" \
            else None
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self._headers = {"Authorization": f"Basic {token}",
                         "X-Experience-API-Version": XAPI_VERSION}
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            host, port = self._url.hostname or "", self._url.port
            if self._context is not None:
                self._conn = http.client.HTTPSConnection(host, port, timeout=self._timeout,
                                                         context=self._context)
            else:
                self._conn = http.client.HTTPConnection(host, port, timeout=self._timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, resource: str, body: bytes | None = None) -> Answer:
        """One request. A kept-alive connection the server closed while idle fails
        before any answer: that is resent once on a new connection (safe, since a
        statement resent is the same statement) instead of counting as a failure."""
        headers = dict(self._headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        reused = self._conn is not None
        try:
            return self._exchange(method, resource, body, headers)
        except STALE as error:
            if not reused:
                raise TransportError(str(error) or type(error).__name__) from error
        except (OSError, http.client.HTTPException) as error:
            raise TransportError(str(error) or type(error).__name__) from error
        try:
            return self._exchange(method, resource, body, headers)
        except (OSError, http.client.HTTPException) as error:
            raise TransportError(str(error) or type(error).__name__) from error

    def _exchange(self, method: str, resource: str, body: bytes | None,
                  headers: dict[str, str]) -> Answer:
        try:
            conn = self._connection()
            conn.request(method, self._base + resource, body=body, headers=headers)
            response = conn.getresponse()
            answer = Answer(response.status, response.read())
        except BaseException:
            self.close()
            raise
        if response.will_close:
            self.close()
        return answer

    def post_statements(self, body: bytes) -> Answer:
        return self.request("POST", "statements", body)

    def put_statement(self, statement_id: str, text: bytes) -> Answer:
        return self.request("PUT", f"statements?statementId={quote(statement_id)}", text)

    def get_statement(self, statement_id: str) -> Answer:
        return self.request("GET", f"statements?statementId={quote(statement_id)}")

    def about(self) -> Answer:
        return self.request("GET", "about")
