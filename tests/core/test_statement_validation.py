"""xAPI 1.0.3 statement validation (classroom_app.core.sync.validation).

The invalid cases follow the ADL LRS conformance suite (test/v1_0_3): each breaks one
rule, and the error must name the path of the offending property.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from classroom_app.core import xapi
from classroom_app.core.sync.validation import (
    StatementError,
    is_duration,
    is_iri,
    is_language_tag,
    is_timestamp,
    is_uuid,
    parse_timestamp,
    validate_statement,
)

TYPICAL = (
    '{"actor":{"account":{"homePage":"https://school.invalid/","name":"20260101"},'
    '"objectType":"Agent"},"context":{"contextActivities":{"parent":[{"id":'
    '"urn:ai-classroom:lesson:p1-how-computers-see","objectType":"Activity"}]},"extensions":'
    '{"urn:ai-classroom:extension:stage":"primary"},"platform":"AI Classroom","registration":'
    '"6f1c1b2e-8f7e-4d1a-9a57-2f1c0e4b8d11"},"id":"0b7d3b51-3c9e-4a7e-b1a9-2d2f7d8e9a10",'
    '"object":{"definition":{"interactionType":"choice","name":{"en-US":"Which one is a cat?",'
    '"zh-CN":"哪一个是猫？"},"type":"http://adlnet.gov/expapi/activities/cmi.interaction",'
    '"correctResponsesPattern":["1"],"choices":[{"id":"0","description":{"en-US":"dog",'
    '"zh-CN":"狗"}},{"id":"1","description":{"en-US":"cat","zh-CN":"猫"}}]},"id":'
    '"urn:ai-classroom:lesson:p1-how-computers-see:step:quiz:question:1","objectType":'
    '"Activity"},"result":{"response":"1","success":true},"timestamp":'
    '"2026-11-23T08:00:00.000Z","verb":{"display":{"en-US":"answered"},"id":'
    '"http://adlnet.gov/expapi/verbs/answered"}}'
)
UUID = "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"
MBOX = {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}
OPENID = {"objectType": "Agent", "openid": "http://openid.example.org/12345"}
SHA1 = {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}
ACTIVITY = {"objectType": "Activity", "id": "http://www.example.com/meetings/occurances/34534"}
STATEMENT_REF = {"objectType": "StatementRef", "id": UUID}
ATTACHMENT = {
    "usageType": "http://example.com/attachment-usage/test",
    "display": {"en-US": "A test attachment"},
    "description": {"en-US": "A test attachment (description)"},
    "contentType": "text/plain; charset=ascii",
    "length": 27,
    "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
    "fileUrl": "http://over.there.com/file.txt",
}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def typical() -> dict[str, Any]:
    return json.loads(TYPICAL)


def minimal(**extra: Any) -> dict[str, Any]:
    """The conformance suite's default statement, plus ``extra``."""
    statement = {"actor": dict(MBOX),
                 "verb": {"id": "http://adlnet.gov/expapi/verbs/attended",
                          "display": {"en-GB": "attended", "en-US": "attended"}},
                 "object": dict(ACTIVITY)}
    statement.update(copy.deepcopy(extra))
    return statement


def substatement(**extra: Any) -> dict[str, Any]:
    body = minimal(**extra)
    del body["actor"]["objectType"]
    return minimal(object={"objectType": "SubStatement", **body})


def group(**extra: Any) -> dict[str, Any]:
    return {"objectType": "Group", "name": "team",
            "member": [dict(MBOX), dict(OPENID)], **extra}


# --- valid statements ---------------------------------------------------------------------

def test_the_typical_statement_is_valid() -> None:
    validate_statement(typical())


def test_validation_leaves_the_statement_unchanged() -> None:
    statement = typical()
    validate_statement(statement)
    assert statement == typical()


def app_statements() -> list[xapi.Statement]:
    registration = str(uuid.uuid4())
    learner = xapi.actor("https://school.invalid/", "20260101")
    experiment = xapi.experiment_activity("teach-a-model", {"en": "Teach", "zh_CN": "教"})
    untitled = xapi.experiment_activity("gestures", {})
    parent = f"{xapi.ID_PREFIX}:lesson:p1-how-computers-see"
    result = xapi.experiment_result(["cat", "dog"], [12, 10], 8, 0.87654)
    return [
        xapi.make_statement(learner, "completed", experiment,
                            xapi.demo_context(registration, "primary", parent), result),
        xapi.make_statement(learner, "attempted", experiment,
                            xapi.demo_context(registration, None, None)),
        xapi.make_statement(learner, "attended", untitled,
                            xapi.demo_context(registration, "junior", parent),
                            xapi.experiment_result([], [], 0, 0.0)),
    ]


