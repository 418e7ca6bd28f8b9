"""Every camera demo on a PC without a camera (camera 9, which does not exist, stands in
for a missing one): the panel that offers a video, a folder of photos or the samples,
the choice remembered for next time, the truthful source label, and the teach demos
collecting each class from a folder of photos, all on the real models."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from classroom_app.core import paths
from classroom_app.core.vision.source_memory import SourceMemory
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.demos.window import DemoWindow

WAIT = 30000
HANDS = paths.sample_images_dir() / "hands"
CAMERA_DEMOS = ["face_detection", "image_classification", "teach_the_computer",
                "hand_tracking", "rock_paper_scissors", "teach_gestures"]


def open_without_camera(qtbot, ctx, demo_id: str, params: dict | None = None) -> DemoWindow:
    memory = SourceMemory(lambda: ctx.settings, ctx.update_settings)
    started = time.monotonic()
    window = DemoWindow(ctx.demos.get(demo_id), params or {}, memory=memory, camera=9)
    assert time.monotonic() - started < 5  # the camera is looked for off the GUI thread
    qtbot.addWidget(window)
    window.show()
    return window


def teaching_without_camera(qtbot, ctx, demo_id: str, params: dict) -> DemoWindow:
    """A teach demo on a PC without a camera, the teacher gone on without a picture."""
    window = open_without_camera(qtbot, ctx, demo_id, params)
    qtbot.waitUntil(window.showing_panel, timeout=WAIT)
    window.panel.continue_button.click()
    return window


def add_folder(qtbot, view, index: int, folder: Path) -> object:
    """Add every picture in ``folder`` to class ``index`` and wait for the report."""
    with qtbot.waitSignal(view.folder_added, timeout=WAIT) as added:
        view.add_folder(index, folder)
    return added.args[1]


@pytest.mark.parametrize("demo_id", CAMERA_DEMOS)
def test_without_a_camera_the_demo_offers_a_video_a_folder_and_its_samples(
        qtbot, ctx, demo_id) -> None:
    """Up front, in the window: what the demo needs, a video, a folder, the samples and
    the phone tip; the samples play when chosen and the label names them."""
    window = open_without_camera(qtbot, ctx, demo_id)
    qtbot.waitUntil(window.showing_panel, timeout=WAIT)
    panel = window.panel
    assert panel.headline.text() == "没有找到摄像头"
    texts = " ".join(w.text() for w in panel.findChildren(type(panel.headline)))
    assert ctx.demos.get(demo_id).needs["zh_CN"] in texts and "手机" in texts
    assert panel.video_button.text() == "选择视频…"
    assert panel.folder_button.text() == "选择照片文件夹…"
    assert panel.sample_button.isVisibleTo(window)
    assert panel.continue_button.isVisibleTo(window) == (
        demo_id in ("teach_the_computer", "teach_gestures"))
    panel.sample_button.click()
    assert not window.showing_panel()
    label = "示例视频" if "hand" in demo_id or "rock" in demo_id or "gestures" in demo_id \
        else "示例照片"
    assert window.source_box.currentText() == label
    qtbot.waitUntil(lambda: window.view.picture.pixmap() is not None
                    and not window.view.picture.pixmap().isNull(), timeout=WAIT)
    assert "摄像头" not in window.status.text()
    window.close()


def test_the_choice_is_used_next_time_and_asked_again_when_it_is_gone(
        qtbot, ctx, tmp_path: Path) -> None:
    """A folder chosen once opens by itself next time (the label says its name, the
    status says why); once the folder is gone, the panel asks again."""
    folder = tmp_path / "三年级的照片"
    folder.mkdir()
    for photo in sorted(paths.sample_images_dir().glob("*.jpg")):
        (folder / photo.name).write_bytes(photo.read_bytes())
    window = open_without_camera(qtbot, ctx, "image_classification")
    qtbot.waitUntil(window.showing_panel, timeout=WAIT)
    window.panel.chosen.emit(SourceSpec("images", str(folder)))  # as "选择照片文件夹…" does
    assert window.source_box.currentText() == "三年级的照片"
    window.close()
    assert ctx.settings.demo_sources["image_classification"]["target"] == str(folder)

    again = open_without_camera(qtbot, ctx, "image_classification")
    with qtbot.waitSignal(again.view.shown, timeout=WAIT):
        pass
    assert not again.showing_panel()
    assert again.source_box.currentText() == "三年级的照片"
    assert "上次" in again.status.text() and "三年级的照片" in again.status.text()
    again.close()

    for photo in folder.iterdir():
        photo.unlink()
    folder.rmdir()
    third = open_without_camera(qtbot, ctx, "image_classification")
    qtbot.waitUntil(third.showing_panel, timeout=WAIT)
    third.close()


def test_a_chosen_video_that_cannot_be_read_says_so_in_the_panel(qtbot, ctx,
                                                                  tmp_path: Path) -> None:
    """A broken file is not a missing camera: the panel names the file."""
    broken = tmp_path / "坏了.mp4"
    broken.write_bytes(b"\x00" * 64)
    window = open_without_camera(qtbot, ctx, "face_detection")
    qtbot.waitUntil(window.showing_panel, timeout=WAIT)
    window.panel.chosen.emit(SourceSpec("video", str(broken)))
    qtbot.waitUntil(window.showing_panel, timeout=WAIT)
    assert window.panel.headline.text() == "选的画面打不开"
    assert "坏了.mp4" in window.panel.problem.text()
    window.close()


def test_the_face_demo_finds_several_people_in_its_samples(qtbot, ctx) -> None:
    """The shipped faces show more than one person, and the real face finder sees two."""
    window = open_without_camera(qtbot, ctx, "face_detection")
    qtbot.waitUntil(window.showing_panel, timeout=WAIT)
    counts: list[int] = []
    window.view.frame_shown.connect(counts.append)
    window.panel.sample_button.click()
    qtbot.waitUntil(lambda: max(counts, default=0) >= 2, timeout=WAIT)
    assert "人脸" in window.view.count.text()
    window.close()


def test_the_hand_demo_names_gestures_in_the_sample_clip(qtbot, ctx) -> None:
    """The shipped clip is a hand the real palm detector finds, and gestures are named."""
    window = open_without_camera(qtbot, ctx, "hand_tracking")
    qtbot.waitUntil(window.showing_panel, timeout=WAIT)
    named: set[str] = set()
    window.view.shown.connect(lambda _: named.add(window.view.shown_gesture()))
    window.panel.sample_button.click()
    qtbot.waitUntil(lambda: len(named - {"", "None"}) >= 3, timeout=WAIT)
    assert "摄像头" not in window.view.hint.text()
    window.close()


def test_teach_the_computer_collects_each_class_from_a_folder(qtbot, ctx) -> None:
    """Without a camera, each class takes every photo in its folder (the shipped open
    palms and victory signs), off the GUI thread with progress, and trains."""
    window = teaching_without_camera(qtbot, ctx, "teach_the_computer",
                                     {"classes": ["张开手", "比耶"]})
    view = window.view
    assert not window.showing_panel() and "文件夹" in window.status.text()
    for index, folder in enumerate(("open_palm", "victory")):
        with qtbot.waitSignal(view.folder_added, timeout=WAIT) as added:
            view.add_folder(index, HANDS / folder)
            assert not view.train_button.isEnabled()  # busy while the folder is read
        report = added.args[1]
        assert report.added == len(list((HANDS / folder).glob("*.jpg"))) and not report.skipped
        assert view.panels[index].thumbs.count() == report.added
    assert "从“victory”添加了" in view.message.text()
    with qtbot.waitSignal(view.trained, timeout=WAIT) as trained:
        view.train_button.click()
    assert trained.args[0].class_names == ("张开手", "比耶")
    window.close()


def test_teach_gestures_collects_each_gesture_from_a_folder(qtbot, ctx) -> None:
    """Each gesture's folder goes through the real hand models; the model trained on
    them tells a fist from an open palm."""
    window = teaching_without_camera(qtbot, ctx, "teach_gestures", {"gestures": ["石头", "布"]})
    view = window.view
    for index, folder in enumerate(("fist", "open_palm")):
        report = add_folder(qtbot, view, index, HANDS / folder)
        assert report.added >= 5, report.skipped
    assert view.project.counts()[0] >= 5 and "个例子" in view.rows[0][1].text()
    with qtbot.waitSignal(view.trained, timeout=WAIT) as trained:
        view.train()
    assert trained.args[0].test_accuracy >= 0.5
    window.close()


def test_teach_gestures_from_folders_of_real_photos(qtbot, ctx, shared_testdata,
                                                    tmp_path: Path) -> None:
    """Real webcam-style photos (the shared test set), a folder per gesture: the hands
    found become examples, the photos without one are named."""
    trainable = shared_testdata / "hands" / "trainable"
    window = teaching_without_camera(qtbot, ctx, "teach_gestures",
                                     {"gestures": ["call", "rock"]})
    view = window.view
    for index, name in enumerate(("call", "rock")):
        report = add_folder(qtbot, view, index, class_folder(trainable, name, tmp_path))
        assert report.total() == 5 and report.added >= 2
        assert all(".jpg" in reason for reason in report.skipped)
    window.close()


def class_folder(trainable: Path, name: str, tmp_path: Path) -> Path:
    """The shared photos of one class in a folder of their own, as a teacher sorts them."""
    folder = tmp_path / "sorted" / name
    folder.mkdir(parents=True)
    for photo in trainable.glob(f"{name}_*.jpg"):
        (folder / photo.name).write_bytes(photo.read_bytes())
    return folder


def test_a_camera_slow_to_answer_never_holds_up_the_window(qtbot, ctx, monkeypatch) -> None:
    """A camera that takes long to open (or to give up, as on Windows) is opened on the
    worker thread: while it is still opening, the photos chosen instead are shown, and
    the window closes without waiting for it. (No clock: the camera opens only when the
    test lets it, after the window is closed; had the window waited, it would have
    waited for the camera to give up.)"""
    from classroom_app.ui import workers

    real_open = workers.open_source
    let_open = threading.Event()
    gave_up: list[bool] = []

    def slow_open(spec: SourceSpec, paced: bool = True):  # noqa: ANN202 - a source
        if spec.kind == "camera":
            gave_up.append(not let_open.wait(WAIT / 1000))
        return real_open(spec, paced)

    monkeypatch.setattr(workers, "open_source", slow_open)
    window = open_without_camera(qtbot, ctx, "face_detection")
    window.start(SourceSpec("images", str(paths.sample_images_dir() / "faces")))
    with qtbot.waitSignal(window.view.frame_shown, timeout=WAIT):
        pass
    window.start(window.camera)
    window.close()
    let_open.set()
    qtbot.waitUntil(lambda: not workers._LEAVING, timeout=WAIT)
    assert not any(gave_up)  # no camera was waited for (none may have been asked yet)
