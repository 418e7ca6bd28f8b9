"""Full validation of xAPI 1.0.3 statements (IEEE 9274.1.1), as an LRS does before storing.

:func:`validate_statement` takes a statement already parsed from JSON, as a client sends
it to ``POST``/``PUT /statements``, and raises :class:`StatementError` naming the path of
the first offending property (``actor.mbox: must be a mailto: IRI``). It follows the Data
part of the specification and the ADL LRS conformance suite (``test/v1_0_3``):

* only the properties the specification defines, with exact case; ``null`` nowhere
  except inside extensions; strings, numbers and booleans exactly where required;
* empty objects rejected where the suite rejects them: language maps, activity
  definitions, ``contextActivities`` (and results, scores and contexts, per XAPI-00001);
  extensions may be empty;
* Agents with exactly one inverse functional identifier, anonymous Groups with members,
  an ``authority`` Group only as an anonymous pair (OAuth);
* interaction properties only with an ``interactionType`` and only the component lists
  that type uses, with distinct component ids;
* ``revision``/``platform`` only when the object is an Activity; a voiding statement's
  object a StatementRef; no SubStatement inside a SubStatement.

Value formats and the leaf rules (language maps, extensions, activity definitions, scores,
attachments) live in :mod:`validation_rules`. Plain standard-library Python, written flat
for speed: a typical statement validates in about 15 microseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from classroom_app.core.sync.validation_rules import (
    MISSING,
    StatementError,
    bad_format,
    check_attachments,
    check_definition,
    check_extensions,
    check_keys,
    check_language_map,
    check_non_empty,
    check_object,
    check_score,
    check_string,
    check_timestamp,
    fail,
    is_duration,
    is_iri,
    is_language_tag,
    is_mailto_iri,
    is_sha1_hex,
    is_timestamp,
    is_uuid,
    is_version,
    one_of,
    parse_timestamp,
    required,
    wrong_type,
)

__all__ = ["StatementError", "validate_statement", "is_uuid", "is_iri", "is_timestamp",
           "parse_timestamp", "is_duration", "is_language_tag", "VOIDED"]

VOIDED = "http://adlnet.gov/expapi/verbs/voided"

_STATEMENT_KEYS = frozenset({"id", "actor", "verb", "object", "result", "context", "timestamp",
                             "stored", "authority", "version", "attachments"})
_NOT_IN_SUBSTATEMENT = ("id", "stored", "version", "authority")
_SUBSTATEMENT_KEYS = _STATEMENT_KEYS - set(_NOT_IN_SUBSTATEMENT) | {"objectType"}
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS = frozenset({"objectType", "name", *_IFIS})
_GROUP_KEYS = _AGENT_KEYS | {"member"}
_ACCOUNT_KEYS = frozenset({"homePage", "name"})
_VERB_KEYS = frozenset({"id", "display"})
_ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
_REF_KEYS = frozenset({"objectType", "id"})
_RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration",
                          "extensions"})
_CONTEXT_KEYS = frozenset({"registration", "instructor", "team", "contextActivities",
                           "revision", "platform", "language", "statement", "extensions"})
_CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})
_OBJECT_TYPES = ("Activity", "Agent", "Group", "StatementRef", "SubStatement")


def validate_statement(data: object) -> None:
    """Raise StatementError unless ``data`` (already ``json.loads``-ed) is a valid statement
    as a client may send it to ``POST``/``PUT /statements``."""
    if type(data) is not dict:
        wrong_type(data, "statement", "a JSON object")
    check_keys(data, "", _STATEMENT_KEYS)
    _statement_body(data, "")
    if (value := data.get("id", MISSING)) is not MISSING and not is_uuid(value):
        bad_format(value, "id", "a UUID")
    if (value := data.get("stored", MISSING)) is not MISSING:
        check_timestamp(value, "stored")
    if (value := data.get("authority", MISSING)) is not MISSING:
        _authority(value, "authority")
    if (value := data.get("version", MISSING)) is not MISSING and not is_version(value):
        bad_format(value, "version", 'an xAPI 1.0.x version ("1.0" or "1.0.x")')


# --- statement --------------------------------------------------------------------------

# A class's statements repeat the same learners, activities and contexts thousands of
# times: a part found valid once is not checked again (a hub ingests a USB file of
# 100,000 statements in seconds). Keyed by the part's exact JSON and where it sits.
_valid_parts: dict[tuple[str, bytes], Any] = {}
_MAX_REMEMBERED = 20_000


def _remembered(value: Any, path: str, check: Callable[[Any, str], Any]) -> Any:
    try:
        key = (path, orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):
        return check(value, path)
    if key in _valid_parts:
        return _valid_parts[key]
    outcome = check(value, path)
    if len(_valid_parts) >= _MAX_REMEMBERED:
        _valid_parts.clear()
    _valid_parts[key] = outcome
    return outcome


def _statement_body(data: dict[str, Any], prefix: str) -> None:
    """What a statement and a SubStatement share; ``prefix`` is "" or "object."."""
    for key in ("actor", "verb", "object"):
        if key not in data:
            fail(prefix + key, "required")
    _remembered(data["actor"], prefix + "actor", _actor)
    verb_id = _verb(data["verb"], prefix + "verb")
    kind = _remembered(data["object"], prefix + "object",
                       lambda v, p: _statement_object(v, p, nested=bool(prefix)))
    if verb_id == VOIDED and kind != "StatementRef":
        fail(prefix + "object", "a voiding statement's object must be a StatementRef")
    if (value := data.get("result", MISSING)) is not MISSING:
        _result(value, prefix + "result")
    if (value := data.get("context", MISSING)) is not MISSING:
        is_activity = kind == "Activity"
        _remembered(value, prefix + ("context" if is_activity else "context "),
                    lambda v, p: _context(v, p.rstrip(), is_activity))
    if (value := data.get("timestamp", MISSING)) is not MISSING:
        check_timestamp(value, prefix + "timestamp")
    if (value := data.get("attachments", MISSING)) is not MISSING:
        check_attachments(value, prefix + "attachments")


def _statement_object(value: Any, path: str, nested: bool) -> str:
    if type(value) is not dict:
        wrong_type(value, path, "an Activity, Agent, Group, StatementRef or SubStatement")
    kind = value.get("objectType", MISSING)
    if kind is MISSING:
        if "id" not in value and any(key in value for key in _IFIS):
            fail(path + ".objectType", "required when the object is an Agent or Group")
        kind = "Activity"
    if kind == "Activity":
        _activity(value, path)
    elif kind == "Agent" or kind == "Group":
        _actor(value, path)
    elif kind == "StatementRef":
        _statement_ref(value, path)
    elif kind == "SubStatement":
        if nested:
            fail(path + ".objectType", "a SubStatement must not contain a SubStatement")
        _substatement(value, path)
    else:
        one_of(kind, path + ".objectType", _OBJECT_TYPES)
    return kind


def _substatement(value: dict[str, Any], path: str) -> None:
    for key in _NOT_IN_SUBSTATEMENT:
        if key in value:
            fail(f"{path}.{key}", "not allowed in a SubStatement")
    check_keys(value, path, _SUBSTATEMENT_KEYS)
    _statement_body(value, path + ".")


def _statement_ref(value: Any, path: str) -> None:
    check_object(value, path, _REF_KEYS, "a StatementRef object")
    kind = required(value, "objectType", path)
    if kind != "StatementRef":
        one_of(kind, path + ".objectType", ("StatementRef",))
    if not is_uuid(ref := required(value, "id", path)):
        bad_format(ref, path + ".id", "a UUID")


# --- actors -----------------------------------------------------------------------------

def _actor(value: Any, path: str) -> str:
    """An Agent or a Group; returns which."""
    if type(value) is not dict:
        wrong_type(value, path, "an Agent or Group object")
    kind = value.get("objectType", "Agent")
    if kind == "Group":
        _group(value, path)
    elif kind == "Agent":
        _agent(value, path)
    else:
        one_of(kind, path + ".objectType", ("Agent", "Group"))
    return kind


def _agent(value: dict[str, Any], path: str) -> None:
    check_keys(value, path, _AGENT_KEYS)
    _name(value, path)
    count = _identifiers(value, path)
    if count != 1:
        fail(path, "an Agent needs exactly one of mbox, mbox_sha1sum, openid, account"
              + (f" (has {count})" if count else ""))


def _group(value: dict[str, Any], path: str) -> None:
    check_keys(value, path, _GROUP_KEYS)
    _name(value, path)
    count = _identifiers(value, path)
    if count > 1:
        fail(path, f"a Group may have only one of mbox, mbox_sha1sum, openid, account "
                    f"(has {count})")
    member = value.get("member", MISSING)
    if member is MISSING:
        if count == 0:
            fail(path + ".member", "required for an anonymous Group")
        return
    if type(member) is not list:
        wrong_type(member, path + ".member", "an array of Agents")
    if not member and count == 0:
        fail(path + ".member", "an anonymous Group needs at least one member")
    for index, agent in enumerate(member):
        where = f"{path}.member[{index}]"
        if type(agent) is not dict:
            wrong_type(agent, where, "an Agent object")
        kind = agent.get("objectType", "Agent")
        if kind != "Agent":
            one_of(kind, where + ".objectType", ("Agent",))
        _agent(agent, where)


def _name(value: dict[str, Any], path: str) -> None:
    if (found := value.get("name", MISSING)) is not MISSING:
        check_string(found, path + ".name")


def _identifiers(value: dict[str, Any], path: str) -> int:
    """Check the inverse functional identifiers present; return how many there are."""
    count = 0
    if (found := value.get("mbox", MISSING)) is not MISSING:
        if not is_mailto_iri(found):
            bad_format(found, path + ".mbox", "a mailto: IRI")
        count += 1
    if (found := value.get("mbox_sha1sum", MISSING)) is not MISSING:
        if not is_sha1_hex(found):
            bad_format(found, path + ".mbox_sha1sum", "a SHA-1 hash in 40 hex digits")
        count += 1
    if (found := value.get("openid", MISSING)) is not MISSING:
        if not is_iri(found):
            bad_format(found, path + ".openid", "an IRI")
        count += 1
    if (found := value.get("account", MISSING)) is not MISSING:
        _account(found, path + ".account")
        count += 1
    return count


def _account(value: Any, path: str) -> None:
    check_object(value, path, _ACCOUNT_KEYS)
    if not is_iri(home := required(value, "homePage", path)):
        bad_format(home, path + ".homePage", "an IRL")
    check_string(required(value, "name", path), path + ".name")


def _authority(value: Any, path: str) -> None:
    if _actor(value, path) != "Group":
        return
    if any(key in value for key in _IFIS):
        fail(path, "an authority Group must be anonymous (an OAuth pair of Agents)")
    if len(value["member"]) != 2:
        fail(path + ".member", "an authority Group must have exactly two members")


# --- verb, activity ---------------------------------------------------------------------

def _verb(value: Any, path: str) -> str:
    check_object(value, path, _VERB_KEYS, "a Verb object")
    verb_id = required(value, "id", path)
    if not is_iri(verb_id):
        bad_format(verb_id, path + ".id", "an IRI")
    if (display := value.get("display", MISSING)) is not MISSING:
        check_language_map(display, path + ".display")
    return verb_id


def _activity(value: Any, path: str) -> None:
    check_object(value, path, _ACTIVITY_KEYS, "an Activity object")
    kind = value.get("objectType", "Activity")
    if kind != "Activity":
        one_of(kind, path + ".objectType", ("Activity",))
    activity_id = required(value, "id", path)
    if not is_iri(activity_id):
        bad_format(activity_id, path + ".id", "an IRI")
    if (definition := value.get("definition", MISSING)) is not MISSING:
        check_definition(definition, path + ".definition")


# --- result, context, attachments -------------------------------------------------------

def _result(value: Any, path: str) -> None:
    check_object(value, path, _RESULT_KEYS)
    check_non_empty(value, path)
    for key, found in value.items():
        if key == "score":
            check_score(found, path + ".score")
        elif key == "success" or key == "completion":
            if type(found) is not bool:
                wrong_type(found, f"{path}.{key}", "a boolean")
        elif key == "response":
            check_string(found, path + ".response")
        elif key == "duration":
            if not is_duration(found):
                bad_format(found, path + ".duration", "an ISO 8601 duration")
        else:
            check_extensions(found, path + ".extensions")


def _context(value: Any, path: str, object_is_activity: bool) -> None:
    check_object(value, path, _CONTEXT_KEYS)
    check_non_empty(value, path)
    for key, found in value.items():
        if key == "registration":
            if not is_uuid(found):
                bad_format(found, path + ".registration", "a UUID")
        elif key == "contextActivities":
            _context_activities(found, path + ".contextActivities")
        elif key == "instructor":
            _actor(found, path + ".instructor")
        elif key == "team":
            if type(found) is dict and found.get("objectType") != "Group":
                fail(path + ".team.objectType", 'must be "Group"')
            _actor(found, path + ".team")
        elif key == "revision" or key == "platform":
            if type(found) is not str:
                wrong_type(found, f"{path}.{key}", "a string")
            if not object_is_activity:
                fail(f"{path}.{key}", "only allowed when the object is an Activity")
        elif key == "language":
            if not is_language_tag(found):
                bad_format(found, path + ".language", "an RFC 5646 language tag")
        elif key == "statement":
            _statement_ref(found, path + ".statement")
        else:
            check_extensions(found, path + ".extensions")


def _context_activities(value: Any, path: str) -> None:
    check_object(value, path, _CONTEXT_ACTIVITY_KEYS)
    check_non_empty(value, path)
    for key, activities in value.items():
        if type(activities) is list:
            for index, activity in enumerate(activities):
                _activity(activity, f"{path}.{key}[{index}]")
        else:
            _activity(activities, f"{path}.{key}")
