"""The hub as an xAPI 1.0.3 LRS: the statements resource, ids, voiding, paging,
headers, credentials and each school's own data; on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from support.sync_support import BACKENDS, SCHOOL, RunningHub, hub_request

from classroom_app.core import xapi
from classroom_app.core.sync.lrs_client import LrsClient


def client(hub: RunningHub, district: bool = False) -> LrsClient:
    enrolment = hub.district if district else hub.school
    return LrsClient(hub.url, enrolment.device.username, enrolment.password)


def statement(number: str = "20260001", home: str = SCHOOL, **changes: object) -> dict:
    made = xapi.make_statement(
        xapi.actor(home, number), "completed",
        xapi.experiment_activity("teach_the_computer", {"zh_CN": "教", "en": "Teach"}),
        xapi.demo_context(str(uuid.uuid4()), "primary", None),
        xapi.experiment_result(["猫", "狗"], [5, 6], 4, 0.75))
    return {**json.loads(made.text), **changes}


def voiding(target_id: str) -> dict:
    made = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided",
                           "display": {"en-US": "voided"}},
                     object={"objectType": "StatementRef", "id": target_id})
    made.pop("result")
    made.pop("context")  # platform and revision belong to statements about activities
    return made


def text(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@BACKENDS
def test_post_then_get_returns_the_statement_byte_for_byte_with_what_the_lrs_adds(
        hub: RunningHub) -> None:
    """What a client wrote comes back unchanged, plus stored, authority and version."""
    c = client(hub)
    s = statement()
    answer = c.post_statements(b"[" + text(s) + b"]")
    assert answer.status == 200 and json.loads(answer.body) == [s["id"]]
    got = c.get_statement(s["id"])
    assert got.status == 200
    returned = json.loads(got.body)
    assert {k: v for k, v in returned.items() if k not in ("stored", "authority", "version")} == s
    assert returned["authority"]["account"]["name"] == hub.school.device.username
    assert returned["version"] == "1.0.0"
    stored = hub.lrs.storage.run("SELECT body FROM lrs_statements")
    assert stored == [(text(s).decode(),)]


@BACKENDS
def test_same_id_same_content_is_accepted_again_without_a_copy_other_content_is_409(
        hub: RunningHub) -> None:
    c = client(hub)
    s = statement()
    assert c.post_statements(text(s)).status == 200
    assert c.post_statements(text(s)).status == 200
    assert c.put_statement(s["id"], text(s)).status == 204
    changed = {**s, "result": {**s["result"], "success": False}}
    conflict = c.put_statement(s["id"], text(changed))
    assert conflict.status == 409 and s["id"] in conflict.body.decode()
    batch = c.post_statements(b"[" + text(statement()) + b"," + text(changed) + b"]")
    assert batch.status == 409
    assert hub.lrs.storage.count() == 1  # the batch was refused whole


@BACKENDS
def test_malformed_statements_are_refused_with_400_and_the_reason(hub: RunningHub) -> None:
    c = client(hub)
    s = statement()
    del s["verb"]
    answer = c.post_statements(b"[" + text(statement()) + b"," + text(s) + b"]")
    assert answer.status == 400
    assert "statement 1" in answer.body.decode() and "verb" in answer.body.decode()
    assert c.post_statements(b"{not json").status == 400
    assert c.put_statement(str(uuid.uuid4()), text(statement())).status == 400  # ids differ
    assert hub.lrs.storage.count() == 0


@BACKENDS
def test_voiding_hides_the_target_from_queries_but_voidedStatementId_finds_it(
        hub: RunningHub) -> None:
    c = client(hub)
    target = statement()
    void = voiding(target["id"])
    assert c.post_statements(text(target)).status == 200
    assert c.post_statements(text(void)).status == 200
    assert c.get_statement(target["id"]).status == 404
    found = c.request("GET", f"statements?voidedStatementId={target['id']}")
    assert found.status == 200 and json.loads(found.body)["id"] == target["id"]
    listed = json.loads(c.request("GET", "statements").body)["statements"]
    assert [s["id"] for s in listed] == [void["id"]]
    assert c.post_statements(text(voiding(void["id"]))).status == 400


@BACKENDS
def test_paging_with_more_returns_every_statement_once_in_stored_order(
        hub: RunningHub) -> None:
    c = client(hub)
    sent = [statement(f"2026{n:04}") for n in range(23)]
    for start in range(0, 23, 5):
        batch = b"[" + b",".join(text(s) for s in sent[start:start + 5]) + b"]"
        assert c.post_statements(batch).status == 200
    seen, url = [], "statements?limit=4&ascending=true"
    while url:
        page = json.loads(c.request("GET", url.removeprefix("/xapi/")).body)
        seen += [s["id"] for s in page["statements"]]
        url = page["more"]
    assert seen == [s["id"] for s in sent]
    newest = json.loads(c.request("GET", "statements?limit=3").body)["statements"]
    assert [s["id"] for s in newest] == [s["id"] for s in sent[-1:-4:-1]]


@BACKENDS
def test_a_hub_clock_set_back_neither_reorders_nor_loses_statements(hub: RunningHub) -> None:
    """Stored times never go backwards, so `since` and paging still see everything."""
    device = hub.lrs.devices.get(hub.school.device.username)
    assert device is not None
    noon = datetime(2026, 11, 23, 12, tzinfo=UTC)
    first, second = statement("20260001"), statement("20260002")
    hub.lrs.store_statements([first], device, now=noon)
    hub.lrs.store_statements([second], device, now=noon - timedelta(hours=3))
    c = client(hub)
    since = quote((noon - timedelta(minutes=1)).isoformat())  # "+00:00"
    page = json.loads(c.request("GET", f"statements?ascending=true&since={since}").body)
    assert [s["id"] for s in page["statements"]] == [first["id"], second["id"]]
    stored = [s["stored"] for s in page["statements"]]
    assert stored == sorted(stored)


@BACKENDS
def test_filters_by_agent_verb_activity_registration_and_time(hub: RunningHub) -> None:
    c = client(hub)
    a, b = statement("20260001"), statement("20260002")
    assert c.post_statements(b"[" + text(a) + b"," + text(b) + b"]").status == 200
    agent = json.dumps({"account": {"homePage": SCHOOL, "name": "20260002"}})

    def ids(query: str) -> list[str]:
        answer = c.request("GET", "statements?" + query)
        assert answer.status == 200, answer.body
        return [s["id"] for s in json.loads(answer.body)["statements"]]

    assert ids(f"agent={quote(agent)}") == [b["id"]]
    assert ids(f"registration={a['context']['registration']}") == [a["id"]]
    assert len(ids("verb=" + quote("http://adlnet.gov/expapi/verbs/completed"))) == 2
    assert len(ids("activity=" + quote("urn:ai-classroom:experiment:teach_the_computer"))) == 2
    assert ids("until=2000-01-01T00:00:00Z") == []
    assert c.request("GET", "statements?since=yesterday").status == 400
    assert c.request("GET", "statements?colour=blue").status == 400


@BACKENDS
def test_each_school_sees_and_writes_only_its_own_learners(hub: RunningHub) -> None:
    c = client(hub)
    other = statement(home="https://other-school.example.edu.cn/")
    forbidden = c.post_statements(text(other))
    assert forbidden.status == 403
    district = client(hub, district=True)
    assert district.post_statements(text(other)).status == 200
    assert c.get_statement(other["id"]).status == 404
    assert json.loads(c.request("GET", "statements").body)["statements"] == []
    assert district.get_statement(other["id"]).status == 200


@BACKENDS
def test_credentials_headers_and_size_limits(hub: RunningHub) -> None:
    anonymous = LrsClient(hub.url, "", "")
    assert anonymous.about().status == 200  # the one endpoint open to all
    about = json.loads(anonymous.about().body)
    assert "1.0.3" in about["version"]
    assert anonymous.request("GET", "statements").status == 401
    wrong = LrsClient(hub.url, hub.school.device.username, "not-the-password")
    assert wrong.post_statements(text(statement())).status == 401
    c = client(hub)
    answer = c.request("GET", "statements")
    assert answer.status == 200
    import http.client
    from urllib.parse import urlsplit

    url = urlsplit(hub.url)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    conn.request("GET", "/xapi/statements", headers=dict(c._headers))
    response = conn.getresponse()
    response.read()
    assert response.getheader("X-Experience-API-Version") == "1.0.3"
    assert response.getheader("X-Experience-API-Consistent-Through")
    headers = {k: v for k, v in c._headers.items() if k != "X-Experience-API-Version"}
    conn.request("GET", "/xapi/statements", headers=headers)
    missing = conn.getresponse()
    missing.read()
    assert missing.status == 400
    conn.putrequest("POST", "/xapi/statements")  # a body too large is refused unread
    for name, value in {**c._headers, "Content-Type": "application/json",
                        "Content-Length": str(17 * 1024 * 1024)}.items():
        conn.putheader(name, value)
    conn.endheaders()
    assert conn.getresponse().status == 413


def test_database_connections_do_not_pile_up_with_client_connections(hub: RunningHub) -> None:
    """Each connection's thread closes its database connection when it ends (a class
    hub runs for days on the teacher PC)."""
    import time

    for _ in range(30):
        c = client(hub)
        assert c.request("GET", "statements?limit=1").status == 200
        c.close()
    deadline = time.monotonic() + 5
    while len(hub.lrs.storage._all) > 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(hub.lrs.storage._all) <= 2


def test_a_single_context_activity_comes_back_in_a_list(hub: RunningHub) -> None:
    """xAPI lets a client send one context activity alone; the LRS returns it in a list,
    a SubStatement's too, and keeps the rest of the statement as sent."""
    parent = {"objectType": "Activity", "id": "https://school.example.edu.cn/units/1"}
    s = statement()
    s["context"]["contextActivities"] = {"parent": parent}
    assert client(hub).post_statements(text(s)).status == 200
    returned = json.loads(client(hub).get_statement(s["id"]).body)
    assert returned["context"]["contextActivities"] == {"parent": [parent]}
    assert returned["result"] == s["result"] and returned["object"] == s["object"]