@pytest.mark.parametrize("statement", app_statements(), ids=lambda s: s.id[:8])
def test_statements_the_app_makes_are_valid(statement: xapi.Statement) -> None:
    validate_statement(json.loads(statement.text))


def test_statements_made_under_another_clock_are_valid() -> None:
    moment = datetime(2026, 9, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    with xapi.clock(lambda: moment):
        statement = app_statements()[0]
    assert statement.timestamp == "2026-09-01T00:30:00.000Z"
    validate_statement(json.loads(statement.text))


VALID = {
    "agent actor without objectType": minimal(actor={"mbox": "mailto:xapi@adlnet.gov"}),
    "actor by mbox_sha1sum": minimal(actor=SHA1),
    "actor by openid": minimal(actor=OPENID),
    "anonymous group actor": minimal(actor=group()),
    "identified group actor": minimal(actor=group(openid="http://openid.example.org/g")),
    "identified group without members": minimal(
        actor={"objectType": "Group", "account": {"homePage": "http://x.invalid", "name": "g"}}),
    "agent object": minimal(object=MBOX),
    "group object": minimal(object=group()),
    "statement ref object": minimal(object=STATEMENT_REF),
    "voiding statement": minimal(verb={"id": VOIDED, "display": {"en-US": "voided"}},
                                 object=STATEMENT_REF),
    "substatement": substatement(result={"completion": True},
                                 context={"contextActivities": {"parent": ACTIVITY}},
                                 timestamp="2030-01-01T00:00:00Z"),
    "substatement with agent object": substatement(object=MBOX),
    "substatement with statement ref": substatement(object=STATEMENT_REF),
    "attachments with fileUrl": minimal(attachments=[ATTACHMENT]),
    "attachment without optional parts": minimal(attachments=[
        {k: v for k, v in ATTACHMENT.items() if k not in ("fileUrl", "description")}]),
    "timestamp with +00:00": minimal(timestamp="2013-05-18T05:32:34.804+00:00"),
    "timestamp with +05:30": minimal(timestamp="2013-05-18T05:32:34.804+05:30"),
    "timestamp with -0800": minimal(timestamp="2013-05-18T05:32:34-0800"),
    "timestamp with hour offset": minimal(timestamp="2013-05-18T05:32:34.804-05"),
    "timestamp without offset": minimal(timestamp="2013-05-18T05:32:34"),
    "timestamp in basic form": minimal(timestamp="20130518T053234.804Z"),
    "timestamp with 9 digits": minimal(timestamp="2013-05-18T05:32:34.123456789Z"),
    "timestamp far in the future": minimal(timestamp="2099-12-31T23:59:59.999Z"),
    "stored": minimal(stored="2013-05-18T05:32:34.804Z"),
    "version 1.0": minimal(version="1.0"),
    "version 1.0.3": minimal(version="1.0.3"),
    "authority agent": minimal(authority=OPENID),
    "authority OAuth pair": minimal(authority={"objectType": "Group", "member": [
        {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "x75db"}},
        {"mbox": "mailto:bob_authority@example.com"}]}),
    "verb without display": minimal(verb={"id": "http://adlnet.gov/expapi/verbs/attended"}),
    "many language tags": minimal(verb={"id": "http://x.invalid/v", "display": {
        "en": "a", "zh-Hans-CN": "b", "sgn-BE-FR": "c", "de-CH-1901": "d", "es-419": "e",
        "x-classrm": "f", "i-klingon": "g", "en-US-x-twain": "h"}}),
    "score within bounds": minimal(result={"score": {"scaled": -1.0, "raw": 0.6767676,
                                                     "min": 0.12, "max": 100.6767676}}),
    "durations": minimal(result={"duration": "P3Y1M29DT4H35M59.14S"}),
    "an activity definition with no properties": minimal(
        object={"objectType": "Activity", "id": "http://x.invalid/a", "definition": {}}),
    "extensions with null, empty and nested values": minimal(
        result={"extensions": {"http://example.com/null": None, "http://x.invalid/o": {}}},
        context={"extensions": {}, "registration": UUID}),
    "context with everything": minimal(context={
        "registration": UUID, "instructor": OPENID, "team": group(), "revision": "r2",
        "platform": "AI Classroom", "language": "zh-CN", "statement": STATEMENT_REF,
        "contextActivities": {"parent": ACTIVITY, "grouping": [ACTIVITY],
                              "category": [ACTIVITY, ACTIVITY], "other": []}}),
    "matching interaction": minimal(object={**ACTIVITY, "definition": {
        "interactionType": "matching", "correctResponsesPattern": ["ben[.]3"],
        "source": [{"id": "ben", "description": {"en-US": "Ben"}}],
        "target": [{"id": "3", "description": {"en-US": "Duck", "ja": "草"}}]}}),
    "likert, performance and sequencing interactions": minimal(
        object={**ACTIVITY, "definition": {"interactionType": "likert", "scale": [
            {"id": "likert_0"}, {"id": "likert_1"}]}},
        context={"contextActivities": {"other": [
            {**ACTIVITY, "definition": {"interactionType": "performance",
                                        "steps": [{"id": "1"}]}},
            {**ACTIVITY, "definition": {"interactionType": "sequencing",
                                        "choices": [{"id": "a"}, {"id": "b"}]}}]}}),
    "interaction type without components": minimal(object={**ACTIVITY, "definition": {
        "interactionType": "fill-in", "correctResponsesPattern": []}}),
    "activity without objectType": minimal(object={"id": "urn:ai-classroom:x"}),
    "unicode IRI": minimal(object={"id": "http://例子.测试/课程/1"}),
}


