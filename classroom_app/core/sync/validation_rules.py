"""The building blocks of :mod:`validation` (xAPI 1.0.3, IEEE 9274.1.1).

* Predicates for the value formats: UUID, IRI, mailto IRI, RFC 5646 language tag, ISO 8601
  timestamp and duration, media type, SHA-1/SHA-2 hash, version. Every regex is compiled
  once, at import; valid IRIs and language tags are remembered, as they repeat from
  statement to statement.
* Checks that raise :class:`StatementError` naming the offending path, and the rules for
  the leaves of a statement: language maps, extensions, activity definitions with their
  interaction components, scores and attachments.

Hot paths test with a cheap predicate first and build the path and message only on failure.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from math import isfinite
from typing import Any, NoReturn


class StatementError(ValueError):
    """A statement breaks the xAPI 1.0.3 rules; ``str(error)`` is the reason, naming the
    path of the offending property, e.g. ``actor.mbox: must be a mailto: IRI``."""


_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\Z")

# An absolute IRI (RFC 3987): a scheme, then at least one character that may appear in an
# IRI: no whitespace, controls or <>"{}|\^`. "scheme://" with nothing after is rejected;
# "%" must start a percent-encoding. Full IRI grammar checks are best effort (Data 2.2.s4.b6).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?!//\Z)[^\s<>\"{}|\\^`\x00-\x1f\x7f]+\Z")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_MAILTO = re.compile(r"mailto:[^@\s/?#]+@[^@\s/?#]+\Z")
_SHA1 = re.compile(r"[0-9A-Fa-f]{40}\Z")
_SHA2 = re.compile(r"(?:[0-9A-Fa-f]{56}|[0-9A-Fa-f]{64}|[0-9A-Fa-f]{96}|[0-9A-Fa-f]{128})\Z")
_VERSION = re.compile(r"1\.0(?:\.\d+)?\Z")

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z\-]+"
_MEDIA_TYPE = re.compile(
    rf"{_TOKEN}/{_TOKEN}(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|\"(?:[^\"\\]|\\.)*\"))*[ \t]*\Z")

# RFC 5646 Language-Tag: langtag / privateuse / grandfathered (case-insensitive).
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"  # language, extlang
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|\d{3}))?"  # region
    r"(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*"  # variant
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"  # extension
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"  # privateuse
)
_GRANDFATHERED = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|"
    "i-pwn|i-tao|i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|"
    "no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANGUAGE_TAG = re.compile(
    rf"(?:{_LANGTAG}|x(?:-[a-z0-9]{{1,8}})+|{_GRANDFATHERED})\Z", re.IGNORECASE | re.ASCII)
_KNOWN_TAGS: set[str] = set()
_KNOWN_IRIS: set[str] = set()
_KNOWN_MAX = 8192

# ISO 8601 date-time, extended (2013-05-18T05:32:34.804+00:00) or basic
# (20130518T053234.804Z) form. Seconds may be left out; the offset is Z, +hh, +hhmm or
# +hh:mm. A date alone is not a date-time.
_OFFSET = r"(Z|[+-]\d{2}(?::?\d{2})?)?"
_TIMESTAMP_EXTENDED = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?" + _OFFSET + r"\Z")
_TIMESTAMP_BASIC = re.compile(
    r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?" + _OFFSET + r"\Z")
_TIMESTAMP_FORM = re.compile(
    r"\d{4}(?:-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?"
    r"|\d{4}T\d{4}(?:\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d(?:\d\d)?)?)\Z")
_UNKNOWN_OFFSET_ENDINGS = ("-00", "-0000", "-00:00")

# ISO 8601:2004 duration (4.4.3.2): PnYnMnDTnHnMnS with at least one part and T followed
# by a time part, or weeks alone, PnW (weeks never combine with the other parts).
_NUM = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"(?:P{_NUM}W|P(?=[\d.,]|T\d)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?"
    rf"(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?)\Z")


def is_uuid(text: object) -> bool:
    """A UUID in standard string form (8-4-4-4-12 hex digits, any case)."""
    return type(text) is str and _UUID.match(text) is not None


def is_iri(text: object) -> bool:
    """An absolute IRI with a scheme, e.g. ``http://…`` or ``urn:ai-classroom:…``."""
    if type(text) is not str:
        return False
    if text in _KNOWN_IRIS:
        return True
    if _IRI.match(text) is None or ("%" in text and _BAD_PERCENT.search(text) is not None):
        return False
    _remember(_KNOWN_IRIS, text)
    return True