def test_an_activity_definition_may_be_empty_but_weeks_stand_alone(hub: RunningHub) -> None:
    s = statement()
    s["object"] = {"objectType": "Activity", "id": s["object"]["id"], "definition": {}}
    assert client(hub).post_statements(text(s)).status == 200
    late = statement()
    late["result"]["duration"] = "P4W1D"  # ISO 8601: weeks do not combine with days
    answer = client(hub).post_statements(text(late))
    assert answer.status == 400 and b"duration" in answer.body


def test_formats_ids_and_canonical(hub: RunningHub) -> None:
    """``ids``: an activity by its id alone; ``canonical``: each language map in the one
    language the reader asks for (Accept-Language), the first one if none matches."""
    s = statement()
    s["verb"]["display"] = {"en-US": "completed", "en-GB": "completed", "zh-CN": "完成了"}
    assert client(hub).post_statements(text(s)).status == 200
    query = {"statementId": s["id"]}
    _, body, _ = hub_request(hub, "GET", "statements", {**query, "format": "ids"})
    assert json.loads(body)["object"] == {"id": s["object"]["id"]}
    _, body, _ = hub_request(hub, "GET", "statements", {**query, "format": "canonical"},
                             headers={"Accept-Language": "zh-CN, en;q=0.5"})
    assert json.loads(body)["verb"]["display"] == {"zh-CN": "完成了"}
    _, body, _ = hub_request(hub, "GET", "statements", {**query, "format": "canonical"},
                             headers={"Accept-Language": "en-GB"})
    returned = json.loads(body)
    assert returned["verb"]["display"] == {"en-GB": "completed"}
    assert len(returned["object"]["definition"]["name"]) == 1
    _, body, _ = hub_request(hub, "GET", "statements", query,
                             headers={"Accept-Language": "en-GB"})
    assert json.loads(body)["verb"]["display"] == s["verb"]["display"]  # exact: as sent


