"""The xAPI 1.0.3 LRS as plain request → response: statements and ``about`` here, the
document, Agents and Activities resources in :mod:`classroom_app.hub.documents`.

No sockets here: :mod:`classroom_app.hub.server` feeds HTTP requests in, and the USB
import stores through the same :meth:`Lrs.store_statements`, so a statement is checked
the same way whichever road it came by.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson

from classroom_app.core.sync.validation import StatementError, is_uuid
from classroom_app.hub import documents
from classroom_app.hub import statements as st
from classroom_app.hub.devices import Device, Devices
from classroom_app.hub.storage import Conflict, HubStorage, Query

log = logging.getLogger(__name__)
BASE = "/xapi"
MAX_BODY = 16 * 1024 * 1024
MAX_BATCH = 5000
DISK_FULL = "the hub's disk is full"
HUB_HOME_PAGE = "https://classroom-hub.invalid/"
OTHER_RESOURCES = {*documents.RESOURCES, "agents", "activities"}
QUERY_PARAMS = {"statementId", "voidedStatementId", "agent", "verb", "activity",
                "registration", "related_activities", "related_agents", "since", "until",
                "limit", "format", "attachments", "ascending", "cursor"}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class HttpError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def _json(status: int, data: Any, **headers: str) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode()
    return Response(status, body, {"Content-Type": "application/json; charset=utf-8", **headers})


class Lrs:
    def __init__(self, storage: HubStorage, home_page: str = HUB_HOME_PAGE) -> None:
        self.storage = storage
        self.devices = Devices(storage)
        self.documents = documents.Documents(storage)
        self.home_page = home_page

    # -- entry point ---------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        try:
            response = self._route(request)
        except (RecursionError, orjson.JSONEncodeError) as error:
            # JSON nested deeper than the hub stores (or a number beyond 64 bits): the
            # client's data, not a fault of the hub.
            response = _json(400, {"error": f"the request cannot be stored: {error}"})
        except HttpError as error:
            response = _json(error.status, {"error": str(error)})
            if error.status == 401:
                response.headers["WWW-Authenticate"] = 'Basic realm="classroom-hub"'
        except Exception as error:  # a fault here must not look like a dropped connection
            if self.storage.is_disk_full(error):
                log.error("request %s %s: %s", request.method, request.path, DISK_FULL)
                response = _json(507, {"error": DISK_FULL})
            else:
                log.exception("request %s %s failed", request.method, request.path)
                response = _json(500, {"error": f"the hub failed: {type(error).__name__}"})
        response.headers["X-Experience-API-Version"] = st.VERSION
        consistent_header = "X-Experience-API-Consistent-Through"
        if (request.method in ("GET", "HEAD") and consistent_header not in response.headers
                and request.path.rstrip("/") == f"{BASE}/statements"):
            # every answer to a statements GET says how far reads are consistent, errors too
            try:
                consistent = self._consistent_through()
            except Exception:  # the storage failing is what the answer already says
                consistent = st.format_stored(datetime.now(UTC))
            response.headers[consistent_header] = consistent
        return response

    def _route(self, request: Request) -> Response:
        if "method" in request.query:
            request = alternate_request(request)
        path = request.path.rstrip("/")
        if path == f"{BASE}/about":
            if request.method not in ("GET", "HEAD"):
                raise HttpError(405, "about answers GET only")
            return _json(200, {"version": ["1.0.3", "1.0.0"],
                               "extensions": {"urn:classroom-hub:name": "classroom-hub"}})
        resource = path.removeprefix(f"{BASE}/")
        if path != f"{BASE}/statements" and resource not in OTHER_RESOURCES:
            raise HttpError(404, f"no resource {request.path}")
        device = self._authenticate(request)
        version = request.header("X-Experience-API-Version")
        if version is None or not version.startswith("1.0"):
            raise HttpError(400, "the X-Experience-API-Version header must be 1.0.x")
        if resource in OTHER_RESOURCES:
            return self._other(resource, request, device)
        if request.method in ("GET", "HEAD"):
            return self._get(request, device)
        if request.method in ("POST", "PUT"):
            return self._write(request, device)
        raise HttpError(405, f"{request.method} is not allowed on statements")

    def _other(self, resource: str, request: Request, device: Device) -> Response:
        """The document resources, and the Agents and Activities resources."""
        try:
            if resource in documents.RESOURCES:
                status, body, headers = self.documents.handle(
                    resource, request.method, request.query, request.headers, request.body,
                    device)
                return Response(status, body, headers)
            if request.method not in ("GET", "HEAD"):
                raise HttpError(405, f"{resource} answers GET only")
            if resource == "agents":
                return _json(200, documents.person(request.query))
            return _json(200, documents.activity(self.storage, request.query, device))
        except documents.DocumentError as error:
            raise HttpError(error.status, str(error)) from error

    def _authenticate(self, request: Request) -> Device:
        value = request.header("Authorization") or ""
        if not value.lower().startswith("basic "):
            raise HttpError(401, "credentials are needed (HTTP Basic)")
        try:
            username, _, password = base64.b64decode(value[6:].strip()).decode().partition(":")
        except (binascii.Error, ValueError) as error:  # also non-ASCII text
            raise HttpError(401, "the credentials are not valid Basic credentials") from error
        device = self.devices.authenticate(username, password)
        if device is None:
            raise HttpError(401, "unknown device or wrong password")
        return device

    # -- writing ------------------------------------------------------------------------
    def _write(self, request: Request, device: Device) -> Response:
        content_type = (request.header("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise HttpError(400, "statements are sent as application/json")
        unknown = set(request.query) - {"statementId"}
        if unknown:
            raise HttpError(400, f"unknown parameters: {', '.join(sorted(unknown))}")
        try:
            data = orjson.loads(request.body)
        except orjson.JSONDecodeError as error:
            raise HttpError(400, f"the body is not JSON: {error}") from error
        if request.method == "PUT":
            return self._put(request, data, device)
        if "statementId" in request.query:
            raise HttpError(400, "statementId is for PUT")
        batch = data if isinstance(data, list) else [data]
        ids, _ = self.store_statements(batch, device)
        return _json(200, ids)

    def _put(self, request: Request, data: Any, device: Device) -> Response:
        statement_id = request.query.get("statementId")
        if statement_id is None or not is_uuid(statement_id):
            raise HttpError(400, "PUT needs a statementId parameter that is a UUID")
        if not isinstance(data, dict):
            raise HttpError(400, "PUT takes one statement")
        if "id" in data and str(data["id"]).lower() != statement_id.lower():
            raise HttpError(400, "the statement's id differs from statementId")
        self.store_statements([{**data, "id": statement_id}], device)
        return Response(204)

    def store_statements(self, batch: list[Any], device: Device, now: datetime | None = None,
                         max_batch: int | None = MAX_BATCH) -> tuple[list[str], int]:
        """Check and store a batch whole: the ids and how many were new. Raises
        HttpError 400, 403, 409 or 413."""
        if max_batch is not None and len(batch) > max_batch:
            raise HttpError(413, f"at most {MAX_BATCH} statements in one request")
        prepared = self._prepare(batch, device, 0, len(batch) > 1, set())
        return self._store([prepared], device, now)

    def import_statements(self, lines: list[bytes], device: Device,
                          chunk: int = 2000) -> tuple[list[str], int]:
        """Check and store a USB file's statements whole, in one transaction. Parts
        are parsed and checked as they are written, to keep memory flat. (A second
        thread preparing the next part made it slower: the writer then waits for
        Python's lock after every row.)"""
        voiding: set[str] = set()

        def parts() -> Iterator[list[st.Incoming]]:
            for start in range(0, len(lines), chunk):
                texts = [_text(line, start + n)
                         for n, line in enumerate(lines[start:start + chunk])]
                batch = [_parse(line, start + n) for n, line in enumerate(texts)]
                yield self._prepare(batch, device, start, True, voiding, texts)

        return self._store(parts(), device, None)

    def _prepare(self, batch: list[Any], device: Device, offset: int, numbered: bool,
                 voiding: set[str], texts: list[str] | None = None) -> list[st.Incoming]:
        prepared = []
        for index, data in enumerate(batch, offset):
            try:
                text = texts[index - offset] if texts is not None else None
                prepared.append(st.prepare(data, device.school, text=text))
            except StatementError as error:
                where = f"statement {index}" if numbered else "statement"
                raise HttpError(400, f"{where}: {error}") from error
            except st.ForbiddenStatement as error:
                raise HttpError(403, str(error)) from error
        self._check_voiding(prepared, device, voiding)
        return prepared

    def _store(self, parts: Iterable[list[st.Incoming]], device: Device,
               now: datetime | None) -> tuple[list[str], int]:
        try:
            return self.storage.store_chunks(parts, device.username, now)
        except Conflict as error:
            raise HttpError(409, str(error)) from error

    def _check_voiding(self, batch: list[st.Incoming], device: Device,
                       voiding: set[str]) -> None:
        """A voiding statement may not void another voiding statement (stored, or
        earlier in the same request or file)."""
        voiding.update(s.id for s in batch if s.voids)
        for target in (s.voids for s in batch if s.voids):
            row = self.storage.get(target, device.school, voided=False)
            if target in voiding or (row is not None and f'"id":"{st.VOIDED}"' in row.body):
                raise HttpError(400, f"statement {target} voids another; it cannot be voided")

    # -- reading ------------------------------------------------------------------------
    def _get(self, request: Request, device: Device) -> Response:
        params = request.query
        unknown = set(params) - QUERY_PARAMS
        if unknown:
            raise HttpError(400, f"unknown parameters: {', '.join(sorted(unknown))}")
        fmt = params.get("format", "exact")
        if fmt not in ("exact", "ids", "canonical"):
            raise HttpError(400, "format is ids, exact or canonical")
        consistent = self._consistent_through()
        headers = {"X-Experience-API-Consistent-Through": consistent}
        languages = st.accepted_languages(request.header("Accept-Language"))
        single: list[str] = [k for k in ("statementId", "voidedStatementId") if k in params]
        if single:
            return self._get_one(params, single, device, fmt, headers, languages)
        rows, more = self.storage.query(self._query(params, device))
        statements = [self._compose(r, fmt, languages) for r in rows]
        more_url = ""
        if more is not None:
            rest = {k: v for k, v in params.items() if k != "cursor"}
            more_url = f"{BASE}/statements?" + urlencode({**rest, "cursor": str(more)})
        body = ('{"statements":[' + ",".join(statements) + '],"more":'
                + json.dumps(more_url) + "}").encode()
        last = rows[0].stored if rows else consistent
        return Response(200, body, {"Content-Type": "application/json; charset=utf-8",
                                    "Last-Modified": last, **headers})

    def _get_one(self, params: Mapping[str, str], single: list[str], device: Device,
                 fmt: str, headers: dict[str, str], languages: tuple[str, ...]) -> Response:
        if len(single) > 1 or set(params) - {single[0], "format", "attachments"}:
            raise HttpError(400, f"{single[0]} cannot be combined with other filters")
        statement_id = params[single[0]]
        if not is_uuid(statement_id):
            raise HttpError(400, f"{single[0]} must be a UUID")
        row = self.storage.get(statement_id, device.school, single[0] == "voidedStatementId")
        if row is None:
            raise HttpError(404, f"no statement {statement_id}")
        return Response(200, self._compose(row, fmt, languages).encode(),
                        {"Content-Type": "application/json; charset=utf-8",
                         "Last-Modified": row.stored, **headers})

    def _query(self, params: Mapping[str, str], device: Device) -> Query:
        agent = None
        if "agent" in params:
            try:
                agent = st.agent_key(documents.parse_agent(params["agent"]))
            except documents.DocumentError as error:
                raise HttpError(error.status, str(error)) from error
        try:
            since = st.normalise_time(params["since"]) if "since" in params else None
            until = st.normalise_time(params["until"]) if "until" in params else None
            limit = int(params.get("limit", "0"))
            cursor = int(params["cursor"]) if "cursor" in params else None
        except ValueError as error:
            raise HttpError(400, str(error)) from error
        if limit < 0:
            raise HttpError(400, "limit must be 0 or more")
        registration = params.get("registration")
        if registration is not None and not is_uuid(registration):
            raise HttpError(400, "registration must be a UUID")
        return Query(
            school=device.school, agent=agent, related_agents=_flag(params, "related_agents"),
            verb=params.get("verb"), activity=params.get("activity"),
            related_activities=_flag(params, "related_activities"),
            registration=registration.lower() if registration else None, since=since,
            until=until, limit=limit, ascending=_flag(params, "ascending"), after=cursor)

    def _compose(self, row: Any, fmt: str, languages: tuple[str, ...] = ()) -> str:
        authority = st.canonical({"objectType": "Agent", "account": {
            "homePage": self.home_page, "name": row.device}})
        return st.compose(row.body, row.stored, authority, fmt, languages)

    def _consistent_through(self) -> str:
        now = st.format_stored(datetime.now(UTC))
        last = self.storage.last_stored()
        return max(now, last) if last else now


def _text(line: bytes, index: int) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HttpError(400, f"statement {index}: not UTF-8 ({error})") from error


def _parse(line: str, index: int) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise HttpError(400, f"statement {index}: not JSON ({error})") from error


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise HttpError(400, f"{name} is true or false")
    return value == "true"


# The form fields an alternate request carries as headers (xAPI 1.0.3, Communication 1.3).
ALTERNATE_HEADERS = ("Authorization", "X-Experience-API-Version", "Content-Type",
                     "Content-Length", "If-Match", "If-None-Match")


def alternate_request(request: Request) -> Request:
    """A request in the alternate syntax (``POST ...?method=PUT`` with headers, parameters
    and the content as form fields, for clients that can send only GET and POST) as the
    request it stands for."""
    method = request.query["method"].upper()
    if request.method != "POST" or set(request.query) != {"method"}:
        raise HttpError(400, "an alternate request is a POST with only ?method= in the "
                             "address; everything else goes in the form")
    if method not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
        raise HttpError(400, f"unknown method {method}")
    try:
        form = dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True,
                              strict_parsing=bool(request.body)))
    except (UnicodeDecodeError, ValueError) as error:
        raise HttpError(400, f"the form is not URL-encoded: {error}") from error
    headers = {k: v for k, v in request.headers.items()
               if k.lower() not in ("content-type", "content-length")}
    for name in ALTERNATE_HEADERS:
        value = next((form.pop(k) for k in list(form) if k.lower() == name.lower()), None)
        if value is not None:
            headers[name] = value
    content = form.pop("content", None)
    if method in ("PUT", "POST") and content is None:
        raise HttpError(400, "an alternate PUT or POST sends its content in the form field "
                             "\"content\"")
    headers.setdefault("Content-Type", "application/json")
    return Request(method, request.path, form, headers, (content or "").encode())