def is_mailto_iri(text: object) -> bool:
    """``mailto:`` followed by one e-mail address."""
    return isinstance(text, str) and is_iri(text) and _MAILTO.match(text) is not None


def is_sha1_hex(text: object) -> bool:
    return type(text) is str and _SHA1.match(text) is not None


def is_sha2_hex(text: object) -> bool:
    """A SHA-224, SHA-256, SHA-384 or SHA-512 hash in hex."""
    return type(text) is str and _SHA2.match(text) is not None


def is_version(text: object) -> bool:
    """An xAPI 1.0.x version ("1.0" or "1.0.x", as the conformance suite accepts)."""
    return type(text) is str and _VERSION.match(text) is not None


def is_media_type(text: object) -> bool:
    """An Internet media type, e.g. ``text/plain; charset=ascii``."""
    return type(text) is str and _MEDIA_TYPE.match(text) is not None


def is_language_tag(text: object) -> bool:
    """An RFC 5646 language tag, e.g. ``en-US``, ``zh-CN`` or ``zh-Hans-CN``."""
    if type(text) is not str:
        return False
    if text in _KNOWN_TAGS:
        return True
    if _LANGUAGE_TAG.match(text) is None:
        return False
    _remember(_KNOWN_TAGS, text)
    return True


def _remember(known: set[str], text: str) -> None:
    """Activity, verb and extension IRIs and language tags repeat from statement to
    statement: remember valid ones (a bounded set, emptied when full)."""
    if len(known) >= _KNOWN_MAX:
        known.clear()
    known.add(text)


def is_duration(text: object) -> bool:
    """An ISO 8601 duration, e.g. ``PT1H0M0.1S``, ``P4W`` or ``P3Y1M29DT4H35M59.14S``."""
    return type(text) is str and _DURATION.match(text) is not None


def is_timestamp(text: object) -> bool:
    """An ISO 8601 date-time as xAPI allows it: valid calendar date and time, an optional
    offset, and never the "unknown local offset" ``-00``/``-0000``/``-00:00``."""
    try:
        parse_timestamp(text)
    except ValueError:
        return False
    return True


def parse_timestamp(text: object) -> datetime:
    """The aware datetime ``text`` names; text without an offset is taken as UTC.

    Raises StatementError (a ValueError) if ``text`` is not a timestamp
    :func:`is_timestamp` accepts. Digits beyond microseconds are dropped.
    """
    if type(text) is not str or _TIMESTAMP_FORM.match(text) is None:
        raise StatementError(f"not an ISO 8601 date-time: {text!r}")
    if text.endswith(_UNKNOWN_OFFSET_ENDINGS):
        raise StatementError(f"the unknown local offset -00 is not allowed: {text!r}")
    try:  # the C parser accepts every form the pattern lets through
        moment = datetime.fromisoformat(text)
    except ValueError:
        return _parse_slowly(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _parse_slowly(text: str) -> datetime:
    """Edge cases ``fromisoformat`` refuses: out-of-range parts (rejected here with the
    reason) or forms a later Python may parse differently."""
    match = _TIMESTAMP_EXTENDED.match(text) or _TIMESTAMP_BASIC.match(text)
    if match is None:
        raise StatementError(f"not an ISO 8601 date-time: {text!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction + "00000")[:6]) if fraction else 0
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute),
                        int(second) if second else 0, micro, _timezone(offset))
    except ValueError as error:
        raise StatementError(f"not a valid date-time ({error}): {text!r}") from None


def _timezone(offset: str | None) -> timezone:
    if offset is None or offset == "Z":
        return UTC
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset {offset} out of range")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if offset[0] == "-" else delta)


MISSING: Any = object()
_TYPE_NAMES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
               int: "a number", float: "a number"}
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_DEFINITION_KEYS = frozenset({"name", "description", "type", "moreInfo", "interactionType",
                              "correctResponsesPattern", "extensions", *_COMPONENT_LISTS})