@pytest.mark.parametrize("statement", VALID.values(), ids=VALID.keys())
def test_valid_edge_cases(statement: dict[str, Any]) -> None:
    validate_statement(statement)


# --- invalid statements -------------------------------------------------------------------

Change = Callable[[dict[str, Any]], object]


def _parent(statement: dict[str, Any], path: str) -> tuple[Any, str]:
    """The object or array holding the last part of a dotted path (numbers index arrays)."""
    *parents, last = path.split(".")
    node: Any = statement
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node, last


def put(path: str, value: Any) -> Change:
    """A change to the typical statement: set ``value`` at a dotted path."""
    def change(statement: dict[str, Any]) -> None:
        node, key = _parent(statement, path)
        node[key] = copy.deepcopy(value)
    return change


def drop(path: str) -> Change:
    def change(statement: dict[str, Any]) -> None:
        node, key = _parent(statement, path)
        del node[key]
    return change


def both(first: Change, second: Change) -> Change:
    def change(statement: dict[str, Any]) -> None:
        first(statement)
        second(statement)
    return change


def replace(statement: dict[str, Any]) -> Change:
    def change(target: dict[str, Any]) -> None:
        target.clear()
        target.update(copy.deepcopy(statement))
    return change


INVALID: list[tuple[str, Change, str]] = [
    # statement
    ("unknown top-level key", put("iD", UUID), "iD"),
    ("key with wrong case", replace(minimal(Actor=MBOX)), "Actor"),
    ("no actor", drop("actor"), "actor"),
    ("no verb", drop("verb"), "verb"),
    ("no object", drop("object"), "object"),
    ("id with too many digits", put("id", "AA97B177-9383-4934-8543-0F91A7A028368"), "id"),
    ("id with non-hex letter", put("id", "MA97B177-9383-4934-8543-0F91A7A02836"), "id"),
    ("id as a number", put("id", 12345), "id"),
    ("id null", put("id", None), "id"),
    ("version 1.1.0", put("version", "1.1.0"), "version"),
    ("version 0.9.9", put("version", "0.9.9"), "version"),
    ("timestamp with -00:00", put("timestamp", "2008-09-15T15:53:00.601-00:00"), "timestamp"),
    ("timestamp with -0000", put("timestamp", "2008-09-15T15:53:00.601-0000"), "timestamp"),
    ("timestamp with -00", put("timestamp", "2008-09-15T15:53:00.601-00"), "timestamp"),
    ("timestamp not a date", put("timestamp", "01/011/2015"), "timestamp"),
    ("timestamp 30 February", put("timestamp", "2013-02-30T00:00:00Z"), "timestamp"),
    ("timestamp date only", put("timestamp", "2013-05-18"), "timestamp"),
    ("stored invalid", put("stored", "should fail"), "stored"),
    ("actor an array", put("actor", [MBOX]), "actor"),
    # actor
    ("actor objectType lower case", put("actor.objectType", "agent"), "actor.objectType"),
    ("actor objectType number", put("actor.objectType", 123), "actor.objectType"),
    ("actor without identifier", drop("actor.account"), "actor"),
    ("actor with two identifiers", put("actor.mbox", "mailto:a@example.com"), "actor"),
    ("mbox not mailto", replace(minimal(actor={"mbox": "http://should.fail.com"})),
     "actor.mbox"),
    ("mbox without address", replace(minimal(actor={"mbox": "mailto:should.fail.com"})),
     "actor.mbox"),
    ("mbox_sha1sum not a hash", replace(minimal(actor={"mbox_sha1sum": "abc"})),
     "actor.mbox_sha1sum"),
    ("openid not an IRI", replace(minimal(actor={"openid": "should fail"})), "actor.openid"),
    ("homePage not an IRL", put("actor.account.homePage", "ab=c://should.fail.com"),
     "actor.account.homePage"),
    ("account name an object", put("actor.account.name", {"key": "value"}),
     "actor.account.name"),
    ("account without name", drop("actor.account.name"), "actor.account.name"),
    ("account with unknown key", put("actor.account.id", "x"), "actor.account.id"),
    ("actor name a number", put("actor.name", 123), "actor.name"),
    ("actor name null", put("actor.name", None), "actor.name"),
    ("anonymous group without member", put("actor", {"objectType": "Group"}), "actor.member"),
    ("group member a Group", put("actor", group(member=[group()])),
     "actor.member[0].objectType"),
    ("group member without identifier", put("actor", group(member=[{"name": "x"}])),
     "actor.member[0]"),
    ("group with two identifiers", put("actor", group(openid="http://o.invalid", **SHA1)),
     "actor"),
    ("agent with member", put("actor.member", [MBOX]), "actor.member"),
    # verb
    ("verb without id", drop("verb.id"), "verb.id"),
    ("verb id not an IRI", put("verb.id", "should fail"), "verb.id"),
    ("verb with unknown key", put("verb.Display", {"en-US": "x"}), "verb.Display"),
    ("display empty", put("verb.display", {}), "verb.display"),
    ("display a string", put("verb.display", "answered"), "verb.display"),
    ("display tag with underscore", put("verb.display", {"en_US": "x"}), "verb.display"),
    ("display tag a12345", put("verb.display", {"a12345": "x"}), "verb.display"),
    ("display value a number", put("verb.display.en-US", 5), "verb.display.en-US"),
    ("display value null", put("verb.display.en-US", None), "verb.display.en-US"),
    ("voiding an activity", put("verb.id", VOIDED), "object"),
    # activity
    ("activity without id", drop("object.id"), "object.id"),
    ("activity id not an IRI", put("object.id", "ab=c://should.fail.com"), "object.id"),
    ("activity id with space", put("object.id", "http://x.invalid/a b"), "object.id"),
    ("activity id empty", put("object.id", ""), "object.id"),
    ("objectType lower case", put("object.objectType", "activity"), "object.objectType"),
    ("definition a string", put("object.definition", "should error"), "object.definition"),
    ("definition unknown key", put("object.definition.Name", {"en": "x"}),
     "object.definition.Name"),
    ("definition name a string", put("object.definition.name", "x"), "object.definition.name"),
    ("definition description empty", put("object.definition.description", {}),
     "object.definition.description"),
    ("definition type not an IRI", put("object.definition.type", "should error"),
     "object.definition.type"),
    ("definition moreInfo not an IRL", put("object.definition.moreInfo", "x"),
     "object.definition.moreInfo"),
    ("definition moreInfo null", put("object.definition.moreInfo", None),
     "object.definition.moreInfo"),
    ("interactionType wrong case", put("object.definition.interactionType", "choiCe"),
     "object.definition.interactionType"),
    ("interactionType an IRI", put("object.definition.interactionType", "http://x.invalid"),
     "object.definition.interactionType"),
    ("interaction without interactionType", drop("object.definition.interactionType"),
     "object.definition.correctResponsesPattern"),
    ("correctResponsesPattern a string", put("object.definition.correctResponsesPattern", "1"),
     "object.definition.correctResponsesPattern"),
    ("correctResponsesPattern number", put("object.definition.correctResponsesPattern", [1]),
     "object.definition.correctResponsesPattern[0]"),
    ("scale with choice", put("object.definition.scale", [{"id": "a"}]),
     "object.definition.scale"),
    ("choices not an array", put("object.definition.choices", {"id": "0"}),
     "object.definition.choices"),
    ("duplicate choice ids", put("object.definition.choices.1.id", "0"),
     "object.definition.choices[1].id"),
    ("choice without id", drop("object.definition.choices.0.id"),
     "object.definition.choices[0].id"),
    ("choice id an object", put("object.definition.choices.0.id", {"x": 1}),
     "object.definition.choices[0].id"),
    ("choice description a string", put("object.definition.choices.1.description", "cat"),
     "object.definition.choices[1].description"),
    ("choice with unknown key", put("object.definition.choices.0.name", "x"),
     "object.definition.choices[0].name"),
    ("extension key not an IRI", put("object.definition.extensions", {"id": "valid"}),
     "object.definition.extensions"),
    # other objects
    ("agent object without objectType", put("object", {"mbox": "mailto:a@example.com"}),
     "object.objectType"),
    ("unknown objectType", put("object.objectType", "Statement"), "object.objectType"),
    ("statement ref without id", put("object", {"objectType": "StatementRef"}), "object.id"),
    ("statement ref id not a UUID", put("object", {**STATEMENT_REF, "id": "should fail"}),
     "object.id"),
    ("substatement with id", replace(substatement(id=UUID)), "object.id"),
    ("substatement with stored", replace(substatement(stored="2013-05-18T05:32:34.804Z")),
     "object.stored"),
    ("substatement with version", replace(substatement(version="1.0.0")), "object.version"),
    ("substatement with authority", replace(substatement(authority=OPENID)),
     "object.authority"),
    ("nested substatement", replace(substatement(object=substatement()["object"])),
     "object.object.objectType"),
    ("substatement without verb", both(replace(substatement()), drop("object.verb")),
     "object.verb"),
    ("substatement timestamp", replace(substatement(timestamp="x")), "object.timestamp"),
    ("substatement objectType wrong case",
     both(replace(substatement()), put("object.objectType", "substatement")),
     "object.objectType"),
    # result
    ("result empty", put("result", {}), "result"),
    ("result unknown key", put("result.Success", True), "result.Success"),
    ("scaled above 1", put("result.score", {"scaled": 1.01}), "result.score.scaled"),
    ("scaled below -1", put("result.score", {"scaled": -1.00001}), "result.score.scaled"),
    ("raw above max", put("result.score", {"raw": 0.68, "max": 0.66}), "result.score.raw"),
    ("raw below min", put("result.score", {"raw": 0.68, "min": 1.4}), "result.score.raw"),
    ("min above max", put("result.score", {"min": 0.7, "max": 0.6}), "result.score.min"),
    ("max a numeric string", put("result.score", {"max": "100"}), "result.score.max"),
    ("raw not finite", put("result.score", {"raw": float("nan")}), "result.score.raw"),
    ("score a number", put("result.score", 12345), "result.score"),
    ("success a string", put("result.success", "true"), "result.success"),
    ("completion a number", put("result.completion", 1), "result.completion"),
    ("response a number", put("result.response", 1), "result.response"),
    ("duration invalid", put("result.duration", "PA1H0M0S"), "result.duration"),
    ("duration only T", put("result.duration", "PT"), "result.duration"),
    ("result extension key", put("result.extensions", {"should fail": True}),
     "result.extensions"),
    # context
    ("registration not a UUID", put("context.registration", "should fail"),
     "context.registration"),
    ("registration null", put("context.registration", None), "context.registration"),
    ("instructor without identifier", put("context.instructor", {"key": "x"}),
     "context.instructor.key"),
    ("instructor a string", put("context.instructor", "teacher"), "context.instructor"),
    ("team an agent", put("context.team", MBOX), "context.team.objectType"),
    ("contextActivities key", put("context.contextActivities.sibling", [ACTIVITY]),
     "context.contextActivities.sibling"),
    ("contextActivities empty", put("context.contextActivities", {}),
     "context.contextActivities"),
    ("contextActivities a string", put("context.contextActivities", "x"),
     "context.contextActivities"),
    ("context activity not an activity",
     put("context.contextActivities.parent", [ACTIVITY, {"key": "x"}]),
     "context.contextActivities.parent[1].key"),
    ("revision a number", put("context.revision", 12345), "context.revision"),
    ("platform with agent object", put("object", MBOX), "context.platform"),
    ("revision with statement ref",
     replace(minimal(object=STATEMENT_REF, context={"revision": "r1"})), "context.revision"),
    ("platform with substatement",
     both(replace(substatement()), put("context", {"platform": "x"})), "context.platform"),
    ("language with underscore", put("context.language", "zh_CN"), "context.language"),
    ("statement without objectType", put("context.statement", {"id": UUID}),
     "context.statement.objectType"),
    ("context extensions a list", put("context.extensions", []), "context.extensions"),
    ("context unknown key", put("context.Platform", "x"), "context.Platform"),
    # attachments
    ("attachments an object", put("attachments", ATTACHMENT), "attachments"),
    ("attachment a number", put("attachments", [12345]), "attachments[0]"),
    ("attachment without sha2", put("attachments", [{**ATTACHMENT, "sha2": None}]),
     "attachments[0].sha2"),
    ("attachment missing display", replace(minimal(attachments=[
        {k: v for k, v in ATTACHMENT.items() if k != "display"}])), "attachments[0].display"),
    ("attachment length a string", put("attachments", [{**ATTACHMENT, "length": "27"}]),
     "attachments[0].length"),
    ("attachment length negative", put("attachments", [{**ATTACHMENT, "length": -1}]),
     "attachments[0].length"),
    ("attachment contentType", put("attachments", [{**ATTACHMENT, "contentType": "x y"}]),
     "attachments[0].contentType"),
    ("attachment usageType", put("attachments", [{**ATTACHMENT, "usageType": "x"}]),
     "attachments[0].usageType"),
    ("attachment fileUrl", put("attachments", [{**ATTACHMENT, "fileUrl": "should fail"}]),
     "attachments[0].fileUrl"),
    ("attachment sha2 a number", put("attachments", [{**ATTACHMENT, "sha2": 12345}]),
     "attachments[0].sha2"),
    ("attachment display empty", put("attachments", [{**ATTACHMENT, "display": {}}]),
     "attachments[0].display"),
    ("attachment unknown key", put("attachments", [{**ATTACHMENT, "fileURL": "http://x.y"}]),
     "attachments[0].fileURL"),
    # authority
    ("authority identified group",
     put("authority", group(member=[MBOX, OPENID], openid="http://o.invalid")), "authority"),
    ("authority group of three", put("authority", group(member=[MBOX, OPENID, SHA1])),
     "authority.member"),
    ("authority without identifier", put("authority", {"objectType": "Agent"}), "authority"),
]


