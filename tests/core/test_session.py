"""Live sessions: a real host and real classrooms (aiortc) on loopback, no mocks.

Each test runs its own asyncio loop; waiting is done by polling with short timeouts.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from pathlib import Path

import pytest
from aiortc.mediastreams import AudioStreamTrack
from support.session_support import (
    LESSON,
    Running,
    free_port,
    live_session,
    make_video,
    poll,
    wait_for,
)

from classroom_app.core import i18n
from classroom_app.core.session.client import SessionClient
from classroom_app.core.session.discovery import parse_announcement
from classroom_app.core.session.protocol import (
    MAX_MESSAGE_BYTES,
    AnswerSummary,
    Command,
    LessonState,
    ProtocolError,
    command_from,
    decode,
)
from classroom_app.core.session.recording import (
    RecordedEvent,
    RecordingError,
    SessionRecorder,
    lesson_recordings,
    load_recording,
)
from classroom_app.core.session.replay import ReplayPlayer, ReplayTimeline
from classroom_app.core.session.video import LEVELS, next_level

WRONG_CODE = "The session code is wrong. Ask the master teacher for it."


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("session-video") / "master.mp4")


# -- media and commands ------------------------------------------------------------------------
def test_two_classrooms_get_video_voice_and_every_command_in_order(video: Path) -> None:
    """Both classrooms of a session receive the master's 640×480 video and voice, and a
    burst of commands arrives at each in the order sent, every sequence number once."""

    async def scenario() -> None:
        async with live_session(video, audio=AudioStreamTrack()) as live:
            rooms = [live.join("room A"), live.join("room B")]
            await live.connected()
            await wait_for(lambda: all(r.stats.frames > 10 and r.stats.audio_frames > 0
                                       for r in rooms), 8, "video and audio frames")
            for room in rooms:
                assert (room.stats.width, room.stats.height) == (640, 480)
            first = live.host.seq + 1
            sent = [live.host.send("step", n).seq for n in range(20)]
            assert sent == list(range(first, first + 20))
            await wait_for(lambda: all(r.applied_seq == sent[-1] for r in rooms), 5,
                           "the last command at both classrooms")
            for room in rooms:
                seqs = [c["seq"] for c in room.stats.commands]
                assert seqs == sent
                assert [c["value"] for c in room.stats.commands] == list(range(20))
                assert room.state == live.host.state and room.state.step == 19

    asyncio.run(scenario())


def test_answers_and_raised_hand_reach_the_master() -> None:
    """A classroom's quiz answers (as counts) and its raised hand show in the master's
    overview (``snapshot``)."""

    async def scenario() -> None:
        async with live_session() as live:
            room = live.join("room A")
            await live.connected()
            summary = AnswerSummary("s7", ((3, 5, 2), (1, 9)), learners=10)
            assert room.send_answers(summary)
            room.raise_hand(True)

            def arrived() -> bool:
                status = live.status(room)
                return bool(status and status.hand and "s7" in status.answers)

            await wait_for(arrived, 5, "the answers and the hand at the master")
            status = live.status(room)
            assert status is not None and status.name == "room A" and status.connected
            assert status.answers["s7"] == summary
            room.raise_hand(False)
            await wait_for(lambda: not live.status(room).hand, 5, "the hand lowered")

    asyncio.run(scenario())


# -- joining that cannot work ------------------------------------------------------------------
def test_wrong_code_fails_at_once_and_nothing_listening_keeps_retrying() -> None:
    """A wrong session code ends joining with a clear message and no retry loop; an
    address where nothing listens is retried ("reconnecting") and never counts as joined."""
    i18n.set_language("en")

    async def scenario() -> None:
        async with live_session(code="123456") as live:
            seen: list[tuple[str, str]] = []
            wrong = live.join("room A", code="654321",
                              on_status=lambda status, detail: seen.append((status, detail)))
            await asyncio.wait_for(live.tasks[0], 5)  # run() returns: no retrying
            assert wrong.status == "failed" and seen[-1] == ("failed", WRONG_CODE)
            assert wrong.stats.reconnects == 0 and wrong.stats.connect_s is None
            assert live.host.snapshot() == []

        nobody = SessionClient(f"http://127.0.0.1:{free_port()}", "123456", "room B")
        task = asyncio.ensure_future(nobody.run())
        await wait_for(lambda: nobody.stats.reconnects >= 2, 6, "two failed attempts")
        assert nobody.status == "reconnecting" and nobody.stats.connect_s is None
        assert not task.done()
        await nobody.stop()
        await asyncio.wait_for(task, 6)
        assert nobody.status == "stopped" and nobody.stats.connect_s is None

    asyncio.run(scenario())


# -- reconnecting ------------------------------------------------------------------------------
def test_a_cut_classroom_reconnects_resyncs_and_delivers_its_answers(video: Path) -> None:
    """After its link is cut while the master goes on, a classroom reconnects by itself,
    ends in the master's latest state, gets video again, and answers it gave while
    disconnected reach the master."""

    async def scenario() -> None:
        async with live_session(video) as live:
            room = live.join("room A")
            await live.connected()
            await wait_for(lambda: room.stats.frames > 5, 5, "video before the cut")
            stop = asyncio.Event()

            async def teach() -> None:
                step = 0
                while not stop.is_set():
                    step += 1
                    live.host.send("step", step)
                    await asyncio.sleep(0.1)

            teaching = asyncio.ensure_future(teach())
            await asyncio.sleep(0.3)
            await live.host.cut(room.classroom)
            await wait_for(lambda: room.status != "connected", 5, "the classroom to notice")
            offline = AnswerSummary("s3", ((4, 6),), learners=10)
            assert not room.send_answers(offline)  # kept for later
            await wait_for(lambda: room.status == "connected", 10, "the reconnect")
            assert room.stats.reconnects >= 1
            frames = room.stats.frames
            await asyncio.sleep(0.3)
            live.host.send("quiz", 2)
            stop.set()
            await teaching
            await wait_for(lambda: room.applied_seq == live.host.seq, 5, "the latest command")
            assert room.state == live.host.state
            assert room.state == LessonState(LESSON, 2, "quiz")
            await wait_for(lambda: room.stats.frames > frames + 10, 5, "video after the cut")

            def delivered() -> bool:
                status = live.status(room)
                return bool(status and status.connected and "s3" in status.answers)

            await wait_for(delivered, 5, "the offline answers at the master")
            assert live.status(room).answers["s3"] == offline

    asyncio.run(scenario())


# -- adapting the video ------------------------------------------------------------------------
def test_a_classroom_can_ask_for_less_video_and_for_voice_only(video: Path) -> None:
    """prefer("low") brings the video down to 320×240; prefer("audio") stops the video."""

    async def scenario() -> None:
        async with live_session(video) as live:
            room = live.join("room A")
            await live.connected()
            await wait_for(lambda: room.stats.width == 640, 5, "full-size video")
            room.prefer("low")
            await wait_for(lambda: (room.stats.width, room.stats.height) == (320, 240), 5,
                           "320×240 frames")
            assert live.status(room).video == "low"
            room.prefer("audio")
            await wait_for(lambda: room.stats.video_level == "audio", 5, "the audio level")
            assert live.status(room).video == "audio"
            await asyncio.sleep(0.4)  # frames already on their way
            frames = room.stats.frames
            await asyncio.sleep(1.0)
            assert room.stats.frames == frames

    asyncio.run(scenario())


def test_next_level_steps_down_on_a_bad_link_and_up_after_good_reports() -> None:
    """The adaptation rule: down one level on few frames or much loss, up one after three
    good reports, never beyond the ends."""
    high, medium, low, audio = range(len(LEVELS))
    assert next_level(high, 25, 10, 0.0, 0) == medium  # fewer than 60 % of the frames
    assert next_level(medium, 15, 15, 0.10, 0) == low  # more than 8 % lost
    assert next_level(audio, 0, 0, 0.5, 0) == audio  # nothing below voice only
    assert next_level(low, 8, 8, 0.0, 2) == low
    assert next_level(low, 8, 8, 0.0, 3) == medium
    assert next_level(high, 25, 25, 0.0, 9) == high
    assert [q.name for q in LEVELS] == ["high", "medium", "low", "audio"]


def _event(t: float, seq: int, op: str, value: int | str | None,
           state: LessonState) -> RecordedEvent:
    return RecordedEvent(t, Command(seq, op, value, state))


def test_replay_timeline_hands_out_due_commands_and_stops_after_a_cue() -> None:
    """The replay's pure timeline: commands come out when due, a cue ends the batch, and
    state_at gives the lesson state at any point."""
    s0 = LessonState("x")
    s1, s2 = s0.after("step", 1), s0.after("step", 1).after("quiz")
    s3 = s2.after("step", 2)
    timeline = ReplayTimeline((_event(0.0, 0, "step", 0, s0), _event(1.0, 1, "step", 1, s1),
                               _event(2.0, 2, "quiz", None, s2), _event(2.0, 3, "step", 2, s3)))
    assert [e.command.seq for e in timeline.due(0.5)] == [0]
    assert timeline.due(0.9) == []
    assert [e.command.seq for e in timeline.due(5.0)] == [1, 2]  # stops at the cue
    assert [e.command.seq for e in timeline.due(5.0)] == [3]
    assert timeline.done and timeline.due(9.0) == []
    assert timeline.state_at(1.5) == s1 and timeline.state_at(2.0) == s3
    assert timeline.state_at(-1) == LessonState()


# -- recording and replay ----------------------------------------------------------------------
def test_a_recorded_session_replays_in_time_and_pauses_at_the_quiz(video: Path,
                                                                   tmp_path: Path) -> None:
    """A recorded session keeps its commands with their times and its video; the replay
    fires each command when it was given, pauses at the quiz until resumed, and shows
    the video."""
    folder = tmp_path / "recording"

    async def record() -> None:
        recorder = SessionRecorder(folder, LESSON, "How computers see")
        async with live_session(video, recorder=recorder) as live:
            for op, value in (("step", 1), ("step", 2), ("quiz", None), ("close-quiz", None),
                              ("step", 3)):
                await asyncio.sleep(0.4)
                live.host.send(op, value)
            await asyncio.sleep(0.3)

    asyncio.run(record())
    recording = load_recording(folder)
    assert recording.lesson == LESSON and recording.media is not None
    assert [(e.command.op, e.command.value) for e in recording.events] == [
        ("step", 0), ("step", 1), ("step", 2), ("quiz", None), ("close-quiz", None),
        ("step", 3), ("end", None)]
    times = [e.t for e in recording.events]
    assert times == sorted(times) and 0.3 < times[1] < 0.7 and recording.duration >= times[-1]
    assert recording.events[3].cue and recording.events[3].command.state.activity == "quiz"

    fired: list[tuple[RecordedEvent, float]] = []
    frames: list[float] = []
    ended: list[str] = []
    player = ReplayPlayer(recording, on_frame=lambda image, t: frames.append(t),
                          on_event=lambda event, position: fired.append((event, position)),
                          on_end=ended.append)
    player.start()
    try:
        poll(lambda: player.waiting_cue is not None, 5, "the quiz cue")
        assert player.paused and player.waiting_cue is recording.events[3]
        count, position = len(fired), player.position
        time.sleep(0.5)
        assert len(fired) == count == 4 and player.position == position
        player.resume()
        poll(lambda: ended, 8, "the end of the replay")
    finally:
        player.stop()
    assert ended == [""]
    assert [event for event, _ in fired] == list(recording.events)
    for event, position in fired:
        assert abs(position - event.t) < 0.25, (event, position)
    assert len(frames) > 10 and frames == sorted(frames)


def _write_recording(folder: Path, lines: list[str], media: str | None = None) -> Path:
    folder.mkdir(parents=True)
    manifest = {"format": 1, "lesson": LESSON, "title": "t", "created": "2026-01-01T08:00:00",
                "duration": 2.0, "media": media}
    (folder / "recording.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "events.jsonl").write_text("".join(line + "\n" for line in lines),
                                         encoding="utf-8")
    return folder


def _line(t: float, seq: int, step: int) -> str:
    state = LessonState(LESSON, step)
    return json.dumps({"t": t, **Command(seq, "step", step, state).to_message()})


def test_damaged_recordings_are_refused_with_the_reason(tmp_path: Path) -> None:
    """A damaged lesson-log line is reported with its number; a last line cut short (the
    master was stopped) is tolerated; a missing media file is refused; a lesson pack's
    recordings list the good ones and why the others cannot be played."""
    i18n.set_language("en")
    good = [_line(0.0, 0, 0), _line(0.5, 1, 1), _line(1.0, 2, 2)]
    damaged = _write_recording(tmp_path / "damaged", [good[0], "{not json", good[2]])
    with pytest.raises(RecordingError, match="line 2 of the lesson log"):
        load_recording(damaged)
    truncated = _write_recording(tmp_path / "truncated", [*good[:2], good[2][:25]])
    assert [e.command.value for e in load_recording(truncated).events] == [0, 1]
    no_media = _write_recording(tmp_path / "no-media", good, media="media.mp4")
    with pytest.raises(RecordingError, match="lacks its media file"):
        load_recording(no_media)

    pack = tmp_path / "pack"
    _write_recording(pack / "recordings" / "monday", good)
    _write_recording(pack / "recordings" / "tuesday", [good[0], "[]", good[2]])
    found, problems = lesson_recordings(pack)
    assert [r.name for r in found] == ["monday"] and len(found[0].events) == 3
    assert len(problems) == 1 and "tuesday" in problems[0] and "line 2" in problems[0]
    assert lesson_recordings(tmp_path / "no-such-pack") == ([], [])


# -- the protocol ------------------------------------------------------------------------------
def test_decode_refuses_what_is_not_a_small_message_object() -> None:
    """Only small JSON objects with a type are messages."""
    assert decode('{"type":"ping","seq":3}') == {"type": "ping", "seq": 3}
    for bad in ("not json", "[1, 2]", '"text"', '{"seq": 1}', '{"type": 5}', b"\xff\xfe"):
        with pytest.raises(ProtocolError):
            decode(bad)
    big = '{"type":"x","pad":"' + "a" * MAX_MESSAGE_BYTES + '"}'
    with pytest.raises(ProtocolError, match="too large"):
        decode(big)


def test_command_from_refuses_unknown_or_malformed_commands() -> None:
    """A command must name a known operation and carry a number and a state."""
    state = LessonState("x", 2, "quiz")
    command = Command(7, "quiz", 2, state, 1.5)
    assert command_from(command.to_message()) == command
    for bad in ({**command.to_message(), "op": "format-disk"},
                {**command.to_message(), "seq": "seven"},
                {**command.to_message(), "value": [1]},
                {**command.to_message(), "state": "quiz"},
                {"type": "command", "op": "step"}):
        with pytest.raises(ProtocolError):
            command_from(bad)


def test_lesson_state_transitions() -> None:
    """Each command leads to the state the classrooms show."""
    start = LessonState("x")
    assert start.after("step", 3) == LessonState("x", 3)
    assert start.after("step", -2).step == 0
    quiz = start.after("step", 3).after("quiz")
    assert (quiz.step, quiz.activity) == (3, "quiz")
    assert start.after("quiz", 5) == LessonState("x", 5, "quiz")
    assert quiz.after("close-quiz") == LessonState("x", 3)
    demo = quiz.after("demo", "face")
    assert demo.activity == "demo:face" and demo.demo == "face" and quiz.demo is None
    assert demo.after("step", 4) == LessonState("x", 4)
    assert demo.after("end") == LessonState("x", 3, "", True)
    with pytest.raises(ProtocolError):
        start.after("rewind")


# -- the command line --------------------------------------------------------------------------
def test_cli_host_and_join_follow_the_lesson_and_record(video: Path, tmp_path: Path,
                                                        data_dir: Path) -> None:
    """``classroom session host`` prints an address a classroom can join with ``classroom
    session join``; typed steps reach the classroom, its report shows video and commands,
    and the host's recording can be loaded."""
    record = tmp_path / "rec"
    report = tmp_path / "report.json"
    beacon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    beacon.bind(("127.0.0.1", 0))
    beacon.settimeout(10)
    host = Running("session", "host", "--video", str(video), "--port", "0", "--no-mic",
                   "--lesson", LESSON, "--record", str(record), "--announce-to", "127.0.0.1",
                   "--announce-port", str(beacon.getsockname()[1]), data_dir=data_dir)
    join = None
    try:
        url = host.expect(r"http://127\.0\.0\.1:\d+/\?code=\w+").group(0)
        heard = parse_announcement(beacon.recv(2048), "127.0.0.1")
        assert heard is not None and heard.lesson == LESSON and heard.url in url
        join = Running("session", "join", url, "--duration", "4", "--report", str(report),
                       "--name", "room A", data_dir=data_dir)
        host.expect(r"room A joined", 10)
        host.send("step 2")
        host.expect(r"Sent: step 2 of 8")
        join.expect(r"Master: step 2$")
        host.send("quiz")
        join.expect(r"Master: step 2, quiz open")
        host.send("status")
        host.expect(r"room A: connected")
        assert join.finish(15) == 0, join.output
        host.expect(r"room A left")
        host.send("quit")
        assert host.finish(15) == 0, host.output
    finally:
        host.kill()
        beacon.close()
        if join is not None:
            join.kill()
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["connect_s"] is not None and data["connect_s"] < 4
    assert data["frames"] > 0 and data["fps"] > 0
    assert (data["width"], data["height"]) == (640, 480)
    ops = [(c["op"], c["value"]) for c in data["commands"]]
    assert ops == [("step", 1), ("quiz", 1)]
    assert data["latency_ms_median"] is not None and data["reconnects"] == 0
    recording = load_recording(record)
    assert recording.lesson == LESSON and recording.media is not None
    assert [(e.command.op, e.command.value) for e in recording.events] == [
        ("step", 0), ("step", 1), ("quiz", 1), ("end", None)]