_INTERACTION_TYPES: dict[str, tuple[str, ...]] = {
    "true-false": (), "choice": ("choices",), "fill-in": (), "long-fill-in": (),
    "matching": ("source", "target"), "performance": ("steps",), "sequencing": ("choices",),
    "likert": ("scale",), "numeric": (), "other": ()}
_COMPONENT_KEYS = frozenset({"id", "description"})
_SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})
_ATTACHMENT_KEYS = frozenset({"usageType", "display", "description", "contentType", "length",
                              "sha2", "fileUrl"})
_ATTACHMENT_REQUIRED = ("usageType", "display", "contentType", "length", "sha2")


# --- checks: raise StatementError naming the path ---------------------------------

def fail(path: str, reason: str) -> NoReturn:
    raise StatementError(f"{path}: {reason}")


def wrong_type(value: Any, path: str, expected: str) -> NoReturn:
    if value is None:
        fail(path, "must not be null")
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    fail(path, f"must be {expected}, not {kind}")


def bad_format(value: Any, path: str, expected: str) -> NoReturn:
    """A string of the wrong format, or not a string at all."""
    if type(value) is not str:
        wrong_type(value, path, expected)
    fail(path, f"must be {expected}")


def check_timestamp(value: Any, path: str) -> None:
    if is_timestamp(value):
        return
    if type(value) is not str:
        wrong_type(value, path, "an ISO 8601 date-time")
    try:
        parse_timestamp(value)
    except StatementError as error:
        fail(path, str(error))


def check_keys(value: dict[str, Any], path: str, allowed: frozenset[str]) -> None:
    if not allowed.issuperset(value):
        key = next(key for key in value if key not in allowed)
        fail(f"{path}.{key}" if path else str(key), "unknown property")


def check_object(value: Any, path: str, allowed: frozenset[str], what: str = "an object") -> None:
    if type(value) is not dict:
        wrong_type(value, path, what)
    check_keys(value, path, allowed)


def check_non_empty(value: dict[str, Any], path: str) -> None:
    if not value:
        fail(path, "must not be an empty object")


def required(value: dict[str, Any], key: str, path: str) -> Any:
    found = value.get(key, MISSING)
    if found is MISSING:
        fail(f"{path}.{key}", "required")
    return found


def check_string(value: Any, path: str) -> None:
    if type(value) is not str:
        wrong_type(value, path, "a string")


def check_number(value: Any, path: str) -> float:
    if type(value) is int or (type(value) is float and isfinite(value)):
        return value
    wrong_type(value, path, "a finite number")


def one_of(value: Any, path: str, choices: tuple[str, ...]) -> NoReturn:
    if value is None:
        fail(path, "must not be null")
    fail(path, "must be " + " or ".join(f'"{choice}"' for choice in choices))


def check_definition(value: Any, path: str) -> None:
    check_object(value, path, _DEFINITION_KEYS)  # an empty definition is allowed
    for key, found in value.items():
        if key == "name" or key == "description":
            check_language_map(found, path, key)
        elif key == "type" or key == "moreInfo":
            if not is_iri(found):
                bad_format(found, f"{path}.{key}", "an IRI" if key == "type" else "an IRL")
        elif key == "extensions":
            check_extensions(found, path + ".extensions")
    _interaction(value, path)


def _interaction(value: dict[str, Any], path: str) -> None:
    kind = value.get("interactionType", MISSING)
    if kind is MISSING:
        for key in ("correctResponsesPattern", *_COMPONENT_LISTS):
            if key in value:
                fail(f"{path}.{key}", "only allowed with an interactionType")
        return
    allowed = _INTERACTION_TYPES.get(kind) if type(kind) is str else None
    if allowed is None:
        one_of(kind, path + ".interactionType", tuple(_INTERACTION_TYPES))
    if (pattern := value.get("correctResponsesPattern", MISSING)) is not MISSING:
        if type(pattern) is not list:
            wrong_type(pattern, path + ".correctResponsesPattern", "an array of strings")
        for index, response in enumerate(pattern):
            if type(response) is not str:
                wrong_type(response, f"{path}.correctResponsesPattern[{index}]", "a string")
    for key in _COMPONENT_LISTS:
        if key in value:
            if key not in allowed:
                fail(f"{path}.{key}", f'not allowed for interactionType "{kind}"')
            _components(value[key], f"{path}.{key}")