def _apply(changes: Change) -> dict[str, Any]:
    statement = typical()
    changes(statement)
    return statement


@pytest.mark.parametrize(("change", "path"), [case[1:] for case in INVALID],
                         ids=[case[0] for case in INVALID])
def test_invalid_statements_are_rejected_naming_the_path(change: Change, path: str) -> None:
    statement = _apply(change)
    with pytest.raises(StatementError) as raised:
        validate_statement(statement)
    assert str(raised.value).startswith(path + ": "), str(raised.value)


@pytest.mark.parametrize("data", [None, [], "statement", 12])
def test_a_statement_must_be_an_object(data: object) -> None:
    with pytest.raises(StatementError, match=r"^statement: "):
        validate_statement(data)


def test_statement_error_is_a_value_error() -> None:
    assert issubclass(StatementError, ValueError)


# --- formats ------------------------------------------------------------------------------

def test_uuids() -> None:
    assert is_uuid("0b7d3b51-3c9e-4a7e-b1a9-2d2f7d8e9a10")
    assert is_uuid("AA97B177-9383-4934-8543-0F91A7A02836")
    assert is_uuid(str(uuid.uuid1()))
    for text in ("AA97B177-9383-4934-8543-0F91A7A028368", "0b7d3b513c9e4a7eb1a92d2f7d8e9a10",
                 "{0b7d3b51-3c9e-4a7e-b1a9-2d2f7d8e9a10}", "", None, 5):
        assert not is_uuid(text)


