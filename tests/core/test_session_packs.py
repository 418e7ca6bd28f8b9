"""A recorded session travels with its lesson pack: exported as .zip, imported like any pack."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import av
import pytest
from support.session_support import make_video

from classroom_app.core.lessons.importing import PackImportError
from classroom_app.core.lessons.pack import load_pack
from classroom_app.core.session.protocol import Command, LessonState
from classroom_app.core.session.recording import (
    SessionRecorder,
    lesson_recordings,
    load_recording,
)
from classroom_app.core.session.sharing import all_recordings, export_pack
from classroom_app.core.session.video import SessionFeed
from classroom_app.core.vision.sources import VideoFileSource


def _record(folder: Path, lesson_id: str, video: Path) -> Path:
    feed = SessionFeed(VideoFileSource(video))
    recorder = SessionRecorder(folder, lesson_id, "title")
    state = LessonState(lesson=lesson_id)
    recorder.start(feed, state)
    for step in (1, 2):
        time.sleep(0.3)
        state = state.after("step", step)
        recorder.event(Command(step, "step", step, state, time.time()))
    time.sleep(0.3)
    recorder.close()
    feed.close()
    return folder


def _renamed_pack(pack_copy, new_id: str) -> Path:
    """A copy of p1 under another id, so it can be imported beside the shipped one."""
    source = pack_copy()
    toml = source / "lesson.toml"
    toml.write_text(re.sub(r'^id = ".*"', f'id = "{new_id}"', toml.read_text("utf-8"),
                           count=1, flags=re.M), encoding="utf-8")
    return source.rename(source.parent / new_id)


def test_exported_pack_with_recording_imports_and_replays(ctx, pack_copy, tmp_path) -> None:
    """A master's recording, saved into its lesson pack as .zip, arrives in a classroom
    whole: the pack imports, and the recording is found with its steps and video."""
    pack = _renamed_pack(pack_copy, "p1-recorded")
    lesson = load_pack(pack).lesson
    assert lesson is not None
    recording = load_recording(_record(tmp_path / "rec", "p1-recorded",
                                       make_video(tmp_path / "v.mp4")))
    archive = export_pack(lesson, recording, tmp_path / "p1-recorded.zip")
    with zipfile.ZipFile(archive) as zf:
        assert "p1-recorded/recordings/rec/media.mp4" in zf.namelist()
    imported = ctx.import_lesson(archive)
    found, problems = lesson_recordings(imported.path)
    assert problems == []
    assert [r.lesson for r in found] == ["p1-recorded"]
    assert [e.command.value for e in found[0].events] == [0, 1, 2]
    assert found[0].media is not None and found[0].media.stat().st_size > 1000
    listed, _ = all_recordings([imported])
    assert [r.folder for r in listed] == [found[0].folder]


def test_recording_may_be_larger_than_a_lesson_file(ctx, pack_copy) -> None:
    """The 5 MB per-file limit is for lesson text and pictures; a recording's video may be
    larger, while a 6 MB picture is still refused."""
    pack = _renamed_pack(pack_copy, "p1-big-video")
    folder = pack / "recordings" / "r1"
    folder.mkdir(parents=True)
    (folder / "media.mp4").write_bytes(b"\0" * (6 * 1024 * 1024))
    assert load_pack(pack).lesson is not None
    ctx.import_lesson(pack)
    (pack / "images" / "huge.png").write_bytes(b"\0" * (6 * 1024 * 1024))
    with pytest.raises(PackImportError, match="5 MB"):
        ctx.import_lesson(pack, replace=True)


def test_broken_recording_is_reported_not_fatal(ctx, pack_copy, tmp_path) -> None:
    """A pack whose recording lost its video still imports; the recording list names
    the problem instead of failing."""
    pack = _renamed_pack(pack_copy, "p1-broken-rec")
    good = _record(pack / "recordings" / "good", "p1-broken-rec", make_video(tmp_path / "v.mp4"))
    broken = pack / "recordings" / "broken"
    broken.mkdir()
    for name in ("recording.json", "events.jsonl"):
        (broken / name).write_bytes((good / name).read_bytes())
    imported = ctx.import_lesson(pack)
    found, problems = lesson_recordings(imported.path)
    assert [r.name for r in found] == ["good"]
    assert len(problems) == 1 and "broken" in problems[0]


def test_recorded_voice_is_kept_and_replayed(tmp_path) -> None:
    """With a microphone the recording holds the voice (AAC) beside the video, and the
    replay hands both on, video frames and sound frames."""
    import asyncio

    from aiortc.mediastreams import AudioStreamTrack

    from classroom_app.core.session.host import SessionHost
    from classroom_app.core.session.replay import ReplayPlayer

    feed = SessionFeed(VideoFileSource(make_video(tmp_path / "v.mp4")))
    recorder = SessionRecorder(tmp_path / "voice", "m1", "t", with_audio=True)

    async def session() -> None:
        host = SessionHost("m1", feed=feed, audio=AudioStreamTrack(), recorder=recorder)
        await host.start("127.0.0.1", 0)
        await asyncio.sleep(0.4)
        host.send("step", 1)
        await asyncio.sleep(0.8)
        await host.stop()

    asyncio.run(session())
    feed.close()
    recording = load_recording(tmp_path / "voice")
    with av.open(str(recording.media)) as container:
        assert [s.type for s in container.streams] == ["video", "audio"]
    counts = {"video": 0, "audio": 0}
    player = ReplayPlayer(recording,
                          on_frame=lambda *_: counts.__setitem__("video", counts["video"] + 1),
                          on_audio=lambda _f: counts.__setitem__("audio", counts["audio"] + 1))
    player.start()
    player._thread.join(10)
    assert counts["video"] >= 10 and counts["audio"] >= 20