def _components(value: Any, path: str) -> None:
    if type(value) is not list:
        wrong_type(value, path, "an array of interaction components")
    seen: set[str] = set()
    for index, component in enumerate(value):
        if not _is_component(component, seen):
            _component_error(component, f"{path}[{index}]", seen)
        seen.add(component["id"])


def _is_component(component: Any, seen: set[str]) -> bool:
    if type(component) is not dict or not _COMPONENT_KEYS.issuperset(component):
        return False
    component_id = component.get("id")
    if type(component_id) is not str or component_id in seen:
        return False
    description = component.get("description", MISSING)
    return description is MISSING or is_language_map(description)


def _component_error(component: Any, path: str, seen: set[str]) -> NoReturn:
    check_object(component, path, _COMPONENT_KEYS, "an interaction component")
    component_id = required(component, "id", path)
    check_string(component_id, path + ".id")
    if component_id in seen:
        fail(path + ".id", f"duplicate interaction component id {component_id!r}")
    check_language_map(component["description"], path + ".description")
    fail(path, "not a valid interaction component")


def is_language_map(value: Any) -> bool:
    if type(value) is not dict or not value:
        return False
    for tag, text in value.items():
        if type(text) is not str or not is_language_tag(tag):
            return False
    return True


def check_language_map(value: Any, path: str, key: str = "") -> None:
    """``path``, or ``path.key`` if a key is given (joined only on failure)."""
    if is_language_map(value):
        return
    path = f"{path}.{key}" if key else path
    if type(value) is not dict:
        wrong_type(value, path, "a language map")
    if not value:
        fail(path, "a language map needs at least one entry")
    for tag, text in value.items():
        if not is_language_tag(tag):
            fail(path, f"{tag!r} is not an RFC 5646 language tag")
        if type(text) is not str:
            wrong_type(text, f"{path}.{tag}", "a string")


def check_extensions(value: Any, path: str) -> None:
    """Keys are IRIs; values any JSON, null included."""
    if type(value) is not dict:
        wrong_type(value, path, "an object")
    for key in value:
        if not is_iri(key):
            fail(path, f"key {key!r} is not an IRI")


def check_score(value: Any, path: str) -> None:
    check_object(value, path, _SCORE_KEYS)
    check_non_empty(value, path)
    numbers = {key: check_number(found, f"{path}.{key}")
               for key, found in value.items()}
    scaled, raw = numbers.get("scaled"), numbers.get("raw")
    low, high = numbers.get("min"), numbers.get("max")
    if scaled is not None and not -1 <= scaled <= 1:
        fail(path + ".scaled", "must be between -1 and 1")
    if low is not None and high is not None and not low < high:
        fail(path + ".min", "must be less than max")
    if raw is not None and low is not None and raw < low:
        fail(path + ".raw", "must not be less than min")
    if raw is not None and high is not None and raw > high:
        fail(path + ".raw", "must not be more than max")


def check_attachments(value: Any, path: str) -> None:
    if type(value) is not list:
        wrong_type(value, path, "an array of Attachment objects")
    for index, attachment in enumerate(value):
        _attachment(attachment, f"{path}[{index}]")


def _attachment(value: Any, path: str) -> None:
    check_object(value, path, _ATTACHMENT_KEYS, "an Attachment object")
    for key in _ATTACHMENT_REQUIRED:
        required(value, key, path)
    for key, found in value.items():
        where = f"{path}.{key}"
        if key == "usageType" or key == "fileUrl":
            if not is_iri(found):
                bad_format(found, where, "an IRI" if key == "usageType" else "an IRL")
        elif key == "display" or key == "description":
            check_language_map(found, path, key)
        elif key == "contentType":
            if not is_media_type(found):
                bad_format(found, where, "an Internet media type")
        elif key == "length":
            if type(found) is not int:
                wrong_type(found, where, "an integer")
            if found < 0:
                fail(where, "must not be negative")
        elif not is_sha2_hex(found):
            bad_format(found, where, "a SHA-2 hash in hex")
