"""The dual-teacher pages, driven as teachers would, over a real session on loopback."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from classroom_app.core.session.recording import load_recording
from classroom_app.core.session.sharing import recordings_dir
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.lessons.player import LessonPlayerView
from classroom_app.ui.session.classroom_view import SessionClassroomView
from classroom_app.ui.session.host_view import SessionHostView
from classroom_app.ui.session.launcher_view import SessionLauncherView

LESSON = "p1-how-computers-see"


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "teacher.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 640, 480, "yuv420p"
        for i in range(75):
            image = np.full((480, 640, 3), 40, np.uint8)
            image[200:280, (i * 8) % 560:(i * 8) % 560 + 80] = (0, 0, 255)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


@pytest.fixture
def master(make_window, ctx, video):
    """The teacher's window hosting p1 on a free port, a video file as its camera."""
    window = make_window(teacher=True)
    window.services.sessions.port = 0
    window.teacher_page("session")
    launcher = window.pages["session"]
    assert isinstance(launcher, SessionLauncherView)
    launcher.lesson_box.setCurrentIndex(launcher.lesson_box.findData(LESSON))
    launcher.video_path = str(video)
    launcher.source_box.setCurrentIndex(1)
    launcher.record_check.setChecked(True)
    launcher.host.emit(ctx.library.get(LESSON), launcher.source(), True)
    view = window.pages["session"]
    assert isinstance(view, SessionHostView)
    return window, view


def test_classroom_finds_the_session_on_the_network(qtbot, master, ctx) -> None:
    """A classroom's join form lists the session a master hosts on the network; picking
    it fills in the address (the code is still typed by the local teacher)."""
    window, host_view = master
    sessions = window.services.sessions
    launcher = SessionLauncherView(ctx, sessions.runtime(), sessions.discovery.port)
    qtbot.addWidget(launcher)
    qtbot.waitUntil(lambda: len(launcher.found) == 1, timeout=8000)
    assert host_view.lesson.id in launcher.found[0].lesson
    launcher.found_list.setCurrentRow(0)
    launcher._pick_found()
    assert launcher.address.text().endswith(f":{host_view.host.port}")
    launcher.shutdown()


def _join(qtbot, window, host_view: SessionHostView, class_id: int | None = None,
          code: str | None = None) -> SessionClassroomView:
    qtbot.waitUntil(lambda: host_view.host is not None and host_view.host.url != "",
                    timeout=10000)
    host = host_view.host
    room = SessionClassroomView(window.ctx, window.services.sessions.runtime(), window.open_demo,
                                class_id)
    qtbot.addWidget(room)
    room.show()
    room.join(host.url, code or host.code, "四(2)班")
    return room


def test_master_and_classroom_follow_one_lesson(qtbot, master, school_class) -> None:
    """The classroom shows the master's video and steps; the quiz opens there, the class's
    counted answers and its raised hand reach the master's overview."""
    window, host_view = master
    room = _join(qtbot, window, host_view, school_class.id)
    qtbot.waitUntil(lambda: room.client is not None and room.client.status == "connected",
                    timeout=10000)
    qtbot.waitUntil(lambda: room.video.pixmap() is not None and not room.video.pixmap().isNull(),
                    timeout=10000)
    assert host_view.table.rowCount() == 1
    host_view.go_to(2)
    qtbot.waitUntil(lambda: room.panel.index == 2, timeout=5000)
    quiz = next(i for i, s in enumerate(host_view.lesson.steps) if s.type == "quiz")
    host_view.go_to(quiz)
    host_view.quiz_button.click()
    qtbot.waitUntil(lambda: room.panel.tally is not None, timeout=5000)
    right = min(host_view.lesson.steps[quiz].questions[0].correct)
    wrong = 0 if right else 1
    room.panel.tally.counts[0][right].setValue(20)
    room.panel.tally.counts[0][wrong].setValue(5)
    room.panel.tally.send_button.click()
    room.hand_button.click()
    letter = "ABCDEF"[right]
    qtbot.waitUntil(lambda: f"{letter} 20" in (host_view.table.item(0, 5) or _empty()).text(),
                    timeout=5000)
    qtbot.waitUntil(lambda: bool((host_view.table.item(0, 2) or _empty()).text()), timeout=5000)
    assert "80%" in host_view.overall.text()  # 20 of 25 chose the right option
    room.shutdown()


