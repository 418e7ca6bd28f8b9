"""The hand demos driven with pytest-qt on the real models, a video of real hand photos
standing in for the camera."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import pytest

from classroom_app.core.vision.held_out import END_OF_RECORDING, OTHER_RECORDINGS
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.demos.window import DemoWindow


def hand_video(path: Path, picture: Path, frames: int = 60) -> SourceSpec:
    """An MJPG video of a hand photo moving a little, as a webcam would see it."""
    image = cv2.resize(cv2.imread(str(picture)), (480, 640) if "victory" in picture.name
                       else (640, 480))
    h, w = image.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (w, h))
    for i in range(frames):
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), 6 * np.sin(i / 5),
                                         1 + 0.04 * np.sin(i / 4))
        matrix[0, 2] += 12 * np.sin(i / 7)
        writer.write(cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REFLECT))
    writer.release()
    return SourceSpec("video", str(path))


@pytest.fixture
def videos(tmp_path: Path, shared_testdata: Path) -> dict[str, SourceSpec]:
    hands = shared_testdata / "hands"
    return {"thumb": hand_video(tmp_path / "thumb.avi", hands / "thumbup_mps_hand_thumb_up.jpg"),
            "victory": hand_video(tmp_path / "victory.avi",
                                  hands / "victory_mps_hand_victory.jpg"),
            "nothing": hand_video(tmp_path / "cat.avi",
                                  shared_testdata / "objects" / "mps_cat.jpg", 20)}


def test_show_me_your_hand_names_the_gesture_and_draws_the_skeleton(qtbot, ctx, videos):
    window = DemoWindow(ctx.demos.get("hand_tracking"), {})
    qtbot.addWidget(window)
    window.show()
    view = window.view
    window.start(videos["thumb"])
    qtbot.waitUntil(lambda: view.shown_gesture() == "Thumb_Up", timeout=20000)
    assert view.gesture_labels[0].text().startswith("竖大拇指")
    assert view.hand_labels[0].text() in {"左手", "右手"}
    assert "每秒" in view.timing.text()
    assert not view.picture.pixmap().isNull()
    window.start(videos["victory"])
    qtbot.waitUntil(lambda: view.shown_gesture() == "Victory", timeout=20000)
    window.start(videos["nothing"])
    qtbot.waitUntil(lambda: view.hand_labels[0].text() == "没有看到手", timeout=20000)
    window.close()


def test_a_lesson_can_limit_the_gestures_named(qtbot, ctx, videos) -> None:
    window = DemoWindow(ctx.demos.get("hand_tracking"), {"gestures": ["Victory"], "hands": 1})
    qtbot.addWidget(window)
    view = window.view
    window.start(videos["thumb"])
    qtbot.waitUntil(lambda: view.last is not None and len(view.last.hands) > 0,
                    timeout=20000)
    assert view.shown_gesture() == "None"
    window.close()


def test_a_missing_video_or_camera_gives_a_message(qtbot, ctx, tmp_path: Path) -> None:
    window = DemoWindow(ctx.demos.get("hand_tracking"), {})
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.view.failed, timeout=10000) as failed:
        window.start(SourceSpec("video", str(tmp_path / "gone.avi")))
    assert "gone.avi" in failed.args[0]
    window.close()


def test_teach_gestures_records_trains_predicts_saves_and_exports(qtbot, ctx, videos,
                                                                  tmp_path: Path) -> None:
    info = ctx.store.add_class("三年级一班", "primary", 3, "2026-09-01")
    ctx.store.add_learners(info.id, [("20260702", "李小红")])
    learner = ctx.store.learners(info.id)[0]
    session = DemoSession(ctx.progress, info, learner)
    params = {"gestures": ["点赞", "比耶"], "seconds": 1.5}
    window = DemoWindow(ctx.demos.get("teach_gestures"), params, session)
    qtbot.addWidget(window)
    window.show()
    view = window.view
    assert [row[0].text() for row in view.rows] == ["点赞", "比耶"]
    for index, name in ((0, "thumb"), (1, "victory")):
        with qtbot.waitSignal(view.shown, timeout=20000):
            window.start(videos[name])
        with qtbot.waitSignal(view.recorded, timeout=20000):
            view.record(index)
        assert view.project.counts()[index] >= 5
    assert "个例子" in view.rows[0][1].text()
    with qtbot.waitSignal(view.trained, timeout=20000) as trained:
        view.train()
    model = trained.args[0]
    assert model.class_names == ("点赞", "比耶") and model.test_accuracy == 1.0
    assert "每类只收集了一次" in view.test_note.text()  # one recording each
    with qtbot.waitSignal(view.predicted, timeout=20000,
                          check_params_cb=lambda p: p.best[0] == "比耶"):
        pass  # the victory video is still playing
    assert "比耶" in view.guess.text()
    out = view.export_to(tmp_path / "gestures.onnx")
    session_ = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    names = json.loads(session_.get_modelmeta().custom_metadata_map["ai_classroom.labels"])
    assert names == ["点赞", "比耶"]
    texts = [json.loads(s["text"]) if "text" in s else s for s in ctx.store.statements()]
    assert any("teach_gestures" in json.dumps(t) for t in texts)
    window.close()
    # Reopened, the learner's project comes back with its examples and model.
    again = DemoWindow(ctx.demos.get("teach_gestures"), {}, session)
    qtbot.addWidget(again)
    assert again.view.project.counts() == view.project.counts()
    assert again.view.project.model is not None
    assert "%" in again.view.result.text()
    assert again.view.test_note.text() == view.test_note.text()
    again.close()


def test_each_recording_of_a_gesture_is_kept_and_the_test_says_how_it_chose(
        qtbot, ctx, videos) -> None:
    """"Record" pressed twice for the thumb adds a second recording (it no longer replaces
    the first); the test holds out a whole thumb recording and the end of the victory
    sign's only one, and says so; "Clear" starts a gesture over."""
    window = DemoWindow(ctx.demos.get("teach_gestures"),
                        {"gestures": ["点赞", "比耶"], "seconds": 1.5})
    qtbot.addWidget(window)
    window.show()
    view = window.view
    for index, name, times in ((0, "thumb", 2), (1, "victory", 1)):
        with qtbot.waitSignal(view.shown, timeout=20000):
            window.start(videos[name])
        for _ in range(times):
            before = view.project.counts()[index]
            with qtbot.waitSignal(view.recorded, timeout=20000):
                view.rows[index][2].click()  # "Record"
            assert view.project.counts()[index] >= before + 5
    thumbs = view.project.counts()[0]
    bursts = view.project.bursts()
    assert len(set(bursts[:thumbs])) == 2 and len(set(bursts[thumbs:])) == 1
    with qtbot.waitSignal(view.trained, timeout=20000) as trained:
        view.train()
    assert trained.args[0].test_rules == (OTHER_RECORDINGS, END_OF_RECORDING)
    assert view.test_note.text() == (
        "测试用的是你另外几次收集的例子或别的照片，训练时电脑没见过它们。"
        "“比耶”只收集了一次，用的是最后几个例子来测试。")
    assert view.test_note.isVisible()
    clear = view.rows[1][4]
    qtbot.waitUntil(lambda: not view.trainer.busy, timeout=10000)  # the buttons come back
    assert clear.text() == "清空" and clear.isEnabled()
    clear.click()
    assert view.project.counts()[1] == 0 and not clear.isEnabled()
    window.close()


def test_training_with_too_few_examples_says_what_to_do(qtbot, ctx) -> None:
    window = DemoWindow(ctx.demos.get("teach_gestures"), {})
    qtbot.addWidget(window)
    view = window.view
    view.train()
    qtbot.waitUntil(lambda: not view.trainer.busy, timeout=10000)
    assert "还没有例子" in view.message.text() or "例子" in view.message.text()
    view.add_gesture()
    assert len(view.rows) == 3
    view.remove_last_gesture()
    view.remove_last_gesture()  # two is the least
    assert len(view.rows) == 2
    window.close()