def test_iris() -> None:
    for text in ("urn:ai-classroom:lesson:p1", "http://adlnet.gov/expapi/verbs/answered",
                 "mailto:a@example.com", "tag:example.com,2026:x", "file:///tmp/x",
                 "http://例子.测试/课程", "https://x.invalid/a%20b?q=1#f"):
        assert is_iri(text), text
    for text in ("ab=c://should.fail.com", "should fail", "", "http://", "1http://x",
                 "http://x.invalid/a b", "http://x.invalid/%zz", "http://x/<y>", None, 1):
        assert not is_iri(text), text


def test_language_tags() -> None:
    for tag in ("en", "en-US", "zh-CN", "zh-Hans-CN", "es-419", "sgn-BE-FR", "x-whatever",
                "de-CH-1901", "en-US-u-ca-gregory", "i-default", "EN-us"):
        assert is_language_tag(tag), tag
    for tag in ("xx_YY", "a12345", "", "en-", "-en", "toolongtag", "en--US", "e", "x-classroom",
                None):
        assert not is_language_tag(tag), tag


def test_durations() -> None:
    for text in ("PT1H0M0.1S", "PT4H35M59.14S", "PT16559.14S", "P3Y1M29DT4H35M59.14S",
                 "P3Y", "P4W", "PT0S", "P1DT2H", "PT0,5S"):
        assert is_duration(text), text
    # weeks stand alone in ISO 8601:2004 (4.4.3.2): P4W1D is no duration
    for text in ("PA1H0M0S", "P", "PT", "1H", "P1H", "PT1D", "P4W1D", "P1Y2W", "should fail",
                 "", None, 12345):
        assert not is_duration(text), text


