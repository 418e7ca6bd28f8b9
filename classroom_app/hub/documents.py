"""The xAPI 1.0.3 document resources (State, Activity Profile, Agent Profile) and the
Agents and Activities resources, as plain request → response like the statements.

A document is kept as sent, with its Content-Type, and answered with a quoted SHA-1
ETag. A PUT to a profile that exists must say which version it replaces (If-Match) or
that it expects none (If-None-Match: *), so two teachers' tools cannot silently
overwrite each other; POST merges JSON objects one level deep.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from classroom_app.core.sync.validation import StatementError, is_uuid, validate_statement
from classroom_app.hub import statements as st
from classroom_app.hub.devices import Device
from classroom_app.hub.storage import Document, HubStorage, Place

# resource path → (its name in storage, the id parameter, whether it has an activity,
# an agent and a registration)
RESOURCES = {
    "activities/state": ("state", "stateId", True, True, True),
    "activities/profile": ("activity_profile", "profileId", True, False, False),
    "agents/profile": ("agent_profile", "profileId", False, True, False),
}
JSON = "application/json"


class DocumentError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def parse_agent(text: str) -> dict[str, Any]:
    """The ``agent`` parameter: JSON for an Agent or identified Group (DocumentError)."""
    try:
        data = json.loads(text)
        validate_statement({"actor": data, "verb": {"id": "http://x.invalid/v"},
                            "object": {"id": "http://x.invalid/o"}})
    except (ValueError, StatementError, RecursionError) as error:
        raise DocumentError(400, f"agent is not an Agent or Group: {error}") from error
    return data


def _required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise DocumentError(400, f"{name} is needed")
    return value


class Documents:
    def __init__(self, storage: HubStorage) -> None:
        self.storage = storage

    def handle(self, resource: str, method: str, params: Mapping[str, str],
               headers: Mapping[str, str], body: bytes,
               device: Device) -> tuple[int, bytes, dict[str, str]]:
        """(status, body, headers) for one request to a document resource."""
        name, id_param, has_activity, has_agent, has_registration = RESOURCES[resource]
        allowed = {id_param, "since"} | ({"activityId"} if has_activity else set()) \
            | ({"agent"} if has_agent else set()) \
            | ({"registration"} if has_registration else set())
        unknown = set(params) - allowed
        if unknown:
            raise DocumentError(400, f"unknown parameters: {', '.join(sorted(unknown))}")
        place = Place(
            name, device.school or "",
            _required(params, "activityId") if has_activity else "",
            st.agent_key(parse_agent(_required(params, "agent"))) if has_agent else "",
            self._registration(params) if has_registration else "")
        doc_id = params.get(id_param)
        if method in ("GET", "HEAD"):
            return self._get(place, doc_id, params)
        if "since" in params:
            raise DocumentError(400, "since is for GET")
        if method == "DELETE":
            return self._delete(place, doc_id, id_param, headers)
        if method not in ("PUT", "POST"):
            raise DocumentError(405, f"{method} is not allowed on {resource}")
        if not doc_id:
            raise DocumentError(400, f"{id_param} is needed")
        return self._write(place, doc_id, method, headers, body,
                           concurrency=name != "state")

    @staticmethod
    def _registration(params: Mapping[str, str]) -> str:
        registration = params.get("registration", "")
        if registration and not is_uuid(registration):
            raise DocumentError(400, "registration must be a UUID")
        return registration.lower()

    # -- reading ------------------------------------------------------------------------
    def _get(self, place: Place, doc_id: str | None,
             params: Mapping[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if doc_id:
            if "since" in params:
                raise DocumentError(400, "since is for a list of ids, not one document")
            document = self.storage.document(place, doc_id)
            if document is None:
                raise DocumentError(404, f"no document {doc_id}")
            return 200, document.content, {
                "Content-Type": document.content_type, "ETag": f'"{document.etag}"',
                "Last-Modified": _http_date(document.updated)}
        since = None
        if "since" in params:
            try:
                since = st.normalise_time(params["since"])
            except ValueError as error:
                raise DocumentError(400, str(error)) from error
        ids = self.storage.document_ids(place, since)
        return 200, json.dumps(ids, ensure_ascii=False).encode(), {
            "Content-Type": "application/json; charset=utf-8"}

    # -- writing ------------------------------------------------------------------------
    def _write(self, place: Place, doc_id: str, method: str, headers: Mapping[str, str],
               body: bytes, concurrency: bool) -> tuple[int, bytes, dict[str, str]]:
        content_type = _header(headers, "Content-Type") or "application/octet-stream"
        posted = _json_object(body) if method == "POST" and _is_json(content_type) else None
        if method == "POST" and _is_json(content_type) and posted is None:
            raise DocumentError(400, "the document is not a JSON object")
        if_match = _header(headers, "If-Match")
        if_none_match = _header(headers, "If-None-Match")

        def change(old: Document | None) -> Document:
            _check_preconditions(old, if_match, if_none_match,
                                 require=concurrency and method == "PUT")
            if method == "POST" and old is not None:
                return _merge(old, posted, content_type)
            return _document(content_type, body)

        self.storage.change_document(place, doc_id, change)
        return 204, b"", {}

    def _delete(self, place: Place, doc_id: str | None, id_param: str,
                headers: Mapping[str, str]) -> tuple[int, bytes, dict[str, str]]:
        if not doc_id:
            if place.resource != "state":
                raise DocumentError(400, f"{id_param} is needed")
            self.storage.delete_documents(place)
            return 204, b"", {}
        if_match = _header(headers, "If-Match")
        if_none_match = _header(headers, "If-None-Match")

        def change(old: Document | None) -> None:
            _check_preconditions(old, if_match, if_none_match, require=False)

        self.storage.change_document(place, doc_id, change)
        return 204, b"", {}


# -- the Agents and Activities resources ---------------------------------------------------
def person(params: Mapping[str, str]) -> dict[str, Any]:
    """GET /agents: the Person the ``agent`` parameter names (this hub links no other
    identities to it)."""
    agent = parse_agent(_required(params, "agent"))
    if agent.get("objectType") == "Group":
        raise DocumentError(400, "agent must be an Agent, not a Group")
    found: dict[str, Any] = {"objectType": "Person"}
    for key in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        if key in agent:
            found[key] = [agent[key]]
    return found


def activity(storage: HubStorage, params: Mapping[str, str],
             device: Device) -> dict[str, Any]:
    """GET /activities: the activity with everything the stored statements say of it
    (language maps merged, later statements winning)."""
    activity_id = _required(params, "activityId")
    definition: dict[str, Any] = {}
    for body in storage.activity_objects(activity_id, device.school):
        obj = json.loads(body).get("object", {})
        for key, value in (obj.get("definition") or {}).items():
            if isinstance(value, dict) and isinstance(definition.get(key), dict):
                definition[key] = {**definition[key], **value}
            else:
                definition[key] = value
    found: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        found["definition"] = definition
    return found


# -- helpers ---------------------------------------------------------------------------------
def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == JSON


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _document(content_type: str, content: bytes) -> Document:
    updated = st.format_stored(datetime.now(UTC))
    return Document(content_type, content, hashlib.sha1(content).hexdigest(), updated)


def _merge(old: Document, posted: dict[str, Any] | None, content_type: str) -> Document:
    """POST onto a stored document: both must be JSON objects; the posted properties
    replace the stored ones of the same name (one level deep)."""
    stored = _json_object(old.content) if _is_json(old.content_type) else None
    if stored is None or posted is None:
        raise DocumentError(400, "only JSON objects can be merged: post a JSON object "
                                 "onto a JSON object, or PUT to replace the document")
    merged = json.dumps({**stored, **posted}, ensure_ascii=False).encode()
    return _document(content_type, merged)


def _check_preconditions(old: Document | None, if_match: str | None,
                         if_none_match: str | None, require: bool) -> None:
    """RFC 2616 preconditions on the stored version (412), and the xAPI rule that a PUT
    of a profile carries one of them (409 when it exists, else 400)."""
    if if_match is not None:
        tags = {t.strip().strip('"') for t in if_match.split(",")}
        if old is None or ("*" not in tags and old.etag not in tags):
            raise DocumentError(412, "the document changed since you read it "
                                     "(If-Match does not match)")
    if if_none_match is not None:
        tags = {t.strip().strip('"') for t in if_none_match.split(",")}
        if old is not None and ("*" in tags or old.etag in tags):
            raise DocumentError(412, "the document exists (If-None-Match)")
    if require and if_match is None and if_none_match is None:
        if old is not None:
            raise DocumentError(409, "the document exists: send If-Match with its ETag to "
                                     "replace it")
        raise DocumentError(400, "send If-None-Match: * to create a profile document, or "
                                 "If-Match with its ETag to replace one")


def _http_date(stored: str) -> str:
    """A stored time as an HTTP date (Last-Modified)."""
    return format_datetime(st.parse_timestamp(stored).astimezone(UTC), usegmt=True)
