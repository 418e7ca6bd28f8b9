"""Both vision demos driven with pytest-qt, a video file standing in for the camera."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from support.held_clips import panned_clip

from classroom_app.core import paths
from classroom_app.core.vision.held_out import END_OF_RECORDING, OTHER_RECORDINGS
from classroom_app.core.vision.sources import SourceSpec
from classroom_app.ui.demos.session import DemoSession
from classroom_app.ui.demos.window import DemoWindow


@pytest.fixture
def videos(tmp_path: Path) -> dict[str, SourceSpec]:
    samples = paths.sample_images_dir()
    return {name: SourceSpec("video", str(panned_clip(samples / f"{name}.jpg",
                                                     tmp_path / f"{name}.avi")))
            for name in ("coffee", "chelsea")}


def test_what_does_the_computer_see_names_the_coffee(qtbot, ctx, videos) -> None:
    window = DemoWindow(ctx.demos.get("image_classification"), {"view": "detailed"})
    qtbot.addWidget(window)
    window.show()
    view = window.view
    with qtbot.waitSignal(view.shown, timeout=15000) as shown:
        window.start(videos["coffee"])
    found = shown.args[0]
    assert found.best.label.en in {"espresso", "cup", "coffee mug"}
    assert len(view.bars.items) == 5 and view.bars.items[0][0] == found.best.label.name()
    assert not view.input_view.pixmap().isNull()
    assert "毫秒" in view.timing.text()
    # The simple view for primary pupils: one big name and how sure.
    view.set_simple(True)
    assert view.big_name.text() == found.best.label.name()
    assert "%" in view.big_sure.text() and view.bars.isHidden()
    # Freeze keeps the picture and the answer.
    view.freeze_button.click()
    frozen = view.big_name.text()
    qtbot.wait(400)
    assert view.big_name.text() == frozen
    view.freeze_button.click()
    # Switch to the precise model while running.
    assert view.load_model("fp32")
    with qtbot.waitSignal(view.shown, timeout=15000):
        pass
    assert "fp32" in view.model_title.text()
    window.close()
    assert view.worker is None


def test_a_bad_model_file_leaves_the_demo_working(qtbot, ctx, videos, tmp_path) -> None:
    window = DemoWindow(ctx.demos.get("image_classification"))
    qtbot.addWidget(window)
    window.show()
    view = window.view
    with qtbot.waitSignal(view.shown, timeout=15000):
        window.start(videos["coffee"])
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"\x00" * 100)
    assert not view.load_model(bad)
    assert view.model_message.isVisible() and "model.onnx" in view.model_message.text()
    with qtbot.waitSignal(view.shown, timeout=15000):  # still classifying with the old model
        pass
    window.close()


def test_a_camera_that_goes_away_offers_the_other_sources(qtbot, ctx) -> None:
    """A camera that is gone does not leave a dead window: the no-camera panel offers a
    video, a folder and the samples."""
    window = DemoWindow(ctx.demos.get("image_classification"))
    qtbot.addWidget(window)
    window.show()
    window.start(SourceSpec("camera", "97"))
    qtbot.waitUntil(window.showing_panel, timeout=15000)
    assert "摄像头" in window.panel.headline.text()
    with qtbot.waitSignal(window.view.shown, timeout=15000):
        window.panel.sample_button.click()
    assert window.source_box.currentText() == "示例照片"
    window.close()


def test_teach_the_computer_collects_trains_predicts_exports_and_records(
        qtbot, ctx, videos, tmp_path) -> None:
    info = ctx.store.add_class("初一(3)班", "middle", 7, "2026-09-01")
    ctx.store.add_learners(info.id, [("20260701", "王小明")])
    learner = ctx.store.learners(info.id)[0]
    session = DemoSession(ctx.progress, info, learner)
    window = DemoWindow(ctx.demos.get("teach_the_computer"), {"classes": ["咖啡", "猫"]},
                        session)
    qtbot.addWidget(window)
    window.show()
    view = window.view
    assert [p.name.text() for p in view.panels] == ["咖啡", "猫"]
    for index, name in enumerate(("coffee", "chelsea")):
        window.start(videos[name])
        qtbot.waitUntil(lambda: view.last_frame is not None, timeout=15000)
        view.panels[index].hold_button.pressed.emit()  # the pupil holds the button…
        qtbot.waitUntil(lambda i=index: view.project.counts()[i] >= 8, timeout=15000)
        view.panels[index].hold_button.released.emit()  # …and lets go
        view.last_frame = None
    counts = view.project.counts()
    assert all(c >= 8 for c in counts)
    assert view.panels[0].thumbs.count() == counts[0]
    # A bad example is deleted.
    view.panels[0].thumbs.item(0).setSelected(True)
    view.panels[0].delete_button.click()
    assert view.project.counts()[0] == counts[0] - 1
    # A picture file that is not a picture is reported and skipped.
    (tmp_path / "notes.jpg").write_text("x", encoding="utf-8")
    assert view.add_files(1, [tmp_path / "notes.jpg",
                              paths.sample_images_dir() / "chelsea.jpg"]) == 1
    assert "notes.jpg" in view.message.text()

    with qtbot.waitSignal(view.trained, timeout=30000) as trained:
        view.train_button.click()
    model = trained.args[0]
    assert model.test_accuracy == 1.0
    assert len(view.curve.loss) == 120
    assert "100%" in view.result_label.text()
    # Live prediction on the camera.
    with qtbot.waitSignal(view.predicted, timeout=15000) as predicted:
        window.start(videos["chelsea"])
    assert int(np.argmax(predicted.args[0])) == 1
    assert view.prediction.items[1][0] == "猫"
    # Export, and the experiment statement in the progress store.
    out = view.export_to(tmp_path / "我的模型")
    assert out is not None and out.suffix == ".onnx" and out.is_file()
    statements = [json.loads(s["statement"]) for s in ctx.store.statements()]
    experiment = [s for s in statements if ":experiment:" in s["object"]["id"]]
    assert len(experiment) == 1
    result = experiment[0]["result"]
    assert result["score"]["scaled"] == 1.0
    assert result["extensions"]["urn:ai-classroom:extension:classes"] == ["咖啡", "猫"]
    assert experiment[0]["actor"]["account"]["name"] == "20260701"
    folder = view.project.folder
    window.close()

    # Reopening the demo opens the learner's project, samples and model included.
    again = DemoWindow(ctx.demos.get("teach_the_computer"), {}, session)
    qtbot.addWidget(again)
    assert again.view.project.folder == folder
    assert again.view.project.counts() == view.project.counts()
    assert again.view.model is not None and again.view.export_button.isEnabled()
    again.close()


def hold(qtbot, view, index: int, examples: int) -> None:
    """Hold class ``index``'s collect button, as a pupil does, until it has ``examples``
    more examples, then let go."""
    button = view.panels[index].hold_button
    before = view.project.counts()[index]
    qtbot.mousePress(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.project.counts()[index] >= before + examples, timeout=15000)
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton)


def test_each_hold_of_the_button_is_a_recording_and_the_test_says_how_it_chose(
        qtbot, ctx, videos) -> None:
    """Coffee held twice makes two recordings, the cat held once one: the test takes a
    whole recording of coffee and the end of the cat's, and says so under the result in
    words a pupil reads; reopened, the recordings and the words come back."""
    window = DemoWindow(ctx.demos.get("teach_the_computer"), {"classes": ["咖啡", "猫"]})
    qtbot.addWidget(window)
    window.show()
    view = window.view
    for index, name, holds in ((0, "coffee", 2), (1, "chelsea", 1)):
        view.last_frame = None
        window.start(videos[name])
        qtbot.waitUntil(lambda: view.last_frame is not None, timeout=15000)
        for _ in range(holds):
            hold(qtbot, view, index, 6)
    coffee = view.project.counts()[0]
    bursts = view.project.bursts()
    assert len(set(bursts[:coffee])) == 2 and len(set(bursts[coffee:])) == 1
    first = bursts.count(bursts[0])  # one hold after the other
    assert bursts[:coffee] == [bursts[0]] * first + [bursts[coffee - 1]] * (coffee - first)
    with qtbot.waitSignal(view.trained, timeout=30000) as trained:
        view.train_button.click()
    model = trained.args[0]
    assert model.test_rules == (OTHER_RECORDINGS, END_OF_RECORDING)
    assert model.confusion[0].sum() in (first, coffee - first)  # one whole recording
    note = ("测试用的是你另外几次收集的例子或别的照片，训练时电脑没见过它们。"
            "“猫”只收集了一次，用的是最后几个例子来测试。")
    assert view.test_note.text() == note and view.test_note.isVisible()
    window.close()
    again = DemoWindow(ctx.demos.get("teach_the_computer"), {})
    qtbot.addWidget(again)
    assert again.view.project.bursts() == bursts
    assert again.view.test_note.text() == note
    again.close()


def test_training_with_too_few_examples_says_what_to_add(qtbot, ctx) -> None:
    window = DemoWindow(ctx.demos.get("teach_the_computer"), {"classes": ["甲", "乙"]})
    qtbot.addWidget(window)
    view = window.view
    view.add_example(0, cv2.imread(str(paths.sample_images_dir() / "coffee.jpg")))
    view.train_button.click()
    qtbot.waitUntil(lambda: not view.trainer.busy, timeout=15000)
    assert "乙" in view.message.text()
    assert view.train_button.isEnabled()
    window.close()


def test_a_damaged_project_is_reported_and_a_new_one_started(qtbot, ctx) -> None:
    window = DemoWindow(ctx.demos.get("teach_the_computer"), {})
    qtbot.addWidget(window)
    folder = window.view.project.folder
    window.close()
    (folder / "project.json").write_text("{broken", encoding="utf-8")
    again = DemoWindow(ctx.demos.get("teach_the_computer"), {})
    qtbot.addWidget(again)
    assert again.view.project is not None and again.view.project.folder != folder
    assert (folder / "project.json").read_text(encoding="utf-8") == "{broken"  # kept
    again.close()