def test_cli_join_with_a_wrong_code_fails(data_dir: Path) -> None:
    """``classroom session join`` with a wrong code says so and exits 1 at once."""
    host = Running("session", "host", "--port", "0", "--no-mic", "--bind", "127.0.0.1",
                   "--code", "424242", "--no-announce", data_dir=data_dir)
    try:
        port = host.expect(r"http://127\.0\.0\.1:(\d+)/\?code=424242").group(1)
        join = Running("session", "join", f"127.0.0.1:{port}", "--code", "111111",
                       "--duration", "10", data_dir=data_dir)
        started = time.monotonic()
        assert join.finish(8) == 1
        assert time.monotonic() - started < 8
        assert WRONG_CODE in join.output
        host.send("end")
        assert host.finish(10) == 0
    finally:
        host.kill()


# -- places ----------------------------------------------------------------------------------
def test_places_free_when_classrooms_leave_and_a_restarted_pc_rejoins_in_its_place(
        monkeypatch) -> None:
    """With room for two: classrooms that left give their places to new ones (the
    session used to refuse everyone once that many had ever joined), and a classroom
    PC that was restarted (a new id, the same name) comes back in its old place with
    what the master knew of it."""
    from classroom_app.core.session import host as host_module

    monkeypatch.setattr(host_module, "MAX_CLASSROOMS", 2)
    monkeypatch.setattr(host_module, "SILENT_AFTER_S", 1.5)

    async def scenario() -> None:
        async with live_session() as live:
            first, second = live.join("room A"), live.join("room B")
            await live.connected()
            await first.stop()
            await wait_for(lambda: not live.status(first).connected, 8, "room A to leave")
            third = live.join("room C")
            await wait_for(lambda: third.status == "connected", 8, "room C in A's place")
            assert [s.name for s in live.host.snapshot()] == ["room B", "room C"]
            second.raise_hand(True)
            await wait_for(lambda: live.status(second).hand, 5, "room B's hand")
            await second.stop()
            await wait_for(lambda: not live.status(second).connected, 8, "room B to go off")
            restarted = live.join("room B")
            assert restarted.classroom != second.classroom
            await wait_for(lambda: restarted.status == "connected", 8, "room B back")
            snapshot = live.host.snapshot()
            assert [(s.id, s.name) for s in snapshot] == [
                (restarted.classroom, "room B"), (third.classroom, "room C")]
            assert snapshot[0].hand and snapshot[0].connected
            fourth = live.join("room D")  # both places taken by classrooms still there
            await wait_for(lambda: fourth.status == "failed", 8, "room D refused")

    asyncio.run(scenario())