def test_local_teacher_pauses_and_takes_over(qtbot, master, school_class) -> None:
    """A local activity opens the lesson player; returning puts the room back on the
    master's step. Taking over the steps ignores the master until "follow" again."""
    window, host_view = master
    room = _join(qtbot, window, host_view, school_class.id)
    qtbot.waitUntil(lambda: room.lesson is not None, timeout=10000)
    room.activity_button.click()
    assert isinstance(room.local_player, LessonPlayerView)
    qtbot.waitUntil(lambda: "activity" in (host_view.table.item(0, 3) or _empty()).text()
                    or host_view.classrooms[0].local == "activity", timeout=5000)
    host_view.go_to(3)
    qtbot.wait(300)
    room.end_local_activity()
    qtbot.waitUntil(lambda: room.panel.index == 3, timeout=5000)
    room.take_over_button.click()
    room.next_button.click()
    assert room.panel.index == 4
    host_view.go_to(1)
    qtbot.wait(400)
    assert room.panel.index == 4  # the local teacher leads
    room.take_over_button.click()
    assert room.panel.index == 1
    room.shutdown()


def test_wrong_code_says_so(qtbot, master) -> None:
    """A mistyped session code gets a clear sentence, not an endless retry."""
    window, host_view = master
    room = _join(qtbot, window, host_view, code="000000" if host_view.host is None
                 or host_view.host.code != "000000" else "111111")
    qtbot.waitUntil(lambda: room.client is not None and room.client.status == "failed",
                    timeout=10000)
    qtbot.waitUntil(lambda: "会话码" in room.status_label.text(), timeout=5000)
    room.shutdown()


def test_recorded_session_replays_in_the_classroom_view(qtbot, master, on_modal) -> None:
    """Ending a recorded session keeps the recording; the classroom view replays it,
    following its steps and pausing at the quiz until the teacher continues."""
    window, host_view = master
    qtbot.waitUntil(lambda: host_view.host is not None and host_view.host.url != "",
                    timeout=10000)
    host_view.go_to(1)
    qtbot.wait(300)
    quiz = next(i for i, s in enumerate(host_view.lesson.steps) if s.type == "quiz")
    host_view.go_to(quiz)
    host_view.quiz_button.click()
    qtbot.wait(300)
    host_view.go_to(quiz + 1)
    qtbot.wait(300)
    asked = []

    def end_for_everyone(box) -> None:  # asked first; then no pack to save
        asked.append(box.text())
        on_modal(lambda dialog: dialog.done(QMessageBox.StandardButton.No),
                 when=lambda dialog: dialog is not box)
        box.button(QMessageBox.StandardButton.Yes).click()

    on_modal(end_for_everyone)
    host_view.end_button.click()
    qtbot.waitUntil(lambda: isinstance(window.pages["session"], SessionLauncherView),
                    timeout=15000)
    assert "所有教室" in asked[0]
    launcher = window.pages["session"]
    assert isinstance(launcher, SessionLauncherView)
    assert len(launcher.recordings) == 1
    folder = next(recordings_dir().iterdir())
    recording = load_recording(folder)
    assert [e.command.op for e in recording.events][-1] == "end"
    launcher.recording_list.setCurrentRow(0)
    launcher._replay()
    view = window.pages["session"]
    assert isinstance(view, SessionClassroomView)
    qtbot.waitUntil(lambda: view.cue_bar.isVisible(), timeout=10000)
    assert view.panel.index == quiz and view.panel.tally is not None
    assert not view.panel.tally.send_button.isVisible()
    view.continue_button.click()
    qtbot.waitUntil(lambda: view.panel.index == quiz + 1, timeout=5000)
    qtbot.waitUntil(lambda: "ended" in view.status_label.text()
                    or "结束" in view.status_label.text(), timeout=10000)
    view.leave()


def test_missing_camera_still_hosts(qtbot, make_window, ctx) -> None:
    """No camera: the master is told, and the session runs with voice and steps."""
    window = make_window(teacher=True)
    view = SessionHostView(ctx, window.services.sessions.runtime(), ctx.library.get(LESSON),
                           SourceSpec("camera", "9"), record=False, port=0)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.host is not None and view.host.url != "", timeout=15000)
    qtbot.waitUntil(lambda: view.host.code[:3] in view.code_label.text(), timeout=5000)
    assert view.notice.text()
    view.shutdown()
    QApplication.processEvents()


def _empty():
    from PySide6.QtWidgets import QTableWidgetItem

    return QTableWidgetItem("")


