"""The hub's document resources (State, Activity Profile, Agent Profile) with their
ETags and preconditions, and the Agents and Activities resources, over real HTTP on
loopback; on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import time
import uuid

from support.sync_support import BACKENDS, SCHOOL, RunningHub, hub_request

from classroom_app.core import xapi
from classroom_app.core.sync.lrs_client import LrsClient

call = hub_request  # one request as an xAPI client sends it: (status, body, headers)
ACTIVITY = "https://school.example.edu.cn/activities/teach"
AGENT = json.dumps({"objectType": "Agent", "account": {"homePage": SCHOOL, "name": "20260001"}})


def state(**more: str) -> dict[str, str]:
    return {"activityId": ACTIVITY, "agent": AGENT, **more}


@BACKENDS
def test_a_state_document_is_kept_as_sent_merged_listed_and_deleted(hub: RunningHub) -> None:
    first = json.dumps({"round": 1, "classes": ["猫", "狗"]}).encode()
    json_type = {"Content-Type": "application/json"}
    assert call(hub, "PUT", "activities/state", state(stateId="progress"), first,
                json_type)[0] == 204
    status, body, headers = call(hub, "GET", "activities/state", state(stateId="progress"))
    assert status == 200 and body == first
    assert headers["Content-Type"] == "application/json"
    assert headers["ETag"] == f'"{hashlib.sha1(first).hexdigest()}"'
    assert headers["Last-Modified"].endswith(" GMT")
    # POST merges one level deep: "round" is replaced, "classes" kept
    assert call(hub, "POST", "activities/state", state(stateId="progress"),
                b'{"round": 2}', json_type)[0] == 204
    merged = json.loads(call(hub, "GET", "activities/state", state(stateId="progress"))[1])
    assert merged == {"round": 2, "classes": ["猫", "狗"]}
    # a picture is kept byte for byte with its own type
    picture = bytes(range(256)) * 4
    assert call(hub, "PUT", "activities/state", state(stateId="picture"), picture,
                {"Content-Type": "image/png"})[0] == 204
    status, body, headers = call(hub, "GET", "activities/state", state(stateId="picture"))
    assert (status, body, headers["Content-Type"]) == (200, picture, "image/png")
    ids = json.loads(call(hub, "GET", "activities/state", state())[1])
    assert sorted(ids) == ["picture", "progress"]
    assert call(hub, "DELETE", "activities/state", state(stateId="picture"))[0] == 204
    assert call(hub, "GET", "activities/state", state(stateId="picture"))[0] == 404
    assert call(hub, "DELETE", "activities/state", state())[0] == 204
    assert json.loads(call(hub, "GET", "activities/state", state())[1]) == []


def test_since_and_registration_choose_which_state_documents_are_listed(
        hub: RunningHub) -> None:
    registration = str(uuid.uuid4())
    call(hub, "PUT", "activities/state", state(stateId="old"), b"1")
    time.sleep(0.01)
    middle = xapi.format_timestamp(xapi.now())
    time.sleep(0.01)
    call(hub, "PUT", "activities/state", state(stateId="new"), b"2")
    call(hub, "PUT", "activities/state", state(stateId="other", registration=registration),
         b"3")
    assert json.loads(call(hub, "GET", "activities/state", state(since=middle))[1]) == ["new"]
    assert json.loads(call(hub, "GET", "activities/state",
                           state(registration=registration))[1]) == ["other"]


def test_bad_parameters_are_refused_and_change_nothing(hub: RunningHub) -> None:
    call(hub, "PUT", "activities/state", state(stateId="kept"), b'{"a": 1}',
         {"Content-Type": "application/json"})
    for params in ({"agent": AGENT, "stateId": "x"},  # no activityId
                   {"activityId": ACTIVITY, "stateId": "x"},  # no agent
                   state(stateId="x", agent="not json"),
                   state(stateId="x", agent='{"name": "no identifier"}'),
                   state(stateId="x", registration="not-a-uuid"),
                   state(stateId="x", since="yesterday"),
                   {"activityId": ACTIVITY, "agent": AGENT, "stateId": ""}):
        assert call(hub, "PUT", "activities/state", params, b"{}")[0] == 400, params
    assert call(hub, "GET", "activities/state", state(since="yesterday"))[0] == 400
    # merging needs JSON objects on both sides
    assert call(hub, "POST", "activities/state", state(stateId="kept"), b"[1, 2]",
                {"Content-Type": "application/json"})[0] == 400
    assert call(hub, "POST", "activities/state", state(stateId="kept"), b"{not json",
                {"Content-Type": "application/json"})[0] == 400
    assert call(hub, "POST", "activities/state", state(stateId="kept"), b"plain",
                {"Content-Type": "text/plain"})[0] == 400
    assert call(hub, "GET", "activities/state", state(stateId="kept"))[1] == b'{"a": 1}'


@BACKENDS
def test_a_profile_is_replaced_only_by_whoever_read_its_current_version(
        hub: RunningHub) -> None:
    params = {"activityId": ACTIVITY, "profileId": "rubric"}
    json_type = {"Content-Type": "application/json"}
    # a PUT must say what it expects: nothing there yet (If-None-Match: *) or a version
    assert call(hub, "PUT", "activities/profile", params, b'{"v": 1}', json_type)[0] == 400
    assert call(hub, "PUT", "activities/profile", params, b'{"v": 1}',
                {**json_type, "If-None-Match": "*"})[0] == 204
    status, _, headers = call(hub, "GET", "activities/profile", params)
    etag = headers["ETag"]
    assert status == 200 and etag.startswith('"') and etag.endswith('"')
    assert call(hub, "PUT", "activities/profile", params, b'{"v": 2}',
                {**json_type, "If-None-Match": "*"})[0] == 412
    assert call(hub, "PUT", "activities/profile", params, b'{"v": 2}', json_type)[0] == 409
    assert call(hub, "PUT", "activities/profile", params, b'{"v": 2}',
                {**json_type, "If-Match": '"0000"'})[0] == 412
    assert call(hub, "GET", "activities/profile", params)[1] == b'{"v": 1}'
    assert call(hub, "PUT", "activities/profile", params, b'{"v": 2}',
                {**json_type, "If-Match": etag})[0] == 204
    assert call(hub, "GET", "activities/profile", params)[1] == b'{"v": 2}'
    agent_profile = {"agent": AGENT, "profileId": "settings"}
    assert call(hub, "PUT", "agents/profile", agent_profile, b"{}",
                {**json_type, "If-None-Match": "*"})[0] == 204
    assert json.loads(call(hub, "GET", "agents/profile", {"agent": AGENT})[1]) == ["settings"]
    assert call(hub, "DELETE", "agents/profile", {"agent": AGENT})[0] == 400
    assert call(hub, "DELETE", "agents/profile", agent_profile)[0] == 204


def test_each_school_sees_only_its_own_documents(hub: RunningHub) -> None:
    call(hub, "PUT", "activities/state", state(stateId="district-only"), b"x", district=True)
    assert json.loads(call(hub, "GET", "activities/state", state())[1]) == []
    assert json.loads(call(hub, "GET", "activities/state", state(), district=True)[1]) \
        == ["district-only"]


def test_agents_and_activities_say_what_the_hub_knows(hub: RunningHub) -> None:
    status, body, _ = call(hub, "GET", "agents", {"agent": AGENT})
    assert status == 200 and json.loads(body) == {
        "objectType": "Person", "account": [{"homePage": SCHOOL, "name": "20260001"}]}
    assert call(hub, "GET", "agents", {})[0] == 400
    client = LrsClient(hub.url, hub.school.device.username, hub.school.password)
    made = [json.loads(xapi.make_statement(
        xapi.actor(SCHOOL, "20260001"), "completed",
        xapi.experiment_activity("teach_the_computer", title),
        xapi.demo_context(str(uuid.uuid4()), "primary", None)).text)
        for title in ({"zh_CN": "教计算机"}, {"en": "Teach the computer"})]
    assert client.post_statements(json.dumps(made).encode()).status == 200
    activity_id = made[0]["object"]["id"]
    status, body, _ = call(hub, "GET", "activities", {"activityId": activity_id})
    found = json.loads(body)
    assert status == 200 and found["id"] == activity_id
    names = [m["object"]["definition"]["name"] for m in made]
    assert found["definition"]["name"] == {**names[0], **names[1]}
    assert len(found["definition"]["name"]) == 2  # each statement named it in one language
    assert call(hub, "GET", "activities", {})[0] == 400


def test_every_answer_to_a_statements_get_says_how_far_reads_are_consistent(
        hub: RunningHub) -> None:
    status, _, headers = call(hub, "GET", "statements", {"limit": "not a number"})
    assert status == 400 and headers["X-Experience-API-Consistent-Through"]