def test_timestamps() -> None:
    for text in ("2013-05-18T05:32:34.804Z", "2013-05-18T05:32:34.804+00:00",
                 "2013-05-18T05:32Z", "20130518T053234Z", "2013-05-18T05:32:34,5+01"):
        assert is_timestamp(text), text
    for text in ("2008-09-15T15:53:00.601-00:00", "2008-09-15T15:53:00.601-0000",
                 "2008-09-15T15:53:00.601-00", "01/011/2015", "2013-05-18",
                 "2013-05-18 05:32:34Z", "2013-13-01T00:00:00Z", "2013-05-18T24:00:00Z",
                 "2013-05-18T05:60:00Z", "2013-05-18T05:32:34+25:00", "2013-05-18T05:32:34z",
                 "2013-W20-6T05:32:34Z", "", None, 1368855154):
        assert not is_timestamp(text), text


def test_parse_timestamp() -> None:
    utc = datetime(2013, 5, 18, 5, 32, 34, 804000, tzinfo=UTC)
    assert parse_timestamp("2013-05-18T05:32:34.804Z") == utc
    assert parse_timestamp("2013-05-18T05:32:34.804+00:00") == utc
    assert parse_timestamp("2013-05-18T13:32:34.804+08:00") == utc
    assert parse_timestamp("2013-05-18T00:02:34.804-0530") == utc
    assert parse_timestamp("20130518T053234.804Z") == utc
    assert parse_timestamp("2013-05-18T05:32:34.8049999Z") == utc.replace(microsecond=804999)
    naive = parse_timestamp("2013-05-18T05:32:34.804")
    assert naive == utc and naive.tzinfo is not None
    assert parse_timestamp("2013-05-18T05:32Z") == datetime(2013, 5, 18, 5, 32, tzinfo=UTC)
    for text in ("2013-02-30T00:00:00Z", "2008-09-15T15:53:00.601-00:00", "x"):
        with pytest.raises(StatementError):
            parse_timestamp(text)
    with pytest.raises(ValueError):
        parse_timestamp(None)  # type: ignore[arg-type]


# --- robustness ---------------------------------------------------------------------------

JUNK: list[Any] = [None, 0, -1.5, True, "", "x", [], [None], {}, {"x": None}]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    children: list[tuple[Any, Any]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    found = [prefix] if prefix else []
    for key, child in children:
        found += _paths(child, (*prefix, key))
    return found


def _replaced(statement: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    copied = copy.deepcopy(statement)
    node: Any = copied
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copied


@pytest.mark.parametrize("statement", [typical(), VALID["context with everything"],
                                       VALID["substatement"], VALID["authority OAuth pair"],
                                       VALID["attachments with fileUrl"],
                                       VALID["matching interaction"]])
def test_any_junk_anywhere_gives_a_statement_error_or_passes(statement: dict[str, Any]) -> None:
    for path in _paths(statement):
        for junk in JUNK:
            try:
                validate_statement(_replaced(statement, path, junk))
            except StatementError as error:
                assert ": " in str(error)
