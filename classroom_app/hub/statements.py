"""Statements as the hub receives, compares and returns them.

A statement is kept as the client sent it, re-serialised canonically (sorted keys, no
spaces, UTF-8): our apps write exactly that form, so their text comes back byte for byte
and is forwarded on unchanged. What the LRS adds (``stored``, ``authority``, a missing
``version`` or ``timestamp``) is kept beside it and added when the statement is read.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from classroom_app.core.sync.validation import StatementError, parse_timestamp, validate_statement

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
LRS_PROPERTIES = ("stored", "authority")
VERSION = "1.0.3"
STORED_VERSION = "1.0.0"


class ForbiddenStatement(Exception):
    """The credentials may not write a statement about this actor."""


class Incoming(NamedTuple):
    """One statement ready to store: its canonical text and the columns queries use.
    (A tuple: a hub makes 100,000 of these for one USB file.)"""

    id: str
    body: str
    timestamp: str | None
    verb: str
    actor: str
    object_key: str
    registration: str | None
    voids: str | None
    school: str


def canonical(data: Any) -> str:
    """Sorted keys, no spaces, UTF-8: byte for byte what ``json.dumps(...,
    ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` writes, 7× faster."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def format_stored(moment: datetime) -> str:
    """The one form stored times take, so that they sort as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def normalise_time(text: str) -> str:
    """A client's ``since``/``until`` in the stored form (raises ValueError)."""
    try:
        return format_stored(parse_timestamp(text))
    except (StatementError, TypeError) as error:
        raise ValueError(f"not an ISO 8601 time: {text!r}") from error


def agent_key(agent: dict[str, Any]) -> str:
    """The identity an Agent or identified Group is filtered by."""
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if ifi in agent:
            return f"{ifi}|{agent[ifi]}"
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account|{account.get('homePage')}|{account.get('name')}"
    members = sorted(agent_key(m) for m in agent.get("member", []) if isinstance(m, dict))
    return "group|" + ",".join(members)


def actor_home_pages(actor: dict[str, Any]) -> set[str | None]:
    """The account home pages of an actor (each member of an anonymous group)."""
    if "account" in actor:
        return {actor["account"].get("homePage")}
    if actor.get("objectType") == "Group" and not any(
            k in actor for k in ("mbox", "mbox_sha1sum", "openid")):
        return set().union(*(actor_home_pages(m) for m in actor.get("member", []))) or {None}
    return {None}


def object_key(obj: dict[str, Any]) -> str:
    kind = obj.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        return agent_key(obj)
    if kind == "SubStatement":
        return ""
    return str(obj.get("id", ""))


def prepare(data: Any, school: str | None, assigned_id: str | None = None,
            text: str | None = None) -> Incoming:
    """Validate one statement and work out its columns. ``school`` is the writer's
    school home page (``None``: a district credential, which may write any actor).
    ``text``: the statement's own JSON text (a USB file's line), kept as it is when
    the LRS adds nothing to it.

    Raises StatementError (400) or ForbiddenStatement (403)."""
    validate_statement(data)
    listed = _context_activities_listed(data)
    if listed is not data:  # a single context activity is stored (and returned) in a list
        data, text = listed, None
    if text is not None and "id" in data and not any(k in data for k in LRS_PROPERTIES):
        body = text.strip()
    else:
        body = ""
    if "id" not in data:
        data = {**data, "id": assigned_id or str(uuid.uuid4())}
    if "stored" in data or "authority" in data:
        data = {k: v for k, v in data.items() if k not in LRS_PROPERTIES}
    homes = actor_home_pages(data["actor"])
    if school is not None and homes != {school}:
        raise ForbiddenStatement(
            f"statement {data['id']}: these credentials write only for learners with an "
            f"account on {school}")
    owner = school if school is not None else (next(iter(homes)) or "")
    obj = data["object"]
    voids = obj["id"].lower() if data["verb"]["id"] == VOIDED else None
    context = data.get("context") or {}
    return Incoming(
        id=data["id"].lower(), body=body or canonical(data), timestamp=data.get("timestamp"),
        verb=data["verb"]["id"], actor=agent_key(data["actor"]), object_key=object_key(obj),
        registration=(context.get("registration") or "").lower() or None, voids=voids,
        school=owner)


def _context_activities_listed(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each context activity given alone put in a list, as the LRS returns
    them, a SubStatement's too; ``data`` itself when all are lists already."""
    top = _listed(data)
    obj = data.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        inner = _listed(obj)
        if inner is not obj:
            top = {**top, "object": inner}
    return top


def _listed(holder: dict[str, Any]) -> dict[str, Any]:
    context = holder.get("context")
    if not isinstance(context, dict):
        return holder
    activities = context.get("contextActivities")
    if not isinstance(activities, dict) or not any(isinstance(v, dict)
                                                   for v in activities.values()):
        return holder
    return {**holder, "context": {**context, "contextActivities": {
        k: [v] if isinstance(v, dict) else v for k, v in activities.items()}}}


def compose(body: str, stored: str, authority: str, fmt: str = "exact",
            languages: tuple[str, ...] = ()) -> str:
    """The statement as the LRS returns it (``ids`` format: agents and groups by their
    identifier only, activities by id only; ``canonical``: each language map in the
    one language the reader prefers, from ``languages``, best first)."""
    extras = [f'"stored":"{stored}"', f'"authority":{authority}']
    data = orjson.loads(body)
    if "version" not in data:
        extras.append(f'"version":"{STORED_VERSION}"')
    if "timestamp" not in data:
        extras.append(f'"timestamp":"{stored}"')
    text = body[:-1] + "," + ",".join(extras) + "}"
    if fmt == "ids":
        return canonical(_ids_only(orjson.loads(text)))
    if fmt == "canonical":
        return canonical(_one_language(orjson.loads(text), tuple(
            lang.lower() for lang in languages)))
    return text


LANGUAGE_MAPS = ("display", "name", "description")


def _one_language(value: Any, languages: tuple[str, ...], key: str = "") -> Any:
    if isinstance(value, list):
        return [_one_language(v, languages, key) for v in value]
    if not isinstance(value, dict):
        return value
    if key in LANGUAGE_MAPS and value and all(isinstance(v, str) for v in value.values()):
        tags = {tag.lower(): tag for tag in value}
        chosen = next((tags[lang] for lang in languages if lang in tags), None) or next(
            (tag for lang in languages for low, tag in tags.items()
             if low.split("-")[0] == lang.split("-")[0]), next(iter(value)))
        return {chosen: value[chosen]}
    return {k: v if k == "extensions" else _one_language(v, languages, k)
            for k, v in value.items()}


def accepted_languages(header: str | None) -> tuple[str, ...]:
    """The languages of an Accept-Language header, most wanted first."""
    ranked = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        if tag and tag != "*" and weight > 0:
            ranked.append((-weight, index, tag))
    return tuple(tag for _, _, tag in sorted(ranked))


def _ids_only(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        kind = value.get("objectType")
        if key in ("actor", "object", "instructor", "team", "authority", "member") and (
                kind in ("Agent", "Group") or key == "actor" or key == "member"):
            keep = {k: v for k, v in value.items()
                    if k in ("objectType", "mbox", "mbox_sha1sum", "openid", "account")}
            if "member" in value and not any(
                    k in value for k in ("mbox", "mbox_sha1sum", "openid", "account")):
                keep["member"] = [_ids_only(m, "member") for m in value["member"]]
            return keep
        if key in ("object", "parent", "grouping", "category", "other") and kind in (
                None, "Activity"):
            return {"id": value["id"]}  # an activity by its id alone
        return {k: _ids_only(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_ids_only(v, key) for v in value]
    return value