def test_open_demo_runs_the_demo_in_each_classroom(qtbot, master) -> None:
    """"Open the demo" is a command: each classroom opens the demo on its own PC (no
    screen streaming), once, and the step panel says so."""
    window, host_view = master
    qtbot.waitUntil(lambda: host_view.host is not None and host_view.host.url != "",
                    timeout=10000)
    opened: list[str] = []
    host = host_view.host
    room = SessionClassroomView(window.ctx, window.services.sessions.runtime(),
                                lambda demo, _params: opened.append(demo))
    qtbot.addWidget(room)
    room.join(host.url, host.code, "三(1)班")
    qtbot.waitUntil(lambda: room.lesson is not None, timeout=10000)
    demo_step = next(i for i, s in enumerate(host_view.lesson.steps) if s.type == "demo")
    host_view.go_to(demo_step)
    host_view.demo_button.click()
    qtbot.waitUntil(lambda: opened == [host_view.lesson.steps[demo_step].demo], timeout=5000)
    assert room.panel.activity.isVisibleTo(room)
    room.shutdown()


def test_the_classroom_status_says_exactly_what_arrives(qtbot, master, on_modal,
                                                        school_class) -> None:
    """The classroom's status names what really arrives (the picture and its size, no
    sound from a master PC without a microphone, the steps), then "voice only" once
    asked; ending the session asks the master first, and "No" keeps it going."""
    window, host_view = master
    room = _join(qtbot, window, host_view, school_class.id)
    qtbot.waitUntil(lambda: "画面 640×480" in room.status_label.text(), timeout=10000)
    text = room.status_label.text()
    assert "课程步骤" in text and "没有发来声音" in text and "只收声音" not in text
    room.voice_only_button.click()
    qtbot.waitUntil(lambda: "没有画面（只收声音" in room.status_label.text(), timeout=15000)
    on_modal(lambda box: box.button(QMessageBox.StandardButton.No).click())
    host_view.end_button.click()
    assert host_view.end_button.isEnabled() and not host_view.host.state.ended
    room.shutdown()


def test_a_replay_without_video_gives_the_lesson_the_room(qtbot, make_window, ctx,
                                                          on_modal) -> None:
    """A session recorded with no picture replays with the lesson steps across the
    whole view, not beside an empty video box."""
    window = make_window(teacher=True)
    window.services.sessions.port = 0
    window.sessions.host(ctx.library.get(LESSON), None, True)
    host_view = window.pages["session"]
    qtbot.waitUntil(lambda: host_view.host is not None and host_view.host.url != "",
                    timeout=10000)
    host_view.go_to(1)
    qtbot.wait(300)
    on_modal(lambda box: box.button(QMessageBox.StandardButton.No).click(),
             when=lambda box: "保存" in box.windowTitle() or "保存" in box.text())
    host_view.end(ask=False)
    qtbot.waitUntil(lambda: isinstance(window.pages["session"], SessionLauncherView),
                    timeout=15000)
    recording = load_recording(next(recordings_dir().iterdir()))
    assert recording.media is None
    window.sessions.replay(recording, None)
    view = window.pages["session"]
    assert isinstance(view, SessionClassroomView)
    assert not view.video.isVisible() and view.step_holder.width() > view.width() * 0.8
    assert "没有视频" in view.status_label.text()
    view.leave()


def test_a_locked_session_code_is_shown_and_the_master_issues_a_new_one(qtbot,
                                                                        master) -> None:
    """Wrong codes from many addresses lock the code; the master's screen says so and
    its button gives a new code, shown at once."""
    import http.client
    import json

    from classroom_app.core.session.host import LOCK_AFTER_WRONG_CODES

    window, host_view = master
    qtbot.waitUntil(lambda: host_view.host is not None and host_view.host.url != "",
                    timeout=10000)
    host = host_view.host
    old = host.code
    for n in range(LOCK_AFTER_WRONG_CODES):
        connection = http.client.HTTPConnection("127.0.0.1", host.port, timeout=5,
                                                source_address=(f"127.0.0.{2 + n // 5}", 0))
        wrong = "000000" if old != "000000" else "111111"
        connection.request("POST", "/offer", json.dumps(
            {"code": wrong, "classroom": "g", "sdp": "m=application"}),
            {"Content-Type": "application/json"})
        assert connection.getresponse().status == 403
        connection.close()
    qtbot.waitUntil(lambda: host_view.new_code_button.isVisibleTo(host_view), timeout=5000)
    assert "锁定" in host_view.notice.text()
    host_view.new_code_button.click()
    qtbot.waitUntil(lambda: host.code != old and not host.code_locked, timeout=5000)
    qtbot.waitUntil(lambda: f"{host.code[:3]} {host.code[3:]}" in host_view.code_label.text(),
                    timeout=5000)
    assert not host_view.new_code_button.isVisibleTo(host_view)