def test_the_alternate_request_syntax_stands_for_the_request_it_carries(
        hub: RunningHub) -> None:
    """A client that can send only GET and POST (an old browser, a strict proxy) sends
    ``POST ?method=PUT`` with the parameters, headers and content as form fields."""
    s = statement()
    form = {"statementId": s["id"], "content": json.dumps(s), "X-Experience-API-Version":
            "1.0.3", "Content-Type": "application/json"}
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _ = hub_request(hub, "POST", "statements", {"method": "PUT"},
                               urlencode(form).encode(), form_type)
    assert status == 204
    status, body, _ = hub_request(hub, "POST", "statements", {"method": "GET"},
                                  urlencode({"statementId": s["id"]}).encode(), form_type)
    assert status == 200 and json.loads(body)["id"] == s["id"]
    # everything but ?method= goes in the form; a PUT without content is no PUT
    assert hub_request(hub, "POST", "statements", {"method": "PUT", "statementId": s["id"]},
                       urlencode(form).encode(), form_type)[0] == 400
    assert hub_request(hub, "POST", "statements", {"method": "PUT"},
                       urlencode({"statementId": s["id"]}).encode(), form_type)[0] == 400


@BACKENDS
def test_a_statement_pointing_at_a_match_matches_even_when_its_target_is_voided(
        hub: RunningHub) -> None:
    """A filter (here the verb) also finds the statements that target a matching one: its
    voiding and a StatementRef to it, though the voided target itself stays hidden."""
    verb = {"id": "https://school.example.edu.cn/verbs/presented", "display": {"en": "x"}}
    target = statement(verb=verb)
    c = client(hub)
    assert c.post_statements(text(target)).status == 200
    void = voiding(target["id"])
    reference = statement(object={"objectType": "StatementRef", "id": target["id"]})
    reference.pop("context")  # platform and revision belong to statements about activities
    assert c.post_statements(b"[" + text(void) + b"," + text(reference) + b"]").status == 200
    _, body, _ = hub_request(hub, "GET", "statements", {"verb": verb["id"]})
    found = {s["id"] for s in json.loads(body)["statements"]}
    assert found == {void["id"], reference["id"]}
