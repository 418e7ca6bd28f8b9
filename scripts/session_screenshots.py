"""Screenshots of a live dual-teacher session for review, under Xvfb:

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/session_screenshots.py OUT

A real session on loopback: the master's overview hosting p1 with a video file standing
in for the camera, a classroom view joined to it (with the quiz open and the class's
answers counted), and a second, headless classroom that raised its hand. Then the
classroom view replaying a short recording, paused at its quiz cue. Chinese and English.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CLASSROOM_DATA_DIR", tempfile.mkdtemp(prefix="classroom-session-shots-"))

import av  # noqa: E402
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from shots import settle, shoot  # noqa: E402

from classroom_app.core import i18n  # noqa: E402
from classroom_app.core.context import open_context  # noqa: E402
from classroom_app.core.session.client import SessionClient  # noqa: E402
from classroom_app.core.session.discovery import Announcing  # noqa: E402
from classroom_app.core.session.protocol import AnswerSummary  # noqa: E402
from classroom_app.core.session.recording import load_recording  # noqa: E402
from classroom_app.core.session.runtime import SessionRuntime  # noqa: E402
from classroom_app.core.vision.sources import SourceSpec  # noqa: E402
from classroom_app.ui import theme  # noqa: E402
from classroom_app.ui.session.classroom_view import SessionClassroomView  # noqa: E402
from classroom_app.ui.session.host_view import SessionHostView  # noqa: E402
from classroom_app.ui.session.launcher_view import SessionLauncherView  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PHOTO = ROOT.parent / "shared" / "testdata" / "faces" / "mps_pose_woman.jpg"


def wait_for(check, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the session did not get there in time")
        settle(100)


def teacher_video(path: Path, seconds: float = 6) -> Path:
    """A slow pan over a photo of a person: a stand-in for the master's camera."""
    photo = cv2.imread(str(PHOTO))
    if photo is None:
        photo = np.full((720, 960, 3), 90, np.uint8)
    photo = cv2.resize(photo, (800, 600))
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
        for i in range(int(seconds * 25)):
            x = int(80 * (1 + np.sin(i / 40)))
            frame = np.ascontiguousarray(photo[60:540, x:x + 640])
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def loopback_announcing() -> Announcing:
    """Sessions announced to this PC only, on a free port (a script never broadcasts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return Announcing(probe.getsockname()[1], ("127.0.0.1",))


def live(ctx, runtime: SessionRuntime, video: Path, out: Path, lang: str, class_id: int) -> None:
    lesson = ctx.library.get("p1-how-computers-see")
    announcing = loopback_announcing()
    host_view = SessionHostView(ctx, runtime, lesson, SourceSpec("video", str(video)),
                                record=True, port=0, announce=announcing)
    host_view.resize(1280, 800)
    host_view.show()
    wait_for(lambda: host_view.host is not None and host_view.host.url != "")
    host = host_view.host
    url = f"{host.url}/?code={host.code}"
    room = SessionClassroomView(ctx, runtime, lambda *_: None, class_id)
    room.resize(1280, 760)
    room.show()
    room.join(url, "", "海淀实验小学 四(2)班" if lang == "zh_CN" else "Haidian Primary 4(2)")
    other = SessionClient(url, "", "密云第三小学 三(1)班" if lang == "zh_CN"
                          else "Miyun No. 3 Primary 3(1)")
    runtime.submit(other.run())
    wait_for(lambda: len([c for c in host.snapshot() if c.connected]) == 2)
    quiz = next(i for i, s in enumerate(lesson.steps) if s.type == "quiz")
    host_view.go_to(quiz)
    host_view.command("quiz", quiz)
    wait_for(lambda: room.panel.tally is not None)
    counted = ([27, 2, 3, 0], [3, 28, 1, 0], [26, 6], [20, 18, 15, 4], [4, 28])
    for row, counts in zip(room.panel.tally.counts, counted, strict=False):
        for spin, n in zip(row, counts, strict=False):
            spin.setValue(n)
    room.panel.tally.send_button.click()
    runtime.call(other.raise_hand, True)
    answers = ((22, 4, 3, 0), (5, 23, 1, 0), (20, 9), (17, 15, 12, 6), (7, 22))
    runtime.call(other.send_answers, AnswerSummary(lesson.steps[quiz].id, answers, 29))
    wait_for(lambda: sum(bool(c.answers) for c in host.snapshot()) == 2)
    settle(1500)
    shoot(room, out / f"session-classroom-{lang}.png", wait_ms=700)
    shoot(host_view, out / f"session-master-{lang}.png", wait_ms=700)
    launcher = SessionLauncherView(ctx, runtime, announcing.port)
    launcher.resize(1280, 760)
    launcher.show()
    wait_for(lambda: bool(launcher.found), 10)
    launcher.found_list.setCurrentRow(0)
    launcher._pick_found()
    shoot(launcher, out / f"session-launcher-{lang}.png", wait_ms=700)
    launcher.shutdown()
    launcher.close()
    recording = host_view.recorder.folder if host_view.recorder else None
    room.shutdown()
    runtime.submit(other.stop()).result(5)
    host_view.shutdown()
    host_view.close()
    room.close()
    if recording is not None:
        replay(ctx, runtime, recording, out, lang, class_id)


def replay(ctx, runtime: SessionRuntime, folder: Path, out: Path, lang: str,
           class_id: int) -> None:
    view = SessionClassroomView(ctx, runtime, lambda *_: None, class_id)
    view.resize(1280, 760)
    view.show()
    view.play(load_recording(folder))
    wait_for(lambda: view.cue_bar.isVisible(), 30)
    shoot(view, out / f"session-replay-{lang}.png", wait_ms=700)
    view.shutdown()
    view.close()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    theme.apply(app)
    video = teacher_video(Path(tempfile.mkdtemp()) / "teacher.mp4")
    runtime = SessionRuntime()
    for lang in ("zh_CN", "en"):
        ctx = open_context(lang)
        i18n.set_language(lang)
        class_id = ctx.store.add_class("四(2)班", "primary", 4, "2026-09-01").id
        live(ctx, runtime, video, out, lang, class_id)
        ctx.close()
    runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
